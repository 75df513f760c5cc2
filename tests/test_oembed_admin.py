"""The embeds in the admin: the list (thumbnails, the provider's answer or why there is
none), its search and filters, read-only rows, and "Fetch again"."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from embeds import oembed
from embeds.models import Embed
from embeds.tasks import fetch_embed
from tests.oembed_provider import MASTODON_POST, YOUTUBE_VIDEO

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:embeds_embed_changelist")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ready(url):
    embed = Embed.objects.create(url=url)
    oembed.refresh(embed)
    return embed


def failed(url, error):
    return Embed.objects.create(url=url, status=Embed.Status.FAILED, error=error)


def test_the_list_shows_each_embed_its_thumbnail_and_its_error(admin_client, oembed_provider):
    ready(YOUTUBE_VIDEO)
    ready(MASTODON_POST)
    failed("https://vimeo.com/1", "Vimeo has nothing at this address (404): check it still exists.")
    page = admin_client.get(CHANGELIST).content.decode()
    assert page.count('class="photo-thumbnail"') == 1  # the post has none
    assert "Harbour press conference" in page and "New status by alice" in page
    assert "Vimeo has nothing at this address (404)" in page
    assert "Provider did not answer usably" in page


def test_the_lists_queries_do_not_grow_with_the_embeds(
    admin_client, oembed_provider, settings, django_assert_num_queries
):
    ready(YOUTUBE_VIDEO)
    # The session (from the cache with Redis: cached_db) and the user; the filter's
    # providers; the count, the filtered count and the page of embeds with their
    # thumbnails (one join); the thumbnails' renditions.
    expected = 6 + (not settings.SESSION_ENGINE.endswith("cached_db"))
    with django_assert_num_queries(expected):
        assert admin_client.get(CHANGELIST).status_code == 200
    for n in range(4):
        ready(f"https://youtu.be/abcdefghij{n}")
    with django_assert_num_queries(expected):
        assert admin_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize(
    "query, shown",
    [
        ({"q": "vimeo.com"}, ["https://vimeo.com/1"]),
        ({"q": "harbour"}, ["Harbour press conference"]),
        ({"status__exact": "failed"}, ["https://vimeo.com/1"]),
        ({"provider__exact": "mastodon"}, ["New status by alice"]),
    ],
)
def test_the_list_searches_and_filters(admin_client, oembed_provider, query, shown):
    ready(YOUTUBE_VIDEO)
    ready(MASTODON_POST)
    failed("https://vimeo.com/1", "gone")
    listed = admin_client.get(CHANGELIST, query).context["cl"].result_list
    assert [str(embed) for embed in listed] == shown


def test_embeds_are_made_by_stories_and_read_only_here(admin_client, oembed_provider):
    embed = ready(YOUTUBE_VIDEO)
    assert admin_client.get(reverse("admin:embeds_embed_add")).status_code == 403
    change = reverse("admin:embeds_embed_change", args=[embed.pk])
    page = admin_client.get(change).content.decode()
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" in page
    assert 'name="player_url"' not in page and 'name="url"' not in page
    admin_client.post(change, {"player_url": "https://evil.example/", "title": "Changed"})
    embed.refresh_from_db()
    assert embed.player_url.startswith("https://www.youtube-nocookie.com/")
    assert embed.title == "Harbour press conference"


def test_fetch_again_asks_the_providers_in_the_background(admin_client, oembed_provider, run_tasks):
    embed = failed(YOUTUBE_VIDEO, "YouTube had an error (503); trying again.")
    other = failed(MASTODON_POST, "mastodon.example could not be reached")
    response = admin_client.post(
        CHANGELIST, {"action": "fetch_again", "_selected_action": [embed.pk]}, follow=True
    )
    assert "Asking the provider again about 1 embed(s)" in response.content.decode()
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[embed.pk]]
    assert oembed_provider.requests == []  # not while the editor waits
    jobs = run_tasks()
    assert [job.status for job in jobs if job.task_path == fetch_embed.module_path] == [
        "SUCCESSFUL"
    ]
    embed.refresh_from_db()
    other.refresh_from_db()
    assert (embed.status, embed.error) == ("ready", "")
    assert other.status == "failed"


def test_writers_see_the_embeds_and_editors_also_ask_again(writer, editor):
    embed = failed("https://vimeo.com/1", "Vimeo did not answer in time.")
    fetch_again = {"action": "fetch_again", "_selected_action": [embed.pk]}

    listing = writer.get(CHANGELIST)
    assert listing.status_code == 200 and "Vimeo did not answer in time." in listing.text
    assert 'value="fetch_again"' not in listing.text
    writer.post(CHANGELIST, fetch_again)
    assert not DBTaskResult.objects.filter(task_path=fetch_embed.module_path).exists()

    assert 'value="fetch_again"' in editor.get(CHANGELIST).text
    assert reverse("admin:embeds_embed_changelist") in editor.get(reverse("admin:index")).text
    editor.post(CHANGELIST, fetch_again)
    job = DBTaskResult.objects.get(task_path=fetch_embed.module_path)
    assert job.args_kwargs["args"] == [embed.pk]
