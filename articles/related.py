"""Related posts: editors' picks in their order, then published stories sharing the
most tags with the story, among those filed around the same time."""

import datetime
import functools

from django.conf import settings
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles import cache_tags
from articles.models import Article, RelatedLink, TaggedArticle, adopt_lead_photo_renditions
from core.cache import cached
from core.prepared import PreparedQuery

# Automatic related posts are looked for among the stories created this many
# before or after the story: news relates to news of its time, and the bound
# keeps the tag-link index read small however big the archive grows.
RELATED_WINDOW = 5_000
# ...and only this many of them, those sharing the most tags, are ranked.
RELATED_CANDIDATES = 50


def related_articles(article, limit=None):
    """The story's related posts, at most ``limit`` (RELATED_POSTS_COUNT).

    The ranking is kept in the cache until the story's picks or the stories under
    one of its tags change (or a scheduled story goes live); the stories themselves
    are read afresh through ``published()``. Either way one query, whatever the
    number of tags.
    """
    limit = limit or settings.RELATED_POSTS_COUNT
    ranked_now = []

    def rank():
        # Twice as many as shown: one that leaves is replaced without a new ranking.
        ranked_now.extend(rank_related(article, 2 * limit))
        return [story.pk for story in ranked_now]

    def depends_on(ranked):
        return [cache_tags.article(article.pk), *(cache_tags.tag(t.pk) for t in article.tags.all())]

    ranked = cached(ranking_cache_name(article, limit), depends_on, rank)
    if ranked_now:
        shown = ranked_now[:limit]
    else:
        found = Article.objects.published().for_small_cards().in_bulk(ranked)
        shown = [found[pk] for pk in ranked if pk in found][:limit]
    adopt_lead_photo_renditions(shown)
    return shown


def ranking_cache_name(article, limit=None):
    """The name ``related_articles()`` keeps the story's ranking under."""
    return f"related:{article.pk}:{limit or settings.RELATED_POSTS_COUNT}"


def rank_related(article, count):
    """The first ``count`` related stories, in one query: picks by position, then
    automatic candidates by the number of tags shared, then by date.

    The automatic candidates are the RELATED_CANDIDATES stories sharing the most
    tags among those created around the same time (``RELATED_WINDOW``), read from
    the (tag, story) index. Related cards show no bylines, so no credits are fetched;
    they show lead photos, which come with the stories' rows, and so do the names of
    their stored renditions (``for_small_cards()``): no query more.
    """
    pk = article.pk
    return _ranking(count)(
        pk=pk, low=pk - RELATED_WINDOW, high=pk + RELATED_WINDOW, now=timezone.now()
    )


@functools.cache
def _ranking(count):
    """``rank_related``'s query for ``count`` stories, its SQL built once per process
    (core.prepared): building and compiling it cost more than running it."""
    return PreparedQuery(
        functools.partial(_ranking_queryset, count=count),
        pk=int,
        low=int,
        high=int,
        now=datetime.datetime,
    )


def _ranking_queryset(pk, low, high, now, count):
    """The first ``count`` of the candidates in order, then their rows: the ranking
    sorts ids and ranks, and only the stories shown have their whole rows (body and
    all) read and sorted: a tenth less time on PostgreSQL than one sort of every
    candidate's whole row (bench/RESULTS.md)."""
    published = Article.objects.published(now).order_by().values("id", "published_at")
    published_sql, published_params = published.query.sql_with_params()
    # Every value is a parameter; the SQL is ours (hence the noqa).
    first = RawSQL(  # noqa: S611
        _first_sql(published_sql),
        (pk, pk, low, high, pk, RELATED_CANDIDATES, *published_params, pk, count),
    )
    return (
        Article.objects.filter(pk__in=first)
        .annotate(**_ranks(pk))
        .order_by(*_RANKED_ORDER)
        .for_small_cards()
    )


_RANKED_ORDER = (
    F("pick").asc(nulls_last=True),
    F("shared_tags").desc(nulls_last=True),
    "-published_at",
    "-id",
)


def _ranks(pk):
    """A candidate's place among the story's picks (or None), and how many of the
    story's tags it has."""
    own_tags = TaggedArticle.objects.filter(content_object_id=pk).values("tag_id")
    picked = RelatedLink.objects.filter(from_article_id=pk, to_article_id=OuterRef("pk"))
    shared = TaggedArticle.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=own_tags)
    return {
        "pick": Subquery(picked.values("position")[:1]),
        # COUNT without GROUP BY: 0, not NULL, for a pick that shares no tag.
        "shared_tags": Subquery(shared.annotate(n=Func(F("pk"), function="COUNT")).values("n")),
    }


def quote(name):
    return connection.ops.quote_name(name)


def _first_sql(published_sql):
    """The SQL of the first ``count`` candidates by rank: the story's picks and the
    stories sharing the most tags with it (``RELATED_CANDIDATES`` of those created
    within ``RELATED_WINDOW`` of it), each with its place among the picks and the
    tags counted once, joined to the published stories (``published_sql``, the
    publication rule as the ORM writes it). By hand because Django can neither join a
    subquery nor write a sliced one inside a UNION on SQLite; counting the tags in the
    same pass as the candidates, rather than for each candidate again, took a third
    off the server's time (0.60 -> 0.42 ms on 100,000 stories on PostgreSQL). The
    ranks of the stories shown are annotated again by the ORM (``_ranks()``).
    """
    link, tagged = quote(RelatedLink._meta.db_table), quote(TaggedArticle._meta.db_table)
    own_tags = f"SELECT tag_id FROM {tagged} WHERE content_object_id = %s"  # noqa: S608
    candidates = (
        f"SELECT to_article_id AS id, position AS pick, 0 AS shared FROM {link} "  # noqa: S608
        "WHERE from_article_id = %s "
        "UNION ALL SELECT * FROM (SELECT content_object_id, CAST(NULL AS integer), COUNT(*) "
        f"FROM {tagged} WHERE tag_id IN ({own_tags}) AND content_object_id BETWEEN %s AND %s "
        "AND content_object_id <> %s GROUP BY content_object_id "
        "ORDER BY COUNT(*) DESC, content_object_id DESC LIMIT %s) most_shared"
    )
    return (
        "SELECT ranked.id FROM (SELECT id, MIN(pick) AS pick, MAX(shared) AS shared "  # noqa: S608
        f"FROM ({candidates}) candidates GROUP BY id) ranked "
        f"JOIN ({published_sql}) published ON published.id = ranked.id WHERE ranked.id <> %s "
        "ORDER BY ranked.pick IS NULL, ranked.pick, ranked.shared DESC, "
        "published.published_at DESC, ranked.id DESC LIMIT %s"
    )
