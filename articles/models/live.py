"""What makes a story live coverage: when its coverage ended, and how its entries
are reviewed. The entries themselves are the ``live`` app's."""

from django.db import models
from django.utils import timezone


class LiveFields(models.Model):
    """The live-coverage fields and rules of ``Article`` (whose ``Kind`` they read)."""

    coverage_ended_at = models.DateTimeField(
        "coverage ended",
        null=True,
        blank=True,
        help_text="A live story: when coverage ended. Readers' pages stop looking for "
        "updates, and the badges say Ended.",
    )
    live_entries_reviewed = models.BooleanField(
        "writers' entries wait for an editor",
        default=False,
        help_text="A live story: a writer's entry is published by an editor, not at once.",
    )

    class Meta:
        abstract = True

    @property
    def is_live(self):
        return self.kind == self.Kind.LIVE

    @property
    def is_live_open(self):
        """Live coverage readers can follow now: published and not ended."""
        ended = self.coverage_ended_at is not None and self.coverage_ended_at <= timezone.now()
        return self.is_live and not ended

    @property
    def coverage_started_at(self):
        return self.published_at

    def clean_live(self):
        """Coverage ends after it starts, and only a live story has coverage."""
        if not self.is_live:
            if self.coverage_ended_at:
                return {
                    "coverage_ended_at": "Only a live story has coverage: choose its kind (Live)."
                }
            return {}
        start, end = self.published_at, self.coverage_ended_at
        if start and end and end < start:
            return {
                "coverage_ended_at": (
                    "Coverage cannot end before it starts: the story goes live at its "
                    "publication time. Set the end after it, or clear it."
                )
            }
        return {}
