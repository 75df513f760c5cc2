"""The cache tag of a live story's entries (see core.stamps and core.rendering).

Whatever shows entries (the story page's stream, its key points, the polled
answer, an entry's own page, the story's feed and JSON-LD) declares
``live:<story pk>``; any change to any entry of the story, or to an entry's
corrections, touches it (live.signals), so an edit or a deletion leaves every
page as fast as a new entry reaches them.
"""


def live(story_pk):
    return f"live:{story_pk}"
