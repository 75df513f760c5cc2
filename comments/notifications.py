"""E-mails about comments: held ones to the moderators, replies to those who asked.

Sending happens after the comment is committed, and a mail server that is down
is logged, never raised: the comment is already safe, and the commenter must
not see an error for it.
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
    body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME})
    message = EmailMessage(subject, body, to=to, headers=headers)
    try:
        message.send()
    except Exception:  # any mail failure: the comment is stored already, keep serving
        logger.exception("Could not send %r to %s", subject, ", ".join(to))


def tell_moderators(comment):
    """A comment was held for moderation: ask the moderators to look at it."""
    to = moderator_addresses()
    if not to:
        logger.warning(
            "Comment %s awaits moderation but nobody is told: give a user the "
            "'Can change comment' permission or set MANAGERS.",
            comment.pk,
        )
        return
    context = {
        "comment": comment,
        "article_url": absolute(comment.article.get_absolute_url()),
        "review_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
    }
    subject = f"[{settings.SITE_NAME}] Please moderate: “{comment.article.headline}”"
    send(subject, "comments/email/held.txt", context, to)


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
    """Tell each opted-in commenter that an approved reply answers them, once per reply."""
    replies = Comment.objects.filter(
        pk__in=reply_ids,
        parent__isnull=False,
        status=Comment.Status.APPROVED,
        reply_announced=False,
    ).select_related("parent", "article")
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
            tell_parent_author(reply)


def tell_parent_author(reply):
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
