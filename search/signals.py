"""Keep each story's search document current, after the change is committed.

Reindexing after commit means a rolled-back edit never reaches the index, and
an admin save (story, credit inlines, tags: one transaction) is read back in
its final state. Bulk writes that skip signals (``bulk_create``, ``update``)
need ``manage.py rebuild_search_index``.
"""

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import Article, Credit, Person, TaggedArticle
from search.models import SearchDocument


def reindex_later(articles):
    # robust: the index is derived data; if writing it fails, the error is logged
    # rather than turning the editor's committed save into an error page.
    transaction.on_commit(lambda: SearchDocument.objects.index(articles), robust=True)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_later(Article.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def credit_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_later(Article.objects.filter(pk=instance.article_id))


@receiver(m2m_changed, sender=TaggedArticle)
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # tag.articles.add(...): the instance is a tag
        reindex_later(Article.objects.filter(pk__in=pk_set or ()))
    else:
        reindex_later(Article.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Person)
def person_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):  # a renamed person: their stories' documents name them
        reindex_later(Article.objects.filter(credits__person=instance).distinct())


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):
        reindex_later(Article.objects.filter(tagged_items__tag=instance).distinct())


@receiver(post_migrate)
def index_missing_after_migrate(sender, app_config, apps=global_apps, **kwargs):
    """Stories older than the search app (or loaded without signals) get indexed.
    (``flush`` sends this signal too, without ``apps``: the models are current then.)"""
    if app_config.label != "search":
        return
    try:  # the table may have been migrated away (``migrate search zero``)
        apps.get_model("search", "SearchDocument")
    except LookupError:
        return
    SearchDocument.objects.index_missing()
