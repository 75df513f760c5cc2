"""The comment section of a story page: threads, pages of threads, mentions, the form."""

import datetime
from datetime import timedelta
from functools import cached_property

from django.core.paginator import Paginator
from django.utils import timezone

from articles import cache_tags as story_tags
from comments import cache_tags, cookies, display
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.threads import build_threads
from core import parts
from core.cache import cached, read_ahead
from core.prepared import PreparedQuery

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
    "kind",
    "is_staff_reply",
    "created_at",
)


def _as_shown(comments):
    """``comments`` with the fields shown, in the order posted."""
    return comments.only(*SHOWN_FIELDS).order_by("created_at", "id")


def _public_comments_queryset(story, now):
    return _as_shown(Comment.objects.public(now).filter(article_id=story))


# Most readers hold no comment of their own: theirs is one query whose SQL is built
# once per process (core.prepared), as building it cost twice running it.
_public_comments = PreparedQuery(_public_comments_queryset, story=int, now=datetime.datetime)


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
    """Everything the comment section shows.

    The page of threads, the mentions and the form are rendered once and kept until
    the discussion (or the story) changes (``threads_html()``, ``mentions_html()``,
    ``form_html()``): a kept discussion runs no query. The comments are read (one
    query, pingbacks and trackbacks with them) only to render a page of them or the
    mentions, to find the comment ``?replytocom=`` answers, or for a reader holding
    the cookie of their own comments awaiting moderation.
    ``personal`` is true when the page shows the reader such a comment: that page
    of threads is never kept, and the page itself never cached or shared.
    """

    def __init__(self, article, request):
        self.article = article
        chosen = DiscussionSettings.current()
        self.max_depth = chosen.max_depth
        self.per_page = chosen.comments_per_page
        self.closes_at = closes_at(article, chosen)
        self.open = accepts_comments(article, chosen)
        self.own_held = cookies.PENDING.read(request)
        self.read_ahead(request.GET.get("cpage"))
        # Pages hold whole threads; ?cpage=N past the last page shows the last.
        threads = Paginator(range(self.thread_count()), self.per_page)
        self.page = threads.get_page(request.GET.get("cpage"))
        wanted = request.GET.get("replytocom")
        self.reply_to = self.find_reply_to(self.comments, wanted) if wanted else None

    @cached_property
    def shown(self):
        """What the section shows, in the order posted: the approved comments, pingbacks
        and trackbacks (one query for both lists: a story without mentions costs
        nothing more), and the reader's own held comments."""
        if not self.own_held:
            return _public_comments(story=self.article.pk, now=timezone.now())
        shown = Comment.objects.public().filter(article=self.article) | Comment.objects.filter(
            article=self.article,
            pk__in=self.own_held,
            status__in=Comment.HELD,
            kind=Comment.Kind.COMMENT,
        )
        return list(_as_shown(shown))

    @cached_property
    def comments(self):
        """The reader comments shown (``Comment.objects.approved()``, and the reader's own held)."""
        return [comment for comment in self.shown if not comment.is_mention]

    @cached_property
    def mentions(self):
        """The approved pingbacks and trackbacks: other sites' pages linking here."""
        return [comment for comment in self.shown if comment.is_mention]

    @cached_property
    def threads(self):
        return build_threads(self.comments, self.max_depth)

    @cached_property
    def personal(self):
        return bool(self.own_held) and any(comment.is_held for comment in self.comments)

    @cached_property
    def count(self):
        """How many comments the story has for readers (the heading's number): counted
        with its threads rather than read from the story (``Article.comment_count``), so
        that a story row kept by the page (articles.views) never shows an old count."""
        if self.personal:
            return sum(not comment.is_held for comment in self.comments)
        return cached(self.cache_name("count"), self.cache_tags(), lambda: len(self.comments))

    def thread_count(self):
        """How many threads the reader sees (what the page numbers follow from)."""
        if self.personal:
            return len(self.threads)
        return cached(self.cache_name("threads"), self.cache_tags(), lambda: len(self.threads))

    def threads_html(self):
        """The page of threads shown and the links to the other pages, as HTML: kept
        until the discussion changes, except for the reader who sees their own held
        comment there."""
        if self.personal:
            return self.render_threads()
        return cached(self.page_name(self.page.number), self.cache_tags(), self.render_threads)

    def page_name(self, number):
        shown = f"page:{number}:{'open' if self.open else 'closed'}"
        # What the page holds and which comments get a Reply link follow from these.
        layout = f"depth:{self.max_depth}:per:{self.per_page}"
        return self.cache_name(shown, layout)

    def read_ahead(self, page):
        """What the section keeps, fetched in one round trip (core.cache.read_ahead)
        rather than one for each part; ``page``, the ``?cpage=`` asked for (anything but
        a page number shows the first page: no cache key is made of it)."""
        number = page if page and page.isascii() and page.isdigit() and len(page) <= 6 else 1
        read_ahead(
            self.cache_name("threads"),
            self.cache_name("count"),
            self.page_name(number),
            self.cache_name("mentions"),
            self.form_name(),
        )

    def render_threads(self):
        shown = self.page.object_list  # a range of thread numbers
        comments = display.entries(self.threads[shown.start : shown.stop], self.can_reply)
        return parts.render("comments/threads.html", {"comments": comments, "page": self.page})

    def mentions_html(self):
        """The list of other sites linking to the story (empty without any), kept until
        the discussion changes; on every page of threads, as WordPress lists them."""
        return cached(self.cache_name("mentions"), self.cache_tags(), self.render_mentions)

    def render_mentions(self):
        if not self.mentions:
            return ""
        mentions = display.mentions(self.mentions)
        return parts.render("comments/mentions.html", {"mentions": mentions})

    @cached_property
    def form(self):
        if not self.open:
            return None
        initial = {"parent": self.reply_to.pk} if self.reply_to else {}
        return CommentForm(article=self.article, initial=initial)

    def form_html(self):
        """The comment form (or "Comments are closed."). The blank one is kept until the
        story changes (the form shows its address), a new comment not changing it; its
        token (comments.forms.form_token) is dated when it was rendered, as on a cached
        page. The form of a reply (``?replytocom=``) is rendered each time."""
        if self.reply_to:
            return self.render_form()
        return cached(
            self.form_name(),
            [story_tags.article(self.article.pk)],
            self.render_form,
            deadlines=False,  # other stories going live change nothing here
        )

    def form_name(self):
        return self.cache_name("form", "open" if self.open else "closed")

    def render_form(self):
        context = {"article": self.article, "form": self.form, "reply_to": self.reply_to}
        return parts.render("comments/form.html", context)

    def can_reply(self, comment):
        """A Reply link: the discussion is open, the comment public, the thread not too deep."""
        return self.open and not comment.is_held and comment.depth < self.max_depth

    def cache_name(self, *parts):
        return ":".join(("comments", str(self.article.pk), *parts))

    def cache_tags(self):
        return [cache_tags.discussion(self.article.pk)]

    @staticmethod
    def find_reply_to(comments, wanted):
        """``?replytocom=ID`` puts the form under that comment without JavaScript."""
        for comment in comments:
            if str(comment.pk) == wanted and not comment.is_held:
                return comment
        return None
