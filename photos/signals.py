"""A saved photo: its renditions are made in the background and the pages showing it
forget it, once the change is committed (the worker must find what it is about).
A new file's width and height are the photo's as displayed."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver
from PIL import Image, UnidentifiedImageError

from core.stamps import touch_after_commit
from core.tasks import queue
from photos import cache_tags, imaging
from photos.models import Photo
from photos.tasks import make_standard_renditions


@receiver(pre_save, sender=Photo, dispatch_uid="photos.upright_size")
def upright_size(sender, instance, raw=False, **kwargs):
    """Django reads the size of the image as stored, but a camera held upright stores
    it on its side with an EXIF orientation; crops, widths and the markup's width and
    height are of the photo as readers see it. Only a new file's header is read here
    (the file field measures it again as it stores it: photo_saved corrects that)."""
    upload = instance.file
    if raw or not upload or upload._committed:
        return
    try:
        upload.seek(0)
        instance._upright_size = imaging.displayed_size(Image.open(upload))
    except (OSError, UnidentifiedImageError):
        return  # not an image: validation (photos.validation) says so, not this
    finally:
        upload.seek(0)


def correct_size(photo):
    upright = photo.__dict__.pop("_upright_size", None)
    if upright is not None and upright != (photo.width, photo.height):
        photo.width, photo.height = upright
        Photo.objects.filter(pk=photo.pk).update(width=photo.width, height=photo.height)


@receiver(post_save, sender=Photo, dispatch_uid="photos.photo_saved")
def photo_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.file:
        return
    correct_size(instance)
    # A new focal point means new names: the task makes the set (a query when nothing is new).
    queue(make_standard_renditions, instance.pk)
    if not created:
        touch_after_commit(cache_tags.photo(instance.pk))


@receiver(pre_delete, sender=Photo, dispatch_uid="photos.photo_deleted")
def photo_deleted(sender, instance, **kwargs):
    names = list(instance.renditions.values_list("name", flat=True))
    touch_after_commit(cache_tags.photo(instance.pk))

    def delete_files():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files, robust=True)
