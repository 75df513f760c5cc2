"""A story's editable fields, stated once, grouped by what a change to them means.

The editors' form, its fieldsets, the revision comparison and the workflow rules
(newsdesk) all derive from ``BOXES``; tests/test_fields.py checks that every
editable field of ``Article`` is in exactly one group.
"""

from dataclasses import dataclass

# What readers read: changing one on a live story is news, and the page says "Updated".
CONTENT = "content"
# Where and how the story is filed and shown: address, section, tags, flags, origin.
FILING = "filing"
# When and whether readers see it: only editors may set these.
EDITOR_ONLY = "editor-only"

GROUPS = (CONTENT, FILING, EDITOR_ONLY)

# Editable on the model but never typed into the form: "Updated" is stamped by the
# workflow on real changes (newsdesk.workflow.stamp_update), and related posts are
# edited as rows of their own (newsdesk.story_inlines).
NOT_IN_THE_FORM = ("updated_at", "related")


@dataclass(frozen=True)
class Box:
    """One box of the editors' form: a title (None: the first, untitled box) and its
    rows, each a ``(field, group)`` pair or a tuple of pairs shown on one line."""

    title: str | None
    rows: tuple
    collapsed: bool = False

    def field_rows(self):
        """The rows as field names, in the shape of a ModelAdmin fieldset."""
        return [
            tuple(name for name, _ in row) if isinstance(row[0], tuple) else row[0]
            for row in self.rows
        ]

    def fields(self):
        for row in self.rows:
            yield from (row if isinstance(row[0], tuple) else (row,))


BOXES = (
    Box(
        None,
        (
            ("headline", CONTENT),
            ("slug", FILING),
            ("dek", CONTENT),
            ("body", CONTENT),
            ("dateline", CONTENT),
        ),
    ),
    Box(
        "Publishing",
        (
            ("status", FILING),
            ("published_at", EDITOR_ONLY),
            ("embargo_until", EDITOR_ONLY),
            ("section", FILING),
            ("tags", FILING),
            (("is_sticky", EDITOR_ONLY), ("comments_open", FILING)),
        ),
    ),
    Box(
        "Lead image",
        (
            ("lead_photo", CONTENT),
            ("lead_image", CONTENT),
            ("lead_image_url", CONTENT),
            ("lead_image_alt", CONTENT),
            ("lead_image_caption", CONTENT),
            ("lead_image_credit", CONTENT),
        ),
    ),
    Box(
        "Kind: video, audio or live",
        (
            ("kind", CONTENT),
            ("video_url", CONTENT),
            ("media_file", CONTENT),
            (("captions", CONTENT), ("captions_language", CONTENT)),
            ("duration", CONTENT),
            ("transcript", CONTENT),
        ),
        collapsed=True,
    ),
    Box(
        "Live coverage",
        (("coverage_ended_at", EDITOR_ONLY), ("live_entries_reviewed", EDITOR_ONLY)),
        collapsed=True,
    ),
    Box(
        "Syndication",
        (("source_name", FILING), ("source_url", FILING), ("syndication", FILING)),
        collapsed=True,
    ),
)


def editable(group=None):
    """The editable fields in form order, all of them or those of one group."""
    return [name for box in BOXES for name, kind in box.fields() if group in (None, kind)]
