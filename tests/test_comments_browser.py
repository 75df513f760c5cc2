"""comments.js in a real browser (Debian's Chromium through Playwright), under the site's CSP."""

import json
from urllib.parse import quote

import pytest

from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(open_tab):
    """A watched tab (no script error, no CSP violation: tests/conftest.py) with comments.js."""
    page = open_tab()
    scripts = []
    page.on("response", lambda r: scripts.append(r.status) if "comments.js" in r.url else None)
    yield page
    assert scripts and set(scripts) == {200}


def test_reply_moves_the_form_under_the_comment_and_cancel_brings_it_back(page):
    article = make_article()
    parent = make_comment(article, author_name="Cleo", body="Is the bridge open?")
    page.goto(article.get_absolute_url())

    page.click(f"#comment-{parent.pk} .comment-reply-link")
    assert page.locator(f"#comment-{parent.pk} #commentform").count() == 1
    assert page.input_value("#id_parent") == str(parent.pk)
    assert page.inner_text("#reply-title").startswith("Leave a Reply to Cleo")
    assert page.evaluate("document.activeElement.id") == "id_body"

    page.click("#cancel-comment-reply-link")
    assert page.locator(f"#comment-{parent.pk} #commentform").count() == 0
    assert page.input_value("#id_parent") == ""
    assert page.inner_text("#reply-title").startswith("Leave a Reply")
    assert "Cleo" not in page.inner_text("#reply-title")


def test_a_reply_posted_with_the_browser_lands_on_the_comment(page, settings):
    settings.COMMENT_MIN_SECONDS = 0
    article = make_article()
    parent = make_comment(article, author_name="Cleo")
    page.goto(article.get_absolute_url())
    page.click(f"#comment-{parent.pk} .comment-reply-link")
    page.fill("#id_body", "It reopened this morning.")
    page.fill("#id_author_name", "Dev")
    page.fill("#id_author_email", "dev@example.com")
    page.check("#id_remember")
    page.click("#commentform button[type=submit]")
    page.wait_for_load_state()

    reply = Comment.objects.get(body="It reopened this morning.")
    assert reply.parent_id == parent.pk and reply.status == Comment.Status.PENDING
    assert page.url.endswith(f"#comment-{reply.pk}")
    held = page.locator(f"#comment-{parent.pk} .children #comment-{reply.pk}")
    assert "Your comment is awaiting moderation." in held.inner_text()

    # Next time, the form is filled in from what the commenter agreed to keep.
    page.goto(article.get_absolute_url())
    assert page.input_value("#id_author_name") == "Dev"
    assert page.input_value("#id_author_email") == "dev@example.com"
    assert page.is_checked("#id_remember")


def test_remembered_details_fill_an_empty_form_only(page, live_server):
    article = make_article()
    details = quote(json.dumps({"name": "Zoë", "email": "z@example.com", "url": ""}), safe="")
    page.context.add_cookies([{"name": "comment_author", "value": details, "url": live_server.url}])
    page.goto(article.get_absolute_url())
    assert page.input_value("#id_author_name") == "Zoë"
    assert page.input_value("#id_author_email") == "z@example.com"
    assert page.input_value("#id_author_url") == ""
