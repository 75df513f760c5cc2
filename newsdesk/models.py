"""What the desk keeps beside the stories: each writer's unsaved copy, and who has a
story open.

Neither is registered with django-reversion: an autosave every few seconds would
flood a story's history (wagtail#13863), and presence is not part of any story.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

# Without a heartbeat for this long, a colleague has closed the story (or lost their
# connection); the form beats every 20 seconds.
PRESENCE_TIMEOUT = timedelta(minutes=1)


class DraftBufferQuerySet(models.QuerySet):
    def keep(self, user, story, fields):
        """The user's latest unsaved copy of ``story`` (None: the story they are
        writing on the add form), replacing the copy kept before."""
        buffer, _ = self.update_or_create(
            user=user, story=story, defaults={"fields": fields, "saved_at": timezone.now()}
        )
        return buffer

    def offer(self, user, story):
        """The copy to offer back when ``user`` opens the form: only one newer than the
        story's last save (what was saved since supersedes it)."""
        buffer = self.filter(user=user, story=story).first()
        if buffer and story is not None and buffer.saved_at <= story.modified_at:
            return None
        return buffer

    def discard(self, user, story):
        self.filter(user=user, story=story).delete()


class DraftBuffer(models.Model):
    """One user's unsaved form values of one story (or of a new one), as last autosaved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_buffers"
    )
    story = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="draft_buffers"
    )
    # {field name: [values]}, as the browser's form holds them (newsdesk.autosave).
    fields = models.JSONField()
    saved_at = models.DateTimeField()

    objects = DraftBufferQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="draftbuffer_one_per_story"),
            # NULLs are distinct to a unique constraint: one new story per user, said apart.
            models.UniqueConstraint(
                fields=["user"], condition=Q(story=None), name="draftbuffer_one_new_story"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.story or 'new story'} at {self.saved_at:%Y-%m-%d %H:%M}"


class EditingSessionQuerySet(models.QuerySet):
    def live(self, now=None):
        return self.filter(last_seen__gt=(now or timezone.now()) - PRESENCE_TIMEOUT)

    def beat(self, user, story):
        """``user`` still has ``story`` open: their session, begun anew after a gap."""
        now = timezone.now()
        session, created = self.get_or_create(
            user=user, story=story, defaults={"since": now, "last_seen": now}
        )
        if not created:
            if session.last_seen <= now - PRESENCE_TIMEOUT or session.taken_over_by_id:
                session.since = now  # back after a gap, or reopened after a take-over
            session.last_seen = now
            session.taken_over_by = session.taken_over_at = None
            session.save()
        return session

    def others_on(self, story, user):
        """The colleagues who have ``story`` open now, longest there first."""
        return (
            self.live()
            .filter(story=story, taken_over_by=None)
            .exclude(user=user)
            .select_related("user__person")
            .order_by("since")
        )

    def take_over(self, user, story):
        """``user`` takes ``story``: those editing it learn so at their next heartbeat."""
        self.live().filter(story=story, taken_over_by=None).exclude(user=user).update(
            taken_over_by=user, taken_over_at=timezone.now()
        )
        return self.beat(user, story)


class EditingSession(models.Model):
    """Who has which story open in the change form, from the form's heartbeat."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing_sessions"
    )
    story = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editing_sessions")
    since = models.DateTimeField()
    last_seen = models.DateTimeField()
    # Set when a colleague took the story over; told to this user once, then the row goes.
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="editingsession_one_per_story")
        ]
        indexes = [models.Index(fields=["story", "last_seen"], name="editingsession_story_seen")]

    def __str__(self):
        return f"{self.user} on {self.story_id} since {self.since:%H:%M}"
