"""Scheduling said plainly on the story form: "Publish now", "Schedule" and "Submit for
review" beside Save, times in the newsroom's zone by name, the story's length, and a
message after a save that says what is now true for this user and story.

Who may press which button is newsdesk.workflow's to say (``actions_for``,
``apply_action``); the form asks it again on every post, so a forged button is refused
as a forged status is. static/admin-editor/counters.js keeps the length and the
"in 2 h 15 min" of the time fields up to date while typing.
"""

import html
import math
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from newsdesk import times, workflow

# The buttons post their action under this name.
ACTION_FIELD = "_workflow"
# Reading speed for "N min read": adults read prose at about 230 words a minute.
WORDS_PER_MINUTE = 230
# Google's limit for a headline (Article structured data; longer ones are cut).
HEADLINE_LIMIT = 110
# The times typed in the newsroom's zone.
TIMED_FIELDS = ("published_at", "embargo_until")
TAG = re.compile(r"<[^>]*>")


def length_line(headline, body):
    """ "412 words · 2 min read · headline 64 of 110 characters": the facts
    counters.js recomputes while typing (tags count as spaces between words)."""
    words = len(html.unescape(TAG.sub(" ", body)).split())
    minutes = math.ceil(words / WORDS_PER_MINUTE)
    line = f"{words} word{'' if words == 1 else 's'} · {minutes} min read · "
    line += f"headline {len(headline)} of {HEADLINE_LIMIT} characters"
    if len(headline) > HEADLINE_LIMIT:
        line += f": {len(headline) - HEADLINE_LIMIT} over Google's limit"
    return line


def buttons_html(actions, note):
    """The workflow buttons: submit buttons of the story's form, each naming its action."""
    buttons = format_html_join(
        " ",
        '<button type="submit" class="button" name="{}" value="{}">{}</button>',
        ((ACTION_FIELD, action.value, action.label) for action in actions),
    )
    return format_html(
        '<span class="workflow-buttons">{}</span><p class="help">{}</p>', buttons, note
    )


class StoryButtonsFormMixin:
    """For the story's ModelForm: the pressed button sets status (and the publication
    time) before the rest of the form's checks see them, the embargo's included."""

    def clean(self):
        cleaned = super().clean()
        action = self.data.get(ACTION_FIELD)
        if not action:
            return cleaned
        if action not in workflow.Action.values:
            raise forms.ValidationError("That button does not exist; use the form's own.")
        timed = "published_at" in self.fields
        try:
            status, published_at = workflow.apply_action(
                self.user, action, cleaned.get("status"), cleaned.get("published_at")
            )
        except ValueError as error:
            self.add_error("published_at" if timed else None, str(error))
            return cleaned
        cleaned["status"] = status
        if timed:
            cleaned["published_at"] = published_at
        return cleaned


class StorySchedulingMixin:
    """For ArticleAdmin: the buttons, the zone, the length line and the messages."""

    # Read-only lines of the form; get_fieldsets places them for the user's role.
    desk_lines = ["story_length", "editor_buttons", "writer_buttons"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.desk_lines]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets  # read-only: nothing to press, nothing being typed
        buttons = "editor_buttons" if workflow.can_publish(request.user) else "writer_buttons"
        placed = []
        for title, options in fieldsets:
            fields = list(options["fields"])
            if "body" in fields:
                fields.insert(fields.index("body") + 1, "story_length")
            if "status" in fields:
                fields.insert(fields.index("status") + 1, buttons)
            placed.append((title, {**options, "fields": fields}))
        return placed

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in TIMED_FIELDS:
            field.help_text = f"{times.zone_name()}. {field.help_text}"
            field.widget.attrs["data-newsroom-zone"] = timezone.get_current_timezone_name()
        return field

    @admin.display(description="Length")
    def story_length(self, obj):
        return format_html(
            '<span data-story-length data-words-per-minute="{}" data-headline-limit="{}">{}</span>',
            WORDS_PER_MINUTE,
            HEADLINE_LIMIT,
            length_line(obj.headline, obj.body),
        )

    @admin.display(description="Publish")
    def editor_buttons(self, obj):
        note = (
            "“Publish now” puts the story live at once; “Schedule” makes it go live by "
            f"itself at the publication time below ({times.zone_name()})."
        )
        return buttons_html([workflow.Action.PUBLISH, workflow.Action.SCHEDULE], note)

    @admin.display(description="Ready?")
    def writer_buttons(self, obj):
        note = "When the story is ready, submit it: an editor publishes it."
        return buttons_html([workflow.Action.SUBMIT], note)

    # After a save: say what is true now.

    def response_add(self, request, obj, post_url_continue=None):
        return self.workflow_response(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self.workflow_response(request, obj) or super().response_change(request, obj)

    def workflow_response(self, request, obj):
        """A message and a destination of our own when Django's ("You may edit it again
        below") would not be true, or when a workflow button was pressed; else None."""
        if IS_POPUP_VAR in request.POST:
            return None
        if not workflow.can_edit(request.user, obj):
            if obj.status == workflow.Status.REVIEW:
                message = f"Submitted for review: an editor will publish “{obj}”."
            else:
                message = f"“{obj}” was saved."
            # The desk lists it (in review); its form would only be read-only now.
            return self.told(request, f"{message} You can no longer edit it.", "admin:index")
        action = request.POST.get(ACTION_FIELD)
        change = reverse("admin:articles_article_change", args=[obj.pk])
        if action == workflow.Action.PUBLISH:
            return self.told(request, f"Published: “{obj}” is live.", change)
        if action == workflow.Action.SCHEDULE:
            message = f"Scheduled: “{obj}” goes live by itself on {times.when(obj.published_at)}."
            return self.told(request, message, change)
        return None

    def told(self, request, message, destination):
        self.message_user(request, message, messages.SUCCESS)
        url = reverse(destination) if destination.startswith("admin:") else destination
        return HttpResponseRedirect(url)
