"""A fake oEmbed provider on loopback: the ``oembed_provider`` fixture.

One threaded HTTP server on 127.0.0.1 (a free port, started once per test process)
plays the providers a story embeds: YouTube's oEmbed endpoint (a video, with a
thumbnail it serves), a Mastodon instance's ``/api/oembed`` (a post, whose html carries
a <script>), a page offering oEmbed discovery, and hostile answers (scripts and
oversized fields, a thumbnail too many bytes or pixels, a slow or trickling answer,
500s, invalid JSON, a redirect to a private address, HTML instead of JSON).

The fixture lets the suite's fetches reach 127.0.0.1 (SAFE_FETCH_ALLOWED_ADDRESSES) and
points YouTube's and Mastodon's endpoints at the server, so a story pasting
``https://www.youtube.com/watch?v=…`` or ``https://mastodon.example/@alice/…`` is
answered here and nothing leaves the machine (tests/conftest.py makes the fixture
every test's).
"""

import functools
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.photo_files import claiming, jpeg

MEGABYTE = 1024 * 1024
MASTODON_POST = "https://mastodon.example/@alice/109876543210"
YOUTUBE_VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
THUMBNAIL = jpeg((480, 360), color=(30, 90, 160))


@dataclass
class Request:
    path: str
    query: dict
    headers: dict


def video(base, **changes):
    return {
        "type": "video",
        "version": "1.0",
        "title": "Harbour press conference",
        "author_name": "City Hall",
        "author_url": "https://www.youtube.com/@cityhall",
        "provider_name": "YouTube",
        "provider_url": "https://www.youtube.com/",
        "thumbnail_url": f"{base}/thumbnails/video.jpg",
        "thumbnail_width": 480,
        "thumbnail_height": 360,
        "width": 560,
        "height": 315,
        "html": '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" '
        'width="560" height="315"></iframe>',
        **changes,
    }


def mastodon_post(query):
    status = query.get("url", MASTODON_POST)
    return {
        "type": "rich",
        "version": "1.0",
        "title": "New status by alice",
        "author_name": "Alice",
        "author_url": "https://mastodon.example/@alice",
        "provider_name": "mastodon.example",
        "provider_url": "https://mastodon.example/",
        "cache_age": 86400,
        "html": f'<blockquote class="mastodon-embed" data-embed-url="{status}/embed">'
        f'<a href="{status}">Post by @alice</a></blockquote>'
        '<script data-allowed-prefixes="https://mastodon.example/" async '
        'src="https://mastodon.example/embed.js"></script>',
        "width": 400,
        "height": None,
    }


def discovery_page(base):
    return (
        "<!doctype html><html><head><title>A chart</title>"
        '<link rel="alternate" type="application/json+oembed" '
        f'href="{base}/charts/oembed?url=https%3A%2F%2Fcharts.example%2F1" title="A chart">'
        "</head><body>A chart</body></html>"
    )


def discovered_chart(base):
    return {
        "type": "rich",
        "version": "1.0",
        "title": "Rents by district",
        "provider_name": "Charts Example",
        "html": '<iframe src="https://frames.charts.example/embed/1" width="600" '
        'height="400"></iframe><script>document.write("tracked")</script>',
        "width": 600,
        "height": 400,
    }


SPOTIFY_EPISODE = {
    "type": "rich",
    "version": "1.0",
    "title": "The council budget, explained",
    "provider_name": "Spotify",
    "thumbnail_url": None,
    "html": '<iframe style="border-radius: 12px" width="100%" height="152" '
    'src="https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk?utm_source=oembed">'
    "</iframe>",
    "width": 456,
    "height": 152,
}


