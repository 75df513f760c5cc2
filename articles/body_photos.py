"""Photos in a story's body: the stored references, and the figures readers get.

The body keeps only a reference to the library (core.sanitize explains the markup),
so a fixed credit or a new crop reaches every story using the photo. The reader
page, the admin's reading view and the feeds expand the references here, reading
every photo of the text at once (photos_in); each figure declares its photo's cache tag
(``{% picture %}``: photos.renditions), so the page cache forgets exactly the
stories showing a photo that changed. A reference to a photo that no longer
exists shows nothing.
"""

import re
from html import unescape

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from photos import renditions
from photos.models import Photo

# The sanitizer's output (core.sanitize.clean_body): double-quoted, escaped attributes
# (a value may hold ">", never '"').
REFERENCE = re.compile(
    r"<figure(?P<attributes>(?:\s[a-z-]+=\"[^\"]*\")*?\sdata-photo=\"\d+\"(?:\s[a-z-]+=\"[^\"]*\")*)>"
    r".*?</figure>",
    re.S,
)
GALLERY = re.compile(r"<div data-gallery=\"\">(?P<inner>.*?)</div>", re.S)
ATTRIBUTE = re.compile(r"([a-z-]+)=\"([^\"]*)\"")
# The addresses in a <picture>: one in src, several ("address 640w") in srcset.
ADDRESSES = re.compile(r"\b(src|srcset)=\"([^\"]*)\"")

# What the figure's width is on the page, for the browser to pick a rendition.
SIZES = {
    "": "(min-width: 60rem) 40rem, 100vw",
    "wide": "(min-width: 75rem) 60rem, 100vw",
    "inset": "(min-width: 60rem) 20rem, 50vw",
    "gallery": "(min-width: 60rem) 20rem, 50vw",
}


def reference_attributes(match):
    return {name: unescape(value) for name, value in ATTRIBUTE.findall(match["attributes"])}


def photo_ids(html):
    """The library photos ``html`` refers to, in order of appearance, once each."""
    ids = (int(reference_attributes(m)["data-photo"]) for m in REFERENCE.finditer(html or ""))
    return list(dict.fromkeys(ids))


def photos_in(bodies):
    """Every photo the ``bodies`` refer to, by id, with its stored renditions: two
    queries for all of them, however many."""
    ids = {pk for body in bodies for pk in photo_ids(body)}
    return Photo.objects.prefetch_related(renditions.stored_prefetch()).in_bulk(ids) if ids else {}


def undescribed(html):
    """The photos ``html`` (sanitized) shows that have no alt text and are not decorative:
    a story showing one may not be published."""
    return [p for p in Photo.objects.filter(pk__in=photo_ids(html)) if not p.described]


def on_site(picture, absolute):
    """``picture`` with every address passed through ``absolute``: a feed reader
    fetches them from elsewhere than our pages."""

    def rewrite(match):
        entries = [entry.strip().split(" ", 1) for entry in unescape(match[2]).split(",")]
        urls = ", ".join(
            " ".join([absolute(entry[0]), *entry[1:]]) for entry in entries if entry[0]
        )
        return format_html('{}="{}"', match[1], urls)

    return mark_safe(ADDRESSES.sub(rewrite, picture))  # noqa: S308  (each address escaped)


def figure(photo, attributes, in_gallery=False, absolute=None):
    size = "" if in_gallery else attributes.get("data-size", "")
    caption = attributes.get("data-caption", "").strip() or photo.caption
    picture = renditions.picture_html(
        photo,
        crop="3:2" if in_gallery else "original",
        sizes=SIZES["gallery" if in_gallery else size],
        loading="lazy",
    )
    if absolute is not None:
        picture = on_site(picture, absolute)
    words = ""
    if caption or photo.credit:
        credit = format_html(' <span class="image-credit">{}</span>', photo.credit)
        words = format_html(
            "<figcaption>{}{}</figcaption>", caption, credit if photo.credit else ""
        )
    classes = "body-photo" + (f" body-photo-{size}" if size else "")
    return format_html('<figure class="{}">{}{}</figure>', classes, picture, words)


def expand(html, photos=None, absolute=None):
    """The body ``html`` (sanitized) with its references as figures, marked safe.

    ``photos`` (by id, from ``photos_in()``) saves the query when many bodies are
    expanded at once, as a feed does; ``absolute`` makes the pictures' addresses
    absolute (articles.seo.absolute_url), for a feed.
    """
    html = html or ""
    if photos is None:
        photos = photos_in([html])

    def expand_reference(match, in_gallery=False):
        photo = photos.get(int(reference_attributes(match)["data-photo"]))
        if photo is None:
            return ""
        return figure(photo, reference_attributes(match), in_gallery, absolute)

    def expand_gallery(match):
        figures = REFERENCE.sub(lambda m: expand_reference(m, in_gallery=True), match["inner"])
        if not figures.strip():
            return ""
        return format_html('<div class="body-gallery">{}</div>', mark_safe(figures))  # noqa: S308

    html = GALLERY.sub(expand_gallery, html)
    return mark_safe(REFERENCE.sub(expand_reference, html))  # noqa: S308  (sanitized on save)
