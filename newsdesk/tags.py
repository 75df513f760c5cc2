"""Tag housekeeping for the admin: folding duplicate tags into one."""

from django.db import transaction

from articles.models import TaggedArticle


def merge_tags(target, tags, rename_to=""):
    """Move every story tagged with one of ``tags`` onto ``target``, then delete the others.

    A story already carrying ``target`` just loses its duplicate. Returns how many
    stories gained ``target``. ``rename_to`` renames the kept tag afterwards (its
    slug, and so its public URL, stays).
    """
    moved = 0
    with transaction.atomic():
        already_tagged = TaggedArticle.objects.filter(tag=target).values("content_object")
        for tag in tags:
            if tag.pk == target.pk:
                continue
            TaggedArticle.objects.filter(tag=tag, content_object__in=already_tagged).delete()
            moved += TaggedArticle.objects.filter(tag=tag).update(tag=target)
            tag.delete()
        if rename_to and rename_to != target.name:
            target.name = rename_to
            target.save(update_fields=["name"])
    return moved
