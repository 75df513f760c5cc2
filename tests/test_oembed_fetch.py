"""embeds.oembed and embeds.tasks: an embed filled once from its provider's answer, with
the fake provider of tests/oembed_provider.py playing YouTube, Mastodon, Spotify, a
page offering discovery, and providers that answer badly."""

import pytest
from django_tasks_db.models import DBTaskResult

from core import stamps
from core.tasks import queue
from embeds import cache_tags, oembed, providers
from embeds.models import Embed
from embeds.tasks import fetch_embed
from photos.models import Photo
from tests.oembed_provider import MASTODON_POST, YOUTUBE_VIDEO

pytestmark = pytest.mark.django_db

SPOTIFY_EPISODE = "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk"
VIMEO_VIDEO = "https://vimeo.com/76979871"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fetches(jobs):
    """The fetch_embed jobs among ``jobs`` (a thumbnail also queues its renditions)."""
    return [job for job in jobs if job.task_path == fetch_embed.module_path]


def refreshed(url):
    embed = Embed.objects.create(url=url)
    oembed.refresh(embed)
    return Embed.objects.get(pk=embed.pk)


def answering(settings, provider, key, path):
    settings.EMBED_PROVIDER_ENDPOINTS = {
        **settings.EMBED_PROVIDER_ENDPOINTS,
        key: provider.url(path),
    }


class TestKnownProviders:
    def test_a_youtube_video_is_described_with_a_private_player_and_our_thumbnail(
        self, oembed_provider
    ):
        embed = refreshed(YOUTUBE_VIDEO)
        assert (embed.status, embed.error) == (Embed.Status.READY, "")
        assert (embed.provider, embed.provider_name, embed.kind) == ("youtube", "YouTube", "video")
        assert embed.title == "Harbour press conference"
        assert (embed.author_name, embed.author_url) == (
            "City Hall",
            "https://www.youtube.com/@cityhall",
        )
        assert (embed.width, embed.height) == (560, 315)
        assert embed.player_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
        assert providers.frame_hosts(embed) == ("www.youtube-nocookie.com",)
        assert embed.fetched_at is not None

        photo = embed.thumbnail
        assert (photo.width, photo.height) == (480, 360)
        assert photo.title == "Harbour press conference"
        assert photo.alt_text == "Thumbnail of the video “Harbour press conference” on YouTube"
        assert (photo.credit, photo.source) == ("City Hall / YouTube", "YouTube")
        assert photo.file.name.startswith(f"photos/{embed.fetched_at:%Y/%m}/embed-{embed.pk}")

        ask, thumbnail = oembed_provider.requests
        assert ask.path == "/youtube/oembed"
        assert ask.query == {"url": YOUTUBE_VIDEO, "format": "json", "maxwidth": "1280"}
        assert ask.headers["Accept"] == "application/json"
        assert thumbnail.path == "/thumbnails/video.jpg"

    def test_a_mastodon_post_plays_from_its_instance_and_its_html_is_not_kept(
        self, oembed_provider
    ):
        embed = refreshed(MASTODON_POST)
        assert (embed.status, embed.provider, embed.kind) == ("ready", "mastodon", "rich")
        assert (embed.title, embed.author_name) == ("New status by alice", "Alice")
        assert embed.player_url == f"{MASTODON_POST}/embed"
        assert providers.frame_hosts(embed) == ("mastodon.example",)
        assert embed.thumbnail is None
        stored = Embed.objects.filter(pk=embed.pk).values().get()
        assert not any("<" in str(value) for value in stored.values())
        assert oembed_provider.requests[0].query["url"] == MASTODON_POST

    def test_a_podcast_episode_answered_as_rich_is_audio(self, oembed_provider, settings):
        answering(settings, oembed_provider, "spotify", "/spotify/oembed")
        embed = refreshed(SPOTIFY_EPISODE)
        assert (embed.status, embed.kind, embed.provider_name) == ("ready", "audio", "Spotify")
        assert embed.player_url == (
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk?utm_source=oembed"
        )

    def test_the_pages_showing_an_embed_are_told_once_it_is_saved(self, oembed_provider, on_commit):
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        before = stamps.now()
        with on_commit():
            oembed.refresh(embed)
        assert stamps.stamps([cache_tags.embed(embed.pk)])[cache_tags.embed(embed.pk)] >= before


