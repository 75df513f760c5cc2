"""Another site embeds one of our stories, in a real browser (Debian's Chromium).

The consumer's page, on an origin of its own, carries the html of our oEmbed answer
(articles.oembed): the card shows in the frame with its photo, with no failed
request or CSP violation (tests/conftest.py's ``open_tab``), and its headline
opens the story in a new tab, out of the sandboxed frame.
"""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.factories import make_article, make_person
from tests.photo_files import make_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def consumer_site(html):
    """Another site, on loopback (a browser lets a public page frame no loopback one):
    its own origin, a page that carries ``html``; yields the page's address."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/post/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_another_site_frames_the_card_and_its_link_opens_the_story(
    open_tab, screenshot, browser_problems, live_server, settings
):
    """A consumer on another origin puts our answer's html in its page: the card shows
    in the frame without a CSP violation or failed request, and its headline opens
    the story in a new tab."""
    settings.SITE_URL = live_server.url  # http://localhost:<port>: not the consumer's origin
    article = make_article(
        headline="Ferries return to the harbour",
        bylines=[make_person(name="Olivia Wang")],
        lead_photo=make_photo(size=(1200, 800)),
    )
    story_url = f"{live_server.url}{article.get_absolute_url()}"
    page = open_tab()
    answer = page.request.get(f"{live_server.url}/oembed/?url={story_url}").json()
    with consumer_site(f"<!doctype html><title>A blog</title>{answer['html']}") as post:
        page.goto(post)
        card = page.frame_locator("iframe")
        headline = card.locator(".story-card-headline a")
        assert headline.inner_text() == "Ferries return to the harbour"
        expect(card.locator(".story-card-photo img")).to_have_js_property("complete", True)
        # The frame runs no script, not even the test's own CSP reporter (tests/conftest.py),
        # which Chromium says each time; a CSP violation there is still a console error.
        sandboxed = f"Blocked script execution in '{live_server.url}{article.get_card_url()}'"
        browser_problems[:] = [p for p in browser_problems if sandboxed not in p]
        screenshot(page, "framed-card")
        with page.context.expect_page() as opened:
            headline.click()
        story = opened.value
        story.wait_for_load_state()
        assert story.url == story_url
        browser_problems[:] = [p for p in browser_problems if sandboxed not in p]
