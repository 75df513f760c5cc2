"""Prepared queries asked together (core.prepared.together): on PostgreSQL in one
round trip (psycopg's pipeline mode), elsewhere one after another, and either way
each call's instances as it would have made them alone. The story page's row comes
so with its credits and tags, which its kept copy carries from then on."""

import tempfile

import pytest
from django.core.cache import cache
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from psycopg import pq

from articles import cache_tags
from articles.models import Article, Credit, published_story, read_credits_and_tags
from articles.models.prepared_reads import _credits, _credits_by_slug, _published_story, _tags
from core import stamps
from core.prepared import together
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="round trips: PostgreSQL's protocol"
)


@pytest.fixture
def story():
    story = make_article(tags=["harbour", "ferries"])
    for position, slug in enumerate(["ana", "ben"]):
        Credit.objects.create(article=story, person=make_person(slug=slug), position=position)
    return story


def synced(run):
    """``run()``'s result and how many times the client asked the server for answers
    (a Sync message of PostgreSQL's protocol: one per round trip), read from libpq's
    trace of the connection."""
    connection.ensure_connection()
    wire = connection.connection.pgconn
    with tempfile.TemporaryFile() as trace:
        wire.trace(trace.fileno())
        wire.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            result = run()
        finally:
            wire.untrace()
        trace.seek(0)
        messages = [line.split("\t") for line in trace.read().decode().splitlines()]
    return result, sum(1 for sender, *rest in messages if sender == "F" and "Sync" in rest[1])


def test_each_call_gets_what_it_gets_alone(story, django_assert_num_queries):
    other = make_article(tags=["weather"])
    calls = [(_credits, {"story": story.pk}), (_tags, {"story": other.pk})]
    alone = [query(**values) for query, values in calls]
    with django_assert_num_queries(2):  # counted, and logged, as any query is
        assert together(*calls) == alone
    assert [credit.person.slug for credit in alone[0]] == ["ana", "ben"]
    assert [tag.name for tag in alone[1]] == ["weather"]


def test_a_call_without_rows_gets_an_empty_list(story):
    now = timezone.now()
    found, credits = together(
        (_published_story, {"slug": "no-such-story", "now": now}),
        (_credits, {"story": story.pk}),
    )
    assert found == []
    assert len(credits) == 2


@on_postgres
def test_on_postgresql_the_calls_share_one_round_trip(story):
    calls = [(_credits, {"story": story.pk}), (_tags, {"story": story.pk})]
    for query, values in calls * 3:  # past psycopg's threshold: prepared statements too
        query(**values)
    _, one_by_one = synced(lambda: [query(**values) for query, values in calls])
    (credits, tags), trips = synced(lambda: together(*calls))
    assert (one_by_one, trips) == (2, 1)
    assert len(credits) == 2 and sorted(tag.name for tag in tags) == ["ferries", "harbour"]


def test_a_failing_call_raises_djangos_error_and_leaves_the_connection_usable(story):
    """A value PostgreSQL refuses (a NUL byte in text) among calls asked together: the
    error is Django's, nothing half-read is returned, and the next read works."""
    calls = [(_credits, {"story": story.pk}), (_credits_by_slug, {"story": "a\x00b"})]
    if connection.vendor == "postgresql":
        with pytest.raises(DataError):
            together(*calls)
    else:  # SQLite stores NUL bytes: nothing to refuse, no credits by that slug
        assert together(*calls)[1] == []
    assert len(together((_credits, {"story": story.pk}), (_tags, {"story": story.pk}))[0]) == 2


@on_postgres
def test_the_story_row_credits_and_tags_share_one_round_trip(story):
    row, trips = synced(lambda: published_story(story.slug))
    assert trips == 1
    assert row.pk == story.pk


def test_the_story_row_comes_with_its_credits_and_tags(story, django_assert_num_queries):
    with django_assert_num_queries(3):
        row = published_story(story.slug)
    with django_assert_num_queries(0):
        read_credits_and_tags(row)
        assert [credit.person.slug for credit in row.credits.all()] == ["ana", "ben"]
        assert sorted(tag.name for tag in row.tags.all()) == ["ferries", "harbour"]


def test_no_credits_or_tags_are_made_up_for_a_story_that_is_not_out(story):
    story.status = Article.Status.DRAFT
    story.save()
    assert published_story(story.slug) is None


def test_the_kept_story_row_shows_a_credit_and_a_tag_added_since(client, story, on_commit):
    cache.clear()
    first = client.get(story.get_absolute_url(), {"cpage": "1"}).content.decode()
    assert "harbour" in first and "Cai" not in first
    with on_commit():  # both touch the story's own cache tag (articles.changes)
        Credit.objects.create(article=story, person=make_person(name="Cai"), position=2)
        story.tags.add("tides")
    again = client.get(story.get_absolute_url(), {"cpage": "2"}).content.decode()
    assert "Cai" in again
    assert 'rel="tag">tides</a>' in again


def test_the_kept_story_row_goes_without_its_credits_and_tags(client, story):
    """Only a markup rendered anew uses them: the copy kept for later readers would
    carry them into every read of it (three times the row's unpickling)."""
    cache.clear()
    client.get(story.get_absolute_url(), {"cpage": "1"})
    stamps.touch(cache_tags.tag(story.tags.get(name="harbour").pk))  # the markup, not the row
    with CaptureQueriesContext(connection) as queries:
        page = client.get(story.get_absolute_url(), {"cpage": "2"}).content.decode()
    read = " ".join(query["sql"] for query in queries)
    assert '"articles_article"."slug" =' not in read  # the row was kept...
    assert '"articles_credit"' in read and '"taggit_tag"' in read  # ...without them
    assert "Reporter" in page and 'rel="tag">harbour</a>' in page
