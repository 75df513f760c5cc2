"""How stories are read with their lead photos, and the names of the photos' stored
renditions (photos.renditions.stored), for a page to link them with no query more."""

from django.db import models

from photos import renditions

# What a small card (includes/card.html, size "small") shows of a story: its address
# (day and slug), headline, excerpt (from the dek, else the body or the transcript),
# kind, duration, coverage and lead photo.
SMALL_CARD = (
    "slug",
    "published_at",
    "created_at",
    "headline",
    "dek",
    "body",
    "transcript",
    "kind",
    "duration",
    "coverage_ended_at",
    "lead_photo",
)


class LeadPhotoQuerySet(models.QuerySet):
    def with_lead_photos(self):
        """Stories with their sections and lead photos, and the photos' stored
        renditions in one query for the lot (photos.renditions.stored)."""
        return self.select_related("section", "lead_photo").prefetch_related(
            renditions.stored_prefetch("lead_photo__renditions")
        )

    def with_lead_photos_inline(self):
        """``with_lead_photos()`` with no query of its own: the names of each photo's
        stored renditions come in the story's row (``lead_photo_stored``), which
        ``adopt_lead_photo_renditions()`` hands to the photos. For a story read in
        full (the story page), whose subquery costs less than a query more; a
        listing's twenty are one prefetch."""
        return self.select_related("section", "lead_photo").annotate(
            lead_photo_stored=renditions.stored_names_of("lead_photo")
        )

    def for_small_cards(self):
        """``with_lead_photos_inline()`` for the related posts' small cards, which show
        no section and no byline: only the columns they show are read (``SMALL_CARD``),
        a quarter of a story's, and two of its six dates (each made aware of its time
        zone in Python): 2% of a cold story page (bench/cold_ab.py)."""
        return (
            self.select_related("lead_photo")
            .only(*SMALL_CARD)
            .annotate(lead_photo_stored=renditions.stored_names_of("lead_photo"))
        )


def adopt_lead_photo_renditions(stories):
    """The lead photos of ``stories`` (read ``with_lead_photos_inline()``) learn which
    of their renditions are stored: the pages then link them with no query."""
    for story in stories:
        renditions.adopt_stored(story.lead_photo, story.lead_photo_stored)


def adopt_media_thumbnail_renditions(story):
    """The same for the thumbnail of a video or audio story's provider player (read
    ``for_story_page()``)."""
    if story.media_embed is not None:
        renditions.adopt_stored(story.media_embed.thumbnail, story.media_thumbnail_stored)
