"""Template tags of reader pages: bylines, closing credits, remembered routes."""

from django import template

from articles import credits as credit_text
from articles.models import Credit
from core.routes import cached_reverse

register = template.Library()


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
