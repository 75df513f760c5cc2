"""Our oEmbed provider (https://oembed.com/): other sites embed our stories as cards.

A consumer asks ``/oembed/?url=<a story's address>`` and gets, in JSON or XML, what
the story is (headline, first byline, lead photo as a thumbnail) and an ``<iframe>``
of its card (``Article.get_card_url()``): a small page of ours, without script,
that any site may frame. The rules are pure: ``read_query()`` turns the request's
parameters into a ``Query`` or refuses them with the status and the reason, and
``answer()`` states the reply. Only what readers may see is answered
(``Article.objects.published()``): a draft, a scheduled or embargoed story is a 404
as an unknown address is, so a guessed slug learns nothing.
"""

import re
from dataclasses import dataclass
from io import StringIO
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, Credit, adopt_lead_photo_renditions
from articles.seo import absolute_url
from core.routes import cached_reverse
from core.security import build_policy
from photos import renditions

FORMATS = ("json", "xml")
# The card's width unless the consumer asks for less, and the height of its words under
# the photo (static/css/story-card.css keeps them to that: lines are clamped).
CARD_WIDTH = 560
CARD_TEXT_HEIGHT = 190
# The card's photo and the answer's thumbnail: the listings' crop, made on upload.
CARD_CROP = "3:2"
# How long a consumer may keep an answer (seconds). Our own caches follow every edit;
# theirs cannot, so an hour: a corrected headline reaches them within one.
CACHE_AGE = 3600
# maxwidth and maxheight: a positive number of pixels, nine digits at most.
PIXELS = re.compile(r"0*[1-9][0-9]{0,8}")
# XML 1.0 cannot carry these, even escaped; a headline pasted from elsewhere may.
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Refused(Exception):
    """The request cannot be answered: ``status`` (400, 404, 501) and why, for its sender."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Query:
    slug: str
    format: str = "json"
    maxwidth: int | None = None
    maxheight: int | None = None


def read_query(params):
    """The ``Query`` in ``params`` (request.GET), or ``Refused``: 400 for a missing or
    malformed ``url`` or size, 501 for a format we do not serve, 404 for an address
    that is not one of our stories."""
    url = params.get("url", "").strip()
    fmt = params.get("format", "json") or "json"
    maxwidth, maxheight = pixels(params, "maxwidth"), pixels(params, "maxheight")
    slug = story_slug(url)
    if fmt not in FORMATS:
        raise Refused(501, f"Format {fmt!r} is not served: ask for json or xml.")
    return Query(slug, fmt, maxwidth, maxheight)


def pixels(params, name):
    value = params.get(name, "")
    if not value:
        return None
    if not PIXELS.fullmatch(value):
        raise Refused(400, f"{name} must be a whole number of pixels above 0, not {value!r}.")
    return int(value)


def story_slug(url):
    """The slug of the story at ``url``, an address of this site (SITE_URL's host and
    port; http or https, as a proxy may redirect one to the other)."""
    if not url:
        raise Refused(400, "Name the story to embed: /oembed/?url=<the story's address>.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(400, f"Not a valid address: {url!r} ({error}).") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(400, f"Not an http or https address with a host: {url!r}.")
    site = urlsplit(settings.SITE_URL)
    if (parts.hostname, port) != (site.hostname, site.port):
        raise Refused(404, f"Only stories of {settings.SITE_URL} are embedded here.")
    try:
        match = resolve(unquote(parts.path))
    except Resolver404 as error:
        raise Refused(404, "No story at this address.") from error
    if match.view_name != "articles:detail":
        raise Refused(404, "No story at this address.")
    return match.kwargs["slug"]


def embeddable_stories():
    """What readers may see, with what an answer and a card show: the lead photo and its
    stored renditions (in the story's row), and the bylines with their people."""
    bylines = Credit.objects.filter(role=Credit.Role.BYLINE).select_related("person")
    return (
        Article.objects.published()
        .with_lead_photos_inline()
        .prefetch_related(Prefetch("credits", queryset=bylines, to_attr="byline_credits"))
    )


def find_story(slug):
    """The published story ``slug``, or ``Refused`` (404)."""
    story = embeddable_stories().filter(slug=slug).first()
    if story is None:
        raise Refused(404, "No story at this address.")
    adopt_lead_photo_renditions([story])
    return story


def has_photo(story):
    return story.lead_photo is not None and bool(story.lead_photo.file)


def card_size(story, maxwidth=None, maxheight=None):
    """(width, height) of the card's frame, within what the consumer allows."""
    width = min(CARD_WIDTH, maxwidth or CARD_WIDTH)
    height = CARD_TEXT_HEIGHT
    if has_photo(story):
        height += renditions.height_at(story.lead_photo, CARD_CROP, width)
    return width, min(height, maxheight or height)


def thumbnail(story, maxwidth=None, maxheight=None):
    """The lead photo's largest rendition within the consumer's sizes (the spec holds
    thumbnails to them too), as oEmbed fields; none without a photo or one that fits."""
    if not has_photo(story):
        return {}
    photo = story.lead_photo
    limit = min(maxwidth or renditions.LARGE, renditions.LARGE)
    fits = [
        width
        for width in renditions.widths(photo, CARD_CROP)
        if width <= limit
        and (maxheight is None or renditions.height_at(photo, CARD_CROP, width) <= maxheight)
    ]
    if not fits:
        return {}
    image = renditions.largest(photo, CARD_CROP, limit=max(fits))
    return {
        "thumbnail_url": absolute_url(image.url),
        "thumbnail_width": image.width,
        "thumbnail_height": image.height,
    }


def author(story):
    """The first byline, as oEmbed's author fields (none for a story without one)."""
    if not story.byline_credits:
        return {}
    person = story.byline_credits[0].person
    return {"author_name": person.name, "author_url": absolute_url(person.get_absolute_url())}


def answer(story, query):
    """The oEmbed response for ``story`` (read through ``find_story()``), as a dict."""
    width, height = card_size(story, query.maxwidth, query.maxheight)
    frame = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
        absolute_url(story.get_card_url()),
        width,
        height,
        story.headline,
    )
    return {
        "version": "1.0",
        "type": "rich",
        "title": story.headline,
        **author(story),
        "provider_name": settings.SITE_NAME,
        "provider_url": f"{settings.SITE_URL}/",
        "cache_age": CACHE_AGE,
        **thumbnail(story, query.maxwidth, query.maxheight),
        "html": str(frame),
        "width": width,
        "height": height,
    }


def to_xml(fields):
    """The XML form of an answer: ``<oembed>`` with one element per field."""
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8")
    xml.startDocument()
    xml.startElement("oembed", {})
    for name, value in fields.items():
        xml.addQuickElement(name, XML_UNSAFE.sub("", str(value)))
    xml.endElement("oembed")
    xml.endDocument()
    return out.getvalue()


def discovery_url(story, fmt):
    """Where a consumer that read ``story``'s page asks for its answer in ``fmt``."""
    query = urlencode({"url": absolute_url(story.get_absolute_url()), "format": fmt})
    return absolute_url(f"{cached_reverse('articles:oembed')}?{query}")


def card_policy():
    """The card's Content-Security-Policy: framed by any site (``frame-ancestors *``),
    running nothing (no script source at all), loading only our stylesheet and images."""
    return build_policy(
        {
            "default-src": ["'none'"],
            "img-src": settings.SECURE_CSP["img-src"],
            "style-src": ["'self'"],
            "base-uri": ["'none'"],
            "form-action": ["'none'"],
            "frame-ancestors": ["*"],
        }
    )
