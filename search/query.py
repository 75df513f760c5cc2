"""Full-text search of published stories, best match first.

``search_articles`` returns a lazy queryset of ``Article.objects.published()``
(so drafts and scheduled stories can never match) annotated with
``search_headline`` and ``search_snippet``: text whose matches are wrapped in
search.text's marks, for the ``highlight`` filter to escape and mark up.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Func, TextField, Value

from articles.models import Article
from search.models import SEARCH_CONFIG
from search.text import MARK_END, MARK_START, clean_text

# Longer queries are cut: nobody types more, and each term costs index work.
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30

_WORD = re.compile(r"\w+")


def normalize_query(text):
    """What is searched for and shown back: control characters (PostgreSQL refuses
    NUL outright) and runs of spaces are gone, and the length is bounded."""
    return clean_text(text)[:MAX_QUERY_LENGTH]


def search_articles(text):
    text = normalize_query(text)
    stories = Article.objects.published().for_listing()
    if not text:
        return stories.none()
    if connection.vendor == "postgresql":
        return _postgresql(stories, text)
    if connection.vendor == "sqlite":
        return _sqlite(stories, text)
    raise ImproperlyConfigured(
        f"Search supports PostgreSQL and SQLite, not {connection.vendor}: "
        "point DATABASE_URL at one of them."
    )


def _postgresql(stories, text):
    # websearch_to_tsquery accepts anything a person types ("quoted phrases",
    # or, -exclusions) and never raises a syntax error.
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": SEARCH_CONFIG}
    return (
        stories.filter(search_document__vector=query)
        .annotate(
            search_rank=SearchRank(F("search_document__vector"), query),
            search_headline=SearchHeadline(
                "search_document__headline", query, highlight_all=True, **marks
            ),
            search_snippet=SearchHeadline(
                "search_document__body",
                query,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                **marks,
            ),
        )
        .order_by("-search_rank", "-published_at", "-id")
    )


def _sqlite(stories, text):
    # Each word becomes a quoted FTS5 string, so nothing typed is read as
    # FTS5 syntax (quotes, AND/OR/NOT, column filters, stars); all must match.
    terms = _WORD.findall(text)
    if not terms:
        return stories.none()
    match = " ".join(f'"{term}"' for term in terms)
    entry = F("fulltext__entry")
    return (
        stories.filter(fulltext__entry__matches=match)
        .annotate(
            # highlight()/snippet() take the FTS5 table's hidden column and a
            # column index: 0 is the headline, 2 the body (see migration 0002).
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
        )
        .order_by("fulltext__rank", "-published_at", "-id")
    )
