"""The one place editor HTML becomes safe HTML.

Article bodies pass through ``clean_body`` on save, so what the database holds
is always safe to render; templates mark only that stored result as safe.
The allow-list is what the admin's rich-text editor produces and no more.
"""

import re

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "mark",
        "a",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "ul",
        "ol",
        "li",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "pre",
        "code",
    }
)

ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title", "width", "height"],
    "abbr": ["title"],
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


def clean_body(html: str) -> str:
    """Return ``html`` reduced to the allow-list; anything else is stripped."""
    return bleach.clean(
        _CODE_ELEMENTS.sub("", strip_control_characters(html or "")),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    ).strip()
