"""Comments awaiting moderation, as the story admin shows them (counted and linked)."""

from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from comments.models import Comment


def pending_count():
    """An annotation: each story's comments awaiting moderation.

    One correlated subquery per listed row (index comment_thread) instead of a
    GROUP BY over the whole comments table.
    """
    pending = (
        Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.PENDING)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(pending), 0)


def queue_url():
    """The moderation queue, or None when the comments admin is not installed."""
    try:
        return reverse("admin:comments_comment_changelist")
    except NoReverseMatch:
        return None


def pending_comments_link(article):
    """The story's comments awaiting moderation, counted and linked: for its change page."""
    count = Comment.objects.pending().filter(article=article).count()
    query = urlencode({"article": article.pk, "status": Comment.Status.PENDING})
    return format_html('<a href="{}?{}">{} awaiting moderation</a>', queue_url(), query, count)
