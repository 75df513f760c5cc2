"""The newsroom end to end in a real browser (Debian's Chromium through Playwright).

On the demo content (``seed_demo``) and a live server, under the site's
Content-Security-Policy: a reader reads the reference story, replies to a
comment and is told it awaits moderation; a moderator approves the reply in the
admin; the reader reloads and sees it in the thread; an editor writes a story
with the rich-text editor, publishes it and finds it on the front page. Each
step must go without a script error, a console error, a CSP violation or a
failed request (tests/conftest.py), and leaves a screenshot in
test-artifacts/browser/.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from articles.related import related_articles
from comments.models import Comment
from demo.management.commands.seed_demo import REFERENCE_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a long browser-test password"
CREDIT = "Olivia Wang contributed reporting from Hong Kong."


@pytest.fixture
def demo(settings, newsroom_roles):
    # The reply is typed within seconds, faster than COMMENT_MIN_SECONDS lets a person.
    settings.COMMENT_MIN_SECONDS = 0
    call_command("seed_demo", stdout=io.StringIO())
    for user in get_user_model().objects.filter(username__in=["editor", "moderator"]):
        user.set_password(PASSWORD)
        user.save()
    return Article.objects.get(slug=REFERENCE_SLUG)


def log_in(page, username, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_read_reply_moderate_and_publish(open_tab, screenshot, demo):
    story = demo
    parent = Comment.objects.get(article=story, author_name="Sam Okafor")
    related = [a.headline for a in related_articles(story)]
    assert len(related) >= 3  # the reference page's Related Posts

    # A reader opens the front page, then the reference story.
    reader = open_tab()
    reader.goto("/")
    story_link = reader.get_by_role("link", name=story.headline, exact=True).first
    expect(story_link).to_be_visible()
    screenshot(reader, "front-page")

    story_link.click()
    reader.wait_for_url(f"**{story.get_absolute_url()}")
    assert reader.locator("h1.headline").inner_text() == story.headline
    expect(reader.get_by_text(CREDIT, exact=True)).to_be_visible()
    assert reader.locator("#related-heading").inner_text() == "Related Posts"
    shown = reader.locator(".related .card-title a").all_inner_texts()
    assert [re.sub(r"^Video\s+", "", title) for title in shown] == related
    screenshot(reader, "reference-story")

    # They reply to a comment and are told it awaits moderation.
    reader.click(f"#comment-{parent.pk} .comment-reply-link")
    assert reader.inner_text("#reply-title").startswith("Leave a Reply to Sam Okafor")
    reader.fill("#id_body", "Seoul's answer is in the last paragraphs, as Priya says.")
    reader.fill("#id_author_name", "Dana Reyes")
    reader.fill("#id_author_email", "dana@example.com")
    reader.click("#commentform button[type=submit]")
    reader.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(author_email="dana@example.com")
    assert reply.parent == parent and reply.status == Comment.Status.PENDING
    held = reader.locator(f"#comment-{parent.pk} .children #comment-{reply.pk}")
    assert "Your comment is awaiting moderation." in held.inner_text()
    screenshot(reader, "reply-awaiting-moderation")

    # Nobody else sees it yet.
    stranger = open_tab()
    stranger.goto(story.get_absolute_url())
    assert stranger.locator(f"#comment-{reply.pk}").count() == 0

    # A moderator logs in, finds it in the queue and approves it.
    moderator = open_tab()
    log_in(moderator, "moderator", "/admin/comments/comment/")
    row = moderator.locator("#result_list tr", has_text="Seoul's answer is in the last")
    row.locator("input[name=_selected_action]").check()
    moderator.select_option("select[name=action]", "approve")
    moderator.click("button[name=index]")
    expect(moderator.locator(".messagelist")).to_have_text("1 comment was approved.")
    screenshot(moderator, "moderator-approves")
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED

    # The reader reloads: the reply sits under its parent, no longer held.
    reader.reload()
    published = reader.locator(f"#comment-{parent.pk} > .children > #comment-{reply.pk}")
    assert "Seoul's answer is in the last paragraphs" in published.inner_text()
    assert "awaiting moderation" not in published.inner_text()
    screenshot(reader, "reply-in-the-thread")
    # And so does everyone else, cached page or not.
    stranger.reload()
    assert stranger.locator(f"#comment-{parent.pk} > .children > #comment-{reply.pk}").count() == 1

    # An editor writes a story with the rich-text editor and publishes it.
    editor = open_tab()
    log_in(editor, "editor", "/admin/articles/article/add/")
    headline = "Harbour cranes fall silent as the port strike enters its third day"
    editor.fill("#id_headline", headline)
    editor.locator("#id_headline").blur()
    assert editor.input_value("#id_slug").startswith("harbour-cranes-fall-silent")
    body = editor.locator(".ql-editor")
    body.click()
    editor.keyboard.type("Dockworkers walked out on Monday. ")
    editor.click(".ql-toolbar button.ql-bold")
    editor.keyboard.type("No ship has been unloaded since.")
    editor.click(".ql-toolbar button.ql-bold")
    editor.keyboard.press("Enter")
    editor.keyboard.type("Talks resume on Thursday.")
    assert "<strong>No ship has been unloaded since.</strong>" in editor.input_value("#id_body")
    editor.select_option("#id_status", Article.Status.PUBLISHED)
    screenshot(editor, "editor-writes")
    editor.click("input[name=_save]")
    editor.wait_for_url("**/admin/articles/article/")
    written = Article.objects.get(headline=headline)
    assert written.is_published
    assert "<strong>No ship has been unloaded since.</strong>" in written.body

    # It leads the front page, under the pinned reference story, and reads as written.
    reader.goto("/")
    titles = reader.locator(".card-title a").all_inner_texts()
    assert titles[:2] == [story.headline, headline]
    screenshot(reader, "story-on-front-page")
    reader.click(f"text={headline}")
    reader.wait_for_url(f"**{written.get_absolute_url()}")
    assert reader.locator(".story-body strong").inner_text() == "No ship has been unloaded since."
    assert "Talks resume on Thursday." in reader.locator(".story-body").inner_text()
    screenshot(reader, "new-story")
