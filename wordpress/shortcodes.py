"""The shortcodes every WordPress site has, turned into the HTML our allow-list keeps.

``[caption]`` becomes a figure with its caption, ``[gallery]`` the pictures it
names, ``[embed]``, ``[video]``, ``[audio]`` and ``[playlist]`` links to what they
played (the allow-list has no players; a provider's address alone on its line
becomes an embed when the story is saved, embeds.references), as does
WordPress.com's ``[videopress]``. Each player is counted in ``players``, and one
whose file cannot be found in ``missing``. Other shortcodes belonged to plugins and
stay as text, which is what WordPress itself shows once the plugin is gone. The
patterns are WordPress's own (wp-includes/shortcodes.php).
"""

import re
from collections import Counter

from django.utils.html import escape

HANDLED = ("caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist", "videopress")

# get_shortcode_regex(): 1 escaping "[", 2 name, 3 attributes, 4 self-closing "/",
# 5 enclosed content, 6 escaping "]".
SHORTCODE = re.compile(
    r"\[(\[?)(" + "|".join(HANDLED) + r")(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)"
)

# get_shortcode_atts_regex()
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)

# img_caption_shortcode(): the picture (perhaps linked), then the caption text.
CAPTIONED_IMAGE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.I | re.S)

VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
AUDIO_SOURCES = ("src", "mp3", "ogg", "oga", "wav", "m4a", "wma", "flac")


def parse_attributes(text):
    """``shortcode_parse_atts()``: named attributes by lower-case name, positional by index."""
    attributes = {}
    position = 0
    for match in ATTRIBUTE.finditer(re.sub(r"[\u00a0\u200b]+", " ", text)):
        for name, value in (match.group(1, 2), match.group(3, 4), match.group(5, 6)):
            if name:
                attributes[name.lower()] = value
                break
        else:
            attributes[position] = next(v for v in match.group(7, 8, 9) if v is not None)
            position += 1
    return attributes


def link(url):
    if not url.startswith(("http://", "https://")):
        return ""
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def figure(attachment, link_to_file=False):
    image = f'<img src="{escape(attachment.url)}" alt="{escape(attachment.alt_text)}">'
    if link_to_file:
        image = f'<a href="{escape(attachment.url)}">{image}</a>'
    caption = f"<figcaption>{escape(attachment.caption)}</figcaption>" if attachment.caption else ""
    return f"<figure>{image}{caption}</figure>"


class Shortcodes:
    """Expands the shortcodes of one post; ``media`` finds its attachments.

    ``media`` answers ``by_ids(ids)`` (attachments in the order asked) and
    ``attached_to(post_id)`` (a post's own pictures, in WordPress's menu order).
    """

    def __init__(self, media, post_id):
        self.media = media
        self.post_id = post_id
        self.players = Counter()  # "video" / "audio" → how many became links
        self.missing = Counter()  # what could not be shown → how many

    def expand(self, text):
        if "[" not in text:
            return text
        return SHORTCODE.sub(self._replace, text)

    def _replace(self, match):
        opening, name, attributes, _, content, closing = match.groups()
        if opening == "[" and closing == "]":  # [[caption]] is how one writes "[caption]"
            return match.group(0)[1:-1]
        render = getattr(self, f"_{name}")
        return render(parse_attributes(attributes), content or "")

    def _caption(self, attributes, content):
        caption = attributes.get("caption")
        if caption is None:
            found = CAPTIONED_IMAGE.match(content.strip())
            if found:
                content, caption = found.group(1), found.group(2).strip()
        # WordPress drops the figure when the caption is empty or the width unusable.
        width = attributes.get("width", "")
        if not caption or not width.isdigit() or int(width) < 1:
            return self.expand(content)
        return f"<figure>{self.expand(content)}<figcaption>{caption}</figcaption></figure>"

    _wp_caption = _caption

    def _gallery(self, attributes, content):
        ids = [int(i) for i in re.findall(r"\d+", attributes.get("ids") or "")]
        if not ids:
            ids = [int(i) for i in re.findall(r"\d+", attributes.get("include") or "")]
        if ids:
            attachments = self.media.by_ids(ids)
        else:
            post_id = int(attributes["id"]) if attributes.get("id", "").isdigit() else self.post_id
            attachments = self.media.attached_to(post_id)
        link_to_file = attributes.get("link") == "file"
        figures = [figure(a, link_to_file) for a in attachments if a.is_image]
        if not figures:
            self.missing["gallery whose pictures are not in the export"] += 1
        return "\n".join(figures)

    def _embed(self, attributes, content):
        return link(attributes.get("src") or content.strip())

    def _video(self, attributes, content):
        return self._player("video", attributes, VIDEO_SOURCES)

    def _audio(self, attributes, content):
        return self._player("audio", attributes, AUDIO_SOURCES)

    def _player(self, kind, attributes, sources):
        """``wp_video_shortcode()``: the file named, else the post's first of that kind."""
        url = next((attributes[key] for key in sources if attributes.get(key)), "")
        if not url:
            url = next((a.url for a in self._attached(kind, self.post_id)), "")
        return self._played(kind, url)

    def _playlist(self, attributes, content):
        kind = "video" if attributes.get("type") == "video" else "audio"
        ids = [int(i) for i in re.findall(r"\d+", attributes.get("ids") or "")]
        if ids:
            files = [a for a in self.media.by_ids(ids) if a.mime_type.startswith(f"{kind}/")]
        else:
            post_id = int(attributes["id"]) if attributes.get("id", "").isdigit() else self.post_id
            files = self._attached(kind, post_id)
        if not files:
            self.missing[f"{kind} playlist without files"] += 1
            return ""
        return "\n\n".join(self._played(kind, a.url) for a in files)

    def _videopress(self, attributes, content):
        guid = attributes.get(0, "")
        url = f"https://videopress.com/v/{guid}" if re.fullmatch(r"\w+", guid) else ""
        return self._played("video", url)

    def _attached(self, kind, post_id):
        return [a for a in self.media.attached_to(post_id) if a.mime_type.startswith(f"{kind}/")]

    def _played(self, kind, url):
        found = link(url)
        if found:
            self.players[kind] += 1
        else:
            self.missing[f"{kind} without a usable file address"] += 1
        return found
