"""Posting comments through the story page's form, as a reader's browser does."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import cookies
from comments.forms import CommentForm, form_token
from comments.models import Comment
from tests.factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Tests post many comments from one address; the rate limit tests turn it back on."""
    settings.COMMENT_RATE_LIMIT = 0


def form_fields(html):
    """The hidden and prefilled inputs of the comment form in a rendered page."""
    form = re.search(r'<form id="commentform".*?</form>', html, re.S).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    values = dict(re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', form))
    return action, values


class TestPostingFromThePage:
    def test_the_rendered_form_posts_a_held_comment_and_the_author_sees_it(
        self, client, settings, django_capture_on_commit_callbacks
    ):
        settings.COMMENT_MIN_SECONDS = 0
        article = make_article()
        page = client.get(article.get_absolute_url())
        action, hidden = form_fields(page.text)
        assert action == f"/comments/post/{article.pk}/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                action,
                {
                    **hidden,
                    "body": "First line.\n\nSecond paragraph.",
                    "author_name": "Ada",
                    "author_email": "ada@example.com",
                    "author_url": "ada.example.org",
                },
            )
        comment = Comment.objects.get()
        assert response.status_code == 303
        assert response["Location"] == (
            f"{article.get_absolute_url()}?unapproved={comment.pk}#comment-{comment.pk}"
        )
        assert comment.status == Comment.Status.PENDING
        assert comment.held_reason.startswith("First comment from this commenter")
        assert comment.author_url == "https://ada.example.org"
        assert comment.ip_address == "127.0.0.1"

        mine = client.get(response["Location"])
        assert f'id="comment-{comment.pk}"' in mine.text
        assert "Your comment is awaiting moderation." in mine.text
        assert "<p>First line.</p>\n\n<p>Second paragraph.</p>" in mine.text
        assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
        assert "0 Comments" in mine.text  # held comments are not counted

    def test_nobody_else_sees_a_held_comment_even_with_its_link(self, client, post):
        article = make_article()
        response = post(article, body="Mine alone")
        location = response["Location"]
        client.cookies.clear()
        theirs = client.get(location)
        assert theirs.status_code == 200
        assert "Mine alone" not in theirs.text
        assert "awaiting moderation" not in theirs.text
        assert "private" not in theirs.get("Cache-Control", "")

    def test_each_of_the_authors_held_comments_is_shown_to_them(self, client, post):
        article = make_article()
        post(article, body="My first")
        post(article, body="My second")
        html = client.get(article.get_absolute_url()).text
        assert "My first" in html and "My second" in html
        assert html.count("Your comment is awaiting moderation.") == 2

    def test_a_forged_pending_cookie_shows_nothing(self, client, post):
        article = make_article()
        held = make_comment(article, body="Someone else's secret", status=Comment.Status.PENDING)
        client.cookies[cookies.PENDING.name] = str(held.pk)
        assert "Someone else's secret" not in client.get(article.get_absolute_url()).text

    def test_approved_comments_show_with_link_time_and_count(
        self, client, django_capture_on_commit_callbacks
    ):
        article = make_article()
        with django_capture_on_commit_callbacks(execute=True):
            comment = make_comment(
                article, author_name="Bo", author_url="https://bo.example", body="Nice"
            )
        html = client.get(article.get_absolute_url()).text
        assert '<a href="https://bo.example" rel="external nofollow ugc noopener">Bo</a>' in html
        assert f'<a class="comment-permalink" href="#comment-{comment.pk}"><time datetime=' in html
        assert "1 Comment" in html and comment.author_email not in html


class TestReplies:
    def test_reply_nests_under_its_parent(self, client, post, settings):
        settings.COMMENT_MODERATION_LINKS = 0
        article = make_article()
        parent = make_comment(article, body="Top")
        response = post(article, parent=parent.pk, body="Answer")
        reply = Comment.objects.get(body="Answer")
        assert response.status_code == 303 and reply.parent == parent
        html = client.get(response["Location"]).text
        assert html.index(f'id="comment-{parent.pk}"') < html.index('<ol class="children">')
        assert html.index('<ol class="children">') < html.index(f'id="comment-{reply.pk}"')

    def test_reply_link_works_without_javascript(self, client):
        article = make_article()
        parent = make_comment(article, author_name="Cleo")
        html = client.get(f"{article.get_absolute_url()}?replytocom={parent.pk}").text
        assert 'Leave a Reply<span class="reply-to-name"> to Cleo</span>' in html
        assert f'<input type="hidden" name="parent" value="{parent.pk}"' in html
        assert 'id="cancel-comment-reply-link" href=' in html and "hidden>Cancel" not in html

    def test_reply_links_stop_at_the_maximum_depth(self, client, settings):
        settings.COMMENT_MAX_DEPTH = 2
        article = make_article()
        top = make_comment(article)
        deep = make_comment(article, parent=top)
        html = client.get(article.get_absolute_url()).text
        assert f'href="?replytocom={top.pk}#respond"' in html
        assert f'href="?replytocom={deep.pk}#respond"' not in html

    @pytest.mark.parametrize("problem", ["pending", "spam", "other story", "missing", "junk"])
    def test_reply_to_a_comment_readers_cannot_see_is_refused(self, post, problem):
        article = make_article()
        if problem in ("pending", "spam"):
            parent = make_comment(article, status=problem).pk
        elif problem == "other story":
            parent = make_comment(make_article()).pk
        else:
            parent = {"missing": 987654, "junk": "x1"}[problem]
        response = post(article, parent=parent)
        assert response.status_code == 400
        assert "The comment you are replying to does not exist" in response.text
        assert Comment.objects.filter(article=article, parent__isnull=False).count() == 0


