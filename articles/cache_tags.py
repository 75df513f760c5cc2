"""The cache tags of stories and their listings (see core.stamps and core.rendering).

A page lists the stories it shows (``article:<pk>``: the story, its related
posts, each card of a listing, each feed item) and the collections it lists
(``front``, ``section:<pk>``...). articles.changes touches the tags a change
affects: a story's own tag when anything on it changes, and the collections it
is or was in when it may have entered or left them. Names of sections, people
and tags appear on every page, so renaming one touches ``core.stamps.EVERYTHING``.
"""

from embeds.cache_tags import embed
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
    """What a story read for its page carries: itself, its lead photo (whose stored
    renditions come in the row) and its media's Embed. A section's name changes
    everything anyway."""
    lead = [photo(story.lead_photo_id)] if story.lead_photo_id else []
    return [article(story.pk), *lead, *media(story)]


def media(story):
    """The Embed of a video or audio story's player and the Embed's thumbnail, read with
    the story (for_story_page): the provider's answer changes what its page shows."""
    if not story.media_embed_id:
        return []
    thumbnail = story.media_embed.thumbnail_id
    return [embed(story.media_embed_id), *([photo(thumbnail)] if thumbnail else [])]
