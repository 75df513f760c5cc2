"""Posting through the story page's form: what moderation makes of a comment, and the
cookies the answer sets."""

import json
from urllib.parse import unquote

import pytest
from django.urls import reverse

from comments import actions, cookies
from comments.models import Comment
from tests.factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Tests post many comments from one address; the rate limit tests turn it back on."""
    settings.COMMENT_RATE_LIMIT = 0


def approved_first_comment(post, article, email):
    """A first comment from ``email``, posted through the form and approved: its
    browser now holds the trust cookie."""
    post(article, author_email=email, body="First")
    Comment.objects.update(status=Comment.Status.APPROVED)


class TestModerationThroughTheForm:
    def test_honeypot_filled_is_spam_and_told_nothing_different(self, client, post, mailoutbox):
        article = make_article()
        response = post(article, reference="http://buy.example")
        comment = Comment.objects.get()
        assert response.status_code == 303
        assert comment.status == Comment.Status.SPAM
        assert "hidden field" in comment.held_reason
        assert mailoutbox == []  # moderators are asked about held comments, not spam

    def test_posted_too_fast_is_spam(self, post, settings, clock):
        clock.freeze()  # 1 s on the page, however long the request takes
        settings.COMMENT_MIN_SECONDS = 5
        post(make_article(), seconds_ago=1)
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.SPAM
        assert "at least 5 s" in comment.held_reason

    def test_two_links_are_held_with_the_reason(self, post):
        post(make_article(), body="See https://a.example and www.b.com")
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.held_reason == "Contains 2 links (held at 2 or more)."

    def test_moderation_word_holds_and_disallowed_word_is_spam(self, post, settings):
        settings.COMMENT_MODERATION_WORDS = ["casino"]
        settings.COMMENT_DISALLOWED_WORDS = ["viagra"]
        article = make_article()
        post(article, body="The casino vote", author_email="a@example.com")
        post(article, body="Cheap VIAGRA", author_email="b@example.com")
        held = Comment.objects.get(author_email="a@example.com")
        spam = Comment.objects.get(author_email="b@example.com")
        assert (held.status, spam.status) == (Comment.Status.PENDING, Comment.Status.SPAM)
        assert "casino" in held.held_reason and "viagra" in spam.held_reason

    def test_trusted_commenter_is_approved_but_an_impostor_is_not(
        self, client, post, django_capture_on_commit_callbacks
    ):
        article = make_article()
        post(article, author_name="Kim", author_email="kim@example.com", body="First")
        first = Comment.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            actions.moderate(Comment.objects.filter(pk=first.pk), Comment.Status.APPROVED)

        response = post(article, author_name="Kim", author_email="KIM@example.com", body="Again")
        again = Comment.objects.get(body="Again")
        assert again.status == Comment.Status.APPROVED and again.held_reason == ""
        assert response["Location"] == f"{article.get_absolute_url()}#comment-{again.pk}"
        assert "Again" in client.get(response["Location"]).text

        # Someone else, knowing Kim's name and address, without Kim's browser:
        client.cookies.clear()
        post(article, author_name="Kim", author_email="kim@example.com", body="Impostor")
        assert Comment.objects.get(body="Impostor").status == Comment.Status.PENDING

    def test_trust_is_for_the_same_email_only(self, client, post):
        article = make_article()
        approved_first_comment(post, article, "one@example.com")
        post(article, author_email="two@example.com", body="Second")
        assert Comment.objects.get(body="Second").status == Comment.Status.PENDING

    def test_trusted_commenter_with_links_is_still_held(self, client, post):
        article = make_article()
        approved_first_comment(post, article, "t@example.com")
        post(article, author_email="t@example.com", body="https://a.example https://b.example")
        assert Comment.objects.get(body__startswith="https").status == Comment.Status.PENDING

    def test_duplicate_is_refused_and_stored_once(self, client, post):
        article = make_article()
        data = comment_form_data(article, body="Same words")
        assert post(article, data).status_code == 303
        again = post(article, {**data, "body": "  Same   words "})
        assert again.status_code == 409
        assert "it looks as though you’ve already said that" in again.text
        client.cookies.clear()  # same address, another browser: still the same IP
        assert post(article, {**data, "author_email": "other@example.com"}).status_code == 409
        assert Comment.objects.count() == 1

    def test_same_text_from_someone_else_is_not_a_duplicate(self, post):
        article = make_article()
        make_comment(article, body="+1", author_email="x@example.com", ip_address="192.0.2.7")
        assert post(article, body="+1", author_email="y@example.com").status_code == 303

    def test_rate_limit_answers_429_and_stores_nothing(self, post, settings, clock):
        clock.freeze()  # the three posts fall in one window, never across two
        settings.COMMENT_RATE_LIMIT = 2
        settings.COMMENT_RATE_WINDOW = 60
        article = make_article()
        assert post(article).status_code == 303
        assert post(article).status_code == 303
        refused = post(article, body="Third, kept in the form")
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert "You are posting comments too quickly" in refused.text
        assert "Third, kept in the form" in refused.text
        assert Comment.objects.count() == 2

    def test_the_limit_is_per_address_and_per_ipv6_block(
        self, client, settings, django_capture_on_commit_callbacks, clock
    ):
        clock.freeze()  # every post falls in one window, never across two
        settings.COMMENT_RATE_LIMIT = 1
        article = make_article()
        url = reverse("comments:post", args=[article.pk])

        def status(address):
            data = comment_form_data(article)
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(url, data, REMOTE_ADDR=address).status_code

        assert status("198.51.100.1") == 303
        assert status("198.51.100.1") == 429
        assert status("198.51.100.2") == 303
        assert status("2001:db8:0:1::a") == 303
        assert status("2001:db8:0:1::b") == 429  # same household /64
        assert status("2001:db8:0:2::a") == 303

    def test_the_form_token_and_the_rate_limit_keep_the_sites_clock(self, post, settings, clock):
        """Both read Django's clock (the one the ``clock`` fixture moves): time passes
        for them as the test says, not as the machine happens to run."""
        settings.COMMENT_RATE_LIMIT = 1
        settings.COMMENT_RATE_WINDOW = 60
        settings.COMMENT_MIN_SECONDS = 5
        clock.freeze()
        article = make_article()
        data = comment_form_data(article, seconds_ago=0, body="Typed at once")
        clock(seconds=10)  # ten seconds on the page
        assert post(article, data).status_code == 303
        assert Comment.objects.get().status != Comment.Status.SPAM
        assert post(article, body="A second, too soon").status_code == 429
        clock(seconds=60)  # the next window
        assert post(article, body="A second, later").status_code == 303


class TestCookies:
    def test_consent_remembers_name_email_and_website_for_the_script(self, client, post):
        article = make_article()
        response = post(
            article,
            author_name="Zoë",
            author_email="zoe@example.com",
            author_url="https://zoe.example",
            remember="on",
        )
        cookie = response.cookies[cookies.REMEMBER_NAME]
        assert json.loads(unquote(cookie.value)) == {
            "name": "Zoë",
            "email": "zoe@example.com",
            "url": "https://zoe.example",
        }
        assert not cookie["httponly"] and cookie["samesite"] == "Lax"
        # The page never contains them: it is the same for everyone, cached or not.
        assert "zoe@example.com" not in client.get(article.get_absolute_url()).text

    def test_without_consent_nothing_is_remembered_and_old_details_are_forgotten(
        self, client, post
    ):
        article = make_article()
        assert cookies.REMEMBER_NAME not in post(article).cookies
        client.cookies[cookies.REMEMBER_NAME] = "old"
        response = post(article)
        assert response.cookies[cookies.REMEMBER_NAME].value == ""
        assert response.cookies[cookies.REMEMBER_NAME]["max-age"] == 0

    def test_the_trust_and_pending_cookies_are_signed_and_httponly(self, post):
        response = post(make_article())
        for name in (cookies.TRUST.name, cookies.PENDING.name):
            assert response.cookies[name]["httponly"]
            assert ":" in response.cookies[name].value  # value:timestamp:signature
