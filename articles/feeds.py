"""RSS 2.0 and Atom feeds of the latest published stories: site-wide, and per section,
tag and author (articles.collections).

Each item carries the dek as its summary, the full sanitized body as its
content, every byline, the tags as categories and the lead photo (Media RSS:
https://www.rssboard.org/media-rss, ``media:content`` with its credit and
description). Links are absolute on SITE_URL (Django would otherwise take the
domain from the request).
"""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape

from articles import body_photos, cache_tags
from articles.models import Article, Credit
from articles.seo import absolute_url, modified_at
from core import rendering
from embeds import rendering as embed_rendering
from photos import renditions

FEED_ITEMS = 20

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
# A feed reader shows the lead photo at most this wide: the largest rendition up to it.
FEED_PHOTO_WIDTH = 1280


def add_media_content(handler, image):
    """``<media:content>`` of the lead image, with the photo's credit and description."""
    if not image:
        return
    handler.startElement("media:content", image["attrs"])
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"], {"role": "photographer"})
    if image["description"]:
        handler.addQuickElement("media:description", image["description"], {"type": "plain"})
    handler.endElement("media:content")


class StoryRssFeed(Rss201rev2Feed):
    """RSS 2.0 plus content:encoded (full body), dc:creator per author, media:content
    and atom:updated."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has no update date of its own; Atom's element is the common extension.
        handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        handler.addQuickElement("content:encoded", item["content_html"])
        add_media_content(handler, item["image"])


class StoryAtomFeed(Atom1Feed):
    """Atom plus <content type="html"> (full body), an author per byline, media:content."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        add_media_content(handler, item["image"])


class AtomMixin:
    feed_type = StoryAtomFeed

    def subtitle(self, obj):
        return self.about(obj)  # an Atom text construct: plain text, as it is


class LatestStoriesFeed(Feed):
    feed_type = StoryRssFeed
    language = settings.SITE_LANGUAGE
    route = "articles:feed"

    def title(self, obj):
        return settings.SITE_NAME

    def about(self, obj):
        """What the feed is about, as plain text."""
        return f"The latest stories from {settings.SITE_NAME}."

    def description(self, obj):
        # Readers take an RSS channel's description for HTML, as they do an item's
        # (item_description), and the text may hold a tag's or a person's name:
        # escaped, it reads as typed and never runs.
        return escape(self.about(obj))

    def link(self, obj):
        return absolute_url(reverse("articles:front"))

    def feed_url(self, obj):
        return absolute_url(reverse(self.route, kwargs=self.route_kwargs(obj)))

    def route_kwargs(self, obj):
        return {}

    # Atom requires an author on the feed or on every entry: the publication
    # stands in for stories without a byline.
    def author_name(self, obj):
        return settings.SITE_NAME

    def stories(self, obj):
        return Article.objects.published()

    def collection_tag(self, obj):
        """The cache tag of the stories this feed lists (articles.cache_tags)."""
        return cache_tags.FEED

    def items(self, obj):
        # Three queries whatever the length: stories (with their lead photos),
        # bylines (with people), tags; and one for the photos' stored renditions.
        items = list(
            self.stories(obj)
            .with_lead_photos()
            .prefetch_related(
                Prefetch(
                    "credits",
                    queryset=Credit.objects.bylines().select_related("person"),
                    to_attr="feed_bylines",
                ),
                "tags",
            )
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )
        rendering.shows(self.collection_tag(obj), *cache_tags.stories(items))
        photos = body_photos.photos_in(item.body for item in items)  # one query for all
        embeds = embed_rendering.embeds_in(item.body for item in items)  # none without embeds
        for item in items:
            with_photos = body_photos.expand(item.body, photos, absolute_url)
            item.body_with_photos = embed_rendering.as_links(with_photos, embeds)
        return items

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Readers treat RSS descriptions and Atom summaries as HTML; the dek is text.
        return escape(item.dek or item.excerpt)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return modified_at(item)

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        """A video or audio story's uploaded file (what podcast apps play), else an
        uploaded lead image: files whose size we know. RSS allows one enclosure, and
        images kept elsewhere have no known length (which an enclosure requires); those
        appear only as media:content."""
        if item.media_file and item.media_mime_type:
            return self.enclosure(item.media_file, item.media_mime_type)
        if item.lead_image:
            mime_type = mimetypes.guess_type(item.lead_image.name)[0] or "image/jpeg"
            return self.enclosure(item.lead_image, mime_type)
        return []

    @staticmethod
    def enclosure(file, mime_type):
        try:
            length = file.size
        except OSError:  # the file went missing from storage
            return []
        return [Enclosure(absolute_url(file.url), str(length), mime_type)]

    def item_image(self, item):
        """The lead photo's largest rendition for readers (never the original, which may
        carry EXIF), else the older lead image fields."""
        photo = item.lead_photo
        if photo is not None and photo.file:
            shown = renditions.largest(photo, "original", limit=FEED_PHOTO_WIDTH)
            return {
                "attrs": {
                    "url": absolute_url(shown.url),
                    "medium": "image",
                    "type": renditions.MIME[renditions.fallback_format(photo)],
                    "width": str(shown.width),
                    "height": str(shown.height),
                },
                "credit": photo.credit,
                "description": photo.caption or photo.alt_text,
            }
        if item.lead_image_src:
            attrs = {"url": absolute_url(item.lead_image_src), "medium": "image"}
            return {"attrs": attrs, "credit": item.lead_image_credit, "description": ""}
        return None

    def item_extra_kwargs(self, item):
        return {
            "content_html": item.body_with_photos,  # sanitized on save (core.sanitize)
            "authors": [
                {"name": c.person.name, "url": absolute_url(c.person.get_absolute_url())}
                for c in item.feed_bylines
            ],
            "image": self.item_image(item),
        }


class LatestStoriesAtomFeed(AtomMixin, LatestStoriesFeed):
    route = "articles:feed-atom"


class CollectionFeed(LatestStoriesFeed):
    """The latest stories of one section, tag or person (articles.collections); one that
    no published story is in has no feed (a 404, as its archive page)."""

    route_suffix = ""

    def __init__(self, collection):
        super().__init__()
        self.collection = collection
        self.route = f"articles:{collection.name}-feed{self.route_suffix}"

    def get_object(self, request, slug):
        return get_object_or_404(self.collection.model, slug=slug)

    def collection_tag(self, obj):
        return self.collection.cache_tag(obj.pk)

    def route_kwargs(self, obj):
        return {"slug": obj.slug}

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def about(self, obj):
        return self.collection.feed_description(obj)

    def link(self, obj):
        return absolute_url(reverse(f"articles:{self.collection.name}", kwargs={"slug": obj.slug}))

    def stories(self, obj):
        return self.collection.stories(obj)

    def items(self, obj):
        items = super().items(obj)
        if not items:  # known from the stories read anyway: no query of its own
            raise Http404(f"No published stories in this {self.collection.name}.")
        return items


class CollectionAtomFeed(AtomMixin, CollectionFeed):
    route_suffix = "-atom"