class TestDiscovery:
    def test_a_page_naming_its_oembed_endpoint_is_embedded(self, oembed_provider):
        embed = refreshed(oembed_provider.url("/page"))
        assert (embed.status, embed.provider) == ("ready", "discovered")
        assert (embed.provider_name, embed.title) == ("Charts Example", "Rents by district")
        assert embed.player_url == "https://frames.charts.example/embed/1"
        assert providers.frame_hosts(embed) == ("frames.charts.example",)
        page, ask = oembed_provider.requests
        assert page.path == "/page" and ask.path == "/charts/oembed"
        assert ask.query["url"] == "https://charts.example/1"  # the <link>'s own query
        assert (ask.query["format"], ask.query["maxwidth"]) == ("json", "1280")

    def test_a_page_without_oembed_is_left_a_plain_link(self, oembed_provider):
        embed = refreshed(oembed_provider.url("/page-without-oembed"))
        assert embed.status == Embed.Status.FAILED
        assert "its page offers no oEmbed: link to it instead" in embed.error

    def test_an_address_inside_our_network_is_never_fetched(self, settings):
        settings.SAFE_FETCH_ALLOWED_ADDRESSES = []
        embed = refreshed("http://127.0.0.1:6379/")
        assert embed.status == Embed.Status.FAILED
        assert embed.error.startswith("127.0.0.1 is a private or reserved network address")


class TestHostileAnswers:
    def test_fields_are_trimmed_capped_and_checked(self, oembed_provider, settings):
        answering(settings, oembed_provider, "vimeo", "/hostile/fields")
        embed = refreshed(VIMEO_VIDEO)
        assert embed.status == Embed.Status.READY
        assert embed.title == ("<script>alert(1)</script>" + "x" * 5000)[:500]
        assert embed.author_name == "A" * 200
        assert embed.author_url == ""  # javascript: is no address
        assert (embed.width, embed.height) == (None, None)  # 10⁹ pixels, "tall"
        assert embed.provider_name == "Vimeo"  # ours, not the answer's
        assert embed.player_url == ""  # its iframe is not on player.vimeo.com
        assert embed.thumbnail is None  # file:// is never fetched
        assert oembed_provider.paths() == ["/hostile/fields"]

    @pytest.mark.parametrize(
        "path, error",
        [
            ("/hostile/too-many-pixels", "the thumbnail is 81 megapixels, more than the 17"),
            ("/hostile/too-many-bytes", "sent more than 10.0\xa0MB"),
            ("/hostile/not-an-image", "This file is not an image we can read"),
        ],
    )
    def test_a_thumbnail_refused_leaves_the_embed_without_one(
        self, oembed_provider, settings, path, error
    ):
        answering(settings, oembed_provider, "youtube", path)
        embed = refreshed(YOUTUBE_VIDEO)
        assert embed.status == Embed.Status.READY
        assert embed.thumbnail is None and not Photo.objects.exists()
        assert embed.error.startswith("No thumbnail: the thumbnail")
        assert error in embed.error

    @pytest.mark.parametrize(
        "path, error",
        [
            ("/hostile/gone", "YouTube has nothing at this address (404)"),
            ("/hostile/invalid-json", "YouTube's answer is not valid JSON."),
            ("/hostile/not-a-dict", "YouTube's answer is not an oEmbed description"),
            ("/hostile/unknown-type", "YouTube's answer is not an oEmbed description"),
            ("/hostile/html-page", "YouTube answered with text/html, not oEmbed's JSON."),
            ("/hostile/to-private", "169.254.169.254 is a private or reserved network address"),
            ("/bytes?size=2000000", "sent more than 1.0\xa0MB"),
        ],
    )
    def test_an_unusable_answer_fails_for_good_with_the_reason(
        self, oembed_provider, settings, path, error
    ):
        answering(settings, oembed_provider, "youtube", path)
        embed = refreshed(YOUTUBE_VIDEO)
        assert embed.status == Embed.Status.FAILED
        assert error in embed.error
        assert (embed.title, embed.player_url, embed.thumbnail) == ("", "", None)

    @pytest.mark.parametrize(
        "path, error",
        [
            ("/slow?seconds=3", "did not answer within 0.5 seconds"),
            ("/hostile/error", "YouTube had an error (503); trying again."),
        ],
    )
    def test_a_provider_down_or_slow_fails_for_now(self, oembed_provider, settings, path, error):
        settings.EMBED_FETCH_TIMEOUT = 0.5
        answering(settings, oembed_provider, "youtube", path)
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        with pytest.raises(oembed.ProviderUnavailable):
            oembed.refresh(embed)
        embed.refresh_from_db()
        assert embed.status == Embed.Status.FAILED
        assert error in embed.error

    def test_a_ready_embed_keeps_its_answer_while_its_provider_is_down(
        self, oembed_provider, settings
    ):
        embed = refreshed(YOUTUBE_VIDEO)
        answering(settings, oembed_provider, "youtube", "/hostile/error")
        with pytest.raises(oembed.ProviderUnavailable):
            oembed.refresh(embed)
        embed.refresh_from_db()
        assert (embed.status, embed.title) == ("ready", "Harbour press conference")
        assert "(503)" in embed.error

    def test_asking_again_replaces_the_thumbnail_and_drops_the_old_one(self, oembed_provider):
        embed = refreshed(YOUTUBE_VIDEO)
        first = embed.thumbnail_id
        oembed.refresh(embed)
        embed.refresh_from_db()
        assert embed.thumbnail_id != first
        assert list(Photo.objects.values_list("pk", flat=True)) == [embed.thumbnail_id]


