"""A live story's feed: its published entries, newest first, each with its own address
as link and guid (the story's page shows them all; a reader's app shows each).

The same RSS as the site's feeds (articles.feeds.StoryRssFeed: full text, authors,
update dates); the entries' photos and embeds as a feed reader gets them there.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.html import escape

from articles import body_photos
from articles.feeds import FEED_ITEMS, StoryRssFeed
from articles.seo import absolute_url
from core import rendering
from core.routes import cached_reverse
from embeds import rendering as embed_rendering
from live import stream
from live.models import Entry


class LiveStoryFeed(Feed):
    feed_type = StoryRssFeed
    language = settings.SITE_LANGUAGE

    def get_object(self, request, year, month, day, slug):
        return stream.live_story(year, month, day, slug)

    def title(self, obj):
        return f"{obj.headline} · {settings.SITE_NAME}"

    def description(self, obj):
        # Readers take a channel's description for HTML: the text is escaped.
        return escape(f"Live updates: {obj.excerpt}")

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(cached_reverse("live:feed", *obj.address()))

    def author_name(self, obj):
        return settings.SITE_NAME

    def items(self, obj):
        # Three queries whatever the length: entries, authors, and when the next one
        # dated ahead appears (the feed changes then); photos and embeds when any.
        items = list(
            Entry.objects.published()
            .of(obj)
            .prefetch_related("authors")
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )
        rendering.shows(*stream.tags_of(obj))
        rendering.expires(Entry.objects.of(obj).next_publication())
        photos = body_photos.photos_in(item.body for item in items)
        embeds = embed_rendering.embeds_in(item.body for item in items)
        for item in items:
            item.story = obj
            with_photos = body_photos.expand(item.body, photos, absolute_url)
            item.content_html = embed_rendering.as_links(with_photos, embeds)
        return items

    def item_title(self, item):
        return item.key_point

    def item_description(self, item):
        return escape(item.text)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.modified_at)

    def item_extra_kwargs(self, item):
        return {
            "content_html": item.content_html,  # sanitized on save (core.sanitize)
            "authors": [
                {"name": p.name, "url": absolute_url(p.get_absolute_url())}
                for p in item.authors.all()
            ],
            "image": None,
        }
