"""The desk and the story form's aids in a real browser (Debian's Chromium, 1366x900).

On the demo content plus a scheduled story, one in review and a held comment, so that
every panel has something: an editor's desk renders (docs/desk.png, the README's
picture, is retaken with UPDATE_README_SCREENSHOTS=1); typing into the headline and
the body updates the word count, reading time and headline length as they type;
dragging a credit row puts it first, and the saved bylines print in that order on the
story page. Under the site's CSP, with no script or console error (tests/conftest.py).
"""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Correction
from comments.models import Comment
from demo.management.commands.seed_demo import REFERENCE_SLUG
from tests.factories import make_article, make_comment, make_person, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
DESKTOP = {"width": 1366, "height": 900}
README_SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "desk.png"


@pytest.fixture
def newsroom_day(newsroom_roles):
    call_command("seed_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    editor.set_password(PASSWORD)
    editor.save()
    now = timezone.now()
    writer = make_staff("Writers", first_name="Maya", last_name="Brooks")
    reporter = make_person(name="Priya Natarajan")
    make_article(
        headline="Budget vote: what the city council decides tonight",
        published_at=now + timedelta(hours=2, minutes=15),
        bylines=[reporter],
    )
    make_article(
        headline="Port strike enters its third day as talks stall",
        status=Article.Status.REVIEW,
        created_by=writer,
        bylines=[reporter],
    )
    make_article(
        headline="Court to rule on the harbour expansion",
        status=Article.Status.REVIEW,
        embargo_until=now + timedelta(hours=20),
    )
    make_article(
        headline="Editor's notes on the election guide",
        status=Article.Status.DRAFT,
        created_by=editor,
    )
    reference = Article.objects.get(slug=REFERENCE_SLUG)
    Correction.objects.create(
        article=reference, text="An earlier version gave the wrong date of the summit."
    )
    make_comment(reference, body="When does the treaty take effect?", status=Comment.Status.PENDING)
    return editor


def log_in(page, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_an_editors_desk(open_tab, screenshot, newsroom_day):
    page = open_tab(viewport=DESKTOP)
    log_in(page, "/admin/")
    for key, text in [
        ("drafts", "Editor's notes on the election guide"),
        ("review", "Port strike enters its third day"),
        ("scheduled", "in 2 h 15 min"),
        ("embargoes", "Court to rule on the harbour expansion"),
        ("corrections", "wrong date of the summit"),
        ("comments", "awaiting moderation"),
    ]:
        expect(page.locator(f"#desk-{key}")).to_contain_text(text, ignore_case=True)
    expect(page.locator("#desk-scheduled")).to_contain_text("New York time")
    expect(page.locator("#desk-published li").first).to_be_visible()
    # Side by side at desktop width, not one long column.
    boxes = [page.locator(f"#desk-{key}").bounding_box() for key in ("drafts", "review")]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    expect(page.locator(".app-site_administration")).to_contain_text("Groups")
    screenshot(page, "desk")
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        # Retaken on request only: every run would leave the checkout changed.
        page.screenshot(path=README_SCREENSHOT)


def test_typing_updates_the_length_and_dragging_orders_the_credits(
    open_tab, screenshot, newsroom_day
):
    first, second = make_person(name="Zoe Alpha"), make_person(name="Adam Beta")
    story = make_article(headline="Harbour reopens", bylines=[first, second])
    # A browser in another zone than the newsroom's: Django would warn "You are N hours
    # ahead of server time" here.
    page = open_tab(viewport=DESKTOP, timezone_id="Europe/Paris")
    log_in(page, f"/admin/articles/article/{story.pk}/change/")

    length = page.locator("[data-story-length]")
    page.fill("#id_headline", "x" * 112)
    expect(length).to_contain_text("headline 112 of 110 characters: 2 over Google's limit")
    expect(length).to_have_class("over-limit")
    body = page.locator(".ql-editor")
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(" ".join(["word"] * 240))
    expect(length).to_contain_text("240 words · 2 min read")
    page.fill("#id_headline", "Harbour reopens after the strike")
    expect(length).to_contain_text("headline 32 of 110 characters")
    expect(length).not_to_have_class("over-limit")
    # Django's "You are N hours ahead of server time" is not shown; the zone is.
    warnings = page.locator(".timezonewarning")
    expect(warnings.first).to_be_attached()
    for index in range(warnings.count()):
        expect(warnings.nth(index)).to_be_hidden()
    expect(page.locator("[data-relative-time=published_at]")).to_contain_text("New York time")
    expect(page.locator("[data-relative-time=published_at]")).to_contain_text("1 h ago")
    screenshot(page, "typing")

    rows = page.locator("#credits-group tbody tr.form-row.has_original")
    expect(rows.first).to_contain_text("Zoe Alpha")
    # Picked up by its handle and dropped on the top half of the first row.
    rows.nth(1).locator(".credit-handle").drag_to(
        rows.first.locator(".credit-handle"), target_position={"x": 2, "y": 1}
    )
    expect(rows.first).to_contain_text("Adam Beta")
    screenshot(page, "credits-dragged")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    assert list(story.credits.values_list("person__name", flat=True)) == ["Adam Beta", "Zoe Alpha"]

    # And back with the keyboard's buttons.
    page.locator("#credits-group tr.has_original", has_text="Zoe Alpha").get_by_role(
        "button", name="Move up"
    ).click()
    expect(rows.first).to_contain_text("Zoe Alpha")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    assert list(story.credits.values_list("person__name", flat=True)) == ["Zoe Alpha", "Adam Beta"]
    reader = open_tab(viewport=DESKTOP)
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".byline")).to_have_text("By Zoe Alpha and Adam Beta")
