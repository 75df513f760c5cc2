"""The providers we know how to embed, and oEmbed discovery for the others.

Each known provider says which addresses are its own, where its oEmbed endpoint is,
and how the player a reader loads on asking is made. The player is made by us where
the provider's address says enough (YouTube's privacy-enhanced host, X's and TikTok's
frames), else taken from the ``src`` of the first <iframe> of the provider's answer,
and kept only when it is an https address on one of the provider's frame hosts: the
provider's HTML itself is never stored nor shown.

An address no provider claims may still offer oEmbed: its page (fetched, size-limited,
by embeds.oembed) names an endpoint in ``<link rel="alternate"
type="application/json+oembed" href="…">``. Such a provider's player is its answer's
iframe, on whatever https host it names.

``frame_hosts(embed)`` is what a page's CSP ``frame-src`` needs for a ready embed.

Endpoints may be replaced, by provider key, with the ``EMBED_PROVIDER_ENDPOINTS``
setting (tests point YouTube and Mastodon at a provider on loopback).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings

DISCOVERED = "discovered"
PAGE_MAX_BYTES = 2 * 1024 * 1024  # a page is read for its <head> only, but may be long


class NoOEmbed(Exception):
    """The address is no known provider's and its page offers no oEmbed."""


def first_iframe_src(html):
    match = re.search(r"<iframe\b[^>]*?\ssrc\s*=\s*([\"'])(.*?)\1", html or "", re.I | re.S)
    return match.group(2).replace("&amp;", "&").strip() if match else ""


def host(url):
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def from_iframe(found, answer):
    return first_iframe_src(answer.get("html"))


def youtube_player(found, answer):
    return f"https://www.youtube-nocookie.com/embed/{found.parts['id']}?autoplay=1"


def twitter_player(found, answer):
    return f"https://platform.twitter.com/embed/Tweet.html?id={found.parts['id']}"


def mastodon_player(found, answer):
    return f"{found.url.rstrip('/')}/embed"


BLUESKY_URI = re.compile(
    r"data-bluesky-uri\s*=\s*[\"']at://(did:[a-z]+:[\w.:%-]+)/app\.bsky\.feed\.post/(\w+)[\"']"
)


def bluesky_player(found, answer):
    match = BLUESKY_URI.search(answer.get("html") or "")
    if not match:
        return ""
    did, rkey = match.groups()
    return f"https://embed.bsky.app/embed/{did}/app.bsky.feed.post/{rkey}"


def instagram_player(found, answer):
    return f"https://www.instagram.com/p/{found.parts['id']}/embed"


def tiktok_player(found, answer):
    return f"https://www.tiktok.com/embed/v2/{found.parts['id']}"


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    patterns: tuple
    endpoint: str  # {host} stands for the address's host (a Mastodon instance's own)
    frame_hosts: tuple  # empty: the player is on the address's own host
    player: object = from_iframe  # (found, answer) -> the player's address, or ""
    audio: bool = False  # a track or a podcast, whatever oEmbed type it answers

    def claims(self, url):
        for pattern in self.patterns:
            match = pattern.match(url)
            if match:
                return match
        return None


def patterns(*expressions):
    return tuple(re.compile(expression, re.I) for expression in expressions)


