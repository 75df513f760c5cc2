"""What the site answers at addresses no route claims: simple pages, and old addresses that moved.

Both are looked up by ``pages.middleware.FallbackMiddleware`` only when every
route has said 404, so neither can shadow a story, an archive or the admin.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import iri_to_uri

from core.sanitize import clean_body


def validate_path(value):
    if not (value.startswith("/") and value.endswith("/")) or "//" in value:
        raise ValidationError(
            "A page path starts and ends with a slash and has no empty parts, e.g. /about/team/."
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)

    def visible_to(self, user):
        """Readers see published pages; whoever may see pages in the admin also sees
        drafts, to preview them (being staff is not enough: a moderator is a reader)."""
        if user.has_perm("pages.view_page") or user.has_perm("pages.change_page"):
            return self.all()
        return self.published()


class Page(models.Model):
    """A page that is not a story: "About us", "Contact", "Corrections policy"."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    path = models.CharField(
        max_length=500,
        unique=True,
        validators=[validate_path],
        help_text="Where the page lives, e.g. /about/team/. Routes of the site take precedence.",
    )
    body = models.TextField(
        blank=True, help_text="Sanitized HTML; unsafe markup is removed on save."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="Shown above the title as the way back, e.g. About us › Our team.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among its siblings.")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return iri_to_uri(self.path)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class Redirect(models.Model):
    """An address that moved: answered 301 (or 410 Gone) when nothing else is there."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The address that moved, as readers typed it: /2019/05/old-slug/ or /?p=123.",
    )
    new_path = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where it is now: a path such as /section/world/ or a full URL. "
        "Leave empty to answer 410 Gone (removed on purpose).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path or '410 Gone'}"

    def clean(self):
        if not self.old_path.startswith("/"):
            raise ValidationError({"old_path": "Start with a slash, e.g. /2019/05/old-slug/."})
        if self.old_path == self.new_path:
            raise ValidationError({"new_path": "A page cannot redirect to itself."})
