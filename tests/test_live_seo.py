"""What machines get of a live story: LiveBlogPosting JSON-LD with its newest entries
(stale the moment an entry changes), the story's feed of entries, and its place in
the news sitemap while it is followed."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from live.models import PAGE_SIZE, EntryCorrection
from tests.factories import make_article, make_person
from tests.live_factories import make_entry, make_live_story

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, story):
    html = client.get(story.get_absolute_url()).text
    found = [json.loads(block) for block in SCRIPT.findall(html)]
    assert len(found) == 1
    return found[0]


class TestLiveBlogPosting:
    def test_it_has_what_google_asks_for(self, client):
        reporter = make_person(name="Ana Ruiz")
        story = make_live_story(headline="Storm makes landfall", bylines=[reporter])
        entry = make_entry(story, headline="Bridge closed", authors=[make_person(name="Li Wei")])
        bare = make_entry(story, minutes_ago=1, body="<p>Police ask drivers to stay home.</p>")
        data = json_ld(client, story)
        assert data["@type"] == "LiveBlogPosting"
        assert data["headline"] == "Storm makes landfall"
        assert data["coverageStartTime"] == timezone.localtime(story.published_at).isoformat()
        assert "coverageEndTime" not in data
        assert data["publisher"]["name"] == settings.SITE_NAME
        assert [a["name"] for a in data["author"]] == ["Ana Ruiz"]
        updates = data["liveBlogUpdate"]
        assert [u["url"] for u in updates] == [
            f"{settings.SITE_URL}{bare.get_absolute_url()}",
            f"{settings.SITE_URL}{entry.get_absolute_url()}",
        ]
        for update in updates:
            assert update["@type"] == "BlogPosting"
            assert {"headline", "datePublished", "dateModified", "articleBody", "author"} <= set(
                update
            )
        assert updates[1]["headline"] == "Bridge closed"
        assert updates[1]["author"][0]["name"] == "Li Wei"
        assert updates[0]["articleBody"] == "Police ask drivers to stay home."
        assert updates[0]["author"][0]["name"] == "Ana Ruiz"  # the story's, for want of its own

    def test_ended_coverage_has_its_end(self, client):
        ended = timezone.now() - timedelta(minutes=3)
        story = make_live_story(coverage_ended_at=ended)
        assert json_ld(client, story)["coverageEndTime"] == timezone.localtime(ended).isoformat()

    def test_the_newest_updates_are_listed(self, client):
        story = make_live_story()
        entries = [make_entry(story, minutes_ago=100 - i) for i in range(PAGE_SIZE + 3)]
        listed = [u["url"] for u in json_ld(client, story)["liveBlogUpdate"]]
        newest = [f"{settings.SITE_URL}{e.get_absolute_url()}" for e in reversed(entries)]
        assert listed == newest[:20]

    def test_a_new_entry_reaches_the_json_ld_at_once(self, client, clock, on_commit):
        clock.freeze()
        story = make_live_story()
        assert json_ld(client, story)["liveBlogUpdate"] == []
        with on_commit():
            entry = make_entry(story, headline="First update")
        clock(seconds=2)
        assert [u["headline"] for u in json_ld(client, story)["liveBlogUpdate"]] == [entry.headline]

    def test_a_normal_story_keeps_its_news_article(self, client):
        assert json_ld(client, make_article())["@type"] == "NewsArticle"


class TestFeed:
    def test_the_storys_entries_newest_first_with_their_addresses(self, client):
        story = make_live_story(headline="Storm makes landfall")
        old = make_entry(story, minutes_ago=20, headline="Ferries cancelled")
        new = make_entry(story, minutes_ago=2, body="<p>Winds ease <b>at last</b>.</p>")
        make_entry(story, status="draft", headline="Not yet")
        response = client.get(reverse("live:feed", args=story.address()))
        assert response.status_code == 200
        feed = ElementTree.fromstring(response.content)  # noqa: S314  (our own output)
        channel = feed.find("channel")
        items = channel.findall("item")
        assert [i.findtext("title") for i in items] == ["Winds ease at last.", "Ferries cancelled"]
        guids = [i.find("guid") for i in items]
        assert [g.text for g in guids] == [
            f"{settings.SITE_URL}{new.get_absolute_url()}",
            f"{settings.SITE_URL}{old.get_absolute_url()}",
        ]
        assert guids[0].get("isPermaLink", "true") == "true"
        content = items[0].findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        assert "<b>at last</b>" in content

    def test_the_story_page_links_its_feed(self, client):
        story = make_live_story()
        feed = f"{settings.SITE_URL}{reverse('live:feed', args=story.address())}"
        html = client.get(story.get_absolute_url()).text
        title = f"{story.headline} (updates)"
        assert f'type="application/rss+xml" title="{title}" href="{feed}">' in html

    def test_no_feed_for_a_story_that_is_not_live_or_not_public(self, client):
        assert client.get(reverse("live:feed", args=make_article().address())).status_code == 404
        draft = make_live_story(slug="draft-live", status="draft")
        assert client.get(reverse("live:feed", args=draft.address())).status_code == 404


class TestNewsSitemap:
    def locations(self, client):
        xml = client.get("/news-sitemap.xml").content
        root = ElementTree.fromstring(xml)  # noqa: S314  (our own output)
        namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        return {loc.text for loc in root.iter(f"{namespace}loc")}

    def test_open_coverage_stays_however_old(self, client):
        week_ago = timezone.now() - timedelta(days=7)
        open_story = make_live_story(slug="open-live", published_at=week_ago)
        ended = make_live_story(
            slug="ended-live",
            published_at=week_ago,
            coverage_ended_at=week_ago + timedelta(days=1),
        )
        old = make_article(slug="old-news", published_at=week_ago)
        found = self.locations(client)
        assert f"{settings.SITE_URL}{open_story.get_absolute_url()}" in found
        assert f"{settings.SITE_URL}{ended.get_absolute_url()}" not in found
        assert f"{settings.SITE_URL}{old.get_absolute_url()}" not in found

    def test_ending_coverage_takes_it_out_once_the_window_passes(self, client, clock, on_commit):
        clock.freeze()
        story = make_live_story(published_at=timezone.now() - timedelta(days=7))
        url = f"{settings.SITE_URL}{story.get_absolute_url()}"
        assert url in self.locations(client)
        with on_commit():
            story.coverage_ended_at = timezone.now() - timedelta(days=3)
            story.save()
        clock(seconds=2)
        assert url not in self.locations(client)


def test_control_characters_never_reach_the_entries_feed(client):
    """XML 1.0 has no place for them: cleaned on save, as a story's text is."""
    story = make_live_story()
    entry = make_entry(story, headline="Wind\x0b speeds", body="<p>Gusts\x01 of 90 mph.</p>")
    correction = EntryCorrection.objects.create(entry=entry, text="Not\x08 80.")
    entry.refresh_from_db()
    correction.refresh_from_db()
    assert (entry.headline, entry.body, correction.text) == (
        "Wind speeds",
        "<p>Gusts of 90 mph.</p>",
        "Not 80.",
    )
    feed = client.get(reverse("live:feed", args=story.address()))
    assert feed.status_code == 200 and b"Wind speeds" in feed.content