PROVIDERS = [
    Provider(
        "youtube",
        "YouTube",
        patterns(
            r"https?://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#]*&)?v=(?P<id>[\w-]{11})",
            r"https?://(?:www\.|m\.)?youtube\.com/(?:shorts|live|embed)/(?P<id>[\w-]{11})",
            r"https?://youtu\.be/(?P<id>[\w-]{11})",
        ),
        "https://www.youtube.com/oembed",
        ("www.youtube-nocookie.com",),
        youtube_player,
    ),
    Provider(
        "vimeo",
        "Vimeo",
        patterns(
            r"https?://(?:www\.)?vimeo\.com/(?:channels/[\w-]+/|groups/[\w-]+/videos/)?\d+",
            r"https?://player\.vimeo\.com/video/\d+",
        ),
        "https://vimeo.com/api/oembed.json",
        ("player.vimeo.com",),
    ),
    Provider(
        "x",
        "X",
        patterns(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/(?P<id>\d+)"),
        "https://publish.twitter.com/oembed",
        ("platform.twitter.com",),
        twitter_player,
    ),
    Provider(
        "bluesky",
        "Bluesky",
        patterns(r"https://bsky\.app/profile/[\w.:-]+/post/\w+"),
        "https://embed.bsky.app/oembed",
        ("embed.bsky.app",),
        bluesky_player,
    ),
    Provider(
        "mastodon",
        "Mastodon",
        patterns(
            r"https://(?P<host>[\w-]+(?:\.[\w-]+)+)/@\w+(?:@[\w.-]+)?/\d+/?$",
            r"https://(?P<host>[\w-]+(?:\.[\w-]+)+)/users/\w+/statuses/\d+/?$",
        ),
        "https://{host}/api/oembed",
        (),
        mastodon_player,
    ),
    Provider(
        "instagram",
        "Instagram",
        patterns(r"https?://(?:www\.)?instagram\.com/(?:[\w.]+/)?(?:p|reel|tv)/(?P<id>[\w-]+)"),
        "https://graph.facebook.com/v22.0/instagram_oembed",
        ("www.instagram.com",),
        instagram_player,
    ),
    Provider(
        "tiktok",
        "TikTok",
        patterns(r"https?://(?:www\.)?tiktok\.com/@[\w.-]+/video/(?P<id>\d+)"),
        "https://www.tiktok.com/oembed",
        ("www.tiktok.com",),
        tiktok_player,
    ),
    Provider(
        "soundcloud",
        "SoundCloud",
        patterns(r"https?://(?:www\.|m\.)?soundcloud\.com/[\w-]+/[\w-]+"),
        "https://soundcloud.com/oembed",
        ("w.soundcloud.com",),
        audio=True,
    ),
    Provider(
        "spotify",
        "Spotify",
        patterns(
            r"https?://open\.spotify\.com/(?:intl-[\w-]+/)?(?:track|episode|show|album|playlist)/\w+"
        ),
        "https://open.spotify.com/oembed",
        ("open.spotify.com",),
        audio=True,
    ),
    Provider(
        "documentcloud",
        "DocumentCloud",
        patterns(r"https?://(?:www\.|beta\.|embed\.)?documentcloud\.org/documents/\d+"),
        "https://api.www.documentcloud.org/api/oembed/",
        ("embed.documentcloud.org", "www.documentcloud.org"),
    ),
    Provider(
        "datawrapper",
        "Datawrapper",
        patterns(
            r"https?://datawrapper\.dwcdn\.net/\w+",
            r"https?://(?:www\.)?datawrapper\.de/_/\w+",
        ),
        "https://api.datawrapper.de/v3/oembed/",
        ("datawrapper.dwcdn.net",),
    ),
    Provider(
        "flourish",
        "Flourish",
        patterns(r"https?://public\.flourish\.studio/(?:visualisation|story)/\d+"),
        "https://app.flourish.studio/api/v1/oembed",
        ("flo.uri.sh", "public.flourish.studio"),
    ),
]
BY_KEY = {provider.key: provider for provider in PROVIDERS}


@dataclass(frozen=True)
class Found:
    """An address with the provider answering for it (known, or discovered)."""

    provider: Provider
    url: str
    parts: dict = field(default_factory=dict)
    discovered_endpoint: str = ""

    def endpoint(self, maxwidth):
        """The address of the provider's oEmbed answer about ``url``."""
        query = {"format": "json", "maxwidth": maxwidth}
        if self.discovered_endpoint:
            base = self.discovered_endpoint  # its own query names the address already
        else:
            base = settings.EMBED_PROVIDER_ENDPOINTS.get(self.provider.key, self.provider.endpoint)
            base = base.replace("{host}", self.parts.get("host", ""))
            query = {"url": self.url, **query}
        return f"{base}{'&' if '?' in base else '?'}{urlencode(query)}"

    def allowed_frame_hosts(self, player):
        if self.discovered_endpoint:
            return {host(player)}  # whatever https host its own answer names
        return set(self.provider.frame_hosts) or {host(self.url)}

    def player_url(self, answer):
        """The https address a frame loads when the reader asks, or "" when the answer
        names none on a host the provider may frame from."""
        player = self.provider.player(self, answer)
        if not player or urlsplit(player).scheme != "https" or not host(player):
            return ""
        return player if host(player) in self.allowed_frame_hosts(player) else ""


def match(url):
    """The known provider answering for ``url`` (a Found), or None."""
    for provider in PROVIDERS:
        claimed = provider.claims(url)
        if claimed:
            parts = {name: value for name, value in claimed.groupdict().items() if value}
            return Found(provider, url, parts)
    return None


class OEmbedLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").strip().lower()
        if tag == "link" and "alternate" in rel and kind == "application/json+oembed":
            self.hrefs.append(attributes.get("href", "").strip())


def discover(page):
    """The provider of an address no known provider claims, from the oEmbed <link> of
    its ``page`` (safe_fetch's Response). Raises NoOEmbed."""
    if page.status != 200:
        raise NoOEmbed(f"{page.url} answered {page.status}, and no known provider embeds it.")
    finder = OEmbedLinks()
    finder.feed(page.body.decode(page.headers.get_content_charset() or "utf-8", "replace"))
    for href in finder.hrefs:
        endpoint = urljoin(page.url, href)
        if urlsplit(endpoint).scheme in ("http", "https"):
            provider = Provider(DISCOVERED, host(page.url), (), endpoint, ())
            return Found(provider, page.url, discovered_endpoint=endpoint)
    raise NoOEmbed(
        f"No known provider embeds {page.url}, and its page offers no oEmbed: link to it instead."
    )


def frame_hosts(embed):
    """The hosts the frame of a ready ``embed`` loads from, for the page's CSP
    ``frame-src`` (each a host, with its port if not the default: a valid source)."""
    if embed.status != embed.Status.READY or not embed.player_url:
        return ()
    return (host(embed.player_url),)
