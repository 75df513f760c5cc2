"""Read a WordPress eXtended RSS export (WXR 1.0 to 1.2) as a stream of plain records.

``read(path)`` yields one ``Site``, then ``Author``, ``Term`` and ``Item``
records in file order. Every element is cleared once read, so memory stays flat
however large the export. Values are kept as WordPress wrote them (slugs
percent-encoded, names with HTML entities); the importer decides what they mean.

WordPress.com and older exports leave out what identifies things (no author or
post ids, no ``<wp:base_site_url>``): each record still gets a key that is the
same on every export of the same site (``Site.key``, ``stable_id``), so that a
second import updates, and two blogs never share one.

The standard library's parser is safe for this (so no defusedxml): ElementTree
never fetches external entities, and expat refuses "billion laughs" and
quadratic-blowup entity expansion since 2.4.1, which ``read`` insists on.
"""

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from urllib.parse import parse_qs, urlsplit
from xml.parsers.expat import ErrorString, version_info

from django.core.exceptions import ImproperlyConfigured

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
SAFE_EXPAT = (2, 4, 1)

# The channel's own fields, which WordPress writes before any author, term or item.
SITE_FIELDS = {"title", "link", "wp:wxr_version", "wp:base_site_url", "wp:base_blog_url"}

# WordPress.com and the Theme Review Team's sample data write https://; WordPress reads both.
WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/(excerpt/)?")
PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# WXR 1.0 files items under tags as domain="tag".
ITEM_TAXONOMIES = {"tag": "post_tag"}
# Keys made up for what the export gives no id start here, above any id WordPress hands out.
STABLE_ID_FLOOR = 2**62