class TestTask:
    def test_the_task_fills_the_embed_in_one_attempt(self, oembed_provider, run_tasks):
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        queue(fetch_embed, embed.pk)
        [job] = fetches(run_tasks())
        assert job.status == "SUCCESSFUL"
        assert Embed.objects.get(pk=embed.pk).status == Embed.Status.READY

    def test_a_provider_that_is_down_is_asked_again_later(
        self, oembed_provider, settings, run_tasks, clock
    ):
        answering(settings, oembed_provider, "youtube", "/hostile/error")
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        queue(fetch_embed, embed.pk)
        [job] = run_tasks()
        assert job.status == "READY" and "ProviderUnavailable" in job.exception_class_path
        assert Embed.objects.get(pk=embed.pk).status == Embed.Status.FAILED
        answering(settings, oembed_provider, "youtube", "/youtube/oembed")
        clock(minutes=1)
        [job] = fetches(run_tasks())
        assert job.status == "SUCCESSFUL"
        assert Embed.objects.get(pk=embed.pk).status == Embed.Status.READY

    def test_a_permanent_failure_is_not_tried_again(self, oembed_provider, settings, run_tasks):
        answering(settings, oembed_provider, "youtube", "/hostile/gone")
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        queue(fetch_embed, embed.pk)
        [job] = run_tasks()
        assert job.status == "SUCCESSFUL"  # nothing to retry: the row says why
        assert "(404)" in Embed.objects.get(pk=embed.pk).error
        assert DBTaskResult.objects.filter(status="READY").count() == 0

    def test_an_embed_deleted_before_its_job_ran_is_skipped(self, run_tasks):
        embed = Embed.objects.create(url=YOUTUBE_VIDEO)
        queue(fetch_embed, embed.pk)
        embed.delete()
        [job] = run_tasks()
        assert job.status == "SUCCESSFUL"
