"""A live story's page as readers get it: status, key points, entries in order, older
pages, badges, an entry's fragment and its own page; and what it costs in queries."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from live.models import PAGE_SIZE, EntryCorrection
from tests.factories import empty_caches, make_article, make_person, make_section
from tests.live_factories import make_entry, make_live_story
from tests.test_queries import STORY_PAGE_READS, reads

pytestmark = pytest.mark.django_db


def entry_ids(html):
    return [int(pk) for pk in re.findall(r'<article id="entry-(\d+)"', html)]


def fragment_url(entry):
    return reverse("live:entry-fragment", args=[*entry.story.address(), entry.pk])


def get(client, story, query=""):
    response = client.get(story.get_absolute_url() + query)
    assert response.status_code == 200
    return response.text


class TestStream:
    def test_entries_pinned_first_then_newest_with_their_parts(self, client):
        story = make_live_story()
        reporter = make_person(name="Ana Ruiz", slug="ana-ruiz")
        old = make_entry(story, minutes_ago=50, headline="Evacuations ordered")
        pinned = make_entry(story, minutes_ago=40, is_pinned=True, headline="What we know")
        new = make_entry(story, minutes_ago=1, authors=[reporter], body="<p>Winds at 120 km/h.</p>")
        html = get(client, story)
        assert entry_ids(html) == [pinned.pk, new.pk, old.pk]
        assert f'data-version="{new.version}"' in html
        assert f'<time datetime="{timezone.localtime(new.published_at):%Y-%m-%dT%H:%M}' in html
        assert '<a href="/author/ana-ruiz/" rel="author">Ana Ruiz</a>' in html
        assert "Winds at 120 km/h." in html
        assert f'href="{new.get_absolute_url()}">Link to this update' in html
        assert '<span class="badge badge-live live-pulse">Live</span>' in html
        assert 'data-state="open"' in html and "js/live.js" in html

    def test_key_points_link_to_their_entries(self, client):
        story = make_live_story()
        point = make_entry(story, headline="Airport closed", is_key_point=True)
        make_entry(story, headline="Not a key point")
        html = get(client, story)
        section = html.split('class="live-key-points"')[1].split("</nav>")[0]
        assert f'<a href="#entry-{point.pk}">Airport closed</a>' in section
        assert "Not a key point" not in section

    def test_unpublished_and_future_entries_are_not_shown(self, client):
        story = make_live_story()
        shown = make_entry(story)
        make_entry(story, status="draft", headline="Draft entry")
        make_entry(story, status="review", headline="Waiting entry")
        make_entry(story, published_at=timezone.now() + timedelta(hours=1), headline="Later")
        html = get(client, story)
        assert entry_ids(html) == [shown.pk]
        assert "Draft entry" not in html and "Waiting entry" not in html and "Later" not in html

    def test_a_correction_and_a_broken_out_story_show_under_their_entry(self, client):
        story = make_live_story()
        full = make_article(headline="The dam that held")
        entry = make_entry(story, broken_out_to=full)
        EntryCorrection.objects.create(entry=entry, text="The river is the Elbe.")
        hidden = make_article(headline="Not out yet", status=Article.Status.DRAFT)
        make_entry(story, broken_out_to=hidden)
        html = get(client, story)
        assert "The river is the Elbe." in html
        assert f'Full story: <a href="{full.get_absolute_url()}">The dam that held</a>' in html
        assert "Not out yet" not in html

    def test_older_updates_page_by_cursor(self, client):
        story = make_live_story()
        entries = [make_entry(story, minutes_ago=100 - i) for i in range(PAGE_SIZE + 5)]
        newest_first = [e.pk for e in reversed(entries)]
        html = get(client, story)
        assert entry_ids(html) == newest_first[:PAGE_SIZE]
        cursor = newest_first[PAGE_SIZE - 1]
        assert f"?before={cursor}#live" in html
        older = get(client, story, f"?before={cursor}")
        assert entry_ids(older) == newest_first[PAGE_SIZE:]
        assert 'data-state="paged"' in older and "js/live.js" not in older
        assert "?before=" not in older.split("live-entries")[1]

    @pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1" * 40, ""])
    def test_an_unknown_or_invalid_cursor_is_a_404(self, client, value):
        story = make_live_story()
        make_entry(story)
        other = make_entry(make_live_story(slug="other-live"))
        assert client.get(f"{story.get_absolute_url()}?before={value}").status_code == 404
        assert client.get(f"{story.get_absolute_url()}?before={other.pk}").status_code == 404

    def test_ended_coverage_says_so_and_does_not_poll(self, client):
        story = make_live_story(coverage_ended_at=timezone.now() - timedelta(minutes=5))
        make_entry(story, minutes_ago=10)
        html = client.get(story.get_absolute_url()).text
        assert "Coverage ended <time" in html
        assert 'data-state="ended"' in html and "js/live.js" not in html
        assert "badge-live" not in html

    def test_a_normal_story_has_no_stream(self, client):
        story = make_article()
        html = client.get(story.get_absolute_url()).text
        assert "live-stream" not in html and "badge-live" not in html


class TestBadges:
    def test_cards_say_live_while_coverage_is_open_only(self, client):
        section = make_section(slug="weather")
        make_live_story(section=section, headline="Open coverage")
        make_live_story(
            section=section,
            headline="Closed coverage",
            coverage_ended_at=timezone.now() - timedelta(minutes=1),
        )
        html = client.get("/section/weather/").text
        cards = {
            m[1]: m[0] for m in re.findall(r'class="card-title">(.*?)<a href="[^"]+">([^<]+)', html)
        }
        assert "badge-live" in cards["Open coverage"]
        assert "badge" not in cards["Closed coverage"]

    def test_coverage_ending_by_the_clock_takes_the_badge_off(self, client, clock):
        story = make_live_story(coverage_ended_at=timezone.now() + timedelta(minutes=5))
        assert "badge-live" in client.get(story.get_absolute_url()).text
        clock(minutes=6)
        html = client.get(story.get_absolute_url()).text
        assert "badge-live" not in html and "Coverage ended" in html


class TestEntryAlone:
    def test_the_fragment_is_the_entry_of_the_stream(self, client):
        story = make_live_story()
        entry = make_entry(story, headline="Power cut in the north")
        response = client.get(fragment_url(entry))
        assert response.status_code == 200
        assert response.text.startswith(f'<article id="entry-{entry.pk}"')
        assert "Power cut in the north" in response.text and "<html" not in response.text
        page = client.get(story.get_absolute_url()).text
        assert response.text.strip() in page

    def test_a_hidden_entry_or_another_storys_is_a_404(self, client):
        story = make_live_story()
        draft = make_entry(story, status="draft")
        other = make_entry(make_live_story(slug="elsewhere"))
        assert client.get(fragment_url(draft)).status_code == 404
        wrong = reverse("live:entry-fragment", args=[*story.address(), other.pk])
        assert client.get(wrong).status_code == 404
        unpublished = make_live_story(slug="not-yet", status=Article.Status.DRAFT)
        hidden = make_entry(unpublished)
        assert client.get(fragment_url(hidden)).status_code == 404
        assert client.get(hidden.get_absolute_url()).status_code == 404
        normal = make_article()
        url = reverse("live:entry", args=[*normal.address(), other.pk])
        assert client.get(url).status_code == 404

    def test_the_entry_page_is_shared_as_the_entry(self, client):
        story = make_live_story(headline="Storm makes landfall")
        entry = make_entry(story, headline="Bridge closed", body="<p>The bridge is shut.</p>")
        bare = make_entry(story, body="<p>Police ask drivers to stay home tonight.</p>")
        html = client.get(entry.get_absolute_url()).text
        url = f"{settings.SITE_URL}{entry.get_absolute_url()}"
        assert "<title>Bridge closed · " in html
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:title" content="Bridge closed">' in html
        assert '<meta property="og:description" content="The bridge is shut.">' in html
        assert (
            f'href="{story.get_absolute_url()}#entry-{entry.pk}">Follow the live coverage' in html
        )
        bare_html = client.get(bare.get_absolute_url()).text
        assert '<meta property="og:title" content="Storm makes landfall">' in bare_html

    def test_an_entry_under_a_wrong_date_is_a_404(self, client):
        story = make_live_story()
        entry = make_entry(story)
        year, month, day, slug = story.address()
        url = reverse("live:entry", args=[year - 1, month, day, slug, entry.pk])
        assert client.get(url).status_code == 404


class TestQueries:
    def test_a_live_story_page_adds_three_queries(self, client):
        story = make_live_story(bylines=[make_person()])
        make_entry(story, authors=[make_person()], is_key_point=True)
        make_entry(story, is_pinned=True)
        # The story page's own (tests/test_queries.py), and: 1. the entries of the
        # page together with the key points (one query); 2. their authors; 3. when the
        # next entry dated ahead appears (the stream's life ends then).
        expected = {**STORY_PAGE_READS, "live_entry": 2, "articles_person": 1}
        assert reads(client, story.get_absolute_url()) == expected

    def test_the_page_costs_the_same_for_two_or_twenty_entries(self, client):
        def cold(story):
            empty_caches()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(story.get_absolute_url()).status_code == 200
            return len(queries)

        small, big = make_live_story(slug="small"), make_live_story(slug="big")
        for story, n in ((small, 2), (big, 20)):
            for _ in range(n):
                make_entry(story, authors=[make_person()], is_key_point=True)
        assert cold(small) == cold(big)
