"""Keep cached pages and derived data in step with the models they come from.

Every change touches, after it is committed, the page cache tags of what it
alters (articles/dependencies.py names them): the story's own tag for any change
to it, and the collections a listed story is or was in when it may enter or
leave them (its publication, time, section or pinning changed; a tag or credit
added or removed). "Listed" means published, live or scheduled: a draft appears
nowhere, so its changes touch only its own tag (its preview is never cached).

Bulk writes send no signals; the code doing them touches what it changed itself
(comments.models.CommentQuerySet.moderate sends discussion_changed; the WordPress
importer and generate_content touch "site").
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from articles import dependencies as tags
from articles.models import (
    Article,
    Correction,
    Credit,
    Person,
    RelatedLink,
    Section,
    SectionQuerySet,
    TaggedArticle,
)
from articles.sanitize import strip_control_characters
from comments.signals import discussion_changed
from newsroom.cache_tags import touch, touch_after_commit


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


# A change to one of these may move a story into or out of a listing.
MEMBERSHIP_FIELDS = ("status", "published_at", "section_id", "is_sticky")
# What the sitemaps show of a story: its address (date and slug) and lastmod.
SITEMAP_FIELDS = ("slug", "published_at", "updated_at")


def is_listed(status):
    return status == Article.Status.PUBLISHED


def collections_of(article, *sections):
    """Every listing ``article`` can appear on: the site-wide ones, its sections
    (before and after the change), its tags and the people credited on it."""
    tag_ids = TaggedArticle.objects.filter(content_object=article).values_list("tag", flat=True)
    people = Credit.objects.filter(article=article).values_list("person", flat=True)
    return {
        *tags.EVERY_LISTING,
        *(tags.section(pk) for pk in sections if pk),
        *(tags.tag(pk) for pk in tag_ids),
        *(tags.person(pk) for pk in people),
    }


@receiver(pre_save, sender=Article)
def remember_article(sender, instance, raw=False, **kwargs):
    """What the story was, read from the database: the instance may be older than it."""
    if raw or instance.pk is None:
        instance._before_save = None
        return
    fields = {*MEMBERSHIP_FIELDS, *SITEMAP_FIELDS}
    instance._before_save = Article.objects.filter(pk=instance.pk).values(*fields).first()


@receiver(post_save, sender=Article)
def article_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    touched = {tags.article(instance.pk)}
    before = getattr(instance, "_before_save", None)
    now_listed = is_listed(instance.status)
    if created or before is None:
        if now_listed:
            touched |= collections_of(instance, instance.section_id)
    elif now_listed or is_listed(before["status"]):

        def changed(fields):
            return any(before[field] != getattr(instance, field) for field in fields)

        if changed(MEMBERSHIP_FIELDS):
            touched |= collections_of(instance, before["section_id"], instance.section_id)
        elif changed(SITEMAP_FIELDS):
            touched.add(tags.SITEMAP)
    touch_after_commit(*touched)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    # Its tags and credits are deleted with it, and say so themselves (below).
    touched = {tags.article(instance.pk)}
    if is_listed(instance.status):
        touched |= {*tags.EVERY_LISTING, tags.section(instance.section_id)}
    touch_after_commit(*touched)


def story_of(link):
    """The story a tag link or credit belongs to (usually already loaded with it)."""
    try:
        return link.article if isinstance(link, Credit) else link.content_object
    except Article.DoesNotExist:  # deleted in the same cascade
        return None


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def tag_link_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    touched = {tags.article(instance.content_object_id)}
    story = story_of(instance)
    if story is None or is_listed(story.status):
        touched |= {tags.tag(instance.tag_id), tags.SITEMAP}
    touch_after_commit(*touched)


@receiver(pre_save, sender=Credit)
def remember_credit(sender, instance, raw=False, **kwargs):
    instance._person_before = None
    if not raw and instance.pk is not None:
        old = Credit.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        instance._person_before = old


@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def credit_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    touched = {tags.article(instance.article_id)}
    story = story_of(instance)
    if story is None or is_listed(story.status):
        people = {instance.person_id, getattr(instance, "_person_before", None)}
        touched |= {tags.SITEMAP, *(tags.person(pk) for pk in people if pk)}
    touch_after_commit(*touched)


@receiver(post_save, sender=RelatedLink)
@receiver(post_delete, sender=RelatedLink)
def picks_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_after_commit(tags.article(instance.from_article_id))


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_after_commit(tags.article(instance.article_id), tags.CORRECTIONS)


@receiver(discussion_changed)
def discussion_changed_on(sender, article_id, **kwargs):
    # Sent once the change is committed (comments.signals): touch at once. The
    # story's page and every card showing its comment count carry this tag.
    touch(tags.discussion(article_id))


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def section_changed(sender, **kwargs):
    transaction.on_commit(lambda: cache.delete(SectionQuerySet.NAVIGATION_CACHE_KEY))
    touch_after_commit(tags.SITE)


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Tag)
def name_changed(sender, created, raw=False, **kwargs):
    # A new person or tag is shown nowhere until a story is linked to it (above).
    if not (created or raw):
        touch_after_commit(tags.SITE)


@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Tag)
def name_deleted(sender, **kwargs):
    touch_after_commit(tags.SITE)
