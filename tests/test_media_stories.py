"""Video and audio stories: how long they run, what an editor may upload, and the player
readers get (what search engines, cards and feeds are told: test_media_stories_told.py)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import cache_tags, durations
from articles.models import Article
from embeds.models import Embed
from tests.embed_fixtures import queued_fetches
from tests.factories import browser_form_data, make_article
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
# The first bytes of real files of each container.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(64)
WEBVTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nGood evening.\n"
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nGood evening.\n"  # SubRip, renamed


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def fetches_queued():
    return [[embed_id] for embed_id in queued_fetches()]


# How long it runs.


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("12:34", 754), ("1:02:03", 3723), ("754", 754), (" 0:59 ", 59), ("", None)],
)
def test_a_duration_is_typed_as_a_clock_reads(typed, seconds):
    assert durations.parse_clock(typed) == seconds


@pytest.mark.parametrize("typed", ["12:75", "1:60:00", "twelve", "12.5", "25:00:00", "-3"])
def test_a_duration_that_is_no_clock_is_refused_saying_why(typed):
    with pytest.raises(ValueError, match=re.escape(f"“{typed}”")):
        durations.parse_clock(typed)


def test_a_duration_reads_as_a_clock_and_as_iso_8601():
    assert [durations.clock(s) for s in (59, 754, 2710, 3723)] == [
        "0:59",
        "12:34",
        "45:10",
        "1:02:03",
    ]
    assert [durations.iso8601(s) for s in (754, 3600, 3723, 0)] == [
        "PT12M34S",
        "PT1H",
        "PT1H2M3S",
        "PT0S",
    ]


# What an editor may upload.


def post_story(editor, **fields):
    add_url = reverse("admin:articles_article_add")
    data = browser_form_data(editor.get(add_url).text, "article_form")
    data.update({"headline": "The harbour tonight", "slug": "harbour-tonight", **fields})
    return editor.post(add_url, data)


def test_an_editor_uploads_a_video_with_captions_and_types_its_duration(editor, media):
    response = post_story(
        editor,
        kind=Article.Kind.VIDEO,
        media_file=SimpleUploadedFile("harbour.mp4", MP4, "video/mp4"),
        captions=SimpleUploadedFile("harbour.vtt", WEBVTT, "text/vtt"),
        captions_language="en",
        duration="12:34",
    )

    assert response.status_code == 302
    story = Article.objects.get()
    assert story.duration == 754
    assert story.media_file.name.endswith(".mp4") and story.media_mime_type == "video/mp4"
    assert (media / story.captions.name).read_bytes() == WEBVTT
    change = editor.get(reverse("admin:articles_article_change", args=[story.pk])).text
    assert 'value="12:34"' in change  # shown as typed, not as seconds


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            {"media_file": SimpleUploadedFile("harbour.avi", MP4, "video/x-msvideo")},
            "is not a file type readers’ browsers play",
        ),
        (
            {"media_file": SimpleUploadedFile("harbour.mp4", b"<html>not a video</html>")},
            "is named as a MP4 file but is not a video or audio file we know",
        ),
        (
            {"media_file": SimpleUploadedFile("harbour.mp4", MP3)},
            "is named as a MP4 file but is a MP3 file",
        ),
        (
            {"media_file": SimpleUploadedFile("harbour.mp3", MP3)},
            "This file is not video: upload a MP4, WebM or Ogg file",
        ),
        (
            {
                "media_file": SimpleUploadedFile("harbour.mp4", MP4),
                "captions": SimpleUploadedFile("harbour.vtt", SRT),
                "captions_language": "en",
            },
            "Captions must be a WebVTT file",
        ),
        (
            {
                "media_file": SimpleUploadedFile("harbour.mp4", MP4),
                "captions": SimpleUploadedFile("harbour.vtt", b"WEBVTT\n\n\xff\xfe caf\xe9"),
                "captions_language": "en",
            },
            "is not UTF-8 text",
        ),
        (
            {
                "media_file": SimpleUploadedFile("harbour.mp4", MP4),
                "captions": SimpleUploadedFile("harbour.vtt", WEBVTT),
            },
            "Say which language the captions are in",
        ),
        (
            {
                "media_file": SimpleUploadedFile("harbour.mp4", MP4),
                "captions": SimpleUploadedFile("harbour.vtt", WEBVTT),
                "captions_language": "English please",
            },
            "“English please” is not a language code",
        ),
        ({"duration": "12:75"}, "has more than 59 minutes or seconds"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    editor, media, upload, message
):
    response = post_story(editor, kind=Article.Kind.VIDEO, **upload)

    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "’").replace("&quot;", '"')
    assert not Article.objects.exists()
    assert stored_files(media) == []


def test_a_file_bigger_than_the_limit_is_refused(editor, media, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 64
    response = post_story(
        editor, kind=Article.Kind.VIDEO, media_file=SimpleUploadedFile("harbour.mp4", MP4)
    )
    assert response.status_code == 200
    assert "the largest video or audio file accepted is 64\xa0bytes" in response.text
    assert not Article.objects.exists() and stored_files(media) == []


def test_a_story_plays_one_thing_of_its_own_kind(editor, media):
    both = post_story(
        editor,
        kind=Article.Kind.VIDEO,
        video_url="https://video.example.org/watch/1",
        media_file=SimpleUploadedFile("harbour.mp4", MP4),
    )
    plain = post_story(editor, kind=Article.Kind.STORY, video_url="https://video.example.org/1")

    assert "give either a media address or an uploaded file" in both.text
    assert "Only a video or audio story has media: choose its kind." in plain.text
    assert not Article.objects.exists() and not Embed.objects.exists()
    assert stored_files(media) == []


# A provider's player.


def test_a_pasted_address_becomes_an_embed_whose_fetch_is_queued_once():
    address = "https://video.example.org/watch/7"
    first = make_article(kind=Article.Kind.VIDEO, video_url=address)
    second = make_article(kind=Article.Kind.AUDIO, video_url=address)

    embed = Embed.objects.get()
    assert (embed.url, embed.status) == (address, Embed.Status.PENDING)
    assert first.media_embed == second.media_embed == embed
    assert fetches_queued() == [[embed.pk]]  # one fetch for every story using it

    first.video_url = ""
    first.save()
    first.refresh_from_db()
    assert first.media_embed is None


def test_the_story_row_kept_for_its_page_follows_its_embed_and_thumbnail():
    thumbnail = make_photo()
    embed = Embed.objects.create(url="https://video.example.org/watch/8", thumbnail=thumbnail)
    story = make_article(kind=Article.Kind.VIDEO, video_url=embed.url)
    story = Article.objects.for_story_page().get(pk=story.pk)
    assert cache_tags.of_story_row(story) == [
        f"article:{story.pk}",
        f"embed:{embed.pk}",
        f"photo:{thumbnail.pk}",
    ]


def test_a_provider_video_is_a_facade_that_loads_nothing_of_the_provider(client):
    embed = Embed.objects.create(
        url="https://video.example.org/watch/9",
        status=Embed.Status.READY,
        kind=Embed.Kind.VIDEO,
        provider_name="Example Video",
        title="The harbour <at> night",
        player_url="https://player.example.org/embed/9",
    )
    story = make_article(kind=Article.Kind.VIDEO, video_url=embed.url, transcript="Hello.")

    response = client.get(story.get_absolute_url())
    html = response.text

    assert 'data-embed-player="https://player.example.org/embed/9"' in html
    assert 'data-embed-action="Play video"' in html
    assert '<span class="embed-title">The harbour &lt;at&gt; night</span>' in html
    assert '<a href="https://video.example.org/watch/9">Watch on Example Video</a>' in html
    assert not re.search(r'(src|href)="https://player\.example\.org', html)
    assert "<iframe" not in html and "<video" not in html
    assert html.count("/js/embeds.") == 1
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src https://player.example.org" in policy
    assert '<h2 id="transcript-heading">Transcript</h2>' in html


# Our own player.


def uploaded_video(**fields):
    story = make_article(kind=Article.Kind.VIDEO, lead_photo=make_photo(), **fields)
    story.media_file.save("harbour.mp4", ContentFile(MP4))
    return story


def test_an_uploaded_video_plays_in_our_player_with_poster_and_captions(client):
    story = uploaded_video(duration=754, captions_language="en", transcript="Good evening.")
    story.captions.save("harbour.vtt", ContentFile(WEBVTT))

    html = client.get(story.get_absolute_url()).text

    video = re.search(r"<video [^>]*>", html).group(0)
    assert video.startswith('<video controls preload="none" poster="')
    assert 'width="1200" height="675"' in video  # the lead photo's 16:9 crop
    assert f'<source src="{story.media_file.url}" type="video/mp4">' in html
    assert (
        f'<track kind="captions" src="{story.captions.url}" srclang="en" label="English" default>'
        in html
    )
    assert f'<a href="{story.media_file.url}" download>download the video</a>' in html
    assert '<span class="duration">12:34</span>' in html
    assert 'class="lead-image"' not in html  # the lead photo is the poster
    assert "<p>Good evening.</p>" in html


def test_an_uploaded_audio_plays_in_an_audio_element(client):
    story = make_article(kind=Article.Kind.AUDIO, duration=2710)
    story.media_file.save("episode.mp3", ContentFile(MP3))

    html = client.get(story.get_absolute_url()).text

    assert '<audio controls preload="none">' in html
    assert f'<source src="{story.media_file.url}" type="audio/mpeg">' in html
    assert "download the audio" in html and "<video" not in html


def test_pages_may_play_our_own_media_and_nothing_else(client):
    story = uploaded_video()
    policy = client.get(story.get_absolute_url())["Content-Security-Policy"]
    assert "media-src 'self';" in policy
