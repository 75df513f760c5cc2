"""A post's stored content turned into what WordPress showed its readers, then made safe.

WordPress keeps posts as the author wrote them and formats them on every page
view (the ``the_content`` filters). This runs the same steps once, at import:

1. Gutenberg block delimiters (``<!-- wp:paragraph -->``) go, their HTML stays,
   and reusable blocks are written out where they are used;
2. ``<!--more-->`` and friends go (a single story page shows everything);
3. scripts and styles go whole (the sanitizer would leave their code as text),
   iframes (video players) become links to what they showed, and so do
   ``<video>`` and ``<audio>`` (video and audio blocks, a cover's video);
4. the common shortcodes become HTML (wordpress/shortcodes.py);
5. a web address alone on its line becomes a link, as WordPress's auto-embed
   does for addresses it cannot embed;
6. classic (non-block) content gets WordPress's automatic paragraphs;
7. ``core.sanitize.clean_body``, our allow-list, has the last word.

What could not be kept is counted in a ``Cleaning`` (wordpress/losses.py) if one is given.

Smart quotes (``wptexturize``) are not applied: the words are the same.
"""

import html
import json
import re

from django.utils.html import strip_tags

from core.sanitize import clean_body, lost_in_cleaning
from wordpress.autop import replace_in_html_tags, wpautop
from wordpress.losses import Cleaning
from wordpress.shortcodes import Shortcodes, link

# Serialized blocks: <!-- wp:name {"json":"attrs"} --> ... <!-- /wp:name -->, or self-closing
# <!-- wp:name /-->. Gutenberg escapes "--" inside the JSON, so the first "-->" ends it.
# A reusable block is stored once (post type wp_block) and referenced: <!-- wp:block {"ref":12} /-->
REUSABLE_BLOCK = re.compile(r"<!--\s+wp:block\s+\{[^}]*?\"ref\":(\d+)[^}]*\}\s+/-->")
BLOCK_DELIMITER = re.compile(r"<!--\s+/?wp:[a-z][a-z0-9_/-]*(?:\s+\{.*?\})?\s+/?-->", re.S)
MORE = re.compile(r"<!--(?:more|noteaser)(?:\s.*?)?-->", re.S)
NEXTPAGE = re.compile(r"<!--nextpage-->")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
IFRAME = re.compile(r"<iframe\b[^>]*?\bsrc=(['\"])(.*?)\1[^>]*>.*?</iframe\s*>", re.S | re.I)
# A player and what it holds: its file is its src, or its first <source>'s.
PLAYER = re.compile(r"<(video|audio)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
SOURCE = re.compile(r"\bsrc=(['\"])(.*?)\1", re.S | re.I)
# An embed block (``wp:embed``, or WordPress 5.0-5.5's ``wp:core-embed/youtube``): its
# address, from the block's attributes, and the caption inside it.
EMBED_BLOCK = re.compile(
    r"<!-- wp:(?P<name>embed|core-embed/[\w-]+)\s+(?P<attributes>\{.*?\})\s*-->"
    r"(?P<inner>.*?)<!-- /wp:(?P=name) -->",
    re.S,
)
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S | re.I)
LINE_BREAK_PLACEHOLDER = "<!-- wp-line-break -->"
URL_ALONE_ON_LINE = re.compile(r'^(\s*)(https?://[^\s<>"]+)(\s*)$', re.M | re.I)
URL_ALONE_IN_PARAGRAPH = re.compile(r'(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)', re.I)


def absolute(url):
    """Players are often embedded scheme-relative (//www.youtube.com/embed/...)."""
    return f"https:{url}" if url.startswith("//") else url


def has_blocks(text):
    return "<!-- wp:" in text


def autoembed(text):
    """``WP_Embed::autoembed()`` with no provider: the address alone becomes a link to it."""
    text = replace_in_html_tags(text, "\n", LINE_BREAK_PLACEHOLDER)

    def linked(match):
        # The address is the post's text, HTML already: "&amp;" in it is one "&".
        return f"{match.group(1)}{link(html.unescape(match.group(2)))}{match.group(3)}"

    text = URL_ALONE_ON_LINE.sub(linked, text)
    text = URL_ALONE_IN_PARAGRAPH.sub(linked, text)
    return text.replace(LINE_BREAK_PLACEHOLDER, "\n")


