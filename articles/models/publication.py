"""The publication rule: a story's workflow states, and what a reader may see."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Status(models.TextChoices):
    """Where a story stands. PUBLISHED means released: live, or scheduled when its
    publication time is still ahead (``published_q()`` tells the two apart)."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


def published_q(prefix="", now=None):
    """The rule for what a reader may see, as a Q usable across relations.

    ``Article.objects.published()`` is the everyday spelling; other models
    reach through a relation with a prefix (``published_q("article__")``) so
    the rule is still stated only here. ``now`` is the clock's time unless given.
    """
    return Q(
        **{
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}published_at__lte": now or timezone.now(),
        }
    )


def scheduled_q(prefix="", now=None):
    """Released with a publication time still ahead: it goes live by itself then (the
    other side of ``published_q()``'s clock, stated beside it)."""
    return Q(
        **{
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}published_at__gt": now or timezone.now(),
        }
    )
