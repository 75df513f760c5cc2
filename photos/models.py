"""The photo library: each photo is one reusable asset with the words that travel with it.

A story shows a photo by reference (its lead photo, figures in its body), so a fixed
credit or a new focal point reaches every story that uses it. Readers never download
the uploaded original: they get renditions (photos.renditions), which carry no EXIF.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class PhotoQuerySet(models.QuerySet):
    def publishable(self):
        """Photos that may appear on a published story: described, or marked decorative."""
        return self.exclude(alt_text="", decorative=False)


class Photo(models.Model):
    file = models.ImageField(upload_to="photos/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    title = models.CharField(
        max_length=200, blank=True, help_text="For finding it in the library; readers never see it."
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. Required to publish, "
        "unless the photo is marked decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Adds nothing a reader needs (e.g. a texture): screen readers skip it.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. Jane Doe/Reuters")
    copyright = models.CharField(
        "copyright and usage notes",
        max_length=500,
        blank=True,
        help_text="Who owns it and how we may use it.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Agency, staff, reader, handout…"
    )
    # The point to keep in view when a crop cuts the photo, as fractions of its width and height.
    focal_x = models.FloatField(default=0.5, validators=UNIT)
    focal_y = models.FloatField(default=0.5, validators=UNIT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at"], name="photo_uploaded")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_inside",
            )
        ]

    def __str__(self):
        return self.title or self.alt_text or self.file.name.rsplit("/", 1)[-1]

    @property
    def described(self):
        return self.decorative or bool(self.alt_text.strip())

    def clean(self):
        if self.decorative and self.alt_text.strip():
            raise ValidationError(
                {"decorative": "A decorative photo has no alt text: clear one or the other."}
            )


class Rendition(models.Model):
    """One generated rendition of a photo, stored under an immutable name (photos.renditions).

    A row is written once its file is stored, so a row means "this URL works". Names
    change with the focal point and crop; the rows of an older focal point stay, since
    a page or a reader's cache may still link them.
    """

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    crop = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    name = models.CharField(max_length=255, unique=True, help_text="In the default storage.")
    size = models.PositiveIntegerField("bytes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["photo", "crop", "width", "format"]

    def __str__(self):
        return self.name
