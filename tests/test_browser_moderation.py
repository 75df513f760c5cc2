"""The moderation queue in Chromium at 1366 × 900, on the demo content: readable rows,
three comments moderated with the keyboard only, a reply typed into its row.

The README's picture of the queue (docs/moderation-queue.png) is this test's first
screenshot: ``UPDATE_README_SCREENSHOTS=1 pytest tests/test_browser_moderation.py``
takes it again (otherwise it goes to test-artifacts/ like every step's).
"""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, Person
from comments.models import Comment
from demo.management.commands.seed_demo import REFERENCE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
QUEUE = "/admin/comments/comment/"
DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def queue(newsroom_roles):
    """The demo newsroom with a morning's comments waiting, from people it knows and not."""
    call_command("seed_demo", stdout=io.StringIO())
    moderator = get_user_model().objects.get(username="moderator")
    moderator.set_password(PASSWORD)
    moderator.save()
    Person.objects.filter(slug="leo-marsh").update(user=moderator)
    story = Article.objects.get(slug=REFERENCE_SLUG)
    tom = Comment.objects.get(article=story, author_email="tom@example.net")
    later = story.published_at + timedelta(hours=8)
    waiting = [
        dict(
            parent=tom,
            author_name="Margaret Liu",
            author_email="margaret@example.org",
            body="A second patron, yes, but Moscow is far away and Beijing is next door. "
            "Geography still decides who Pyongyang listens to when it matters, and the "
            "treaty does not change the map.",
            held_reason="Contains the word “treaty” (held for review).",
        ),
        dict(
            author_name="cheap-visas",
            author_email="offers@visa-deals.example",
            body="Fast visas to anywhere! https://visa-deals.example/now "
            "https://visa-deals.example/cheap",
            held_reason="Contains 2 links (held at 2 or more).",
        ),
        dict(
            author_name="nobody",
            author_email="nobody@example.com",
            body="first!!! lol",
        ),
    ]
    for minutes, fields in enumerate(waiting):  # newest first, as the queue lists them
        Comment.objects.create(
            article=story,
            status=Comment.Status.PENDING,
            created_at=later - timedelta(minutes=minutes),
            ip_address="198.51.100.7",
            **fields,
        )
    Comment.objects.create(
        article=story,
        author_name="cheap-visas",
        author_email="offers@visa-deals.example",
        body="Visas! https://visa-deals.example/",
        status=Comment.Status.SPAM,
        held_reason="Contains a disallowed word.",
        created_at=later - timedelta(days=3),
    )
    return story


def log_in(page):
    page.goto(f"/admin/login/?next={QUEUE}")
    page.fill("#id_username", "moderator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{QUEUE}")


def rows_in_order():
    """The queue's pending comments as the page lists them: newest first."""
    return list(Comment.objects.pending().order_by("-created_at", "-id"))


def test_moderate_three_comments_with_the_keyboard_and_reply(open_tab, screenshot, queue):
    page = open_tab(viewport={"width": 1366, "height": 900})
    log_in(page)
    pending = rows_in_order()
    assert len(pending) == 5
    expect(page.locator('[data-status-count="pending"]')).to_have_text("5")

    # Readable at 1366 px: no sideways scrolling, the status in view, the text in lines.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    status = page.locator(f'[data-queue-status="{pending[0].pk}"]').bounding_box()
    assert status["x"] + status["width"] <= 1366
    # Margaret's 33 words: three lines or so, never a word per line.
    lines = page.locator(f'[data-queue-entry="{pending[0].pk}"] .queue-body p').evaluate(
        "p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)"
    )
    assert lines <= 4
    first = page.locator(f'[data-queue-entry="{pending[0].pk}"]')
    expect(first).to_contain_text("From this address before: 2 approved")
    expect(first).to_contain_text("In reply to Tom Becker")

    page.keyboard.press("?")
    expect(page.locator("[data-queue-shortcuts] dl")).to_be_visible()
    page.keyboard.press("?")
    page.keyboard.press("j")
    expect(page.locator("#result_list tr.queue-selected")).to_have_count(1)
    screenshot(page, "queue")
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        page.screenshot(path=DOCS / "moderation-queue.png")

    # Approve, spam, trash: each on the next comment, by key alone.
    verdicts = [("a", "Approved"), ("s", "Spam"), ("d", "Trash")]
    for index, (key, label) in enumerate(verdicts):
        if index:
            page.keyboard.press("j")
        selected = page.locator("#result_list tr.queue-selected [data-queue-entry]")
        expect(selected).to_have_attribute("data-queue-entry", str(pending[index].pk))
        page.keyboard.press(key)
        expect(page.locator(f'[data-queue-status="{pending[index].pk}"]')).to_have_text(label)
    expect(page.locator('[data-status-count="pending"]')).to_have_text("2")
    expect(page.locator('[data-status-count="spam"]').first).to_have_text("2")
    statuses = [Comment.objects.get(pk=c.pk).status for c in pending[:3]]
    assert statuses == ["approved", "spam", "trash"]
    screenshot(page, "three-moderated")

    # Reply to the next one: r opens its box; keys typed there are text, not verdicts.
    page.keyboard.press("j")
    page.keyboard.press("r")
    answered = pending[3]
    box = page.locator(f"#queue-reply-body-{answered.pk}")
    expect(box).to_be_focused()
    page.keyboard.type("Sadly not yet: we asked the ministry and will add it here.")
    assert Comment.objects.get(pk=answered.pk).status == Comment.Status.PENDING
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    entry = page.locator(f'[data-queue-entry="{answered.pk}"]')
    expect(entry.locator("[data-queue-replies]")).to_contain_text("Leo Marsh")
    expect(page.locator(f'[data-queue-status="{answered.pk}"]')).to_have_text("Approved")
    reply = Comment.objects.get(parent=answered, is_staff_reply=True)
    assert reply.author_name == "Leo Marsh" and reply.status == Comment.Status.APPROVED
    assert page.url.endswith(QUEUE)  # never left the page
    screenshot(page, "replied")
