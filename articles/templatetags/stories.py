"""Template tags of reader pages: bylines, closing credits, remembered routes, the
poster and captions of a story's video."""

from django import template
from django.utils.translation import get_language_info

from articles import credits as credit_text
from articles.models import Credit
from core.routes import cached_reverse
from photos import renditions

register = template.Library()

# The widest the story column shows a video (in CSS pixels, at twice the density).
POSTER_WIDTH = 1280


@register.filter
def bylines(credits):
    """The byline credits among ``credits`` (all of a story's credits are prefetched)."""
    return [credit for credit in credits if credit.role == Credit.Role.BYLINE]


@register.filter
def closing_credits(credits):
    return credit_text.closing_lines(credits)


@register.simple_tag
def route(viewname, *args):
    """``{% url %}`` for the links every page repeats (navigation, feeds, tags),
    remembered: see core.routes.cached_reverse."""
    return cached_reverse(viewname, *args)


@register.simple_tag
def poster(article):
    """The lead photo as the poster of the story's video (Image(url, width, height) of its
    16:9 crop, as wide as the column shows it), or None."""
    photo = article.lead_photo
    if photo is None or not photo.file:
        return None
    return renditions.largest(photo, "16:9", limit=POSTER_WIDTH)


@register.filter
def language_name(code):
    """ "en" -> "English"; a code Django does not know is shown as it is."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code
