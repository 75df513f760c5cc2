"""Plain text for the index, and the marks that highlight matches in it.

Both databases are asked to wrap matches in two control characters rather than
in ``<mark>``: the snippet can then be HTML-escaped as a whole (it is stored
story text, and the query that shaped it is hostile input) and only those two
characters turned into markup. ``clean_text`` removes control characters from
everything indexed, so no story text can forge a mark.
"""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MARK_START = "\x02"
MARK_END = "\x03"

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text):
    """Text as indexed: spaces collapsed, control characters gone."""
    return " ".join(_CONTROL_CHARS.sub(" ", text or "").split())


def html_to_text(markup):
    """Readable text of sanitized HTML: no tags, entities decoded."""
    return clean_text(html.unescape(strip_tags(markup or "")))


def highlight(marked_text):
    """Escape ``marked_text`` and turn the match marks into ``<mark>`` elements."""
    escaped = escape(marked_text or "")
    return mark_safe(  # noqa: S308  (everything but our two marks was escaped above)
        escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )
