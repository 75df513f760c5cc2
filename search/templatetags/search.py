from django import template

from search import text

register = template.Library()


@register.filter
def highlight(marked_text):
    """Search headlines and snippets: escaped, with the matched words in ``<mark>``."""
    return text.highlight(marked_text)
