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
from django.db.models import TextChoices
from django.utils import timezone

from articles.fields import CONTENT, EDITOR_ONLY, editable
from articles.models import Article, Credit, Person
from newsdesk import times

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
    """One line for editors: where the story stands and when it goes (or went) live,
    in the newsroom's zone, named."""
    now = now or timezone.now()
    if article.is_scheduled:
        parts = [f"Scheduled: goes live by itself on {times.when(article.published_at, now)}"]
    elif article.is_published:
        parts = [f"Live since {times.when(article.published_at, now)}"]
    else:
        parts = [f"{article.get_status_display()}: not visible to readers"]
    if article.embargo_until and article.embargo_until > now:
        parts.append(
            f"Embargoed until {times.when(article.embargo_until, now)}: "
            "it cannot go live before then"
        )
    return " · ".join(parts)


class Action(TextChoices):
    """The story form's buttons beside Save: each sets where the story stands."""

    SUBMIT = "submit", "Submit for review"
    PUBLISH = "publish", "Publish now"
    SCHEDULE = "schedule", "Schedule"


def actions_for(user):
    """The buttons this user's role may press."""
    if can_publish(user):
        return [Action.PUBLISH, Action.SCHEDULE]
    return [Action.SUBMIT]


def apply_action(user, action, status, published_at, now=None):
    """What pressing ``action`` makes of the form's ``status`` and ``published_at``:
    the pair to save, or ValueError with what to fix (scheduling needs a time ahead).
    An action the user's role may not take is refused, however the request was made."""
    if action not in actions_for(user):
        raise PermissionDenied(
            f"Only editors can publish or schedule a story; {user.get_username()} can "
            "save it as a draft or submit it for review."
        )
    now = now or timezone.now()
    if action == Action.SUBMIT:
        return Status.REVIEW, published_at
    if action == Action.PUBLISH:
        # Live at once; a time already past is kept (a story put back keeps its address).
        return Status.PUBLISHED, published_at if published_at and published_at <= now else now
    if published_at is None or published_at <= now:
        raise ValueError(
            f"To schedule the story, set when it goes live: a time ahead ({times.zone_name()})."
        )
    return Status.PUBLISHED, published_at
