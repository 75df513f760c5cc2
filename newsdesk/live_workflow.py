"""Who may do what to a live story's entries, and where a saved entry stands.

The roles are the stories' (newsdesk.workflow): editors (``can_publish``) write,
edit, pin, publish and delete any entry, and end or reopen coverage. Writers write
entries on live stories and edit or delete their own; when the story says its
writers' entries wait for an editor (``live_entries_reviewed``), a writer's entry
is saved as waiting and, once published, is the editors' to change. Pinning is an
editor's choice, as pinning a story to the front page is. The admin asks these
functions at every door, so a rule never depends on a button being hidden.
"""

from django.utils import timezone

from live.models import Entry
from newsdesk import times, workflow

EntryStatus = Entry.Status


def can_write(user):
    return user.has_perm("live.add_entry")


def refusal(story, now=None):
    """Why no entry may be added to ``story`` (None: it may): the story is not live
    coverage, or its coverage ended."""
    if story is None:
        return None
    if not story.is_live:
        return (
            f"“{story.headline}” is not a live story: entries go on stories of the kind "
            "Live coverage (set in the story's Kind box)."
        )
    now = now or timezone.now()
    ended = story.coverage_ended_at
    if ended is not None and ended <= now:
        return (
            f"Coverage of “{story.headline}” ended {times.when(ended, now)}: "
            "an editor can reopen it on the story's page to add entries again."
        )
    return None


def can_edit(user, entry):
    """Editors edit every entry; a writer only their own, and on a story whose entries
    wait for an editor, only until an editor published it."""
    if not user.has_perm("live.change_entry"):
        return False
    return _owns(user, entry)


def can_delete(user, entry):
    if not user.has_perm("live.delete_entry"):
        return False
    return _owns(user, entry)


def _owns(user, entry):
    if workflow.can_publish(user):
        return True
    if entry.created_by_id != user.pk:
        return False
    return not (entry.story.live_entries_reviewed and entry.status == EntryStatus.PUBLISHED)


def can_pin(user):
    return workflow.can_publish(user)


def can_publish(user):
    return workflow.can_publish(user)


def status_for(user, story, chosen):
    """The state an entry is saved in: an editor's choice; for a writer, waiting for an
    editor when the story wants that, else published at once (whatever was sent)."""
    if can_publish(user):
        return chosen
    if story.live_entries_reviewed:
        return EntryStatus.REVIEW
    return EntryStatus.PUBLISHED


def can_restore(user):
    """Putting back an old version, or a deleted entry, can publish or pin it again:
    editors only (a writer edits their entry instead)."""
    return workflow.can_publish(user)


def stamp_time(entry, was_published, time_typed, now=None):
    """An entry readers see for the first time carries the time it appears, unless its
    time was typed: one written in a form opened minutes ago, or one that waited for an
    editor, would otherwise appear below the entries posted meanwhile."""
    now = now or timezone.now()
    appears = entry.status == EntryStatus.PUBLISHED and not was_published
    if appears and not time_typed and entry.published_at <= now:
        entry.published_at = now


def can_break_out(user):
    """Turning an entry into a story makes a draft: whoever may write a story may."""
    return user.has_perm("articles.add_article") and user.has_perm("live.view_entry")


def can_end_coverage(user, story):
    return workflow.can_publish(user) and workflow.can_edit(user, story) and story.is_live


def end_coverage(story, now=None):
    story.coverage_ended_at = now or timezone.now()


def reopen_coverage(story):
    story.coverage_ended_at = None
