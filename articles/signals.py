"""Model signals, adapted one line each to articles.changes (what a change invalidates).

Bulk writes send no signals: the code doing them calls articles.changes itself.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from articles import body_photos, changes, preview
from articles.models import (
    Article,
    BodyPhoto,
    Correction,
    Credit,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
)
from core.sanitize import strip_control_characters


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender=Section)
@receiver(pre_save, sender=Person)
@receiver(pre_save, sender=Credit)
@receiver(pre_save, sender=Correction)
@receiver(pre_save, sender=Tag)
def drop_control_characters(sender, instance, **kwargs):
    """Editors' text reaches feeds and sitemaps, which XML 1.0 rules: clean it on the way in."""
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            setattr(instance, field.attname, strip_control_characters(value))


@receiver(pre_save, sender=Article)
def remember_article(sender, instance, raw=False, **kwargs):
    before = changes.state_before_save(instance)
    # Raw saves too: a revision restored (django-reversion) must not revive old links.
    preview.settle_key(instance, before)
    instance._before_save = None if raw else before


@receiver(post_save, sender=Article)
def article_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        changes.story_saved(instance, None if created else instance._before_save)


@receiver(post_save, sender=Article)
def body_photos_follow(sender, instance, **kwargs):
    # Raw saves too: a restored revision's body decides which photos it holds.
    BodyPhoto.objects.follow(instance, body_photos.photo_ids(instance.body))


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    changes.story_deleted(instance)


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def tag_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changes.tag_link_changed(instance)


@receiver(pre_save, sender=Credit)
def remember_credit(sender, instance, raw=False, **kwargs):
    instance._person_before = None if raw else changes.person_before_save(instance)


@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def credit_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changes.credit_changed(instance, getattr(instance, "_person_before", None))


@receiver(post_save, sender=RelatedLink)
@receiver(post_delete, sender=RelatedLink)
def picks_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changes.picks_changed(instance)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changes.correction_changed(instance)


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def section_changed(sender, **kwargs):
    changes.everything_changed()  # the navigation, on every page


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Tag)
def name_changed(sender, created, raw=False, **kwargs):
    # A new person or tag is shown nowhere until a story is linked to it (above).
    if not (created or raw):
        changes.everything_changed()


@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Tag)
def name_deleted(sender, **kwargs):
    changes.everything_changed()
