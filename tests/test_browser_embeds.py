"""Embeds in a real browser (Debian's Chromium through Playwright): the reader's page
asks nothing of the provider until the reader presses the facade's button, which
loads the player in a frame the page's Content-Security-Policy lets in.

The player is a page of a server of our own on loopback, under another host name
than the site (the site is ``localhost``, the player ``127.0.0.1``), so that every
request the browser makes to it is seen, and the policy is tested as it is for a
real provider. Every step runs without a script error, console error, failed request
or CSP violation (tests/conftest.py).
"""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from embeds.models import Embed
from tests.embed_fixtures import queued_fetches, ready_embed
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYER_PAGE = b"<!doctype html><title>Player</title><p id=playing>Playing the press conference</p>"
PASSWORD = "a long browser-test password"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class PlayerHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PLAYER_PAGE)))
        self.end_headers()
        self.wfile.write(PLAYER_PAGE)

    def log_message(self, format, *args):  # quiet
        pass


@contextmanager
def player_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlayerHandler)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def player():
    with player_server() as server:
        server.origin = f"http://127.0.0.1:{server.server_address[1]}"
        yield server


@pytest.fixture
def story(player):
    video = ready_embed(player_url=f"{player.origin}/embed/press-conference?autoplay=1")
    return make_article(
        headline="The mayor answers questions",
        body=f'<p>The mayor spoke on Tuesday.</p><figure data-embed="{video.pk}"></figure>'
        "<p>She took questions for an hour.</p>",
    )


def watch_requests(page):
    """The hosts of every request the tab makes, in order."""
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    return hosts


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_nothing_is_asked_of_the_provider_until_the_reader_presses_play(
    open_tab, live_server, player, story, screenshot, viewport
):
    page = open_tab(viewport=viewport)
    hosts = watch_requests(page)
    page.goto(story.get_absolute_url())
    button = page.get_by_role("button", name="Play video: The mayor's press conference")
    expect(button).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "facade")

    ours = urlsplit(live_server.url).netloc
    assert set(hosts) == {ours}
    assert player.asked == []

    button.focus()
    page.keyboard.press("Enter")  # from the keyboard, as from a click
    frame = page.locator("figure.embed iframe")
    expect(frame).to_have_attribute("src", f"{player.origin}/embed/press-conference?autoplay=1")
    expect(frame).to_have_attribute(
        "allow", "autoplay; encrypted-media; picture-in-picture; fullscreen"
    )
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(frame).to_have_attribute("title", "The mayor's press conference")
    player_frame = page.frame_locator("figure.embed iframe")
    expect(player_frame.locator("#playing")).to_have_text("Playing the press conference")
    assert player.asked == ["/embed/press-conference?autoplay=1"]
    assert set(hosts) == {ours, urlsplit(player.origin).netloc}

    box = frame.bounding_box()
    assert box["width"] > 0 and abs(box["width"] / box["height"] - 640 / 360) < 0.02
    assert box["width"] <= viewport["width"]
    screenshot(page, "playing")


def test_a_post_loads_on_asking(open_tab, player, screenshot):
    post = ready_embed(
        url="https://mastodon.social/@newsroom/113456789012345678",
        provider="mastodon",
        provider_name="Mastodon",
        kind=Embed.Kind.RICH,
        title="The council votes tonight",
        player_url=f"{player.origin}/@newsroom/113456789012345678/embed",
        width=400,
        height=None,
        thumbnail=None,
    )
    story = make_article(body=f'<figure data-embed="{post.pk}"></figure>')
    page = open_tab()
    page.goto(story.get_absolute_url())
    page.get_by_role("button", name="Load post: The council votes tonight").click()
    expect(page.frame_locator("figure.embed iframe").locator("#playing")).to_be_visible()
    assert player.asked == ["/@newsroom/113456789012345678/embed"]
    screenshot(page, "post")


def test_without_javascript_the_facade_is_a_link_to_the_original(open_tab, player, story):
    page = open_tab(java_script_enabled=False)
    page.goto(story.get_absolute_url())
    link = page.locator("figure.embed a.embed-original")
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    expect(link).to_contain_text("The mayor's press conference")
    expect(page.get_by_role("link", name="Watch on YouTube")).to_be_visible()
    expect(page.locator("figure.embed button, iframe")).to_have_count(0)
    assert player.asked == []


def test_an_editor_embeds_an_address_and_the_reader_gets_the_facade_once_it_is_fetched(
    newsroom_roles, open_tab, player, screenshot
):

    queued = queued_fetches
    make_staff("Editors", username="embed-editor", password=PASSWORD)
    desk = open_tab()
    desk.goto("/admin/login/?next=/admin/")
    desk.fill("#id_username", "embed-editor")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit], button[type=submit]")
    desk.wait_for_url("**/admin/")

    desk.goto("/admin/articles/article/add/")
    desk.fill("#id_headline", "The mayor answers questions")
    desk.locator("#id_headline").blur()
    desk.locator(".ql-editor").click()
    desk.keyboard.type("The mayor spoke on Tuesday.")
    address = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    desk.once("dialog", lambda dialog: dialog.accept(address))
    desk.get_by_role("button", name="Embed a video, post or document by its address").click()
    expect(desk.locator("#id_body")).to_have_value(
        f"<p>The mayor spoke on Tuesday.</p><p>{address}</p><p></p>"
    )
    desk.select_option("#id_status", Article.Status.PUBLISHED)
    desk.click("input[name=_continue]")
    desk.wait_for_url("**/admin/articles/article/*/change/")
    embed = Embed.objects.get(url=address)
    assert queued() == [embed.pk]
    # Reopened: the reference is an embed in the visual editor, still being fetched.
    expect(desk.locator(".ql-editor figure.ql-embed")).to_have_text(f"{address} (fetching…)")
    screenshot(desk, "fetching")

    story = Article.objects.get()
    assert f'<figure data-embed="{embed.pk}"></figure>' in story.body
    reader = open_tab()
    reader.goto(story.get_absolute_url())
    expect(reader.locator("figure.embed a.embed-original")).to_have_text(address)

    # What the fetch task leaves (embeds.tasks), saved as it saves.
    embed.status = Embed.Status.READY
    embed.kind = Embed.Kind.VIDEO
    embed.title = "The mayor's press conference"
    embed.provider_name = "YouTube"
    embed.player_url = f"{player.origin}/embed/dQw4w9WgXcQ"
    embed.save()
    reader.reload()
    reader.get_by_role("button", name="Play video: The mayor's press conference").click()
    expect(reader.frame_locator("figure.embed iframe").locator("#playing")).to_be_visible()
    screenshot(reader, "playing")