def stable_id(*parts):
    """A number for something the export names but gives no id, the same on every export."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return STABLE_ID_FLOOR + int.from_bytes(digest[:7], "big")


class ExportError(Exception):
    """The file cannot be read as a whole WordPress export: import nothing from it."""


@dataclass(frozen=True)
class Site:
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    wxr_version: str

    @property
    def key(self):
        """What tells this blog from every other: ``example.com/news``. Not the base site
        URL first (https://wordpress.com/ in every WordPress.com export); by its title
        when the export names no address (WordPress's own test files)."""
        for url in (self.base_blog_url, self.link, self.base_site_url):
            parts = urlsplit(url.strip())
            if parts.netloc:
                return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]
        return f"untitled:{self.title.strip()}"[:200]


@dataclass(frozen=True)
class Author:
    wp_id: int  # the export's author_id, or a stable_id of the login
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    description: str


@dataclass(frozen=True)
class Term:
    taxonomy: str  # "category", "post_tag", or another taxonomy such as "nav_menu"
    wp_id: int
    slug: str
    name: str
    parent: str  # the parent's slug, or ""
    description: str


@dataclass(frozen=True)
class ItemTerm:
    """A term an item is filed under: ``<category domain="post_tag" nicename="...">``."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    wp_id: int
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: datetime | None  # the site's local time, naive
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash" or "post-trashed"
    type: str  # "", "comment", "pingback", "trackback", or a plugin's own
    parent: int
    user_id: int


@dataclass(frozen=True)
class Item:
    wp_id: int  # the post_id; else the ?p=ID of its guid or link; else a stable_id
    wp_id_is_real: bool  # False for a stable_id: no /?p=ID address ever pointed at it
    post_type: str
    status: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_name: str
    post_date: datetime | None  # the site's local time, naive
    post_date_gmt: datetime | None
    post_modified_gmt: datetime | None
    comment_status: str
    parent: int
    menu_order: int
    password: str
    is_sticky: bool
    attachment_url: str
    terms: tuple[ItemTerm, ...]
    meta: dict[str, str]
    comments: tuple[Comment, ...]


@lru_cache(maxsize=256)
def qualified_name(tag):
    """``{http://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``, whatever the version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    match = WP_NAMESPACE.fullmatch(uri)
    if match:
        return f"{'excerpt' if match.group(1) else 'wp'}:{local}"
    return f"{PREFIXES.get(uri, uri)}:{local}"


def read(path):
    """Yield the export's ``Site``, then its authors, terms and items, streaming."""
    if version_info < SAFE_EXPAT:
        raise ImproperlyConfigured(
            f"This Python uses expat {'.'.join(map(str, version_info))}, which expands XML "
            "entities without limit; upgrade to expat 2.4.1 or later to import exports."
        )
    channel = None
    depth = 0
    site_fields = {}
    site = None
    try:
        # S314: safe with expat >= 2.4.1, checked above.
        for event, element in ET.iterparse(path, events=("start", "end")):  # noqa: S314
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise ExportError(f"its root element is <{element.tag}>, not <rss>")
                if depth == 2 and qualified_name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            tag = qualified_name(element.tag)
            reader = RECORD_READERS.get(tag)
            if reader is None:
                if tag in SITE_FIELDS and site is None:
                    site_fields[tag] = (element.text or "").strip()
            else:
                if site is None:
                    site = _site(site_fields)
                    yield site
                yield reader(element)
            # Drops the element just read, and with it everything before it.
            channel.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise ExportError(f"{ErrorString(error.code)} at line {line}, column {column}") from error
    if channel is None:
        raise ExportError("it has no <channel>")
    if site is None:
        yield _site(site_fields)


def _site(fields):
    version = fields.get("wp:wxr_version")
    if not version:
        raise ExportError(
            "it has no <wp:wxr_version>; make it with WordPress's Tools › Export › All content"
        )
    if version not in SUPPORTED_VERSIONS:
        raise ExportError(
            f"it is WXR {version}, and only WXR {', '.join(SUPPORTED_VERSIONS)} are read; "
            "export it again with WordPress's Tools › Export › All content"
        )
    return Site(
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        base_site_url=fields.get("wp:base_site_url", ""),
        base_blog_url=fields.get("wp:base_blog_url") or fields.get("link", ""),
        wxr_version=version,
    )


def _children(element):
    return {qualified_name(child.tag): child.text or "" for child in element}


def _integer(fields, key, what):
    value = fields.get(key, "").strip() or "0"
    try:
        return int(value)
    except ValueError:
        raise ExportError(f"{what} has {key} {value!r}, which is not a number") from None


def _datetime(fields, key, what, *, gmt):
    value = fields.get(key, "").strip()
    # WordPress writes an all-zero date for drafts that were never given one.
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ExportError(f"{what} has {key} {value!r}, which is not a date") from None
    return parsed.replace(tzinfo=UTC) if gmt else parsed


def _author(element):
    fields = _children(element)
    login = fields.get("wp:author_login", "").strip()
    wp_id = _integer(fields, "wp:author_id", f"the author {login!r}")
    return Author(
        # WordPress.com exports have no author ids: WordPress itself matches authors by login.
        wp_id=wp_id or stable_id("author", login),
        login=login,
        email=fields.get("wp:author_email", ""),
        display_name=fields.get("wp:author_display_name", ""),
        first_name=fields.get("wp:author_first_name", ""),
        last_name=fields.get("wp:author_last_name", ""),
        description=fields.get("wp:author_description", "").strip(),
    )


@dataclass(frozen=True)
class _TermFields:
    """How one kind of term element names its fields (a tag has no parent)."""

    taxonomy: str | None  # None: the element says (wp:term_taxonomy)
    what: str
    slug: str
    name: str
    parent: str | None
    description: str


_TERMS = {
    "wp:category": _TermFields(
        "category",
        "a category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": _TermFields(
        "post_tag", "a tag", "wp:tag_slug", "wp:tag_name", None, "wp:tag_description"
    ),
    "wp:term": _TermFields(
        None, "a term", "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"
    ),
}


def _term(element, names):
    fields = _children(element)
    return Term(
        taxonomy=names.taxonomy or fields.get("wp:term_taxonomy", ""),
        wp_id=_integer(fields, "wp:term_id", names.what),
        slug=fields.get(names.slug, ""),
        name=fields.get(names.name, ""),
        parent=fields.get(names.parent, "") if names.parent else "",
        description=fields.get(names.description, ""),
    )


def _comment(element, what):
    fields = _children(element)
    comment_id = _integer(fields, "wp:comment_id", f"a comment of {what}")
    what = f"comment {comment_id} of {what}"
    return Comment(
        wp_id=comment_id,
        author=fields.get("wp:comment_author", ""),
        author_email=fields.get("wp:comment_author_email", "").strip(),
        author_url=fields.get("wp:comment_author_url", "").strip(),
        author_ip=fields.get("wp:comment_author_IP", "").strip(),
        date=_datetime(fields, "wp:comment_date", what, gmt=False),
        date_gmt=_datetime(fields, "wp:comment_date_gmt", what, gmt=True),
        content=fields.get("wp:comment_content", ""),
        approved=fields.get("wp:comment_approved", "").strip(),
        type=fields.get("wp:comment_type", "").strip(),
        parent=_integer(fields, "wp:comment_parent", what),
        user_id=_integer(fields, "wp:comment_user_id", what),
    )


def _item(element):
    fields = {}
    terms = []
    meta = {}
    comment_elements = []
    for child in element:
        tag = qualified_name(child.tag)
        if tag == "category":
            # Old exports also list each term without a domain: the same terms again.
            domain, nicename = child.get("domain"), child.get("nicename")
            if domain and nicename:
                terms.append(
                    ItemTerm(ITEM_TAXONOMIES.get(domain, domain), nicename, child.text or "")
                )
        elif tag == "wp:postmeta":
            pair = _children(child)
            meta[pair.get("wp:meta_key", "")] = pair.get("wp:meta_value", "")
        elif tag == "wp:comment":
            comment_elements.append(child)
        else:
            # The first of two elements that mean the same (two prefixes for one namespace).
            fields.setdefault(tag, child.text or "")
    wp_id = _integer(fields, "wp:post_id", f"the item {fields.get('title', '')!r}")
    wp_id_is_real = bool(wp_id)
    if not wp_id:
        wp_id, wp_id_is_real = _item_id_elsewhere(fields)
    what = f"item {wp_id}" if wp_id_is_real else f"the item {fields.get('title', '')!r}"
    return Item(
        wp_id=wp_id,
        wp_id_is_real=wp_id_is_real,
        post_type=fields.get("wp:post_type", "").strip(),
        status=fields.get("wp:status", "").strip(),
        title=fields.get("title", ""),
        link=fields.get("link", "").strip(),
        creator=fields.get("dc:creator", "").strip(),
        content=fields.get("content:encoded", ""),
        excerpt=fields.get("excerpt:encoded", ""),
        post_name=fields.get("wp:post_name", "").strip(),
        post_date=_datetime(fields, "wp:post_date", what, gmt=False),
        post_date_gmt=_datetime(fields, "wp:post_date_gmt", what, gmt=True),
        post_modified_gmt=_datetime(fields, "wp:post_modified_gmt", what, gmt=True),
        comment_status=fields.get("wp:comment_status", "").strip(),
        parent=_integer(fields, "wp:post_parent", what),
        menu_order=_integer(fields, "wp:menu_order", what),
        password=fields.get("wp:post_password", ""),
        is_sticky=fields.get("wp:is_sticky", "").strip() == "1",
        attachment_url=fields.get("wp:attachment_url", "").strip(),
        terms=tuple(terms),
        meta=meta,
        comments=tuple(_comment(child, what) for child in comment_elements),
    )


def _item_id_elsewhere(fields):
    """``(id, is_real)`` of an item without ``<wp:post_id>`` (theme-preview.xml): the
    ``?p=ID`` of its guid or link, else a key of its guid, link, or title and date."""
    guid, link = fields.get("guid", "").strip(), fields.get("link", "").strip()
    for url in (guid, link):
        post_ids = parse_qs(urlsplit(url).query).get("p", [])
        if post_ids and post_ids[0].isdigit() and int(post_ids[0]):
            return int(post_ids[0]), True
    identity = guid or link or f"{fields.get('title', '')}\x1f{fields.get('wp:post_date', '')}"
    return stable_id("item", fields.get("wp:post_type", "").strip(), identity), False


RECORD_READERS = {
    "wp:author": _author,
    **{tag: partial(_term, names=names) for tag, names in _TERMS.items()},
    "item": _item,
}
