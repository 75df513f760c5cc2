"""The comments app's cache tags (core.stamps): a story's discussion, and the settings.

A page showing a story's approved comments, or their count on a card, declares
``discussion(article_id)`` (comments.templatetags.discussion); comments.actions
touches it whenever what a reader sees of that discussion may have changed.

``SETTINGS`` is declared by whatever reads the discussion settings
(``DiscussionSettings.current()``) and touched when an editor saves them.
"""

SETTINGS = "discussion-settings"


def discussion(article_id):
    return f"discussion:{article_id}"
