"""Which library photos a story's body shows, so that none of them can be deleted."""

from django.db import models


class BodyPhotoQuerySet(models.QuerySet):
    def follow(self, article, ids):
        """Make the rows say that ``article``'s body shows the photos ``ids`` (after each
        save; articles.body_photos.photo_ids reads them from the body).

        A reference to a photo that no longer exists (typed in HTML mode, or in a
        restored revision) gets no row: the reader page shows nothing for it.
        """
        from photos.models import Photo

        wanted = set(Photo.objects.filter(pk__in=ids).values_list("pk", flat=True))
        rows = self.filter(article=article)
        held = set(rows.values_list("photo_id", flat=True))
        if held - wanted:
            rows.filter(photo_id__in=held - wanted).delete()
        self.bulk_create(
            [self.model(article=article, photo_id=pk) for pk in wanted - held],
            ignore_conflicts=True,
        )


class BodyPhoto(models.Model):
    """A photo of the library shown in a story's body (articles.body_photos)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey("photos.Photo", on_delete=models.PROTECT, related_name="body_of")

    objects = BodyPhotoQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="body_photo_once_per_story")
        ]

    def __str__(self):
        return f"{self.photo} in {self.article}"
