"""The answer readers' pages poll (live.json): small, the same for everyone, a 304 from
the page cache without SQL while nothing changed, changed at once when an entry does,
and kept by CDNs two seconds at most."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import rendering
from core.pagecache import PageCacheMiddleware
from live.models import POLLED_ENTRIES, EntryCorrection
from tests.factories import make_article
from tests.live_factories import make_entry, make_live_story

pytestmark = pytest.mark.django_db


def poll_url(story):
    return reverse("live:updates", args=story.address())


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


class TestAnswer:
    def test_entries_newest_first_with_versions_pins_and_key_points(self, client):
        story = make_live_story()
        old = make_entry(story, minutes_ago=30, is_pinned=True)
        point = make_entry(story, minutes_ago=20, headline="Schools shut", is_key_point=True)
        new = make_entry(story, minutes_ago=1)
        make_entry(story, status="draft")
        response = client.get(poll_url(story))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "ended": False,
            "entries": [[new.pk, new.version], [point.pk, point.version], [old.pk, old.version]],
            "pinned": [old.pk],
            "key_points": [[point.pk, "Schools shut"]],
            "complete": True,
        }

    def test_the_window_is_the_newest_entries_and_every_pinned_one(self, client):
        story = make_live_story()
        pinned = make_entry(story, minutes_ago=500, is_pinned=True)
        entries = [make_entry(story, minutes_ago=400 - i) for i in range(POLLED_ENTRIES + 1)]
        answer = client.get(poll_url(story)).json()
        listed = [pk for pk, _ in answer["entries"]]
        assert listed[:-1] == [e.pk for e in reversed(entries[1:])]
        assert listed[-1] == pinned.pk  # older than the window, listed as pinned
        assert answer["complete"] is False

    def test_ended_coverage(self, client):
        story = make_live_story(coverage_ended_at=timezone.now() - timedelta(minutes=1))
        assert client.get(poll_url(story)).json()["ended"] is True

    def test_a_story_that_is_not_live_or_not_public_has_no_answer(self, client):
        assert client.get(poll_url(make_article())).status_code == 404
        draft = make_live_story(slug="draft-live", status="draft")
        assert client.get(poll_url(draft)).status_code == 404
        story = make_live_story(slug="moved")
        year, month, day, slug = story.address()
        wrong = reverse("live:updates", args=[year, month, day + 1 if day < 28 else 1, slug])
        assert client.get(wrong).status_code == 404


class TestThroughThePageCache:
    def test_a_repeated_poll_is_a_304_without_sql(self, client, django_assert_num_queries):
        story = make_live_story()
        make_entry(story)
        first = client.get(poll_url(story))
        with django_assert_num_queries(0):
            again = client.get(poll_url(story), headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304

    def test_cdns_keep_it_briefly_and_never_stale(self, client):
        story = make_live_story()
        first = client.get(poll_url(story))
        cached = client.get(poll_url(story))
        for response in (first, cached):
            found = directives(response)
            assert f"s-maxage={settings.LIVE_SHARED_MAX_AGE}" in found
            assert not any(d.startswith("stale-while-revalidate") for d in found)
        page = client.get(story.get_absolute_url())
        assert f"s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}" in directives(page)

    def test_the_fragment_is_kept_briefly_too(self, client):
        story = make_live_story()
        entry = make_entry(story)
        url = reverse("live:entry-fragment", args=[*story.address(), entry.pk])
        assert f"s-maxage={settings.LIVE_SHARED_MAX_AGE}" in directives(client.get(url))

    def test_a_new_entry_changes_the_answer_at_once(self, client, clock, on_commit):
        clock.freeze()
        story = make_live_story()
        first = client.get(poll_url(story))
        with on_commit():
            entry = make_entry(story)
        clock(seconds=2)  # past the page cache's margin after a change
        response = client.get(poll_url(story), headers={"if-none-match": first["ETag"]})
        assert response.status_code == 200
        assert response.json()["entries"] == [[entry.pk, entry.version]]

    def test_a_correction_changes_the_entrys_version(self, client, clock, on_commit):
        clock.freeze()
        story = make_live_story()
        entry = make_entry(story)
        before = client.get(poll_url(story)).json()["entries"]
        clock(seconds=1)
        with on_commit():
            EntryCorrection.objects.create(entry=entry, text="It was Tuesday.")
        clock(seconds=2)
        after = client.get(poll_url(story)).json()["entries"]
        assert after[0][0] == entry.pk and after[0][1] > before[0][1]
        fragment = reverse("live:entry-fragment", args=[*story.address(), entry.pk])
        assert "It was Tuesday." in client.get(fragment).text

    def test_a_deleted_entry_leaves_the_answer(self, client, clock, on_commit):
        clock.freeze()
        story = make_live_story()
        kept, gone = make_entry(story), make_entry(story)
        assert len(client.get(poll_url(story)).json()["entries"]) == 2
        with on_commit():
            gone.delete()
        clock(seconds=2)
        assert client.get(poll_url(story)).json()["entries"] == [[kept.pk, kept.version]]

    def test_an_entry_dated_ahead_appears_by_the_clock(self, client, clock):
        clock.freeze()
        story = make_live_story()
        later = make_entry(story, published_at=timezone.now() + timedelta(minutes=3))
        assert client.get(poll_url(story)).json()["entries"] == []
        clock(minutes=4)
        assert client.get(poll_url(story)).json()["entries"] == [[later.pk, later.version]]


def test_a_declared_shared_max_age_is_stored_with_the_page(rf):
    """core: what a page declares of its own CDN life (rendering.shared_max_age) is kept
    with it and sent on every answer, shorter than the site's and never stale."""
    from django.http import HttpResponse

    def view(request):
        rendering.shows("test:shared-max-age")
        rendering.shared_max_age(5)
        rendering.shared_max_age(3)  # the shortest declared wins
        return HttpResponse("polled")

    middleware = PageCacheMiddleware(view)
    for _ in range(2):  # rendered and stored, then from the cache
        response = middleware(rf.get("/polled/"))
        found = directives(response)
        assert "s-maxage=3" in found and "public" in found
        assert not any(d.startswith("stale-while-revalidate") for d in found)
