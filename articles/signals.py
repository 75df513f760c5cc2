"""Keep cached derived data in step with the models it is derived from."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Section, SectionQuerySet


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def section_changed(sender, **kwargs):
    transaction.on_commit(lambda: cache.delete(SectionQuerySet.NAVIGATION_CACHE_KEY))
