"""Model signals, adapted to comments.actions: however a comment changes (the form,
a moderator, a staff reply), its story's count and pages follow after commit."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments import actions
from comments.models import Comment


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance, **kwargs):
    # However a reply comes to be approved (the rules, a moderator, a staff reply).
    approved_reply = (
        instance.parent_id
        and instance.status == Comment.Status.APPROVED
        and not instance.reply_announced
    )
    actions.discussions_changed([instance.article_id], [instance.pk] if approved_reply else ())


@receiver(post_delete, sender=Comment)
def comment_deleted(sender, instance, **kwargs):
    actions.discussions_changed([instance.article_id])
