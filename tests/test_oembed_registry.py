"""embeds.providers: which provider answers for an address, where its oEmbed endpoint
is, and which player a reader's click loads (never one on a host the provider does not
frame from)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from embeds import providers
from embeds.models import Embed


def endpoint_and_query(url):
    found = providers.match(url)
    parts = urlsplit(found.endpoint(1280))
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


@pytest.mark.parametrize(
    "url, key",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube"),
        ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "youtube"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube"),
        ("https://m.youtube.com/live/dQw4w9WgXcQ", "youtube"),
        ("https://vimeo.com/76979871", "vimeo"),
        ("https://vimeo.com/channels/staffpicks/76979871", "vimeo"),
        ("https://x.com/nasa/status/1780000000000000000", "x"),
        ("https://twitter.com/nasa/status/1780000000000000000", "x"),
        ("https://bsky.app/profile/news.example.com/post/3kq2abcd", "bluesky"),
        ("https://mastodon.social/@alice/109876543210", "mastodon"),
        ("https://social.example.org/@bob@other.example/1234", "mastodon"),
        ("https://hachyderm.io/users/carol/statuses/1234", "mastodon"),
        ("https://www.instagram.com/p/C1a2b3c4d5e/", "instagram"),
        ("https://www.instagram.com/reel/C1a2b3c4d5e/", "instagram"),
        ("https://www.tiktok.com/@newsroom/video/7300000000000000000", "tiktok"),
        ("https://soundcloud.com/citycouncil/budget-hearing", "soundcloud"),
        ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "spotify"),
        ("https://www.documentcloud.org/documents/2401-budget-2024", "documentcloud"),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "datawrapper"),
        ("https://public.flourish.studio/visualisation/1234567/", "flourish"),
    ],
)
def test_known_addresses_are_matched_to_their_provider(url, key):
    assert providers.match(url).provider.key == key


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/@alice",  # a profile, not a post
        "https://www.youtube.com/watch?v=short",
        "https://vimeo.com/about",
        "https://x.com/nasa",
        "https://example.com/story.html",
    ],
)
def test_other_addresses_are_no_known_providers(url):
    assert providers.match(url) is None


def test_the_endpoint_is_asked_about_the_address_as_json():
    endpoint, query = endpoint_and_query("https://vimeo.com/76979871")
    assert endpoint == "https://vimeo.com/api/oembed.json"
    assert query == {
        "url": ["https://vimeo.com/76979871"],
        "format": ["json"],
        "maxwidth": ["1280"],
    }


def test_a_mastodon_post_is_asked_of_its_own_instance():
    endpoint, query = endpoint_and_query("https://mastodon.social/@alice/109876543210")
    assert endpoint == "https://mastodon.social/api/oembed"
    assert query["url"] == ["https://mastodon.social/@alice/109876543210"]


def test_endpoints_may_be_replaced_for_tests(settings):
    settings.EMBED_PROVIDER_ENDPOINTS = {"mastodon": "http://127.0.0.1:9/api/oembed"}
    endpoint, _ = endpoint_and_query("https://mastodon.social/@alice/109876543210")
    assert endpoint == "http://127.0.0.1:9/api/oembed"


BLUESKY_HTML = (
    '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:z72i7hdynmk6r22z27h6tvur'
    '/app.bsky.feed.post/3kq2abcd" data-bluesky-cid="bafy"><p>Hello</p></blockquote>'
    '<script async src="https://embed.bsky.app/static/embed.js"></script>'
)


@pytest.mark.parametrize(
    "url, answer, player",
    [
        (
            "https://youtu.be/dQw4w9WgXcQ",
            {"html": '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'},
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://x.com/nasa/status/1780000000000000000",
            {"html": '<blockquote class="twitter-tweet">…</blockquote><script></script>'},
            "https://platform.twitter.com/embed/Tweet.html?id=1780000000000000000",
        ),
        (
            "https://bsky.app/profile/news.example.com/post/3kq2abcd",
            {"html": BLUESKY_HTML},
            "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kq2abcd",
        ),
        (
            "https://mastodon.social/@alice/109876543210",
            {"html": "<blockquote></blockquote><script></script>"},
            "https://mastodon.social/@alice/109876543210/embed",
        ),
        (
            "https://www.instagram.com/reel/C1a2b3c4d5e/",
            {"html": "<blockquote></blockquote>"},
            "https://www.instagram.com/p/C1a2b3c4d5e/embed",
        ),
        (
            "https://www.tiktok.com/@newsroom/video/7300000000000000000",
            {"html": "<blockquote></blockquote>"},
            "https://www.tiktok.com/embed/v2/7300000000000000000",
        ),
        (
            "https://vimeo.com/76979871",
            {
                "html": "<iframe title='x' src='https://player.vimeo.com/video/76979871?h=8&amp;a=1'>"
            },
            "https://player.vimeo.com/video/76979871?h=8&a=1",
        ),
        (
            "https://soundcloud.com/citycouncil/budget-hearing",
            {"html": '<iframe width="100%" src="https://w.soundcloud.com/player/?url=x"></iframe>'},
            "https://w.soundcloud.com/player/?url=x",
        ),
    ],
)
def test_the_player_is_made_for_each_provider(url, answer, player):
    assert providers.match(url).player_url(answer) == player


@pytest.mark.parametrize(
    "html",
    [
        '<iframe src="https://evil.example/player/76979871"></iframe>',  # not Vimeo's host
        '<iframe src="http://player.vimeo.com/video/76979871"></iframe>',  # not https
        '<iframe src="javascript:alert(1)"></iframe>',
        "<script>document.write('<iframe src=https://player.vimeo.com/video/1>')</script>",
        "",
    ],
)
def test_a_player_off_the_providers_frame_hosts_is_not_kept(html):
    assert providers.match("https://vimeo.com/76979871").player_url({"html": html}) == ""


def test_a_bluesky_answer_without_its_post_uri_has_no_player():
    found = providers.match("https://bsky.app/profile/news.example.com/post/3kq2abcd")
    assert found.player_url({"html": "<blockquote>no uri</blockquote>"}) == ""


def test_csp_needs_the_players_host_only_once_the_embed_is_ready():
    embed = Embed(
        url="https://youtu.be/dQw4w9WgXcQ",
        player_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
    )
    assert providers.frame_hosts(embed) == ()  # pending
    embed.status = Embed.Status.READY
    assert providers.frame_hosts(embed) == ("www.youtube-nocookie.com",)
    embed.player_url = ""
    assert providers.frame_hosts(embed) == ()
