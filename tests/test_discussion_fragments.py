"""The kept parts of a story's comment section (comments.discussion): the page of
threads and the blank form are rendered once, and whatever changes them shows at once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from comments import actions, display
from comments.models import Comment
from tests.factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The page cache would answer first: these tests are about the parts kept under it."""
    settings.PAGE_CACHE_ENABLED = False
    settings.COMMENT_RATE_LIMIT = 0
    settings.COMMENT_MIN_SECONDS = 0


def section_of(response):
    start = '<section class="comments"'
    return start + response.text.split(start, 1)[1].split("</section>", 1)[0]


def render_discussion(article, path=""):
    """The comment section alone, as the story page renders it."""
    request = RequestFactory().get(f"{article.get_absolute_url()}{path}")
    template = Template("{% load discussion %}{% discussion article %}")
    return template.render(Context({"article": article, "request": request}))


def test_an_approved_comment_shows_at_once(client, on_commit, clock):
    with on_commit():
        article = make_article()
        held = make_comment(article, body="Waiting for a moderator", status=Comment.Status.PENDING)
    clock(seconds=5)  # past the doubt around a change (PAGE_CACHE_MARGIN): kept parts are trusted
    url = article.get_absolute_url()
    assert "Waiting for a moderator" not in section_of(client.get(url))  # kept from here
    with on_commit():
        actions.approve(held)
    shown = section_of(client.get(url))
    assert "Waiting for a moderator" in shown and f'id="comment-{held.pk}"' in shown


def test_a_deleted_comment_goes_at_once(client, on_commit, clock):
    with on_commit():
        article = make_article()
        comment = make_comment(article, body="Soon gone")
    clock(seconds=5)
    url = article.get_absolute_url()
    assert "Soon gone" in section_of(client.get(url))
    with on_commit():
        comment.delete()
    assert "Soon gone" not in section_of(client.get(url))


def test_a_closed_discussion_loses_its_reply_links_and_form_at_once(client, on_commit, clock):
    with on_commit():
        article = make_article()
        comment = make_comment(article)
    clock(seconds=5)
    url = article.get_absolute_url()
    open_section = section_of(client.get(url))
    assert f"?replytocom={comment.pk}#respond" in open_section
    assert '<form id="commentform"' in open_section
    with on_commit():
        article.comments_open = False
        article.save()
    closed = section_of(client.get(url))
    assert f'id="comment-{comment.pk}"' in closed
    assert "replytocom" not in closed and '<form id="commentform"' not in closed
    assert "Comments are closed." in closed


def test_a_discussion_closing_by_age_loses_its_form_when_it_closes(client, clock, settings):
    settings.COMMENT_CLOSE_AFTER_DAYS = 3
    clock.freeze()
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    make_comment(article)
    url = article.get_absolute_url()
    assert '<form id="commentform"' in section_of(client.get(url))
    clock(days=1, seconds=1)
    closed = section_of(client.get(url))
    assert "Comments are closed." in closed and "replytocom" not in closed


def test_a_readers_own_held_comment_shows_to_them_at_once_and_to_nobody_else(
    client, django_capture_on_commit_callbacks, clock
):
    article = make_article()
    make_comment(article, body="Public")
    clock(seconds=5)
    url = article.get_absolute_url()
    assert "Public" in section_of(client.get(url))  # the page of threads is kept
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/post/{article.pk}/", comment_form_data(article, body="Mine"))
    assert Comment.objects.get(body="Mine").is_held
    mine = client.get(url)
    assert "Mine" in section_of(mine) and "Your comment is awaiting moderation." in mine.text
    assert "no-store" in mine["Cache-Control"]
    client.cookies.clear()
    theirs = section_of(client.get(url))
    assert "Public" in theirs and "Mine" not in theirs


def test_a_kept_discussion_runs_no_query(django_assert_num_queries, on_commit, clock):
    with on_commit():
        article = make_article()
        top = make_comment(article)
        make_comment(article, parent=top)
    clock(seconds=5)  # past the doubt around a change (PAGE_CACHE_MARGIN)
    first = render_discussion(article)
    with django_assert_num_queries(0):
        assert render_discussion(article) == first


def test_a_page_past_the_last_is_kept_as_the_last_page(
    settings, django_assert_num_queries, on_commit, clock
):
    settings.COMMENTS_PER_PAGE = 2
    with on_commit():
        article = make_article()
        threads = [make_comment(article) for _ in range(5)]  # pages of 2, 2 and 1
    clock(seconds=5)
    last = render_discussion(article, "?cpage=3")
    assert f'id="comment-{threads[4].pk}"' in last and "Comments page 3 of 3" in last
    with django_assert_num_queries(0):  # the page shown is kept, whatever number was asked
        assert render_discussion(article, "?cpage=99") == last
    assert f'id="comment-{threads[0].pk}"' in render_discussion(article, "?cpage=1")


def test_the_reply_form_of_replytocom_is_not_the_kept_blank_form(on_commit):
    with on_commit():
        article = make_article()
        cleo = make_comment(article, author_name="Cleo")
    render_discussion(article)  # the blank form is kept
    reply = render_discussion(article, f"?replytocom={cleo.pk}")
    assert '<span class="reply-to-name"> to Cleo</span>' in reply
    assert f'name="parent" value="{cleo.pk}"' in reply
    assert '<span class="reply-to-name"></span>' in render_discussion(article)


def test_comment_markup_says_each_name_once_and_whom_reply_answers(client, on_commit):
    """The fixture story's shape (bench/story_fixture.py): threads and replies. A comment
    names its author once to see and once as its Reply link's accessible name; no data
    attribute repeats it, nor the id the comment carries already, and nothing is indented."""
    with on_commit():
        article = make_article()
        for number in range(6):
            top = make_comment(article, author_name=f"Writer {number}")
            make_comment(article, parent=top, author_name=f"Answerer {number}")
    shown = section_of(client.get(article.get_absolute_url()))
    assert "data-" not in shown
    assert not re.search(r"^[ \t]", shown, re.M)
    for comment in Comment.objects.filter(article=article):
        name = comment.author_name
        assert shown.count(f">{name}</span>") == 1
        assert shown.count(f'aria-label="Reply to {name}"') == 1
        assert shown.count(name) == 2


@pytest.mark.parametrize(
    "hour, minute, microsecond",
    [(0, 0, 0), (6, 35, 0), (11, 59, 0), (12, 0, 0), (13, 5, 0), (23, 59, 0), (9, 7, 123456)],
)
def test_comment_times_read_as_the_date_filter_writes_them(hour, minute, microsecond):
    # In UTC, so that the site's time zone (New York) moves some across midnight.
    moment = datetime(2024, 6, 20, hour, minute, 0, microsecond, tzinfo=UTC)
    as_filtered = Template(r'{{ moment|date:"c" }}|{{ moment|date:"F j, Y \a\t g:i a" }}')
    expected = tuple(as_filtered.render(Context({"moment": moment})).split("|"))
    assert display.TimeShown()(moment) == expected
