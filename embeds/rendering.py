"""Embeds in a story's body as readers get them: facades that load nothing of another site.

The body keeps references (``<figure data-embed="12"></figure>``, core.sanitize); the
reader page, the admin's reading view and the feeds expand them here, reading every
embed of the text at once (``embeds_in``). A ready embed with a player is a facade
(templates/embeds/facade.html): its thumbnail from our photo library, its title, the
provider's name and a link to the original, which static/js/embeds.js turns into a
button that loads the player in a frame, only when the reader presses it. Until then
the page asks nothing of the provider, and without JavaScript the facade is a link.
An embed still waiting for its provider, or whose provider failed, is a link to its
address.

Each embed declares its cache tag, so that the provider's answer (embeds.tasks) or
an editor's change reaches exactly the pages showing it, and the origin of its
player (``rendering.loads_frames``), which the page's Content-Security-Policy lets
in (core.security): a page without embeds lets in no frame at all.
"""

import re
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import rendering
from embeds import cache_tags, providers
from embeds.models import Embed
from photos import renditions

# The sanitizer's output (core.sanitize): the reference alone, empty.
REFERENCE = re.compile(r"<figure data-embed=\"(?P<id>\d+)\"></figure>")
# The thumbnail is shown the width of the text column (as a body photo is).
SIZES = "(min-width: 60rem) 40rem, 100vw"
# Providers whose "rich" answer is a document or a chart rather than a post.
DOCUMENT_PROVIDERS = frozenset({"documentcloud", "datawrapper", "flourish"})


def embed_ids(html):
    """The embeds ``html`` (sanitized) refers to, in order of appearance, once each."""
    return list(dict.fromkeys(int(m["id"]) for m in REFERENCE.finditer(html or "")))


def embeds_in(bodies):
    """Every embed the ``bodies`` refer to, by id, with its thumbnail's stored
    renditions: none for bodies without embeds, at most two queries however many."""
    ids = {pk for body in bodies for pk in embed_ids(body)}
    if not ids:
        return {}
    return (
        Embed.objects.select_related("thumbnail")
        .prefetch_related(renditions.stored_prefetch("thumbnail__renditions"))
        .in_bulk(ids)
    )


def frame_origin(embed):
    """Where ``embed``'s player loads from (``https://www.youtube-nocookie.com``), or
    None if it has none to load."""
    if embed.status != Embed.Status.READY or not embed.player_url:
        return None
    parts = urlsplit(embed.player_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def action(embed):
    """What the facade's button says it will do."""
    if embed.kind == Embed.Kind.VIDEO:
        return "Play video"
    if embed.kind == Embed.Kind.AUDIO:
        return "Play audio"
    if embed.kind == Embed.Kind.PHOTO:
        return "Load photo"
    if embed.provider in DOCUMENT_PROVIDERS:
        return "Load document"
    return "Load post"


def original_link_text(embed):
    if not embed.provider_name:
        return "Open the original"
    verb = {Embed.Kind.VIDEO: "Watch", Embed.Kind.AUDIO: "Listen"}.get(embed.kind, "View")
    return f"{verb} on {embed.provider_name}"


def facade_html(embed, for_editors=False):
    """The figure readers get for ``embed``; the page depends on it from here on.

    ``for_editors`` (the admin) says so when the provider has not answered yet, or
    failed, rather than showing only the address.
    """
    rendering.depends_on(cache_tags.embed(embed.pk))
    origin = frame_origin(embed)
    if origin:
        rendering.loads_frames(origin)
    thumbnail = embed.thumbnail if embed.status == Embed.Status.READY else None
    context = {
        "embed": embed,
        "title": embed.title or embed.url,
        "playable": origin is not None,
        "action": action(embed),
        "original_link_text": original_link_text(embed),
        "picture": renditions.picture_html(thumbnail, sizes=SIZES, loading="lazy"),
        "status_note": status_note(embed) if for_editors else "",
    }
    return render_to_string("embeds/facade.html", context)


def status_note(embed):
    if embed.status == Embed.Status.PENDING:
        return "fetching…"
    if embed.status == Embed.Status.FAILED:
        return f"The provider did not answer usably: {embed.error or 'no reason given'}."
    return ""


def script_tag():
    """The script that turns facades into players (once a page, after every facade)."""
    return format_html('<script src="{}" defer></script>', static("js/embeds.js"))


def known_frame_origins():
    """Where the known providers' players load from. A page whose policy is set when it
    loads but which takes in entries as the reader reads (live coverage) lets these in
    ahead, so that an embed in a new entry plays; one of any other host stays a link."""
    hosts = {host for provider in providers.PROVIDERS for host in provider.frame_hosts}
    return sorted(f"https://{host}" for host in hosts)


def player(embed):
    """``embed`` shown on its own (a video or audio story's provider player): its facade,
    and the script that turns it into the player."""
    html = facade_html(embed)
    if frame_origin(embed):
        html += script_tag()
    return mark_safe(html)  # noqa: S308  (the facade escapes)


def expand(html, embeds=None, for_editors=False):
    """The body ``html`` (sanitized) with its references as facades, marked safe.

    ``embeds`` (by id, from ``embeds_in()``) saves the query when many bodies are
    expanded at once. A reference to an embed that no longer exists shows nothing.
    """
    html = html or ""
    if "data-embed" not in html:  # most stories: no parsing, no query
        return mark_safe(html)  # noqa: S308  (sanitized on save)
    if embeds is None:
        embeds = embeds_in([html])
    playable = False

    def facade(match):
        nonlocal playable
        embed = embeds.get(int(match["id"]))
        if embed is None:
            return ""
        playable = playable or frame_origin(embed) is not None
        return facade_html(embed, for_editors)

    expanded = REFERENCE.sub(facade, html)
    if playable:
        expanded += script_tag()
    return mark_safe(expanded)  # noqa: S308  (sanitized on save; facades escape)


def as_links(html, embeds=None):
    """The body ``html`` (sanitized) with each reference as a link to the original,
    named by its title: a feed reader runs no script and loads no frame."""
    html = html or ""
    if "data-embed" not in html:
        return mark_safe(html)  # noqa: S308  (sanitized on save)
    if embeds is None:
        embeds = embeds_in([html])

    def link(match):
        embed = embeds.get(int(match["id"]))
        if embed is None:
            return ""
        rendering.depends_on(cache_tags.embed(embed.pk))
        return format_html('<p><a href="{}">{}</a></p>', embed.url, embed.title or embed.url)

    return mark_safe(REFERENCE.sub(link, html))  # noqa: S308  (sanitized on save; links escape)
