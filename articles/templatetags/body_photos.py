"""``{{ article.body|with_photos }}``: a stored body with its library photos as figures."""

from django import template

from articles import body_photos

register = template.Library()


@register.filter
def with_photos(body):
    """The sanitized ``body`` (core.sanitize ran on save) with its photos expanded."""
    return body_photos.expand(body)
