"""A story's automatic excerpt (cards, feeds, search results): its opening words."""

from django.utils.html import strip_tags

# Words in an automatic excerpt: the reference page's Related Posts cut at 27.
EXCERPT_WORDS = 27
# The markup an excerpt is looked for in first: taking the tags out of a whole body
# (an HTML parser's work) cost half a millisecond a card.
EXCERPT_SCAN = 4000


def opening_text(body):
    """The text of ``body``'s opening, enough for an excerpt (or all of it)."""
    if len(body) > EXCERPT_SCAN:
        opening = body[:EXCERPT_SCAN]
        text = strip_tags(opening[: opening.rfind(">") + 1])
        if len(text.split()) > EXCERPT_WORDS:
            return text
    return strip_tags(body)
