"""Full-text search of published stories, best match first, at a bounded cost.

A common word matches a tenth of an archive: ranking and counting every match
would make a search as slow as the archive is big. So a search looks at the
newest ``settings.SEARCH_CANDIDATES`` stories that match (newest by when they
were filed, which the index reads in order without sorting), ranks those, and
offers the next older batch on request (``before``). Each batch costs the same
at a thousand stories or a million, and every match stays reachable.

``rank()`` returns the ranking, kept in the cache until a story is reindexed,
published or withdrawn; ``highlighted()`` reads one page of it afresh through
``Article.objects.published()`` (so drafts and scheduled stories can never
show), with ``search_headline`` and ``search_snippet``: text whose matches are
wrapped in search.text's marks, for the ``highlight`` filter to escape and mark up.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value

from articles import cache_tags
from articles.models import Article
from core.cache import cached
from core.stamps import EVERYTHING
from search.models import SEARCH_CONFIG, SEARCH_TAG, FullTextEntry, SearchDocument
from search.text import MARK_END, MARK_START, clean_text

# Longer queries are cut: nobody types more, and each term costs index work.
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30

_WORD = re.compile(r"\w+")


def normalize_query(text):
    """What is searched for and shown back: control characters (PostgreSQL refuses
    NUL outright) and runs of spaces are gone, and the length is bounded."""
    return clean_text(text)[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class Ranking:
    """Published stories matching a search, best first, as ids.

    ``older``: when the batch was cut at ``SEARCH_CANDIDATES`` matches, the id
    below which the next batch starts (``rank(text, before=older)``); else None.
    """

    ids: tuple
    older: int | None = None


def rank(text, before=None):
    """The ranking of the newest matches of ``text`` filed before story ``before``."""
    text = normalize_query(text)
    if not text:
        return Ranking(ids=())
    digest = hashlib.sha256(f"{connection.vendor}\0{text}\0{before}".encode()).hexdigest()
    return cached(
        f"search:{digest}",
        # Reindexed text, a story published or withdrawn, a renamed tag or person.
        [SEARCH_TAG, cache_tags.FRONT, EVERYTHING],
        lambda: _rank(text, before),
        timeout=settings.SEARCH_CACHE_SECONDS,
    )


def _rank(text, before):
    candidates = _candidates(text, before)
    # A story is in the batch whatever its status (it is cut by the same rule);
    # only the published ones are shown, or counted.
    published = [row for row in candidates if row[2] is not None]
    published.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
    cut = len(candidates) == settings.SEARCH_CANDIDATES
    return Ranking(
        ids=tuple(pk for pk, *_ in published),
        older=min(pk for pk, *_ in candidates) if cut else None,
    )


def _candidates(text, before):
    """``(article id, relevance, published_at)`` of the newest SEARCH_CANDIDATES
    documents that match; higher relevance is better, and ``published_at`` is
    None unless ``Article.objects.published()`` has the story."""
    if connection.vendor == "postgresql":
        query = _tsquery(text)
        newest = SearchDocument.objects.filter(vector=query)
        relevance = SearchRank(F("vector"), query)
    elif connection.vendor == "sqlite":
        match = _fts_match(text)
        if match is None:
            return []
        newest = FullTextEntry.objects.filter(entry__matches=match)
        relevance = -F("rank")  # bm25: lower is better
    else:
        raise ImproperlyConfigured(
            f"Search supports PostgreSQL and SQLite, not {connection.vendor}: "
            "point DATABASE_URL at one of them."
        )
    if before is not None:
        newest = newest.filter(pk__lt=before)
    newest = newest.order_by("-pk")[: settings.SEARCH_CANDIDATES]
    if connection.vendor == "postgresql":
        # Scored in an outer query: PostgreSQL would otherwise rank every match
        # before keeping the newest. (FTS5 scores only the rows it returns.)
        newest = SearchDocument.objects.filter(pk__in=newest.values("pk"))
    public = Article.objects.published().filter(pk=OuterRef("pk")).order_by()
    public = public.values("published_at")
    return list(
        newest.annotate(relevance=relevance, public_since=Subquery(public)).values_list(
            "pk", "relevance", "public_since"
        )
    )


def highlighted(text, ids):
    """The published stories ``ids`` (one page of a ranking), in that order, with
    their headline and a snippet of their text marked where ``text`` matches."""
    text = normalize_query(text)
    if not ids:
        return []
    if connection.vendor == "postgresql":
        marks = _postgresql_marks(text, ids)
    else:
        marks = _sqlite_marks(text, ids)
    marked = {pk: (headline, snippet) for pk, headline, snippet in marks}
    stories = Article.objects.published().for_listing().filter(pk__in=ids).order_by()
    found = {story.pk: story for story in stories}
    shown = [found[pk] for pk in ids if pk in found]
    for story in shown:
        story.search_headline, story.search_snippet = marked.get(story.pk, (story.headline, ""))
    return shown


def _tsquery(text):
    # websearch_to_tsquery accepts anything a person types ("quoted phrases",
    # or, -exclusions) and never raises a syntax error.
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def _fts_match(text):
    # Each word becomes a quoted FTS5 string, so nothing typed is read as
    # FTS5 syntax (quotes, AND/OR/NOT, column filters, stars); all must match.
    terms = _WORD.findall(text)
    return " ".join(f'"{term}"' for term in terms) if terms else None


def _postgresql_marks(text, ids):
    query = _tsquery(text)
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": SEARCH_CONFIG}
    documents = SearchDocument.objects.filter(pk__in=ids).annotate(
        search_headline=SearchHeadline("headline", query, highlight_all=True, **marks),
        search_snippet=SearchHeadline(
            "body", query, max_words=SNIPPET_WORDS, min_words=SNIPPET_WORDS // 2, **marks
        ),
    )
    return documents.values_list("pk", "search_headline", "search_snippet")


def _sqlite_marks(text, ids):
    # highlight()/snippet() take the FTS5 table's hidden column and a column
    # index: 0 is the headline, 2 the body (see migration 0002). They work only
    # in a query that MATCHes; asking the FTS5 table itself for the page's rows
    # lets it seek to them instead of marking every match.
    entry = F("entry")
    entries = FullTextEntry.objects.filter(entry__matches=_fts_match(text), pk__in=ids)
    return entries.annotate(
        search_headline=Func(
            entry,
            Value(0),
            Value(MARK_START),
            Value(MARK_END),
            function="highlight",
            output_field=TextField(),
        ),
        search_snippet=Func(
            entry,
            Value(2),
            Value(MARK_START),
            Value(MARK_END),
            Value("…"),
            Value(SNIPPET_WORDS),
            function="snippet",
            output_field=TextField(),
        ),
    ).values_list("pk", "search_headline", "search_snippet")
