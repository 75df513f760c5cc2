"""E-mails about comments: held ones to the moderators, replies to those who asked.

Each e-mail is a background job (core/tasks.py), queued in the transaction that
stores the comment or the verdict, and sent by the worker: the commenter never
waits for a mail server, and one that is down or slow makes the job fail and be
tried again later (until it gives up, failed, under "Background jobs" in the
admin), never loses the message.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import Comment
from core.tasks import background_task, queue

logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"
UNSUBSCRIBE_SALT = "comments.unsubscribe"


def moderator_addresses():
    """Active users who may moderate comments; ``settings.MANAGERS`` when there are none."""
    change_comment = Permission.objects.filter(
        content_type__app_label="comments", codename="change_comment"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=change_comment)
            | Q(groups__permissions__in=change_comment)
            | Q(groups__name=MODERATORS_GROUP)
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users)) or [email for _, email in settings.MANAGERS]


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def send(subject, template, context, to, headers=None):
    """Raises if the mail server refuses or does not answer: the job is retried."""
    body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME})
    EmailMessage(subject, body, to=to, headers=headers).send()


@background_task()
def tell_moderators(comment_id):
    """A comment was held for moderation: ask the moderators to look at it (unless it
    has been moderated, or deleted, since)."""
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING)
        .select_related("article")
        .first()
    )
    if comment is None:
        return "moderated already"
    to = moderator_addresses()
    if not to:
        logger.warning(
            "Comment %s awaits moderation but nobody is told: give a user the "
            "'Can change comment' permission or set MANAGERS.",
            comment.pk,
        )
        return "no moderator has an e-mail address"
    context = {
        "comment": comment,
        "article_url": absolute(comment.article.get_absolute_url()),
        "review_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
    }
    subject = f"[{settings.SITE_NAME}] Please moderate: “{comment.article.headline}”"
    send(subject, "comments/email/held.txt", context, to)
    return f"sent to {len(to)}"


def unsubscribe_token(comment):
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def comment_from_unsubscribe_token(token):
    """The comment an unsubscribe link was made for; ``None`` if the link was altered."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first()


def announce_replies(reply_ids):
    """Queue one e-mail per approved reply to each opted-in commenter it answers, once per
    reply. Called inside the transaction that approved them: the claim and the job are
    committed together, or neither is."""
    replies = Comment.objects.filter(
        pk__in=reply_ids,
        parent__isnull=False,
        status=Comment.Status.APPROVED,
        reply_announced=False,
    ).select_related("parent")
    for reply in replies:
        # Claim the reply first: two moderators approving it at once send one e-mail.
        claimed = Comment.objects.filter(pk=reply.pk, reply_announced=False).update(
            reply_announced=True
        )
        parent = reply.parent
        wanted = (
            parent.notify_on_reply
            and parent.status == Comment.Status.APPROVED
            and parent.author_email.lower() != reply.author_email.lower()
        )
        if claimed and wanted:
            queue(tell_parent_author, reply.pk)


@background_task()
def tell_parent_author(reply_id):
    reply = Comment.objects.filter(pk=reply_id).select_related("parent", "article").first()
    if reply is None or not reply.parent.notify_on_reply:
        return "reply deleted or its parent's author unsubscribed since"
    parent = reply.parent
    unsubscribe_url = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    context = {
        "reply": reply,
        "parent": parent,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = f"[{settings.SITE_NAME}] {reply.author_name} replied to your comment"
    headers = {
        # RFC 8058 one-click unsubscribe: mail programs POST to the link themselves.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    send(subject, "comments/email/reply.txt", context, [parent.author_email], headers)
    return "sent"
