"""What an import from WordPress remembers, so that the next import updates, not duplicates."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedObject(models.Model):
    """One object here that came from one WordPress object, by its WordPress id.

    ``fingerprint`` digests what the import last wrote: an export that says the
    same thing again leaves the object (and any edits made here since) alone.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        POST = "post", "Post"
        PAGE = "page", "Page"
        COMMENT = "comment", "Comment"

    site = models.CharField(
        max_length=200, help_text="The WordPress site's address, without the scheme."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    wp_id = models.PositiveBigIntegerField("WordPress id")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site", "kind", "wp_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "wp_id"], name="unique_wordpress_object"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} from {self.site}"


class Attachment(models.Model):
    """A WordPress media item: a reference to its file where WordPress stored it and,
    once the file is brought along (wordpress/attachments.py), its photo in the library.

    Featured images become lead images and ``[gallery]`` shortcodes find their
    pictures here.
    """

    site = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField("WordPress id")
    parent_wp_id = models.PositiveBigIntegerField(
        "attached to (WordPress id)", null=True, blank=True
    )
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    caption = models.CharField(max_length=500, blank=True)
    alt_text = models.CharField(max_length=300, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    position = models.IntegerField(default=0, help_text="WordPress's menu order.")
    credit = models.CharField(max_length=200, blank=True)
    photo = models.ForeignKey(
        "photos.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem = models.CharField(
        max_length=500, blank=True, help_text="Why its file could not join the photo library."
    )

    class Meta:
        ordering = ["site", "wp_id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="unique_wordpress_attachment")
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")
