"""Querysets compiled once per process (core.prepared): the story page's row, its
credits and tags, its related posts' ranking, its comments and the sections in use
run the SQL the ORM would have built, and make the same instances, on SQLite and on
PostgreSQL alike."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import router
from django.utils import timezone
from taggit.models import Tag

from articles import related
from articles.models import (
    Article,
    Credit,
    RelatedLink,
    next_scheduled_publication,
    published_story,
    read_credits_and_tags,
)
from articles.models.people import sections_in_use
from articles.models.prepared_reads import _published_story
from comments.discussion import SHOWN_FIELDS, Discussion
from comments.discussion_settings import FROM_ENVIRONMENT
from comments.models import Comment, DiscussionSettings
from core import prepared
from core.prepared import PreparedQuery
from embeds.models import Embed
from tests.factories import make_article, make_comment, make_person, make_section
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db


def fields_of(instance):
    # What was prefetched is compared apart: querysets are equal only to themselves.
    return {
        k: v for k, v in vars(instance).items() if k not in ("_state", "_prefetched_objects_cache")
    }


@pytest.fixture
def video_story():
    """A video story with a section, a lead photo and a provider thumbnail."""
    embed = Embed.objects.create(url="https://video.example.org/watch/3", thumbnail=make_photo())
    return make_article(
        section=make_section(slug="harbour"),
        lead_photo=make_photo(name="lead.jpg"),
        kind=Article.Kind.VIDEO,
        video_url=embed.url,
    )


def test_the_story_row_is_the_one_the_orm_reads(video_story):
    by_orm = Article.objects.published().for_story_page().get(slug=video_story.slug)
    prepared_row = published_story(video_story.slug)

    assert fields_of(prepared_row) == fields_of(by_orm)
    assert isinstance(prepared_row.published_at, datetime.datetime)  # converted on SQLite
    assert prepared_row.lead_photo_stored == by_orm.lead_photo_stored
    assert prepared_row.has_corrections is False
    for related_name in ("section", "lead_photo", "media_embed"):
        assert fields_of(getattr(prepared_row, related_name)) == fields_of(
            getattr(by_orm, related_name)
        )
    assert fields_of(prepared_row.media_embed.thumbnail) == fields_of(by_orm.media_embed.thumbnail)


def test_a_plain_story_has_no_related_objects_made_up():
    story = make_article()
    row = published_story(story.slug)
    assert (row.pk, row.section, row.lead_photo, row.media_embed) == (story.pk, None, None, None)


def test_the_clock_is_a_parameter_read_at_each_call(clock):
    story = make_article(published_at=timezone.now() + timedelta(minutes=10))
    assert published_story(story.slug) is None
    assert published_story("no-such-story") is None
    clock(minutes=11)
    assert published_story(story.slug).pk == story.pk


def test_the_sql_run_is_what_the_orm_compiles_for_the_same_values(video_story):
    now = timezone.now()
    orm = Article.objects.published(now).for_story_page().filter(slug=video_story.slug)
    assert _published_story.sql_with_params(slug=video_story.slug, now=now) == (
        orm.query.sql_with_params()[0],
        list(orm.query.sql_with_params()[1]),
    )
    pk = video_story.pk
    values = {"pk": pk, "low": pk - 10, "high": pk + 10, "now": now}
    ranking = related._ranking_queryset(**values, count=12)
    sql, params = ranking.query.sql_with_params()
    assert related._ranking(12).sql_with_params(**values) == (sql, list(params))


def test_the_ranking_orders_picks_then_shared_tags_then_date():
    story = make_article(tags=["harbour", "ferries", "tides"])
    hour = timedelta(hours=1)
    older = make_article(tags=["harbour", "ferries"], published_at=timezone.now() - 3 * hour)
    newer = make_article(tags=["harbour"], published_at=timezone.now() - 2 * hour)
    same = make_article(tags=["harbour"], published_at=timezone.now() - 4 * hour)
    pick = make_article(tags=["weather"])
    make_article(tags=["harbour"], status=Article.Status.DRAFT)
    RelatedLink.objects.create(from_article=story, to_article=pick, position=0)

    ranked = related.rank_related(story, 10)
    assert [s.pk for s in ranked] == [pick.pk, older.pk, newer.pk, same.pk]
    assert [(s.pick, s.shared_tags) for s in ranked] == [(0, 0), (None, 2), (None, 1), (None, 1)]
    assert related.rank_related(story, 2) == ranked[:2]  # one compiled query per count


def test_the_read_goes_where_the_router_sends_it(monkeypatch):
    story = make_article()
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert published_story(story.slug).pk == story.pk
    assert set(asked) == {Article, Credit, Tag}  # the story, its credits, its tags


# What cannot be prepared says so when compiled.


def test_a_value_the_query_does_not_compare_as_given_is_refused():
    query = PreparedQuery(lambda pk: Article.objects.filter(pk=pk + 1), pk=int)
    with pytest.raises(ImproperlyConfigured, match="'pk' does not reach its SQL"):
        query(pk=1)


def test_a_value_that_changes_the_sql_is_refused():
    query = PreparedQuery(lambda n: Article.objects.all()[: 10**16 + n], n=int)
    with pytest.raises(ImproperlyConfigured, match="SQL of a PreparedQuery changed"):
        query(n=3)


def test_a_prefetch_or_values_query_is_refused():
    prefetching = PreparedQuery(
        lambda pk: Article.objects.filter(pk=pk).prefetch_related("tags"), pk=int
    )
    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        prefetching(pk=1)
    values = PreparedQuery(lambda pk: Article.objects.filter(pk=pk).values("pk"), pk=int)
    with pytest.raises(ImproperlyConfigured, match="not values"):
        values(pk=1)


def test_only_ints_strings_and_datetimes_are_values():
    with pytest.raises(ImproperlyConfigured, match="must be int, str or datetime"):
        PreparedQuery(lambda tags: Article.objects.filter(tags__in=tags), tags=list)


def test_the_stand_ins_are_unlike_each_other():
    query = PreparedQuery(lambda a, b: None, a=int, b=int)
    first, second = query.stand_ins(1), query.stand_ins(2)
    assert len({*first.values(), *second.values()}) == 4
    assert set(prepared._STAND_INS) == {int, str, datetime.datetime}


def test_credits_and_tags_are_read_as_their_prefetch_would(django_assert_num_queries):
    story = make_article(tags=["harbour", "ferries"])
    for position, slug in enumerate(["ana", "ben"]):
        Credit.objects.create(article=story, person=make_person(slug=slug), position=position)
    by_orm = Article.objects.prefetch_related("credits__person", "tags").get(pk=story.pk)

    with django_assert_num_queries(2):
        read_credits_and_tags(story)
    with django_assert_num_queries(0):
        credits, tags = list(story.credits.all()), list(story.tags.all())
        assert [c.person.slug for c in credits] == ["ana", "ben"]
    assert credits == list(by_orm.credits.all())
    assert sorted(tags, key=str) == sorted(by_orm.tags.all(), key=str)
    with django_assert_num_queries(1):  # a narrower question still asks the database
        assert list(story.credits.filter(position=1).values_list("person__slug", flat=True)) == [
            "ben"
        ]


def test_the_sections_in_use_follow_the_clock(clock):
    harbour, later = make_section(slug="harbour", position=2), make_section(slug="later")
    make_section(slug="empty")
    make_article(section=harbour)
    make_article(section=later, published_at=timezone.now() + timedelta(minutes=5))
    assert sections_in_use() == [harbour]
    clock(minutes=6)
    assert sections_in_use() == [later, harbour]  # menu order: position, then name


def test_the_comments_shown_are_the_public_ones_with_their_shown_fields_only(rf):
    story = make_article()
    first, reply = make_comment(story), None
    reply = make_comment(story, parent=first)
    make_comment(story, status=Comment.Status.PENDING)
    make_comment(make_article())  # another story's

    shown = Discussion(story, rf.get("/")).shown
    assert [c.pk for c in shown] == [first.pk, reply.pk]
    assert shown[1].parent_id == first.pk
    assert "author_email" in shown[0].get_deferred_fields()
    assert set(SHOWN_FIELDS).isdisjoint(shown[0].get_deferred_fields())


def test_the_next_scheduled_publication_is_the_earliest_still_ahead(clock):
    now = clock.freeze()
    assert next_scheduled_publication() is None
    make_article(published_at=now + timedelta(hours=1), status=Article.Status.DRAFT)
    soon = make_article(published_at=now + timedelta(minutes=10))
    later = make_article(published_at=now + timedelta(minutes=30))
    assert next_scheduled_publication() == soon.published_at
    clock(minutes=11)
    assert next_scheduled_publication() == later.published_at


def test_the_saved_discussion_settings_are_read_as_values_would():
    assert DiscussionSettings.saved_values() is None
    chosen = DiscussionSettings.from_environment()
    chosen.max_depth = 3
    chosen.save()
    values = DiscussionSettings.objects.values(*FROM_ENVIRONMENT).get()
    assert DiscussionSettings.saved_values() == values
    assert values["max_depth"] == 3
