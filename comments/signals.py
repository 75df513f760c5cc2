"""Keeps Article.comment_count equal to the number of comments a reader can see."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments.models import Comment


def recount(article_id):
    from articles.models import Article

    count = Comment.objects.filter(
        article_id=article_id, status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT
    ).count()
    # update() rather than save(): a new comment is not a change to the story.
    Article.objects.filter(pk=article_id).update(comment_count=count)


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, **kwargs):
    transaction.on_commit(lambda: recount(instance.article_id))