def players_as_links(text, cleaning):
    """Each ``<video>`` or ``<audio>`` as a link to its file (its caption, outside it, stays)."""

    def linked(match):
        kind = match.group(1).lower()
        found = SOURCE.search(match.group(2)) or SOURCE.search(match.group(3))
        url = absolute(html.unescape(found.group(2))) if found else ""
        if link(url):
            cleaning.players[kind] += 1
        else:
            cleaning.missing[f"{kind} without a usable file address"] += 1
        return link(url)

    return PLAYER.sub(linked, text)


def embed_blocks_as_addresses(text):
    """Each embed block as its address alone in a paragraph (then its caption): what a
    story's save takes in as an embed (embeds.references)."""

    def address(match):
        try:
            url = json.loads(match["attributes"]).get("url", "")
        except (ValueError, AttributeError):
            return match.group(0)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return match.group(0)
        caption = FIGCAPTION.search(match["inner"])
        captioned = f"<p>{caption.group(1).strip()}</p>" if caption else ""
        return f"<p>{html.escape(url)}</p>{captioned}"

    return EMBED_BLOCK.sub(address, text)


def render(text, *, media, post_id, reusable_blocks, cleaning=None):
    """The safe HTML of a post's ``content:encoded``.

    ``media`` finds gallery pictures; ``reusable_blocks`` maps wp_block ids to their
    content; ``cleaning`` (a wordpress.losses.Cleaning) learns what was lost.
    """
    cleaning = cleaning if cleaning is not None else Cleaning()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    classic = not has_blocks(text)

    def reusable(match):
        if int(match.group(1)) not in reusable_blocks:
            cleaning.missing["reusable block not in the export"] += 1
        return reusable_blocks.get(int(match.group(1)), "")

    text = REUSABLE_BLOCK.sub(reusable, text)
    text = embed_blocks_as_addresses(text)
    text = BLOCK_DELIMITER.sub("", text)
    text = MORE.sub("", text)
    text = NEXTPAGE.sub("\n\n", text)
    cleaning.dropped.update(m.group(1).lower() for m in SCRIPT_OR_STYLE.finditer(text))
    text = SCRIPT_OR_STYLE.sub("", text)
    text = IFRAME.sub(lambda m: link(absolute(html.unescape(m.group(2)))), text)
    text = players_as_links(text, cleaning)
    shortcodes = Shortcodes(media, post_id)
    text = shortcodes.expand(text)
    cleaning.players.update(shortcodes.players)
    cleaning.missing.update(shortcodes.missing)
    text = autoembed(text)
    if classic:
        # WordPress skips wpautop for block content: its blocks carry their own <p>s.
        text = wpautop(text)
    cleaning.dropped.update(lost_in_cleaning(text))
    return clean_body(text)


def plain_text(markup):
    """Text with no markup and no entities, one space between words (names, excerpts)."""
    return " ".join(html.unescape(strip_tags(markup)).split())


ANCHOR = re.compile(r"<a\s[^>]*?href=(['\"])(.*?)\1[^>]*>(.*?)</a>", re.S | re.I)
LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
PARAGRAPH = re.compile(r"</?p(?:\s[^>]*)?>", re.I)
BLANK_LINES = re.compile(r"\n\s*\n\s*")


def comment_markup(markup):
    """A WordPress comment's HTML in the paragraphs WordPress showed it in, or "" if it
    has none (its plain text then says it all). comments.rendering sanitizes it."""
    text = SCRIPT_OR_STYLE.sub("", markup.replace("\r\n", "\n"))
    return wpautop(text).strip() if "<" in text else ""


def comment_text(markup):
    """A WordPress comment (a little HTML) as the plain text our comments hold.

    Links keep their address in brackets, so it is linked again when shown.
    """

    def spelled_out(match):
        # Still escaped: what follows unescapes it once (a bare "&" would be misread).
        href = html.escape(html.unescape(match.group(2)))
        words = strip_tags(match.group(3)).strip()
        return href if words in ("", href) else f"{words} ({href})"

    text = SCRIPT_OR_STYLE.sub("", markup.replace("\r\n", "\n"))
    text = ANCHOR.sub(spelled_out, text)
    text = PARAGRAPH.sub("\n\n", LINE_BREAK.sub("\n", text))
    return BLANK_LINES.sub("\n\n", html.unescape(strip_tags(text))).strip()
