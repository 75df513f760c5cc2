"""A story's automatic excerpt (cards, feeds, search results): its opening words."""

from django.utils.html import strip_tags

# Words in an automatic excerpt: the reference page's Related Posts cut at 27.
EXCERPT_WORDS = 27
# How much markup an excerpt is looked for in first, doubled until it has the words:
# taking the tags out of a whole body (an HTML parser's work) cost half a millisecond
# a card, and of its first 4,000 characters a tenth of one; the words are in the first
# few hundred.
EXCERPT_SCAN = 500


def opening_text(body):
    """The text of ``body``'s opening, enough for an excerpt (or all of it)."""
    scan = EXCERPT_SCAN
    while len(body) > scan:
        opening = body[:scan]
        text = strip_tags(opening[: opening.rfind(">") + 1])
        if len(text.split()) > EXCERPT_WORDS:
            return text
        scan *= 2
    return strip_tags(body)
