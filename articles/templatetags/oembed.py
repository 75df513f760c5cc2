from django import template

from articles import oembed

register = template.Library()


@register.simple_tag
def oembed_url(article, fmt):
    """``{% oembed_url article "json" %}``: the discovery link's address (articles.oembed)."""
    return oembed.discovery_url(article, fmt)