HOSTILE_FIELDS = {
    "type": "video",
    "title": "  <script>alert(1)</script>" + "x" * 5000,
    "author_name": "A" * 1000,
    "author_url": "javascript:alert(1)",
    "provider_name": "Y" * 500,
    "width": 10**9,
    "height": "tall",
    "thumbnail_url": "file:///etc/passwd",
    "html": '<script>alert(1)</script><iframe src="https://evil.example/player"></iframe>',
}


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeOEmbed/1.0"

    def log_message(self, format, *args):  # the tests' output stays readable
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        self.server.provider.requests.append(Request(parts.path, query, dict(self.headers)))
        route = ROUTES.get(parts.path)
        if route is None:
            self.send(404, "text/plain", b"no such thing")
            return
        route(self, query, self.server.provider.base)

    def send(self, status, content_type, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def json(self, answer, status=200):
        self.send(status, "application/json; charset=utf-8", json.dumps(answer).encode())

    def stream(self, total, declared):
        """``total`` bytes, in 64 KB writes, with a Content-Length only if ``declared``."""
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        if declared:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        block = b"\xff" * 65536
        try:
            for _ in range(0, total, len(block)):
                self.wfile.write(block)
        except OSError:
            pass  # the client stopped reading, as it should
        self.close_connection = True


def slow(handler, query, base):
    time.sleep(float(query.get("seconds", "3")))
    handler.json(video(base))


def trickle(handler, query, base):
    """Headers at once, then a byte every 0.2 s: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    try:
        for byte in b'{"type": "video", "title": "' + b"z" * 40:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass
    handler.close_connection = True


def redirect(handler, query, base):
    handler.send(302, "text/plain", b"", [("Location", query.get("to", "/youtube/oembed"))])


ROUTES = {
    "/youtube/oembed": lambda h, q, base: h.json(video(base)),
    "/mastodon/api/oembed": lambda h, q, base: h.json(mastodon_post(q)),
    "/spotify/oembed": lambda h, q, base: h.json(SPOTIFY_EPISODE),
    "/thumbnails/video.jpg": lambda h, q, base: h.send(200, "image/jpeg", THUMBNAIL),
    "/thumbnails/too-many-pixels.png": lambda h, q, base: h.send(
        200, "image/png", claiming(9000, 9000)
    ),
    "/thumbnails/not-an-image.jpg": lambda h, q, base: h.send(200, "image/jpeg", b"GIF89a?"),
    "/thumbnails/too-many-bytes.jpg": lambda h, q, base: h.stream(11 * MEGABYTE, declared=False),
    "/bytes": lambda h, q, base: h.stream(int(q["size"]), declared=q.get("declared") == "yes"),
    "/page": lambda h, q, base: h.send(200, "text/html", discovery_page(base).encode()),
    "/page-without-oembed": lambda h, q, base: h.send(200, "text/html", b"<p>Hello</p>"),
    "/charts/oembed": lambda h, q, base: h.json(discovered_chart(base)),
    "/redirect": redirect,
    "/slow": slow,
    "/trickle": trickle,
    "/hostile/fields": lambda h, q, base: h.json(HOSTILE_FIELDS),
    "/hostile/too-many-pixels": lambda h, q, base: h.json(
        video(base, thumbnail_url=f"{base}/thumbnails/too-many-pixels.png")
    ),
    "/hostile/too-many-bytes": lambda h, q, base: h.json(
        video(base, thumbnail_url=f"{base}/thumbnails/too-many-bytes.jpg")
    ),
    "/hostile/not-an-image": lambda h, q, base: h.json(
        video(base, thumbnail_url=f"{base}/thumbnails/not-an-image.jpg")
    ),
    "/hostile/error": lambda h, q, base: h.json({"error": "down"}, status=503),
    "/hostile/gone": lambda h, q, base: h.json({"error": "no such video"}, status=404),
    "/hostile/invalid-json": lambda h, q, base: h.send(200, "application/json", b"{not json"),
    "/hostile/not-a-dict": lambda h, q, base: h.json(["video"]),
    "/hostile/unknown-type": lambda h, q, base: h.json({"type": "hologram", "title": "?"}),
    "/hostile/html-page": lambda h, q, base: h.send(200, "text/html", b"<html>Sign in</html>"),
    "/hostile/to-private": lambda h, q, base: h.send(
        302, "text/plain", b"", [("Location", "http://169.254.169.254/latest/meta-data/")]
    ),
}


@dataclass
class FakeProvider:
    base: str
    requests: list = field(default_factory=list)

    def url(self, path):
        return f"{self.base}{path}"

    def paths(self):
        return [request.path for request in self.requests]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that hung up early (a timeout, a body refused as too big) is what
        the hostile routes are for; anything else is a bug of this server."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@functools.cache
def running_provider():
    """The server, started on first use and left running until the process ends."""
    server = Server(("127.0.0.1", 0), Handler)
    server.provider = FakeProvider(f"http://127.0.0.1:{server.server_address[1]}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.provider


@pytest.fixture
def oembed_provider(settings):
    """The fake provider, its requests so far forgotten; fetches may reach loopback, and
    YouTube's and Mastodon's endpoints are its own (``settings.EMBED_PROVIDER_ENDPOINTS``
    may point a provider at another route, e.g. ``oembed_provider.url("/slow")``)."""
    provider = running_provider()
    provider.requests.clear()
    settings.SAFE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    settings.EMBED_PROVIDER_ENDPOINTS = {
        "youtube": provider.url("/youtube/oembed"),
        "mastodon": provider.url("/mastodon/api/oembed"),
    }
    return provider
