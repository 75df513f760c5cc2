"""Video and audio stories as others are told of them: search engines (VideoObject and
AudioObject JSON-LD), cards, search results and feeds; the demo's video stories; and
what a provider's player costs the story page."""

import json

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core import stamps
from embeds.cache_tags import embed as embed_tag
from embeds.models import Embed
from tests.embed_fixtures import ready_embed
from tests.factories import empty_caches, make_article
from tests.photo_files import make_photo
from tests.test_media_stories import MP3, SITE, fetches_queued, media, uploaded_video
from tests.test_seo import head

pytestmark = pytest.mark.django_db
__all__ = ["media"]  # the autouse fixture of test_media_stories: the same site and media folder


# What search engines are told.

# Google's video structured data: required, then recommended properties.
VIDEO_REQUIRED = {"name", "thumbnailUrl", "uploadDate"}
VIDEO_RECOMMENDED = {"description", "duration", "contentUrl", "embedUrl"}


def media_json_ld(client, story):
    return json.loads(head(client.get(story.get_absolute_url())).json_ld[0])


def test_an_uploaded_video_is_a_video_object_with_its_file(client):
    story = uploaded_video(duration=754, transcript="Good evening.")

    data = media_json_ld(client, story)["video"]

    assert set(data) >= VIDEO_REQUIRED
    assert data["@type"] == "VideoObject"
    assert data["uploadDate"] == timezone.localtime(story.published_at).isoformat()
    assert data["duration"] == "PT12M34S"
    assert data["contentUrl"] == f"{SITE}{story.media_file.url}"
    assert data["encodingFormat"] == "video/mp4"
    assert data["transcript"] == "Good evening."
    assert len(data["thumbnailUrl"]) == 3
    assert all(url.startswith(f"{SITE}/") for url in data["thumbnailUrl"])
    assert "embedUrl" not in data


def test_an_audio_story_is_an_audio_object(client):
    story = make_article(kind=Article.Kind.AUDIO, duration=2710, transcript="Welcome.")
    story.media_file.save("episode.mp3", ContentFile(MP3))

    data = media_json_ld(client, story)

    assert "video" not in data
    assert data["audio"] == {
        "@type": "AudioObject",
        "name": story.headline,
        "description": story.excerpt,
        "uploadDate": timezone.localtime(story.published_at).isoformat(),
        "duration": "PT45M10S",
        "transcript": "Welcome.",
        "contentUrl": f"{SITE}{story.media_file.url}",
        "encodingFormat": "audio/mpeg",
    }


def test_a_provider_video_names_its_player_once_the_provider_answered(client):
    embed = Embed.objects.create(url="https://video.example.org/watch/10")
    story = make_article(kind=Article.Kind.VIDEO, video_url=embed.url, lead_photo=make_photo())
    assert "embedUrl" not in media_json_ld(client, story)["video"]  # still pending

    # What the fetch does: the provider's answer, then the pages showing the embed stale.
    Embed.objects.filter(pk=embed.pk).update(
        status=Embed.Status.READY, player_url="https://player.example.org/embed/10"
    )
    stamps.touch(embed_tag(embed.pk))
    data = media_json_ld(client, story)["video"]
    assert data["embedUrl"] == "https://player.example.org/embed/10"
    assert set(data) >= VIDEO_REQUIRED and "contentUrl" not in data


# Cards and feeds.


def test_cards_mark_video_and_audio_with_how_long_they_run(client):
    make_article(headline="Watch the harbour", kind=Article.Kind.VIDEO, duration=754)
    make_article(headline="Hear the harbour", kind=Article.Kind.AUDIO, duration=2710)
    make_article(headline="Read about the harbour")

    html = client.get("/").text

    assert (
        '<span class="badge badge-video">Video · <time datetime="PT12M34S">12:34</time></span>'
        in html
    )
    assert (
        '<span class="badge badge-audio">Audio · <time datetime="PT45M10S">45:10</time></span>'
        in html
    )
    assert html.count('class="badge ') == 2


def test_search_results_mark_them_too(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index
        make_article(headline="Harbour at night", kind=Article.Kind.AUDIO, duration=2710)
    html = client.get("/search/?q=harbour").text
    assert '<span class="badge badge-audio">Audio · <time datetime="PT45M10S">' in html


def test_an_uploaded_file_is_the_feed_items_enclosure(client):
    story = make_article(kind=Article.Kind.AUDIO)
    story.media_file.save("episode.mp3", ContentFile(MP3))

    [entry] = feedparser.parse(client.get(reverse("articles:feed")).content).entries

    [enclosure] = entry.enclosures
    assert enclosure.href == f"{SITE}{story.media_file.url}"
    assert (enclosure.type, enclosure.length) == ("audio/mpeg", str(len(MP3)))


# The demo.


def test_the_demo_video_stories_have_a_dek_of_their_own_and_a_player(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    videos = Article.objects.filter(kind=Article.Kind.VIDEO).select_related("media_embed")

    assert videos.count() == 2
    for story in videos:
        for chrome in ("new video loaded", "transcript Back", "Recent episodes", "Latest Video"):
            assert chrome not in story.dek
        assert story.dek.endswith(".") and len(story.dek.split()) > 15
        embed = story.media_embed
        assert embed.status == Embed.Status.READY and embed.thumbnail.described
        assert embed.title and embed.author_name
        html = client.get(story.get_absolute_url()).text
        assert f'<a class="embed-original" href="{embed.url}">' in html
    assert fetches_queued() == []  # the demo runs offline


def test_a_provider_video_story_costs_no_query_more_than_a_story(client):
    """The player's Embed, its thumbnail and the thumbnail's stored renditions come
    with the story's row (for_story_page): the page stays at a story's eight queries."""
    embed = ready_embed()
    video = make_article(headline="Video", kind=Article.Kind.VIDEO, video_url=embed.url)
    plain = make_article(headline="Plain")
    counts = []
    for story in (plain, video):
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(story.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] <= 8
