"""A live story's entries as readers get them: a page of the stream with the key
points, and the small answer readers' pages poll (live.json).

Both go through ``Entry.objects.published()``. A page of the stream costs three
queries however long it is: its entries together with the key points (one query:
the database marks which rows are on the page), their authors, and when the next
entry dated ahead appears, which ends the page's life. Corrections are read only
when an entry on the page has some; photos and embeds of every body at once. The
page is kept (``core.cache.cached``) until an entry of the story or the story
itself changes, and the story page's stream and its JSON-LD share it.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from articles import body_photos, cache_tags
from articles.models import Article
from core import rendering
from core.cache import cached
from embeds import rendering as embed_rendering
from live.cache_tags import live
from live.models import PAGE_SIZE, POLLED_ENTRIES, Entry, EntryCorrection


def live_story(year, month, day, slug, queryset=None):
    """The published live story at this address (its date as its page's), else a 404."""
    stories = Article.objects.published() if queryset is None else queryset
    story = get_object_or_404(stories, kind=Article.Kind.LIVE, slug=slug)
    if story.address() != (year, month, day, slug):
        raise Http404("No live story at this address.")
    return story


def cursor(value):
    """``?before=`` as an entry id (None when absent); anything else is a 404."""
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:  # beyond that it is no id of ours
        raise Http404("Older updates are asked for by an entry's number (?before=123).")
    return int(value)


def tags_of(story):
    return [live(story.pk), cache_tags.article(story.pk)]


def coverage_ends(story):
    """Declare when the story's coverage ends by the clock (an end set ahead)."""
    if story.coverage_ended_at and story.coverage_ended_at > timezone.now():
        rendering.expires(story.coverage_ended_at)


@dataclass
class StreamPage:
    """One page of a live story's stream: its entries in the order shown, the key
    points (``(entry, label)``, newest first) and the entry older ones follow
    (``older``: the next page's ``?before=``, None on the last page)."""

    entries: list
    key_points: list
    older: int | None

    def newest(self, count):
        """The page's newest entries, pinned or not (what search engines are told)."""
        return sorted(self.entries, key=lambda e: (e.published_at, e.pk), reverse=True)[:count]


def stream_page(story, before=None):
    """The page of ``story``'s stream after the entry ``before`` (the first page when
    None), kept until the story or one of its entries changes. A ``before`` that is
    not a published entry of the story is a 404."""
    page = cached(
        f"live:page:{story.pk}:{before or ''}",
        tags_of(story),
        lambda: read_page(story, before),
    )
    for entry in page.entries:
        entry.story = story  # their addresses: the story as this page read it
    return page


def read_page(story, before):
    entries = Entry.objects.published().of(story)
    if before is None:
        shown = entries.stream()
    else:
        after = entries.filter(pk=before).values("published_at", "pk").first()
        if after is None:
            raise Http404("No such update in this live story.")
        # Pinned entries head the first page only; the rest follow by time.
        shown = (
            entries.filter(is_pinned=False)
            .filter(
                Q(published_at__lt=after["published_at"])
                | Q(published_at=after["published_at"], pk__lt=after["pk"])
            )
            .order_by("-published_at", "-id")
        )
    window = shown.values("pk")[: PAGE_SIZE + 1]  # one more: is there an older page?
    rows = list(
        shown_in_full(entries.filter(Q(pk__in=window) | Q(is_key_point=True)))
        .annotate(on_page=ExpressionWrapper(Q(pk__in=window), output_field=BooleanField()))
        .stream()
    )
    on_page = [entry for entry in rows if entry.on_page]
    older = on_page[PAGE_SIZE - 1].pk if len(on_page) > PAGE_SIZE else None
    on_page = on_page[:PAGE_SIZE]
    prepare(story, on_page)
    key_points = sorted(
        (entry for entry in rows if entry.is_key_point),
        key=lambda e: (e.published_at, e.pk),
        reverse=True,
    )
    rendering.expires(Entry.objects.of(story).next_publication())
    return StreamPage(
        entries=on_page,
        key_points=[(entry.pk, entry.key_point) for entry in key_points],
        older=older,
    )


def shown_in_full(entries):
    """Entries with what their template shows, for ``prepare()``: the story each
    became, their authors, and whether they have corrections (most have none, and
    then their query is skipped)."""
    return (
        entries.select_related("broken_out_to")
        .prefetch_related("authors")
        .annotate(has_corrections=Exists(EntryCorrection.objects.filter(entry=OuterRef("pk"))))
    )


def prepare(story, entries):
    """What the entry template shows, worked out for all of ``entries`` at once: the
    body with its photos and embeds, the corrections whose time has come, the story
    an entry became if readers can see it. Declares what changes them by the clock."""
    now = timezone.now()
    prefetch_related_objects([e for e in entries if e.has_corrections], "corrections")
    photos = body_photos.photos_in(entry.body for entry in entries)
    embeds = embed_rendering.embeds_in(entry.body for entry in entries)
    ahead = []
    for entry in entries:
        entry.story = story
        corrections = list(entry.corrections.all()) if entry.has_corrections else []
        entry.shown_corrections = [c for c in corrections if c.published_at <= now]
        ahead += [c.published_at for c in corrections if c.published_at > now]
        entry.body_html = embed_rendering.expand(body_photos.expand(entry.body, photos), embeds)
        shown = (photos[pk] for pk in body_photos.photo_ids(entry.body) if pk in photos)
        entry.first_photo = next(shown, None)  # what its page is shared with
        entry.full_story = broken_out(entry, ahead)
    rendering.expires(min(ahead, default=None))


def broken_out(entry, ahead):
    """The story ``entry`` became, if readers can see it (its headline is shown: the
    page follows it); one scheduled ahead joins ``ahead``."""
    story = entry.broken_out_to
    if story is None:
        return None
    rendering.depends_on(cache_tags.article(story.pk))
    if story.is_published:
        return story
    if story.status == Article.Status.PUBLISHED and story.published_at:
        ahead.append(story.published_at)
    return None


def poll_answer(story):
    """What a reader's page compares with its own: whether coverage ended, the newest
    entries with their versions (``POLLED_ENTRIES``, and pinned ones older than
    those), the pinned ones, the key points, and whether that is all of them
    (``complete``: an entry the page shows but the answer lacks was then removed).
    One query, whatever the length; declares when it changes by the clock."""
    entries = Entry.objects.published().of(story)
    window = entries.order_by("-published_at", "-id").values("pk")[:POLLED_ENTRIES]
    rows = list(
        entries.filter(Q(pk__in=window) | Q(is_pinned=True) | Q(is_key_point=True))
        .annotate(in_window=ExpressionWrapper(Q(pk__in=window), output_field=BooleanField()))
        .only("headline", "body", "published_at", "modified_at", "is_pinned", "is_key_point")
        .order_by("-published_at", "-id")
    )
    rendering.expires(Entry.objects.of(story).next_publication())
    coverage_ends(story)
    return {
        "ended": not story.is_live_open,
        "entries": [[e.pk, e.version] for e in rows if e.in_window or e.is_pinned],
        "pinned": [e.pk for e in rows if e.is_pinned],
        "key_points": [[e.pk, e.key_point] for e in rows if e.is_key_point],
        "complete": sum(e.in_window for e in rows) < POLLED_ENTRIES,
    }
