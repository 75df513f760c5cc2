"""Model signals, one line each: a changed embed makes the pages showing it stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.stamps import touch_after_commit
from embeds import cache_tags
from embeds.models import Embed


@receiver(post_save, sender=Embed, dispatch_uid="embeds.embed_changed")
@receiver(post_delete, sender=Embed, dispatch_uid="embeds.embed_deleted")
def embed_changed(sender, instance, **kwargs):
    # The provider's answer arrives after the story was saved (embeds.tasks).
    touch_after_commit(cache_tags.embed(instance.pk))
