"""Presence: who has a story open, from the change form's heartbeat
(static/admin-editor/presence.js, newsdesk.models.EditingSession).

Opening the form counts as a heartbeat, so the page already says who else is there;
the script then beats every 20 seconds and shows what changed. "Take over" tells
the others at their next beat; their unsaved text stays in their own draft buffer.
The stale-save refusal (newsdesk.forms) remains the backstop when both save anyway.
"""

from collections import defaultdict
from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse

from articles.models import newsroom_name
from newsdesk.autosave import clock_time
from newsdesk.models import EditingSession

# Well within models.PRESENCE_TIMEOUT: a missed beat or two does not make a colleague vanish.
HEARTBEAT = timedelta(seconds=20)


def editing_notice(session):
    return (
        f"{newsroom_name(session.user)} is editing this story (since {clock_time(session.since)})"
    )


def others_editing(story, user):
    return [editing_notice(s) for s in EditingSession.objects.others_on(story, user)]


class PresenceMixin:
    """The heartbeat and take-over doors, and who is editing in the form and the list."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/presence/",
                view(self.heartbeat_view),
                name="articles_article_presence",
            ),
            path(
                "<path:object_id>/presence/take-over/",
                view(self.take_over_view),
                name="articles_article_take_over",
            ),
            *super().get_urls(),
        ]

    def edited_story(self, request, object_id):
        """(story, None) if the user may edit it, else (None, the refusal)."""
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        story = self.get_object(request, unquote(object_id))
        if story is None:
            return None, JsonResponse({"error": "No such story."}, status=404)
        if not self.has_change_permission(request, story):
            return None, JsonResponse({"error": "You may not edit this story."}, status=403)
        return story, None

    def heartbeat_view(self, request, object_id):
        story, refusal = self.edited_story(request, object_id)
        if refusal:
            return refusal
        mine = EditingSession.objects.filter(user=request.user, story=story)
        taken = mine.filter(taken_over_by__isnull=False).select_related("taken_over_by").first()
        if taken:
            # Told once: this form stops beating, and no longer counts as editing.
            taken.delete()
            notice = (
                f"{newsroom_name(taken.taken_over_by)} took over editing at "
                f"{clock_time(taken.taken_over_at)}; your unsaved text is kept in your "
                "draft buffer."
            )
            return JsonResponse(
                {"takenOver": notice, "others": others_editing(story, request.user)}
            )
        EditingSession.objects.beat(request.user, story)
        return JsonResponse({"others": others_editing(story, request.user)})

    def take_over_view(self, request, object_id):
        story, refusal = self.edited_story(request, object_id)
        if refusal:
            return refusal
        EditingSession.objects.take_over(request.user, story)
        return JsonResponse({"others": others_editing(story, request.user)})

    def presence_config(self, request, story):
        """What presence.js needs, and who is there as the form opens (itself a beat)."""
        EditingSession.objects.beat(request.user, story)
        return {
            "heartbeat": reverse("admin:articles_article_presence", args=[story.pk]),
            "takeOver": reverse("admin:articles_article_take_over", args=[story.pk]),
            "heartbeatMs": int(HEARTBEAT.total_seconds() * 1000),
            "others": others_editing(story, request.user),
        }

    # The change list: who is editing each story of the page, in one query.

    def get_list_display(self, request):
        first, *rest = super().get_list_display(request)
        return [first, "editing_now", *rest]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        stories = list(changelist.result_list)
        editing = defaultdict(list)
        sessions = (
            EditingSession.objects.live()
            .filter(story__in=stories, taken_over_by=None)
            .select_related("user__person")
            .order_by("since")
        )
        for session in sessions:
            editing[session.story_id].append(session)
        for story in stories:
            story.editing_sessions_now = editing[story.pk]
        return changelist

    @admin.display(description="Being edited")
    def editing_now(self, obj):
        sessions = getattr(obj, "editing_sessions_now", [])
        return "; ".join(f"{newsroom_name(s.user)} (since {clock_time(s.since)})" for s in sessions)
