"""``{{ article.body|with_photos|with_embeds }}``: a stored body with its library photos
as figures and its embeds as facades; ``{{ article.media_embed|as_player }}``: a video
or audio story's provider player, behind its facade too."""

from django import template

from articles import body_photos
from embeds import rendering as embed_rendering

register = template.Library()


@register.filter
def with_photos(body):
    """The sanitized ``body`` (core.sanitize ran on save) with its photos expanded."""
    return body_photos.expand(body)


@register.filter
def with_embeds(body):
    """The sanitized ``body`` with its embeds as facades (embeds.rendering)."""
    return embed_rendering.expand(body)


@register.filter
def as_player(embed):
    """A video or audio story's provider player, behind its facade (embeds.rendering)."""
    return embed_rendering.player(embed)
