"""A story's automatic excerpt (cards, feeds, search results): its opening words."""

import re

from django.utils.html import strip_tags

# Words in an automatic excerpt: the reference page's Related Posts cut at 27.
EXCERPT_WORDS = 27
# How much markup an excerpt is looked for in first, doubled until it has the words:
# taking the tags out of a whole body (an HTML parser's work) cost half a millisecond
# a card, and of its first 4,000 characters a tenth of one; the words are in the first
# few hundred.
EXCERPT_SCAN = 500

# A tag as sanitized markup writes it (core.sanitize: every attribute value quoted).
_TAG = re.compile(r"</?[A-Za-z][^<>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^<>\"']*)*>")
# What only the HTML parser reads as Django's strip_tags() does: a character reference
# without its semicolon (it adds one), and the content of a script or style element.
_PARSER_ONLY = re.compile(
    r"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)|<(?:script|style)", re.IGNORECASE
)


def opening_text(body):
    """The text of ``body``'s opening, enough for an excerpt (or all of it)."""
    scan = EXCERPT_SCAN
    while len(body) > scan:
        opening = body[:scan]
        text = text_of(opening[: opening.rfind(">") + 1])
        if len(text.split()) > EXCERPT_WORDS:
            return text
        scan *= 2
    return text_of(body)


def text_of(markup):
    """``strip_tags(markup)``: for markup of plain tags, as a sanitized body is, without
    Django's HTML parser, which was most of a card's time (50 of its 70 us). Anything
    else (a comment, a stray ``<`` or ``>``, a script) goes through strip_tags()."""
    if not _PARSER_ONLY.search(markup):
        text = _TAG.sub("", markup)
        if "<" not in text and ">" not in text:
            return text
    return strip_tags(markup)
