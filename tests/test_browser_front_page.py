"""The front page in a real browser (Debian's Chromium through Playwright), on a
laptop and on a phone: the pinned story leads, first and larger than every other
card, with its photo loaded (a modern format, cut around the focal point); the other
stories show theirs. No script error, console error, failed request or CSP
violation (tests/conftest.py's ``open_tab``); screenshots in test-artifacts/browser/.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_article, make_section
from tests.photo_files import make_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENS = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def front_page(browser_media, run_tasks):
    world = make_section(name="World", slug="world")
    now = timezone.now()
    lead = make_article(
        headline="The pinned story leads",
        section=world,
        is_sticky=True,
        published_at=now - timedelta(days=1),
        lead_photo=make_photo(
            size=(1500, 1000), alt_text="The harbour at dawn", credit="Ana Ruiz/Harbour Press"
        ),
    )
    for i in range(4):
        make_article(
            headline=f"Story {i} of the day",
            section=world,
            published_at=now - timedelta(hours=i + 1),
            lead_photo=make_photo(size=(900, 600), alt_text=f"Photo of story {i}"),
        )
    make_article(headline="A story without a photo", section=world)
    # The worker makes each photo's standard renditions (the cards' among them) after
    # upload, as in production: the browser then never waits on the view that makes a
    # missing one (whose concurrent writes the live server's shared in-memory SQLite
    # connection cannot take).
    run_tasks()
    return lead


@pytest.mark.parametrize("screen", SCREENS)
def test_the_lead_story_is_first_and_largest_with_its_photo(
    open_tab, screenshot, front_page, screen
):
    width, height = SCREENS[screen]
    page = open_tab(viewport={"width": width, "height": height})
    page.goto("/")
    page.wait_for_load_state("networkidle")

    first = page.locator(".story-list > li").first
    assert "story-lead" in first.get_attribute("class")
    assert first.locator(".card-title").inner_text() == front_page.headline
    lead_photo = first.locator(".card-photo img")
    assert lead_photo.get_attribute("alt") == "The harbour at dawn"
    assert lead_photo.get_attribute("fetchpriority") == "high"
    lead_box = lead_photo.bounding_box()
    assert lead_box["y"] < height  # on the first screen

    others = page.locator(".story-list > li:not(.story-lead) .card-photo img")
    assert others.count() == 4
    for i in range(others.count()):
        box = others.nth(i).bounding_box()
        assert lead_box["width"] > box["width"] * 1.4, (screen, i)
        assert lead_box["y"] < box["y"]

    # Every photo scrolled to loads (lazy ones too), in a modern format, from storage.
    photos = page.locator(".card-photo img")
    assert photos.count() == 5
    for i in range(photos.count()):
        photo = photos.nth(i)
        photo.scroll_into_view_if_needed()
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("img => img.naturalWidth") > 0
        source = photo.evaluate("img => img.currentSrc")
        assert "/media/renditions/" in source and source.rsplit(".", 1)[-1] in ("avif", "webp")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"front-page-{screen}")
