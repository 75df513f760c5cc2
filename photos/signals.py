"""A saved photo: its renditions are made in the background and the pages showing it
forget it, once the change is committed (the worker must find what it is about)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from core.stamps import touch_after_commit
from core.tasks import queue
from photos import cache_tags
from photos.models import Photo
from photos.tasks import make_standard_renditions


@receiver(post_save, sender=Photo, dispatch_uid="photos.photo_saved")
def photo_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.file:
        return
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
