"""The comment section of a story page: threads, pages of threads, the form."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone

from comments import cookies
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.threads import build_threads

# What the thread shows of each comment. Not the e-mail address, the IP or the
# raw body: what is not loaded cannot be rendered by mistake.
SHOWN_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "author_url",
    "body_html",
    "status",
    "is_staff_reply",
    "created_at",
)


def closes_at(article, chosen):
    """When the story stops taking comments by age (``chosen.close_after_days``), or None."""
    days = chosen.close_after_days
    if not days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def accepts_comments(article, chosen=None):
    """Open for comments: published, not closed by an editor, not past the closing age
    (by ``chosen``, the discussion settings, else the current ones)."""
    if not (article.comments_open and article.is_published):
        return False
    closing = closes_at(article, chosen or DiscussionSettings.current())
    return closing is None or timezone.now() < closing


class Discussion:
    """Everything the comment section shows, from one query.

    ``personal`` is true when the page shows the reader their own comment
    awaiting moderation: such a page must never be cached or shared.
    """

    def __init__(self, article, request):
        self.article = article
        chosen = DiscussionSettings.current()
        self.max_depth = chosen.max_depth
        self.closes_at = closes_at(article, chosen)
        self.open = accepts_comments(article, chosen)
        comments = Comment.objects.approved().filter(article=article)
        own_held = cookies.PENDING.read(request)
        if own_held:
            comments = comments | Comment.objects.filter(
                article=article, pk__in=own_held, status__in=Comment.HELD
            )
        comments = list(comments.only(*SHOWN_FIELDS).order_by("created_at", "id"))
        self.personal = any(c.is_held for c in comments)
        threads = build_threads(comments, self.max_depth)
        self.page = Paginator(threads, chosen.comments_per_page).get_page(request.GET.get("cpage"))
        self.reply_to = self.find_reply_to(comments, request.GET.get("replytocom"))
        initial = {"parent": self.reply_to.pk} if self.reply_to else {}
        self.form = CommentForm(article=article, initial=initial) if self.open else None

    @staticmethod
    def find_reply_to(comments, wanted):
        """``?replytocom=ID`` puts the form under that comment without JavaScript."""
        for comment in comments:
            if str(comment.pk) == wanted and not comment.is_held:
                return comment
        return None
