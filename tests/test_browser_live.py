"""Following a live story in Chromium, two people at once: an editor posting, correcting,
pinning and ending coverage in the admin (desktop width), a reader watching the story
(phone width) whose page learns of each change by polling, without a reload
(static/js/live.js, through the page cache). Each step must go without a script error,
a console error, a CSP violation or a failed request (tests/conftest.py).
"""

import json

import pytest
from playwright.sync_api import expect

from live.models import Entry
from tests.embed_fixtures import ready_embed
from tests.factories import make_person, make_staff
from tests.live_factories import make_entry, make_live_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# The reader's page polls every second here (10 by default): the test waits a few polls.
SEEN_WITHIN = 8_000


@pytest.fixture
def ed(newsroom_roles):
    user = make_staff("Editors", username="ed")
    user.set_password(PASSWORD)
    user.save()
    make_person(name="Ed Ortiz", user=user)
    return user


@pytest.fixture
def storm(settings):
    settings.LIVE_POLL_SECONDS = 1
    story = make_live_story(headline="Storm makes landfall on the coast", slug="storm")
    first = make_entry(story, minutes_ago=50, body="<p>The storm is 40 miles offshore.</p>")
    second = make_entry(
        story, minutes_ago=20, headline="Evacuations ordered", body="<p>Buses leave at noon.</p>"
    )
    return story, first, second


def log_in(page, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


def polls_of(page):
    """The polls the page makes from now on, as a list that fills as they go."""
    polls = []
    page.on("request", lambda request: "live.json" in request.url and polls.append(request))
    return polls


def test_a_reader_follows_what_an_editor_does(open_tab, screenshot, ed, storm):
    story, first, second = storm
    reader = open_tab(**PHONE)
    reader.goto(story.get_absolute_url())
    entries = reader.locator(".live-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Evacuations ordered")
    reader.evaluate("window.sameDocument = true")  # gone if the page is ever reloaded
    screenshot(reader, "reader-opens")

    # The editor posts an entry: the reader is told, and adds it with one tap.
    editor = open_tab(**DESKTOP)
    add = f"/admin/live/entry/add/?story={story.pk}"
    log_in(editor, add)
    editor.fill("#id_headline", "Landfall near Port Lavaca")
    editor.locator(".ql-editor").click()
    editor.keyboard.type("The eye crossed the coast at 3:10 p.m. with winds of 110 mph.")
    editor.click("input[name=_save]")
    expect(editor.locator(".messagelist")).to_contain_text("was added")
    posted = Entry.objects.get(headline="Landfall near Port Lavaca")
    screenshot(editor, "editor-posts")

    notice = reader.locator(".live-new-updates")
    expect(notice).to_be_visible(timeout=SEEN_WITHIN)
    expect(notice).to_contain_text("1 new update")
    screenshot(reader, "reader-is-told")
    notice.click()
    expect(entries.first).to_have_attribute("id", f"entry-{posted.pk}")
    expect(entries.first).to_contain_text("winds of 110 mph")
    expect(notice).to_be_hidden()
    assert reader.evaluate("window.sameDocument") is True
    screenshot(reader, "reader-adds-it")

    # A correction to an older entry replaces it in place, with no tap.
    editor.goto(f"/admin/live/entry/{first.pk}/change/")
    editor.locator(".add-row a").click()
    editor.fill("#id_corrections-0-text", "The storm was 60 miles offshore, not 40.")
    editor.click("input[name=_continue]")
    expect(editor.locator(".messagelist")).to_contain_text("was changed")
    corrected = reader.locator(f"#entry-{first.pk} .live-entry-correction")
    expect(corrected).to_contain_text("60 miles offshore", timeout=SEEN_WITHIN)
    screenshot(reader, "reader-sees-the-correction")

    # Pinning it puts it first.
    editor.check("#id_is_pinned")
    editor.click("input[name=_continue]")
    expect(editor.locator(".messagelist")).to_contain_text("was changed")
    expect(entries.first).to_have_attribute("id", f"entry-{first.pk}", timeout=SEEN_WITHIN)
    expect(entries.first).to_contain_text("Pinned")
    expect(entries).to_have_count(3)
    screenshot(reader, "reader-sees-it-pinned")

    # The end of coverage: the page says so and stops asking.
    editor.goto(f"/admin/articles/article/{story.pk}/change/")
    editor.get_by_role("button", name="End live coverage").click()
    expect(editor.locator(".messagelist")).to_contain_text("ended")
    status = reader.locator(".live-status")
    expect(status).to_contain_text("Coverage ended", timeout=SEEN_WITHIN)
    polls = polls_of(reader)
    reader.wait_for_timeout(3_000)
    assert polls == []
    assert reader.evaluate("window.sameDocument") is True
    screenshot(reader, "reader-sees-the-end")

    # Reloaded, the page is the same without its script: complete, and ended.
    reader.reload()
    expect(entries).to_have_count(3)
    expect(status).to_contain_text("Coverage ended")
    markup = reader.locator('script[type="application/ld+json"]').first.text_content()
    data = json.loads(markup)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageEndTime"]
    assert len(data["liveBlogUpdate"]) == 3


def test_the_page_without_script_is_complete(open_tab, storm):
    story, first, second = storm
    reader = open_tab(java_script_enabled=False, **PHONE)
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".live-entry")).to_have_count(2)
    expect(reader.locator(".live-status")).to_contain_text("Live")
    expect(reader.locator(".live-new-updates")).to_be_hidden()


def test_a_video_in_a_new_entry_plays_on_the_page_that_took_it_in(open_tab, screenshot, storm):
    """The page's policy was set before the entry existed: the known players are in it
    ahead (embeds.rendering.known_frame_origins), so the facade becomes a player."""
    story, first, second = storm
    reader = open_tab(**PHONE)
    asked = []

    def player(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p id=playing>Playing</p>")

    reader.context.route("https://www.youtube-nocookie.com/**", player)
    reader.goto(story.get_absolute_url())
    expect(reader.locator(".live-entry")).to_have_count(2)

    video = ready_embed()
    make_entry(
        story,
        minutes_ago=0,
        headline="The governor speaks",
        body=f'<p>Watch her briefing.</p><figure data-embed="{video.pk}"></figure>',
    )
    reader.locator(".live-new-updates").click(timeout=SEEN_WITHIN)
    play = reader.get_by_role("button", name="Play video: The mayor's press conference")
    expect(play).to_be_visible()
    assert asked == []
    play.click()
    expect(reader.frame_locator(".live-entry iframe").locator("#playing")).to_have_text("Playing")
    assert asked == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    screenshot(reader, "the-new-entry-plays")
