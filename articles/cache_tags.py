"""The cache tags of stories and their listings (see core.stamps and core.rendering).

A page lists the stories it shows (``article:<pk>``: the story, its related
posts, each card of a listing, each feed item) and the collections it lists
(``front``, ``section:<pk>``...). articles.changes touches the tags a change
affects: a story's own tag when anything on it changes, and the collections it
is or was in when it may have entered or left them. Names of sections, people
and tags appear on every page, so renaming one touches ``core.stamps.EVERYTHING``.
"""

from photos.cache_tags import photo

FRONT = "front"  # the front page: every published story, sticky ones first
ARCHIVE = "archive"  # the date archives
FEED = "feed"  # the site-wide feeds
SITEMAP = "sitemap"  # every sitemap
CORRECTIONS = "corrections"  # /corrections/
# Publication times: the next scheduled story, which caps every page's life.
SCHEDULE = "schedule"
# The sections in the menu of every page: those with a live story.
NAVIGATION = "navigation"

EVERY_LISTING = (FRONT, ARCHIVE, FEED, SITEMAP, CORRECTIONS, SCHEDULE)


def article(pk):
    return f"article:{pk}"


def section(pk):
    return f"section:{pk}"


def tag(pk):
    return f"tag:{pk}"


def person(pk):
    return f"author:{pk}"


def stories(articles):
    return [article(story.pk) for story in articles]


def of_story_row(story):
    """What a story read for its page carries: itself, and its lead photo (whose stored
    renditions come in the row). A section's name changes everything anyway."""
    return [article(story.pk), *([photo(story.lead_photo_id)] if story.lead_photo_id else [])]
