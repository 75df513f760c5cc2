"""What the moderation queue shows beside each comment, computed for a whole page at once.

A moderator decides faster with context: the comment it answers, what was said
under it, and who the commenter is (approved here before? first seen when? held
for what?). Each is one query for the page, however many rows it has: the
replies (the first few of each, by a window in the database), how many replies
each has, the commenter's comments by status, and their held reasons.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, prefetch_related_objects
from django.db.models.functions import Lower

from comments.models import Comment

# Replies shown under a comment in the queue; the rest are counted.
REPLIES_SHOWN = 3
# Each status is counted this far, then said to be more.
COUNT_UP_TO = 10_000
# Distinct held reasons shown for a commenter, the most frequent first.
REASONS_SHOWN = 3


@dataclass
class History:
    """A commenter's other comments (by e-mail, case-insensitively), for one row."""

    by_status: dict = field(default_factory=dict)
    first_seen: object = None
    held_reasons: list = field(default_factory=list)

    @property
    def approved(self):
        return self.by_status.get(Comment.Status.APPROVED, 0)

    @property
    def others(self):
        return sum(self.by_status.values())

    def held_summary(self):
        """The other verdicts than "approved", e.g. "1 awaiting moderation, 2 spam"."""
        labels = dict(Comment.Status.choices)
        return ", ".join(
            f"{n} {labels[status].lower()}"
            for status, n in self.by_status.items()
            if status != Comment.Status.APPROVED and n
        )


def status_counts(article_id=None):
    """Comments per status, ``{status: n}``, each counted up to ``COUNT_UP_TO + 1``
    (then shown as "10,000+": ``count_label``), or only those of one story.

    Four counts that each stop early, read from the (status, created_at) index (the
    story's (article, status, created_at) one when narrowed): a GROUP BY status would
    read the whole index, a million entries at a million comments, on every page of
    the queue, for numbers nobody needs exactly past the first thousands.
    """
    comments = Comment.objects.order_by()
    if article_id is not None:
        comments = comments.filter(article_id=article_id)
    return {
        status: comments.filter(status=status).values("pk")[: COUNT_UP_TO + 1].count()
        for status in Comment.Status.values
    }


def count_labels(counts):
    """``status_counts()`` as shown: "3", "1,204", "10,000+"."""
    return {
        status: f"{COUNT_UP_TO:,}+" if n > COUNT_UP_TO else f"{n:,}" for status, n in counts.items()
    }


def with_context(comments):
    """``comments`` (a page of the queue) as a list, each with ``.shown_replies``,
    ``.reply_count``, ``.more_replies`` and ``.history`` filled in, in four queries."""
    comments = list(comments)
    if not comments:
        return comments
    replies = Comment.objects.order_by("created_at", "pk").only(
        "parent_id", "author_name", "body", "status", "is_staff_reply", "created_at"
    )
    prefetch_related_objects(
        comments,
        Prefetch("replies", queryset=replies[:REPLIES_SHOWN], to_attr="shown_replies"),
    )
    reply_counts = dict(
        Comment.objects.filter(parent__in=comments)
        .order_by()
        .values_list("parent_id")
        .annotate(n=Count("pk"))
    )
    histories = _histories(comments)
    for comment in comments:
        comment.reply_count = reply_counts.get(comment.pk, 0)
        comment.more_replies = comment.reply_count - len(comment.shown_replies)
        comment.history = histories[comment.pk]
    return comments


def _histories(comments):
    """``{comment id: History}`` of the other comments by each row's commenter."""
    emails = {comment.author_email.lower() for comment in comments}
    theirs = Comment.objects.annotate(email=Lower("author_email")).filter(email__in=emails)
    by_status = {}
    first_seen = {}
    for email, status, n, first in (
        theirs.order_by()
        .values_list("email", "status")
        .annotate(n=Count("pk"), first=Min("created_at"))
    ):
        by_status.setdefault(email, {})[status] = n
        first_seen[email] = min(first, first_seen.get(email, first))
    reasons = {}
    for email, reason, n in (
        theirs.exclude(held_reason="")
        .order_by()
        .values_list("email", "held_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "held_reason")
    ):
        reasons.setdefault(email, []).append((reason, n))

    histories = {}
    for comment in comments:
        email = comment.author_email.lower()
        # The counts include the row's own comment: take it out of its status and reason.
        statuses = dict(by_status.get(email, {}))
        statuses[comment.status] = statuses.get(comment.status, 1) - 1
        held = [
            (reason, n - (reason == comment.held_reason)) for reason, n in reasons.get(email, [])
        ]
        histories[comment.pk] = History(
            by_status={status: n for status, n in statuses.items() if n},
            first_seen=first_seen.get(email),
            held_reasons=[(reason, n) for reason, n in held if n][:REASONS_SHOWN],
        )
    return histories
