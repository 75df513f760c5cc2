"""The demo's live story (demo.live, loaded by seed_demo): a dozen entries over three
hours, one pinned, three key points, one corrected, one with a library photo; loaded
twice, the same rows."""

import functools
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import body_photos
from articles.models import Article
from demo import photos
from demo.live import LIVE_SLUG
from live.models import Entry, EntryCorrection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    """The demo's photos are written here, not into the checkout's media folder, and
    drawn small (tests/test_seed_demo.py checks them at their real size)."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        photos, "generate", functools.partial(photos.generate, width=240, height=160)
    )
    return tmp_path


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def live_rows():
    story = Article.objects.get(slug=LIVE_SLUG)
    entries = Entry.objects.of(story)
    return {
        "entries": list(entries.order_by("published_at").values_list("pk", "published_at")),
        "authors": Entry.authors.through.objects.filter(entry__story=story).count(),
        "corrections": EntryCorrection.objects.filter(entry__story=story).count(),
        "credits": story.credits.count(),
        "tags": sorted(story.tags.names()),
    }


def test_the_demo_has_an_open_live_story_with_a_dozen_entries():
    seed()
    story = Article.objects.get(slug=LIVE_SLUG)
    entries = Entry.objects.of(story)

    assert story.is_live and story.is_live_open and story.is_published
    assert story.section.slug == "world" and story.lead_photo is not None
    hours = (timezone.now() - story.published_at) / timedelta(hours=1)
    assert 2.9 < hours < 3.1
    assert [c.person.name for c in story.credits.all()] == ["Olivia Wang", "David Pierson"]
    assert entries.published().count() == 12
    assert entries.filter(is_pinned=True).count() == 1
    assert entries.filter(is_key_point=True).count() == 3
    assert entries.stream().first().headline == "What we know"  # the pinned one first
    times = list(entries.order_by("published_at").values_list("published_at", flat=True))
    assert story.published_at <= times[0] and times[-1] < timezone.now()
    assert all(entry.authors.exists() for entry in entries)
    assert entries.exclude(headline="").exists() and entries.filter(headline="").exists()


def test_one_entry_is_corrected_and_one_shows_a_described_photo():
    seed()
    entries = Entry.objects.of(Article.objects.get(slug=LIVE_SLUG))

    [corrected] = entries.filter(corrections__isnull=False)
    assert "The Hospital Authority’s figure is 12." in corrected.corrections.get().text
    [with_photo] = [e for e in entries if body_photos.photo_ids(e.body)]
    photo = body_photos.photos_in([with_photo.body]).popitem()[1]
    assert with_photo.headline == "Waves over the waterfront"
    assert photo.described and photo.credit


def test_seeding_twice_changes_nothing():
    seed()
    first = live_rows()
    seed()
    assert live_rows() == first
    assert len(first["entries"]) == 12 and first["corrections"] == 1
