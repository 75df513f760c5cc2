"""The content model: stories, their sections, people, credits, tags, related posts
and corrections. ``published_q()`` / ``Article.objects.published()`` is the one rule
of what a reader may see."""

from articles.models.body_photos import BodyPhoto
from articles.models.lead_photos import (
    adopt_lead_photo_renditions,
    adopt_media_thumbnail_renditions,
)
from articles.models.parts import Correction, Credit, RelatedLink
from articles.models.people import Person, Section, newsroom_name
from articles.models.prepared_reads import (
    next_scheduled_publication,
    published_story,
    read_credits_and_tags,
)
from articles.models.publication import Status, published_q
from articles.models.story import (
    EXCERPT_WORDS,
    MANY_STORIES,
    Article,
    TaggedArticle,
)

__all__ = [
    "EXCERPT_WORDS",
    "MANY_STORIES",
    "Article",
    "BodyPhoto",
    "Correction",
    "Credit",
    "Person",
    "RelatedLink",
    "Section",
    "Status",
    "TaggedArticle",
    "adopt_lead_photo_renditions",
    "adopt_media_thumbnail_renditions",
    "newsroom_name",
    "next_scheduled_publication",
    "published_q",
    "published_story",
    "read_credits_and_tags",
]
