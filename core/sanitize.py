"""The one place editor HTML becomes safe HTML.

Article bodies pass through ``clean_body`` on save, so what the database holds
is always safe to render; templates mark only that stored result as safe.
The allow-list is what the admin's rich-text editor produces and no more.

A photo from the library is stored as a reference, ``<figure data-photo="12"></figure>``
(optionally ``data-size`` and a ``data-caption`` overriding the library's caption), and
a gallery as ``<div data-gallery="">`` around references; the reader page expands them
(articles.body_photos). Only those attributes, with those values, are kept.

An embed (a video, a post of another site: embeds.models.Embed) is stored as
``<figure data-embed="12"></figure>`` and nothing else: no other attribute, no
content. The reader page draws it from the row (embeds.rendering); an address alone
on its line becomes one when the story is saved (embeds.references), after this.

Elements that carry meaning are kept even where the editor has no button for them:
a struck-through correction (``del``, ``s``) must not read as current, nor a
definition list run together. A few old or out-of-place names are kept under the
name that means the same here (``RENAMED``): the page's headline is its only ``h1``.
``lost_in_cleaning`` says what ``clean_body`` would drop, for those who must report it.
"""

import re
from collections import Counter
from html.parser import HTMLParser

import bleach
from html5lib.filters.base import Filter

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "kbd",
        "var",
        "samp",
        "sub",
        "sup",
        "small",
        "mark",
        "a",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "address",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
        "figure",
        "figcaption",
        "div",
        "img",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "pre",
        "code",
    }
)

# Kept under another name: (h1) a body's headings rank below the story's headline;
# (strike, acronym, tt) what HTML5 calls them.
RENAMED = {"h1": "h2", "strike": "s", "acronym": "abbr", "tt": "code"}

# Wrappers that only arranged or coloured their text, which stays: not worth a report.
PRESENTATIONAL = frozenset(
    {
        "span",
        "div",
        "font",
        "center",
        "big",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "hgroup",
        "colgroup",
        "col",
        "picture",
        "source",
        "wbr",
        "nobr",
        "o:p",
    }
)

# How wide a body photo is shown: absent is the column's width.
PHOTO_SIZES = frozenset({"wide", "inset"})
_PHOTO_ID = re.compile(r"[1-9][0-9]{0,17}")


def _figure_attribute(tag, name, value):
    if name in ("data-photo", "data-embed"):
        return _PHOTO_ID.fullmatch(value) is not None
    if name == "data-size":
        return value in PHOTO_SIZES
    return name == "data-caption"  # text: escaped wherever it is shown


def _div_attribute(tag, name, value):
    return name == "data-gallery" and value == ""


ALLOWED_ATTRIBUTES = {
    "figure": _figure_attribute,
    "div": _div_attribute,
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title", "width", "height"],
    "abbr": ["title"],
    "acronym": ["title"],
    "del": ["cite", "datetime"],
    "ins": ["cite", "datetime"],
    "details": ["open"],
    "q": ["cite"],
    "blockquote": ["cite"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "ol": ["start", "reversed"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# bleach strips a disallowed tag but keeps its text; for these the text is code, not prose.
_CODE_ELEMENTS = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)


# C0 controls other than tab, newline and carriage return: invisible junk from pasted
# documents that XML 1.0 cannot carry, so one would break every feed listing the story.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text)


class _RenamedElements(Filter):
    """``RENAMED``'s elements under their names here (after sanitizing: attributes are safe)."""

    def __iter__(self):
        for token in super().__iter__():
            name = RENAMED.get(token.get("name"))
            if name and token["type"] in ("StartTag", "EndTag", "EmptyTag"):
                token = {**token, "name": name}
            yield token


class _OnlyGalleryDivs(Filter):
    """A ``<div>`` is kept only as a gallery: any other is stripped, keeping its text."""

    def __iter__(self):
        galleries = []  # for each open div, whether it is a gallery
        for token in super().__iter__():
            if token.get("name") == "div" and token["type"] == "StartTag":
                galleries.append((None, "data-gallery") in token["data"])
                kept = galleries[-1]
            elif token.get("name") == "div" and token["type"] == "EndTag":
                kept = bool(galleries and galleries.pop())
            else:
                kept = True
            if kept:
                yield token


class _BareEmbedReferences(Filter):
    """A figure with ``data-embed`` keeps that attribute alone, and nothing inside it."""

    def __iter__(self):
        depth = 0  # figures open inside an embed reference, itself included
        for token in super().__iter__():
            is_figure = token.get("name") == "figure"
            if depth:
                if is_figure and token["type"] == "StartTag":
                    depth += 1
                elif is_figure and token["type"] == "EndTag":
                    depth -= 1
                    if not depth:
                        yield token
                continue
            if is_figure and token["type"] == "StartTag" and (None, "data-embed") in token["data"]:
                embed = token["data"][(None, "data-embed")]
                token = {**token, "data": {(None, "data-embed"): embed}}
                depth = 1
            yield token


def clean_body(html: str) -> str:
    """Return ``html`` reduced to the allow-list; anything else is stripped."""
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS | RENAMED.keys(),
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_RenamedElements, _OnlyGalleryDivs, _BareEmbedReferences],
    )
    return cleaner.clean(_CODE_ELEMENTS.sub("", strip_control_characters(html or ""))).strip()


class _ElementCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = Counter()

    def handle_starttag(self, tag, attrs):
        self.elements[tag] += 1


def lost_in_cleaning(html: str) -> Counter:
    """The elements ``clean_body`` would drop from ``html``, by name: how many of each.

    Presentational wrappers are left out (their text stays, and nothing else was in
    them); so are attributes (classes, styles), which every pasted document carries.
    A ``script`` or ``style`` loses its code, any other element its markup but not its text.
    """
    counter = _ElementCounter()
    counter.feed(html or "")
    counter.close()
    kept = ALLOWED_TAGS | RENAMED.keys() | PRESENTATIONAL
    return Counter({tag: n for tag, n in counter.elements.items() if tag not in kept})
