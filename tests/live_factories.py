"""Live stories and their entries for the live tests (tests/test_live_*.py)."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import Article
from live.models import Entry
from tests.factories import make_article

_seq = count(1)


def make_live_story(**fields):
    fields.setdefault("kind", Article.Kind.LIVE)
    fields.setdefault("headline", "Storm makes landfall")
    return make_article(**fields)


def make_entry(story, minutes_ago=None, authors=(), **fields):
    """A published entry of ``story``, ``minutes_ago`` old (by default about half an
    hour, each one made a little newer than the one before)."""
    n = next(_seq)
    if minutes_ago is None:
        minutes_ago = 30 - n * 0.01
    fields.setdefault("body", f"<p>Update number {n} from the coast.</p>")
    fields.setdefault("published_at", timezone.now() - timedelta(minutes=minutes_ago))
    entry = Entry.objects.create(story=story, **fields)
    if authors:
        entry.authors.set(authors)
    return entry
