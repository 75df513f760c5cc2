"""Who may do what to a story, and what a change means for it.

Roles are auth groups (made by migration 0003): Writers write and submit,
Editors edit everything and publish, Moderators only moderate comments. The
admin asks these functions, never the group names, so a user given the
permissions by hand behaves the same as a member of the group.

States: draft -> in review -> published (live, or scheduled when
``published_at`` is in the future) -> unpublished. Scheduling needs no job:
``published_q()`` compares ``published_at`` with the clock.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil

from articles.fields import CONTENT, EDITOR_ONLY, editable
from articles.models import Article, Credit, Person

Status = Article.Status

PUBLISH_PERMISSION = "articles.publish_article"

# Changing one of these on a live story is news to readers: the page says "Updated".
# Comment counts, tags and flags are not (and comment counts never go through save()).
CONTENT_FIELDS = frozenset(editable(CONTENT))

# What a writer may never set: these decide when (and whether) readers see a story.
EDITOR_ONLY_FIELDS = tuple(editable(EDITOR_ONLY))
EDITOR_ONLY_ATTNAMES = tuple(Article._meta.get_field(name).attname for name in EDITOR_ONLY_FIELDS)


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, article):
    """Editors edit every story; a writer only their own, and only until it is submitted."""
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return article.created_by_id == user.pk and article.status == Status.DRAFT


def can_recover(user):
    """Bringing back a deleted story can put it live again: editors only."""
    return can_publish(user) and user.has_perm("articles.add_article")


def can_restore(user, stored, saved_fields):
    """May ``user`` put back a revision's copy of a story (``saved_fields``: its fields as
    the revision keeps them) over ``stored``, the story as it is now (None: deleted since)?

    Asked of the stored story, as a change is: the copy being restored says nothing
    about who may change the story now. A writer restores only what they could have
    typed: never other values of the fields only editors set.
    """
    if stored is None:
        return can_recover(user)
    if not can_edit(user, stored):
        return False
    return can_publish(user) or all(
        saved_fields.get(attname) == getattr(stored, attname) for attname in EDITOR_ONLY_ATTNAMES
    )


def credit_writer(user, article):
    """A writer's new story carries their byline unless they credited someone."""
    person = Person.objects.filter(user=user).first()
    if person and not article.credits.exists():
        Credit.objects.create(article=article, person=person, role=Credit.Role.BYLINE)


def statuses_for(user):
    """The states this user may leave a story in."""
    if can_publish(user):
        return list(Status)
    return [Status.DRAFT, Status.REVIEW]


def check_status(user, article):
    """Refuse, whatever the form said, a state the user's role may not set."""
    if article.status not in statuses_for(user):
        raise PermissionDenied(
            f"Only editors can publish, schedule or unpublish a story; "
            f"{user.get_username()} can save it as a draft or submit it for review."
        )


def publish(article, now=None):
    """Mark published: live at once, or at ``published_at`` if that is still to come."""
    article.status = Status.PUBLISHED
    if article.published_at is None:
        article.published_at = now or timezone.now()


def unpublish(article):
    article.status = Status.UNPUBLISHED


def submit_for_review(article):
    article.status = Status.REVIEW


def stamp_update(article, changed_fields, was_live, now=None):
    """Set the reader-facing "Updated" time when a live story's content really changed."""
    if was_live and CONTENT_FIELDS.intersection(changed_fields):
        article.updated_at = now or timezone.now()


def describe_state(article, now=None):
    """One line for editors: where the story stands and when it goes (or went) live."""
    now = now or timezone.now()

    def when(moment):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")

    if article.is_scheduled:
        parts = [
            f"Scheduled: goes live by itself on {when(article.published_at)} "
            f"(in {timeuntil(article.published_at, now)})"
        ]
    elif article.is_published:
        parts = [f"Live since {when(article.published_at)}"]
    else:
        parts = [f"{article.get_status_display()}: not visible to readers"]
    if article.embargo_until and article.embargo_until > now:
        parts.append(
            f"Embargoed until {when(article.embargo_until)}: it cannot go live before then"
        )
    return " · ".join(parts)
