"""The comments app's cache tag (core.stamps): a story's discussion.

A page showing a story's approved comments, or their count on a card, declares
``discussion(article_id)`` (comments.templatetags.discussion); comments.actions
touches it whenever what a reader sees of that discussion may have changed.
"""


def discussion(article_id):
    return f"discussion:{article_id}"
