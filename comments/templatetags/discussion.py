"""The comment section of a story page and the comment counts of cards.

Each tag declares to the page cache what it depends on (core.rendering), so a page
is forgotten when its story's discussion changes, and a page showing a reader
their own comment awaiting moderation is never stored or shared.
"""

from django import template

from comments import cache_tags
from comments.discussion import Discussion
from core import parts, rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion(context, article):
    """``{% discussion article %}``: the story's threads and the comment form, each
    kept until it changes (comments.discussion.Discussion)."""
    shown = Discussion(article, context["request"])
    rendering.depends_on(cache_tags.discussion(article.pk))
    # The comment form closes with age, by the clock alone.
    rendering.expires(shown.closes_at if article.comments_open else None)
    if shown.personal:
        rendering.personal()
    return parts.render("comments/comments.html", {"article": article, "discussion": shown})


@register.simple_tag
def comment_count(article):
    """``{% comment_count article as count %}``: the count a card shows, kept current."""
    rendering.depends_on(cache_tags.discussion(article.pk))
    return article.comment_count
