"""/search/: full-text search of published stories, on SQLite (FTS5) and PostgreSQL.

Run this file twice: as is (SQLite) and with DATABASE_URL pointing at PostgreSQL.
The index is written after commit, so stories are created inside ``indexed()``.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Credit
from search.models import SearchDocument
from search.query import rank
from search.views import SearchView
from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the after-commit index updates of what the block creates or changes."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(text):
    """Headlines of what a search for ``text`` finds, best first."""
    ids = rank(text).ids
    headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
    return [headlines[pk] for pk in ids]


def test_the_index_is_real_full_text_search_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "USING fts5" in cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector'"
            )
            assert "USING gin (vector)" in cursor.fetchone()[0]


def test_headline_outranks_dek_outranks_body(indexed):
    with indexed():
        make_article(headline="Markets calm", dek="Nothing to see", body="<p>Quiet day.</p>")
        make_article(
            headline="Storm warning", dek="Quiet week", body="<p>A hurricane nears land.</p>"
        )
        make_article(headline="Hurricane season opens", dek="", body="<p>Forecasts.</p>")
        make_article(headline="Ports close", dek="The hurricane is coming", body="<p>x</p>")

    assert found("hurricane") == ["Hurricane season opens", "Ports close", "Storm warning"]


def test_words_are_stemmed_unlike_a_substring_match(indexed):
    with indexed():
        make_article(headline="Election night", body="<p>Voters went to the polls.</p>")

    assert found("elections") == ["Election night"]
    assert found("voter poll") == ["Election night"]
    assert found("lection") == []  # a piece of a word is not a word


def test_every_word_must_match(indexed):
    with indexed():
        make_article(headline="Seoul talks", body="<p>Diplomats met in Seoul.</p>")
        make_article(headline="Tokyo talks", body="<p>Diplomats met in Tokyo.</p>")

    assert found("diplomats seoul") == ["Seoul talks"]


def test_drafts_scheduled_and_unpublished_stories_never_match(client, indexed):
    with indexed():
        make_article(headline="Published pangolin")
        make_article(headline="Draft pangolin", status=Article.Status.DRAFT)
        make_article(headline="Review pangolin", status=Article.Status.REVIEW)
        make_article(headline="Pulled pangolin", status=Article.Status.UNPUBLISHED)
        make_article(
            headline="Scheduled pangolin", published_at=timezone.now() + timedelta(hours=2)
        )

    assert found("pangolin") == ["Published pangolin"]
    response = client.get(SEARCH, {"q": "pangolin"})
    assert "Published <mark>pangolin</mark>" in response.text
    assert "Draft" not in response.text
    assert "Scheduled" not in response.text
    assert response.context["paginator"].count == 1


def test_authors_and_tags_are_searchable(indexed):
    wang = make_person(name="Olivia Wang")
    with indexed():
        make_article(headline="Hong Kong protest", bylines=[wang])
        make_article(headline="Pact signed", tags=["North Korea"])
        make_article(headline="Unrelated")

    assert found("Olivia Wang") == ["Hong Kong protest"]
    assert found("north korea") == ["Pact signed"]


def test_the_index_follows_edits_after_commit(indexed):
    person = make_person(name="Maya Brooks")
    with indexed():
        article = make_article(headline="First headline", body="<p>Walrus sighting.</p>")
    assert found("walrus") == ["First headline"]

    with indexed():
        article.headline = "Second headline"
        article.body = "<p>Narwhal sighting.</p>"
        article.save()
    assert found("walrus") == []
    assert found("narwhal") == ["Second headline"]

    with indexed():
        Credit.objects.create(article=article, person=person)
        article.tags.add("Arctic")
    assert found("brooks arctic") == ["Second headline"]

    with indexed():
        person.name = "Maya Okafor"
        person.save()
        tag = Tag.objects.get(name="Arctic")
        tag.name = "Polar"
        tag.save()
    assert found("brooks") == []
    assert found("okafor polar") == ["Second headline"]

    with indexed():
        article.tags.clear()
    assert found("polar") == []

    with indexed():
        article.delete()
    assert found("narwhal") == []
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_committed_writes_reach_the_index_without_help():
    # Real commits (no test transaction around them), then a real flush, which
    # sends post_migrate without ``apps``: the search app's receiver must cope.
    make_article(headline="Committed capybara", tags=["Rodents"])

    assert found("capybara rodents") == ["Committed capybara"]


def test_nothing_is_indexed_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_article(headline="Uncommitted okapi")
    assert callbacks
    assert found("okapi") == []


def test_a_rebuild_indexes_stories_written_without_signals(django_capture_on_commit_callbacks):
    Article.objects.bulk_create(
        [
            Article(
                headline="Bulk loaded quokka",
                slug="bulk-quokka",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
        ]
    )
    assert found("quokka") == []

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # as when the command commits
        call_command("rebuild_search_index", stdout=out)

    assert found("quokka") == ["Bulk loaded quokka"]
    assert "Indexed 1 stories" in out.getvalue()


def test_video_transcripts_are_searched(indexed):
    with indexed():
        make_article(
            headline="Campaign video",
            kind=Article.Kind.VIDEO,
            transcript="The senator spoke about agriculture subsidies.",
        )

    assert found("subsidies") == ["Campaign video"]


def test_results_page_highlights_matches_and_keeps_the_query(client, indexed):
    with indexed():
        make_article(
            headline="Pact with Russia",
            body="<p>Beijing watched the pact between Russia and North Korea closely.</p>",
        )

    response = client.get(SEARCH, {"q": "russia"})

    assert response.status_code == 200
    html = response.text
    assert '<a href="' in html
    assert "Pact with <mark>Russia</mark>" in html
    assert "pact between <mark>Russia</mark> and North Korea" in html
    assert 'value="russia"' in html  # the search boxes keep the query
    assert "1 result for “russia”" in html
    assert '<meta name="robots" content="noindex">' in html


def test_hostile_queries_and_story_text_are_escaped(client, indexed):
    with indexed():
        make_article(
            headline="Tags like <b> in payload text",
            # Sanitized markup, whose *text* mentions a script tag.
            body="<p>Is 5 &lt; 6 &amp; 7? The payload &lt;script&gt;alert(1)&lt;/script&gt;.</p>",
        )

    hostile = client.get(SEARCH, {"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)</script>" not in hostile
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in hostile

    html = client.get(SEARCH, {"q": "payload"}).text
    assert "Is 5 &lt; 6 &amp; 7? The <mark>payload</mark>" in html
    assert "Tags like &lt;b&gt; in <mark>payload</mark> text" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "*",
        "headline:pact",
        "NEAR(a b",
        "a'b",
        "-",
        "🙂",
        "pact\x00",
        "\x02pact\x03",
        "x" * 500,
    ],
)
def test_search_syntax_in_the_query_is_never_an_error(client, indexed, query):
    with indexed():
        make_article(headline="Pact signed")

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200


def test_empty_and_no_result_states(client, indexed):
    with indexed():
        make_article(headline="Something")

    empty = client.get(SEARCH)
    assert empty.status_code == 200
    assert "Type a name, a place or a topic" in empty.text
    assert not empty.context["results"]

    blank = client.get(SEARCH, {"q": "   "})
    assert "Type a name, a place or a topic" in blank.text

    none = client.get(SEARCH, {"q": "zeppelin"})
    assert none.status_code == 200
    assert "No stories match “zeppelin”" in none.text


def test_results_are_paginated_and_pages_keep_the_query(client, indexed, monkeypatch, settings):
    settings.SITE_URL = "https://news.example.com"
    monkeypatch.setattr(SearchView, "paginate_by", 2)
    with indexed():
        for n in range(5):
            make_article(headline=f"Volcano update {n}")

    first = client.get(SEARCH, {"q": "volcano"})
    assert len(first.context["results"]) == 2
    assert 'href="?q=volcano&amp;page=2"' in first.text
    assert '<link rel="next" href="https://news.example.com/search/?q=volcano&amp;page=2">' in (
        first.text
    )

    last = client.get(SEARCH, {"q": "volcano", "page": 3})
    assert len(last.context["results"]) == 1
    assert 'href="?q=volcano&amp;page=2"' in last.text
    pages = [client.get(SEARCH, {"q": "volcano", "page": p}) for p in (1, 2, 3)]
    seen = {article.headline for page in pages for article in page.context["results"]}
    assert seen == {f"Volcano update {n}" for n in range(5)}


def test_results_page_queries_do_not_grow_with_results(
    client, indexed, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_MARGIN = 0  # the ranking is kept from the first search on
    section = make_section()
    people = [make_person(), make_person()]
    with indexed():
        for n in range(6):
            make_article(headline=f"Glacier report {n}", section=section, bylines=people)

    # The ranking (one query: the batch of matches, scored, with their publication
    # dates), the next scheduled story, the page's marked headlines and snippets,
    # its stories (with sections), their bylines, the navigation sections: the
    # same six queries for one result or a hundred.
    with django_assert_num_queries(6):
        response = client.get(SEARCH, {"q": "glacier"})
    assert response.context["paginator"].count == 6
    # The ranking and the navigation are kept: a second reader's search reads
    # just the page: marks, stories, bylines.
    with django_assert_num_queries(3):
        again = client.get(SEARCH, {"q": "glacier"})
    assert [a.pk for a in again.context["results"]] == [a.pk for a in response.context["results"]]
