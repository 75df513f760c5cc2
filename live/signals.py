"""Model signals, one line each: a changed entry makes every page showing the story's
entries stale (live.cache_tags), and a correction changes its entry's version."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles.signals import drop_control_characters
from core.stamps import touch_after_commit
from live.cache_tags import live
from live.models import Entry, EntryCorrection

# Entries reach feeds, which XML 1.0 rules: cleaned on the way in, as stories are.
for model in (Entry, EntryCorrection):
    pre_save.connect(
        drop_control_characters, sender=model, dispatch_uid=f"live.{model.__name__}_clean_text"
    )


@receiver(post_save, sender=Entry, dispatch_uid="live.entry_saved")
@receiver(post_delete, sender=Entry, dispatch_uid="live.entry_deleted")
def entry_changed(sender, instance, **kwargs):
    touch_after_commit(live(instance.story_id))


@receiver(m2m_changed, sender=Entry.authors.through, dispatch_uid="live.entry_authors")
def entry_authors_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Entry):
        touch_after_commit(live(instance.story_id))


@receiver(post_save, sender=EntryCorrection, dispatch_uid="live.correction_saved")
@receiver(post_delete, sender=EntryCorrection, dispatch_uid="live.correction_deleted")
def correction_changed(sender, instance, **kwargs):
    # The entry's version is what a reader's page compares (live.views): bump it.
    entries = Entry.objects.filter(pk=instance.entry_id)
    entries.update(modified_at=timezone.now())
    story_ids = entries.values_list("story_id", flat=True)
    for story_id in story_ids:
        touch_after_commit(live(story_id))
