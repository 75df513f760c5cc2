from django import template
from django.urls import reverse

from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/admin_pending_notice.html", takes_context=True)
def pending_comments_notice(context):
    """How many comments await moderation, for those who may moderate them."""
    if not context["request"].user.has_perm("comments.change_comment"):
        return {"count": None}
    return {
        "count": Comment.objects.pending().count(),
        "url": reverse("admin:comments_comment_changelist"),
    }
