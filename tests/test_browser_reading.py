"""Bodies rendered, not raw, in a real browser (Debian's Chromium through Playwright).

A writer writes a story with a heading and bold words in the rich-text editor and
submits it for review: their now read-only story reads as formatted text. An editor
changes one word and compares the two revisions: the old word struck, the new one
marked, the rest plain text. No script error, console error or CSP violation on the
way (tests/conftest.py's ``open_tab``); screenshots in test-artifacts/browser/.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a long browser-test password"
HEADLINE = "Council votes for night buses"


def staff(role, username):
    user = make_staff(role, username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, username, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_a_submitted_story_reads_formatted_and_its_revisions_compare_by_word(
    open_tab, screenshot, newsroom_roles
):
    staff("Writers", "wendy")
    staff("Editors", "ed")

    # A writer writes a heading and a bold phrase, and submits the story for review.
    writer = open_tab()
    log_in(writer, "wendy", reverse("admin:articles_article_add"))
    writer.fill("#id_headline", HEADLINE)
    writer.locator(".ql-editor").click()
    writer.click(".ql-toolbar .ql-header .ql-picker-label")
    writer.click('.ql-toolbar .ql-header .ql-picker-item[data-value="2"]')
    writer.keyboard.type("What the council decided")
    writer.keyboard.press("Enter")
    writer.keyboard.type("The vote was ")
    writer.click(".ql-toolbar button.ql-bold")
    writer.keyboard.type("seven to two")
    writer.click(".ql-toolbar button.ql-bold")
    writer.keyboard.type(" after a long night.")
    writer.select_option("#id_status", Article.Status.REVIEW)
    writer.click("input[name=_save]")
    writer.wait_for_load_state()
    story = Article.objects.get(headline=HEADLINE)
    assert story.status == Article.Status.REVIEW

    # Their story, read-only now, reads as formatted text, not as HTML source.
    change = reverse("admin:articles_article_change", args=[story.pk])
    writer.goto(change)
    body = writer.locator(".story-text").first
    expect(body.locator("h2")).to_have_text("What the council decided")
    expect(body.locator("strong")).to_have_text("seven to two")
    assert "<p>" not in writer.locator("#content-main").inner_text()
    assert writer.locator("textarea[name=body]").count() == 0
    screenshot(writer, "writer-reads-submitted-story")

    # An editor changes one word in the HTML and saves.
    editor = open_tab()
    log_in(editor, "ed", change)
    editor.click(".rich-text-toggle")  # "Edit HTML"
    html = editor.input_value("#id_body")
    assert "<strong>seven to two</strong>" in html
    editor.fill("#id_body", html.replace("seven to two", "eight to one"))
    editor.click("input[name=_save]")
    editor.wait_for_url("**/admin/articles/article/")

    # The history compares the two revisions, word by word.
    editor.goto(reverse("admin:articles_article_history", args=[story.pk]))
    editor.click("text=Compare the two selected revisions")
    editor.wait_for_url("**/history/compare/**")
    diff = editor.locator(".revision-diff .diff-text")
    assert [words.strip() for words in diff.locator("del").all_inner_texts()] == ["seven", "two"]
    assert [words.strip() for words in diff.locator("ins").all_inner_texts()] == ["eight", "one"]
    expect(diff.locator(".diff-h2")).to_have_text("What the council decided")
    assert "<p>" not in diff.inner_text()
    screenshot(editor, "editor-compares-revisions")