BAD_INPUT = {
    "missing comment": ({"body": ""}, "Please write your comment."),
    "blank comment": ({"body": "   \n  "}, "Please write your comment."),
    "overlong comment": ({"body": "x" * 5001}, "at most 5000 characters (it has 5001)"),
    "missing name": ({"author_name": ""}, "Please give your name"),
    "overlong name": ({"author_name": "n" * 101}, "at most 100 characters"),
    "name with a line break": ({"author_name": "Eve\nBcc: x@y.z"}, "cannot contain line breaks"),
    "missing email": ({"author_email": ""}, "Please give your email address."),
    "malformed email": ({"author_email": "not-an-address"}, "Enter an email address like"),
    "overlong email": ({"author_email": f"{'a' * 250}@example.com"}, "at most 254 characters"),
    "javascript website": ({"author_url": "javascript:alert(1)"}, "starting with http://"),
    "ftp website": ({"author_url": "ftp://files.example.com"}, "starting with http://"),
    "overlong website": ({"author_url": f"https://e.com/{'p' * 300}"}, "at most 300 characters"),
    "NUL character": ({"body": "hi\x00there"}, "Null characters are not allowed."),
    "missing form token": ({"token": ""}, "did not come from the story page"),
    "altered form token": ({"token": "eyJhcnRpY2xlIjoxfQ:forged:sig"}, "This form was changed"),
}


class TestBadInput:
    @pytest.mark.parametrize("fields, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
    def test_gets_the_form_back_with_the_message_and_stores_nothing(self, post, fields, message):
        article = make_article()
        response = post(article, **fields)
        assert response.status_code == 400
        assert message in response.text.replace("&#x27;", "'")
        assert '<form id="commentform"' in response.text
        assert Comment.objects.count() == 0

    def test_what_was_typed_comes_back_in_the_form(self, post):
        response = post(make_article(), body="Keep <this> text", author_email="bad")
        assert "Keep &lt;this&gt; text</textarea>" in response.text
        assert 'value="bad"' in response.text

    def test_a_token_from_another_story_is_refused(self, post):
        article, other = make_article(), make_article()
        data = comment_form_data(article, token=form_token(other))
        assert post(article, data).status_code == 400
        assert not Comment.objects.exists()

    def test_closed_story_refuses_with_403(self, post):
        article = make_article(comments_open=False)
        response = post(article, body="Too late")
        assert response.status_code == 403
        assert "Comments are closed on this story" in response.text
        assert "Too late" in response.text  # the text is handed back, not lost
        assert not Comment.objects.exists()

    def test_comments_close_automatically_after_the_set_days(self, client, post, settings):
        settings.COMMENT_CLOSE_AFTER_DAYS = 14
        old = make_article(published_at=timezone.now() - timedelta(days=15))
        fresh = make_article(published_at=timezone.now() - timedelta(days=13))
        assert post(old).status_code == 403
        assert "Comments are closed." in client.get(old.get_absolute_url()).text
        assert post(fresh).status_code == 303

    def test_closing_is_off_by_default(self, post):
        article = make_article(published_at=timezone.now() - timedelta(days=3650))
        assert post(article).status_code == 303

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Article.Status.DRAFT},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "scheduled"],
    )
    def test_unpublished_story_is_404(self, post, fields):
        article = make_article(**fields)
        assert post(article).status_code == 404
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("article_id", [999999, 2**70])
    def test_unknown_story_is_404(self, client, article_id):
        response = client.post(f"/comments/post/{article_id}/", {"body": "x"})
        assert response.status_code == 404

    @pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
    def test_not_a_post_gets_405_and_the_form(self, client, method):
        article = make_article()
        response = getattr(client, method)(reverse("comments:post", args=[article.pk]))
        assert response.status_code == 405
        assert response["Allow"] == "POST, OPTIONS"
        if method == "get":
            assert "Comments are posted with the form below." in response.text
            assert '<form id="commentform"' in response.text
        assert not Comment.objects.exists()

    def test_no_csrf_token_is_needed(self, post):
        """Pages are cached for everyone, so the form carries no CSRF token (see the view)."""
        from django.test import Client

        article = make_article()
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            reverse("comments:post", args=[article.pk]), comment_form_data(article)
        )
        assert response.status_code == 303


