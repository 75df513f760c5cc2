"""What can happen to comments, each said once: posting, moderating, recounting.

The reader's form (comments.views), the moderators' admin, the model signals and
the WordPress importer all come here, so a bulk verdict has the same effects as
one comment saved: the story's count is redone, pages showing the discussion are
forgotten, and the authors of answered comments are told.
"""

from django.db import IntegrityError, transaction

from articles.models import Article, newsroom_name
from comments import cache_tags
from comments.models import Comment, DiscussionSettings
from comments.moderation import Rules, judge
from comments.notifications import announce_replies, tell_moderators
from comments.ratelimit import seconds_to_wait
from core.stamps import touch
from core.tasks import queue

DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"
CONFLICT = (
    "Your comment could not be saved because the discussion changed while you were "
    "writing (the comment you answered may have been removed). Please check and post again."
)


class NotPosted(Exception):
    """Why a comment was not stored, said for the commenter, with the HTTP status."""

    def __init__(self, message, status, *, keep_form=True, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.keep_form = keep_form
        self.retry_after = retry_after


def post(form, *, ip_address, user_agent, trusted):
    """Store the reader comment of a valid ``CommentForm``, judged by the moderation
    rules; raises ``NotPosted`` for a duplicate, a poster over the rate limit, or a
    discussion that changed under it."""
    data = form.cleaned_data
    duplicates = Comment.objects.duplicates_of(
        article=form.article, body=data["body"], email=data["author_email"], ip_address=ip_address
    )
    if duplicates.exists():
        raise NotPosted(DUPLICATE, 409, keep_form=False)
    discussion = DiscussionSettings.current()
    wait = seconds_to_wait(ip_address, discussion)
    if wait:
        raise NotPosted(
            f"You are posting comments too quickly. Please wait {wait} seconds, then post "
            "again: your comment is kept in the form below.",
            429,
            retry_after=wait,
        )
    submission = form.submission(
        ip_address=ip_address or "", user_agent=user_agent, trusted=trusted
    )
    comment = form.save(commit=False)
    comment.article = form.article
    comment.status, comment.held_reason = judge(submission, Rules.of(discussion))
    comment.ip_address = ip_address
    comment.user_agent = user_agent
    try:
        with transaction.atomic():
            comment.save()
            if comment.status == Comment.Status.PENDING:
                # In the same transaction: the moderators' e-mail is queued if, and
                # only if, the comment is stored.
                queue(tell_moderators, comment.pk)
    except IntegrityError:
        # The database's duplicate constraint caught a twin posted at the same
        # moment, or the parent was deleted since the form was checked.
        raise NotPosted(
            DUPLICATE if duplicates.exists() else CONFLICT, 409, keep_form=False
        ) from None
    return comment


def moderate(comments, status):
    """Give every comment in the queryset ``comments`` ``status`` at once (bulk
    verdicts); returns how many changed."""
    with transaction.atomic():
        changing = list(comments.exclude(status=status).values_list("pk", "article_id"))
        Comment.objects.filter(pk__in=[pk for pk, _ in changing]).update(status=status)
        approved = [pk for pk, _ in changing] if status == Comment.Status.APPROVED else []
        discussions_changed({article_id for _, article_id in changing}, approved)
    return len(changing)


def approve(comment):
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)


def post_as_staff(comment, user, *, ip_address):
    """Store ``comment`` (its article, parent and body set) as ``user``'s staff comment:
    approved at once and signed with their newsroom name. A hidden comment it answers
    is approved with it, or the reply would be hidden too (comments/threads.py);
    returns whether that happened."""
    comment.user = user
    name_field = Comment._meta.get_field("author_name")
    comment.author_name = newsroom_name(user)[: name_field.max_length]
    comment.author_email = user.email
    comment.is_staff_reply = True
    comment.status = Comment.Status.APPROVED
    comment.ip_address = ip_address or None
    parent = comment.parent
    approves_parent = parent is not None and parent.status != Comment.Status.APPROVED
    with transaction.atomic():
        if approves_parent:
            approve(parent)
            parent.status = Comment.Status.APPROVED
        comment.save()
    return approves_parent


def discussions_changed(article_ids, approved_ids=()):
    """After commit, recount each story's comments; queue, with the change, the e-mails
    to the authors of the comments that ``approved_ids`` (just approved) answer."""
    for article_id in set(article_ids):
        transaction.on_commit(lambda a=article_id: recount(a))
    if approved_ids:
        announce_replies(approved_ids)


def recount(article_id):
    """Set ``Article.comment_count`` to the number of comments a reader can see there,
    and forget the pages showing the story's discussion.

    Run after the change is committed (``discussions_changed()``), or by a bulk
    writer inside its transaction when it ends with ``everything_changed()``: the
    tag is touched at once, and a page rendered before the commit is dropped then.
    """
    count = Comment.objects.filter(
        article_id=article_id, status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT
    ).count()
    # update() rather than save(): a new comment is not a change to the story.
    Article.objects.filter(pk=article_id).update(comment_count=count)
    touch(cache_tags.discussion(article_id))
