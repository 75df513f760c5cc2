"""The page cache's names for what reader pages show (see newsroom.pagecache).

A page lists the stories it shows (``article:<pk>``: the story, its related
posts, each card of a listing, each feed item), the discussions whose comments or
counts it shows (``discussion:<pk>``) and the collections it lists
(``front``, ``section:<pk>``...). articles/signals.py touches the tags a change
affects: a story's own tag when anything on it changes, and the collections it
is or was in when it may have entered or left them.
"""

from newsroom import pagecache

FRONT = "front"  # the front page: every published story, sticky ones first
ARCHIVE = "archive"  # the date archives
FEED = "feed"  # the site-wide feeds
SITEMAP = "sitemap"  # every sitemap
CORRECTIONS = "corrections"  # /corrections/
# Publication times: the next scheduled story, which caps every page's life.
SCHEDULE = "schedule"
# Sections, people and tag names appear on every page (navigation, bylines, tag
# lists), so renaming one touches "site", on which every cached page depends.
SITE = pagecache.SITE

EVERY_LISTING = (FRONT, ARCHIVE, FEED, SITEMAP, CORRECTIONS, SCHEDULE)


def article(pk):
    return f"article:{pk}"


def discussion(pk):
    """A story's approved comments, and their count on cards (comments.signals)."""
    return f"discussion:{pk}"


def section(pk):
    return f"section:{pk}"


def tag(pk):
    return f"tag:{pk}"


def person(pk):
    return f"author:{pk}"


def stories(articles):
    return [article(story.pk) for story in articles]


def cards(articles):
    """A listing's cards: each story, and its comment count."""
    return [tag for story in articles for tag in (article(story.pk), discussion(story.pk))]
