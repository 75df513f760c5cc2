"""What is attached to a story: its credits, editors' related picks and corrections."""

from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from articles.models.publication import published_q


class CreditQuerySet(models.QuerySet):
    def bylines(self):
        return self.filter(role=Credit.Role.BYLINE)


class Credit(models.Model):
    """A person's part in a story, in order: "By A and B", "C contributed reporting"."""

    class Role(models.TextChoices):
        BYLINE = "byline", "Byline"
        REPORTING = "reporting", "Contributed reporting"
        PHOTOGRAPHY = "photography", "Photography"
        VIDEO = "video", "Video"
        EDITING = "editing", "Editing"
        OTHER = "other", "Other (use the note)"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="credits"
    )
    person = models.ForeignKey("articles.Person", on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.BYLINE)
    note = models.CharField(
        max_length=200, blank=True, help_text="Follows the credit, e.g. 'from Hong Kong'."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="unique_credit_per_role"
            )
        ]
        indexes = [models.Index(fields=["person", "role"], name="credit_person_role")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class RelatedLink(models.Model):
    from_article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    to_article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links_in"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="unique_related_link"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=models.F("to_article")), name="related_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_article} → {self.to_article}"


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("article__"), published_at__lte=timezone.now())

    def next_publication(self):
        """When the next correction dated ahead appears (or None): pages end by then."""
        upcoming = self.filter(published_at__gt=timezone.now())
        return upcoming.aggregate(next=Min("published_at"))["next"]


class Correction(models.Model):
    """A dated note appended to a story; all of them are listed on /corrections/."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"], name="correction_published")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"
