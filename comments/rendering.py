"""The one place a commenter's plain text becomes HTML.

Comments are plain text: whatever a commenter types is escaped, blank lines
become paragraphs, and web addresses become links a search engine will not
credit (``rel="nofollow ugc noopener"``). ``Comment.save()`` stores the result
in ``body_html`` so that a page with thousands of comments renders without
running bleach once per comment; templates mark only that stored result safe.

A comment imported from WordPress keeps the little HTML WordPress let its
commenters write (``render_markup``): a linked phrase, a quotation, a correction.
"""

import hashlib
import re

import bleach
from bleach.linkifier import Linker, build_url_re
from django.utils.html import linebreaks

LINK_REL = "nofollow ugc noopener"

# What becomes a link: an address written with http:// or https:// whatever its
# top-level domain (bleach knows only the old ones, and spam loves .xyz and .top),
# or a bare "www.example.com" / "example.com" with a top-level domain bleach knows, so
# that "e.g." or "file.txt" stay text. Never data:, ftp: or javascript:.
_WITH_SCHEME = r"""\(*\bhttps?://(?:[\w-]+\.)+[\w-]+(?::[0-9]+)?\b(?:[/?][^\s{}|\\^`<>"]*)?"""
_BARE = build_url_re(protocols=["http", "https"]).pattern
WEB_URL_RE = re.compile(
    "(?:" + _WITH_SCHEME + ")|(?:" + _BARE + ")", re.IGNORECASE | re.VERBOSE | re.UNICODE
)


def _safe_link(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # keep the text, drop the link
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def render_body(text: str) -> str:
    """Plain text in, safe HTML out: escaped, in paragraphs, with web addresses linked."""
    escaped = linebreaks(text.strip(), autoescape=True)
    # A Linker per call: they are cheap, and this runs once per comment, on save.
    linker = Linker(callbacks=[_safe_link], parse_email=False, url_re=WEB_URL_RE)
    return linker.linkify(escaped)


# WordPress's $allowedtags (wp-includes/kses.php), what its commenters may write, and
# the paragraphs its comment_text filter (wpautop) adds.
MARKUP_TAGS = frozenset(
    {"a", "abbr", "acronym", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s"}
    | {"strike", "strong", "p", "br"}
)
MARKUP_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "acronym": ["title"],
    "blockquote": ["cite"],
    "del": ["datetime"],
    "q": ["cite"],
}
# bleach strips a disallowed tag but keeps its text: a script's code is no comment.
_CODE_ELEMENTS = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def render_markup(markup: str) -> str:
    """A commenter's HTML (in paragraphs already) in, the tags WordPress allowed out,
    with web addresses linked and every link, written or made, marked as the commenter's."""
    cleaned = bleach.clean(
        _CODE_ELEMENTS.sub("", markup),
        tags=MARKUP_TAGS,
        attributes=MARKUP_ATTRIBUTES,
        protocols=["http", "https"],
        strip=True,
        strip_comments=True,
    )
    linker = Linker(callbacks=[_safe_link], parse_email=False, url_re=WEB_URL_RE)
    return linker.linkify(cleaned.strip())


def count_links(text: str) -> int:
    """How many links ``render_body`` would make of ``text`` (the moderation rule counts these)."""
    return sum(1 for _ in WEB_URL_RE.finditer(text))


def body_fingerprint(text: str) -> str:
    """Same words, same fingerprint: a re-post differing only in spacing is a duplicate."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
