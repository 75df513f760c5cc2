"""Issue 17's whole path in a real browser (Debian's Chromium through Playwright): an
editor pastes a YouTube address and a Mastodon post's address into a story and
publishes it; the background fetch asks their oEmbed endpoints (the fake provider on
loopback, tests/oembed_provider.py); readers, at phone and desktop width, get facades
that ask nothing of any host but ours until they press one, and pressing loads the
player under the page's Content-Security-Policy, with no violation (tests/conftest.py
fails the test on any). A video story with the same address carries a VideoObject
with the fields Google requires.

The players' own hosts (www.youtube-nocookie.com, mastodon.example) are answered by
the browser context itself (Playwright routes): nothing leaves the machine, and every
request for them is seen.
"""

import json
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from embeds.models import Embed
from embeds.tasks import fetch_embed
from tests.factories import make_article, make_staff
from tests.oembed_provider import MASTODON_POST, YOUTUBE_VIDEO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
PLAYERS = {
    "www.youtube-nocookie.com": "<!doctype html><title>YouTube</title><p id=playing>Playing</p>",
    "mastodon.example": "<!doctype html><title>Post</title><p id=post>Post by @alice</p>",
}
EMBED_BUTTON = "Embed a video, post or document by its address"


def answer_players(context, asked):
    """The players' hosts, answered in the browser and noted in ``asked``."""

    def fulfil(route):
        asked.append(route.request.url)
        host = urlsplit(route.request.url).hostname
        route.fulfill(status=200, content_type="text/html", body=PLAYERS[host])

    for host in PLAYERS:
        context.route(f"https://{host}/**", fulfil)


def log_in(page):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "embed-desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")


def paste_on_its_own_line(page, address):
    page.once("dialog", lambda dialog: dialog.accept(address))
    page.get_by_role("button", name=EMBED_BUTTON).click()


def write_and_publish(page, headline):
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", headline)
    page.locator("#id_headline").blur()
    page.locator(".ql-editor").click()
    page.keyboard.type("The harbour reopened on Tuesday.")
    paste_on_its_own_line(page, YOUTUBE_VIDEO)
    paste_on_its_own_line(page, MASTODON_POST)
    page.select_option("#id_status", Article.Status.PUBLISHED)
    page.click("input[name=_continue]")
    page.wait_for_url("**/admin/articles/article/*/change/")


@pytest.fixture
def published(newsroom_roles, open_tab, oembed_provider, run_tasks, live_server):
    """The story as the editor left it, its embeds fetched by the background job."""
    make_staff("Editors", username="embed-desk", password=PASSWORD)
    desk = open_tab()
    log_in(desk)
    write_and_publish(desk, "The harbour reopens")
    story = Article.objects.get()
    assert story.body.count("<figure data-embed=") == 2
    jobs = [job for job in run_tasks() if job.task_path == fetch_embed.module_path]
    assert len(jobs) == 2
    assert oembed_provider.paths() >= ["/youtube/oembed", "/mastodon/api/oembed"]
    embeds = {embed.provider: embed for embed in Embed.objects.all()}
    assert {provider: embed.status for provider, embed in embeds.items()} == {
        "youtube": Embed.Status.READY,
        "mastodon": Embed.Status.READY,
    }
    assert embeds["youtube"].thumbnail is not None
    return story


@pytest.mark.parametrize("screen", SCREENS)
def test_pasted_embeds_load_nothing_of_another_host_until_the_reader_asks(
    published, open_tab, live_server, screenshot, screen
):
    reader = open_tab(viewport=SCREENS[screen])
    asked, seen = [], []
    answer_players(reader.context, asked)
    reader.on("request", lambda request: seen.append(request.url))
    response = reader.goto(published.get_absolute_url())
    policy = response.headers["content-security-policy"]
    frames = re.search(r"frame-src ([^;]+)", policy)[1].split()
    assert sorted(frames) == ["https://mastodon.example", "https://www.youtube-nocookie.com"]
    video = reader.get_by_role("button", name=re.compile(r"^Play video: Harbour press conference"))
    post = reader.get_by_role("button", name=re.compile(r"^Load post: "))
    expect(video).to_be_visible()
    video.scroll_into_view_if_needed()
    expect(video.locator("img")).to_have_js_property("complete", True)
    reader.wait_for_load_state("networkidle")
    ours = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in seen} == {ours}
    assert asked == []
    screenshot(reader, f"facades-{screen}")

    video.click()
    player = reader.frame_locator("figure.embed-video iframe")
    expect(player.locator("#playing")).to_be_visible()
    assert asked == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]
    post.click()
    expect(reader.frame_locator("figure.embed-rich iframe").locator("#post")).to_be_visible()
    assert asked[1:] == [f"{MASTODON_POST}/embed"]
    screenshot(reader, f"playing-{screen}")


def test_a_video_story_of_the_pasted_address_is_a_video_object(published, open_tab, screenshot):
    story = make_article(
        headline="The harbour press conference, in full",
        kind=Article.Kind.VIDEO,
        video_url=YOUTUBE_VIDEO,
        transcript="Good morning. The harbour is open again.",
    )
    assert story.media_embed == Embed.objects.get(provider="youtube")  # fetched already
    reader = open_tab(viewport=SCREENS["desktop"])
    answer_players(reader.context, [])
    reader.goto(story.get_absolute_url())
    data = json.loads(reader.locator('script[type="application/ld+json"]').first.text_content())
    video = data["video"]
    assert video["@type"] == "VideoObject"
    assert video["name"] == story.headline
    assert video["description"]
    assert datetime.fromisoformat(video["uploadDate"])
    # The provider's still, kept in our library (the story has no lead photo).
    (thumbnail,) = video["thumbnailUrl"]
    thumbnail_id = Embed.objects.get(provider="youtube").thumbnail_id
    assert re.search(rf"/(media/renditions|photos)/{thumbnail_id}/", thumbnail)
    assert video["embedUrl"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert video["transcript"] == story.transcript
    reader.get_by_role("button", name=re.compile(r"^Play video: ")).click()
    expect(reader.frame_locator("figure.embed-video iframe").locator("#playing")).to_be_visible()
    screenshot(reader, "video-story")
