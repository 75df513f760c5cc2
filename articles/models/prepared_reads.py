"""The reads of every story page read afresh (its story, credits and tags) and of
every page's deadline (the next scheduled story), with SQL built once per process
(core.prepared).

Building and compiling ``for_story_page()``'s query (the story, its section, lead
photo, video and their stored renditions, whether it has corrections) cost eight
times what running it costs: 5.0 ms where the SQL took 0.6 (bench/RESULTS.md); the
credits' and tags' prefetch took 3.2 ms for two queries. What they make is kept in
the cache afterwards, but the first view after an edit pays for it.
"""

import datetime

from django.utils import timezone

from articles.models.parts import Credit
from articles.models.story import Article, TaggedArticle
from core.prepared import PreparedQuery, adopt_prefetched, is_prefetched, together

_published_story = PreparedQuery(
    lambda slug, now: Article.objects.published(now).for_story_page().filter(slug=slug),
    slug=str,
    now=datetime.datetime,
)


def _credits_and_tags_by(story_field, kind):
    """The PreparedQuery of a story's credits (with their people) and that of its tags,
    the story named by ``story_field`` (``"id"``, ``"slug"``) as ``story``."""
    credits = PreparedQuery(
        lambda story: Credit.objects.select_related("person").filter(
            **{f"article__{story_field}": story}
        ),
        story=kind,
    )
    tags = PreparedQuery(
        lambda story: TaggedArticle.tag_model().objects.filter(
            **{f"{TaggedArticle.tag_relname()}__content_object__{story_field}": story}
        ),
        story=kind,
    )
    return credits, tags


_credits, _tags = _credits_and_tags_by("id", int)
# By the story's slug: asked with its row, before its id is known.
_credits_by_slug, _tags_by_slug = _credits_and_tags_by("slug", str)


def published_story(slug):
    """The published story of ``slug`` as ``Article.objects.for_story_page()`` reads it,
    with its credits and tags (``read_credits_and_tags()``), or None: three queries in
    one round trip where the database allows it (core.prepared.together)."""
    found, credits, tags = together(
        (_published_story, {"slug": slug, "now": timezone.now()}),
        (_credits_by_slug, {"story": slug}),
        (_tags_by_slug, {"story": slug}),
    )
    if not found:
        return None
    story = found[0]
    adopt_prefetched(story, "credits", credits)
    adopt_prefetched(story, "tags", tags)
    return story


def read_credits_and_tags(story):
    """``prefetch_related("credits", "tags")`` for one story, the credits with their
    people: ``story.credits.all()`` and ``story.tags.all()`` then run no query. Nothing
    to read for a story ``published_story()`` read."""
    if is_prefetched(story, "credits") and is_prefetched(story, "tags"):
        return
    credits, tags = together((_credits, {"story": story.pk}), (_tags, {"story": story.pk}))
    adopt_prefetched(story, "credits", credits)
    adopt_prefetched(story, "tags", tags)


_next_scheduled = PreparedQuery(
    lambda now: Article.objects.scheduled(now).order_by("published_at").only("published_at")[:1],
    now=datetime.datetime,
)


def next_scheduled_publication():
    """When the next scheduled story goes live (or None): nothing happens then but the
    clock passing, so caches of pages must end by that moment."""
    found = _next_scheduled(now=timezone.now())
    return found[0].published_at if found else None
