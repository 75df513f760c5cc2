"""Keeps what derives from comments in step with them, after the change is committed.

``discussion_changed`` is sent (with ``article_id``) whenever the comments a
reader can see on a story may have changed: a page cache listens to it to
forget that story's pages.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from comments.models import Comment
from comments.notifications import announce_replies

discussion_changed = Signal()


def recount(article_id):
    """Set Article.comment_count to the number of comments a reader can see there."""
    from articles.models import Article

    count = Comment.objects.filter(
        article_id=article_id, status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT
    ).count()
    # update() rather than save(): a new comment is not a change to the story.
    Article.objects.filter(pk=article_id).update(comment_count=count)
    discussion_changed.send(sender=Comment, article_id=article_id)


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, **kwargs):
    transaction.on_commit(lambda: recount(instance.article_id))


@receiver(post_save, sender=Comment)
def reply_approved(sender, instance, **kwargs):
    """However a reply comes to be approved (by the rules, a moderator, a staff reply)."""
    approved = instance.status == Comment.Status.APPROVED
    if instance.parent_id and approved and not instance.reply_announced:
        transaction.on_commit(lambda: announce_replies([instance.pk]))
