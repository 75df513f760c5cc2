from django import template

from articles import credits as credit_text
from articles.models import Credit

register = template.Library()


@register.filter
def bylines(credits):
    """The byline credits among ``credits`` (all of a story's credits are prefetched)."""
    return [credit for credit in credits if credit.role == Credit.Role.BYLINE]


@register.filter
def closing_credits(credits):
    return credit_text.closing_lines(credits)
