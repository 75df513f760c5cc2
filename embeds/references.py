"""Addresses pasted alone on a line of a story's body, taken in as embeds.

An editor embeds a video or a post by pasting its address on a line of its own
(``<p>https://…</p>``, or ``<p><a href="X">X</a></p>`` as the rich-text editor
links it). When the story is saved, after core.sanitize, each such line becomes a
reference to the address's Embed row (``<figure data-embed="12"></figure>``), made
if it is new; the provider's answer is fetched in the background
(``embeds.tasks.fetch_embed``), so saving never waits on another site. An address
inside a sentence stays a link, and only http(s) addresses are taken in.
"""

import re
from html import unescape
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import format_html

from core.tasks import queue
from embeds.models import Embed
from embeds.tasks import fetch_embed

# The sanitizer's output (core.sanitize.clean_body): double-quoted attributes, text
# with "&", "<" and ">" escaped. A bare address, or a link whose text is its address.
URL_LINE = re.compile(
    r"<p>\s*(?:"
    r"(?P<bare>https?://[^\s<>\"]+)"
    r"|<a href=\"(?P<href>https?://[^\"]+)\"(?:\s[a-z-]+=\"[^\"]*\")*>\s*(?P<text>[^<]+?)\s*</a>"
    r")\s*(?:<br>)?\s*</p>",
    re.I,
)
MAX_LENGTH = Embed._meta.get_field("url").max_length

_is_url = URLValidator(schemes=["http", "https"])


def normalised(url):
    """``url`` as an Embed row keeps it (scheme and host in lower case, no default port,
    no fragment), or None if it is no address worth asking a provider about."""
    url = url.strip()
    if len(url) > MAX_LENGTH:
        return None
    try:
        _is_url(url)
        parts = urlsplit(url)
        port = parts.port
    except (ValidationError, ValueError):
        return None
    if parts.username is not None or parts.password is not None:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    default_port = {"http": 80, "https": 443}[scheme]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != default_port:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def url_of_line(match):
    """The address a URL line stands for, or None if it is not one."""
    if match["bare"]:
        return normalised(unescape(match["bare"]))
    href, text = unescape(match["href"]), unescape(match["text"])
    if normalised(text) is None or normalised(text) != normalised(href):
        return None  # a link whose words are not its address is a link
    return normalised(href)


def urls_on_their_own_line(html):
    """The addresses alone on a line of ``html`` (sanitized), in order."""
    found = (url_of_line(match) for match in URL_LINE.finditer(html or ""))
    return [url for url in found if url]


def take_in(html):
    """``html`` (sanitized) with each address alone on its line as an embed reference.

    The rows are got or made by address, one query for those that exist; a new one,
    or one whose provider failed last time, is fetched in the background once the
    story's transaction commits.
    """
    urls = urls_on_their_own_line(html)
    if not urls:
        return html
    embeds = embeds_for(urls)

    def reference(match):
        url = url_of_line(match)
        if url is None:
            return match[0]
        return format_html('<figure data-embed="{}"></figure>', embeds[url].pk)

    return URL_LINE.sub(reference, html)


def embeds_for(urls):
    """The Embed row of each address, by address; new and failed ones are fetched again."""
    with transaction.atomic():
        embeds = Embed.objects.in_bulk(set(urls), field_name="url")
        for url in dict.fromkeys(urls):
            if url not in embeds:
                # Another story saved at the same moment may have made it first.
                embeds[url], _ = Embed.objects.get_or_create(url=url)
                fetch(embeds[url])
            elif embeds[url].status == Embed.Status.FAILED:
                fetch(embeds[url])
    return embeds


def fetch(embed):
    """Ask the provider about ``embed`` in the background (embeds.tasks)."""
    queue(fetch_embed, embed.pk)