class TestSafety:
    def test_script_and_html_are_shown_as_text_and_urls_linked(self, client, post):
        article = make_article()
        body = (
            '<script>alert("x")</script> <b onmouseover="x()">bold</b> '
            "javascript:alert(1) https://ok.example/page?a=1&b=2"
        )
        response = post(article, body=body)
        Comment.objects.update(status=Comment.Status.APPROVED)
        html = client.get(article.get_absolute_url()).text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<b onmouseover" not in html
        assert 'href="javascript' not in html
        assert '<a href="https://ok.example/page?a=1&amp;b=2" rel="nofollow ugc noopener">' in html
        assert response.status_code == 303

    def test_author_name_and_website_cannot_inject_markup(self, client):
        article = make_article()
        make_comment(article, author_name='"><img src=x onerror=alert(1)>', author_url="")
        html = client.get(article.get_absolute_url()).text
        assert "<img src=x" not in html
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html

    def test_email_never_appears_on_public_pages(self, client):
        article = make_article()
        make_comment(article, author_email="secret.reader@example.com", body="Hello")
        for url in [article.get_absolute_url(), "/", "/feed/"]:
            response = client.get(url)
            assert b"secret.reader" not in response.content, url


class TestLongThreads:
    def test_threads_paginate_and_the_page_stays_within_its_query_budget(
        self, client, settings, django_assert_max_num_queries
    ):
        settings.COMMENTS_PER_PAGE = 50
        article = make_article()
        roots = []
        for i in range(1000):
            comment = Comment(
                article=article,
                author_name=f"R{i}",
                author_email=f"r{i}@example.com",
                body=f"Root comment {i}",
                status=Comment.Status.APPROVED,
                created_at=timezone.now() - timedelta(minutes=3000 - i),
            )
            comment.prepare()
            roots.append(comment)
        Comment.objects.bulk_create(roots)
        roots = list(Comment.objects.order_by("created_at"))
        replies = []
        for i, root in enumerate(roots):
            reply = Comment(
                article=article,
                parent=root,
                author_name=f"A{i}",
                author_email=f"a{i}@example.com",
                body=f"Reply {i}",
                status=Comment.Status.APPROVED,
                created_at=root.created_at + timedelta(seconds=30),
            )
            reply.prepare()
            replies.append(reply)
        Comment.objects.bulk_create(replies)

        # The story page's budget is 9 queries however long the discussion: all
        # 2,000 comments come in one query (comments.discussion.Discussion), and
        # the discussion settings in another (tests/test_queries.py).
        with django_assert_max_num_queries(9):
            first = client.get(article.get_absolute_url())
        assert "Root comment 0<" in first.text and "Reply 49<" in first.text
        assert "Root comment 50<" not in first.text
        assert "Comments page 1 of 20" in first.text
        assert 'href="?cpage=2#comments"' in first.text

        last = client.get(f"{article.get_absolute_url()}?cpage=20")
        assert "Root comment 999<" in last.text and "Root comment 949<" not in last.text

        late_reply = Comment.objects.get(body="Reply 975")
        assert late_reply.get_absolute_url() == (
            f"{article.get_absolute_url()}?cpage=20#comment-{late_reply.pk}"
        )


def test_a_blank_form_renders_as_django_would_and_a_sent_back_one_keeps_what_was_typed():
    story = make_article()
    blank = CommentForm(article=story)
    as_django = {
        name: forms.BoundField(blank, field, name).as_widget()
        for name, field in blank.fields.items()
    }

    for form in (blank, CommentForm(article=story)):  # the second from the kept markup
        assert {name: form[name].as_widget() for name in form.fields} == {
            **as_django,
            "token": form["token"].as_widget(),
        }
    reply = CommentForm(article=story, initial={"parent": 7})
    assert 'value="7"' in str(reply["parent"])

    sent_back = CommentForm(
        article=story, data={"body": "Hello <b>there</b>", "author_name": "Ann & Bo"}
    )
    assert "Hello &lt;b&gt;there&lt;/b&gt;</textarea>" in str(sent_back["body"])
    assert 'value="Ann &amp; Bo"' in str(sent_back["author_name"])


def test_the_story_page_shows_each_field_of_the_form_as_django_renders_it(client):
    story = make_article()
    page = client.get(story.get_absolute_url()).text
    _, hidden = form_fields(page)
    blank = CommentForm(article=story, initial={"token": hidden["token"]})
    for name, field in blank.fields.items():
        markup = forms.BoundField(blank, field, name).as_widget()
        assert page.count(markup) == 1, name
    assert hidden["token"].count(":") == 2  # a signed token (value:timestamp:signature)
