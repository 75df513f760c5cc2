"""Autosave of the story form into the user's draft buffer (newsdesk.models.DraftBuffer).

The form (static/admin-editor/autosave.js) posts its values every few seconds while
someone types and when the page is left; reopening the form offers them back. A
save of the story clears the buffer, and tells the browser (a short-lived cookie)
to drop the copy it keeps in localStorage for when the server refused one.
"""

import json

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.sanitize import strip_control_characters
from newsdesk.models import DraftBuffer

# A long story's body is some 100 KB of HTML; anything near the request limit
# (DATA_UPLOAD_MAX_MEMORY_SIZE) is not a form someone typed.
MAX_DRAFT_CHARACTERS = 1_000_000
MAX_DRAFT_FIELDS = 1_000
# Read by autosave.js on the page after a save: "<user id>:<story id or new>".
SAVED_COOKIE = "newsdesk_saved"
NOT_KEPT = {"csrfmiddlewaretoken"}


class BadDraft(ValueError):
    """A draft the buffer cannot keep; the message says why."""


def parse_draft(raw):
    """The form's values from the posted JSON: ``{name: [text, ...]}``."""
    if raw is None:
        raise BadDraft("Send the form's values as JSON in the “fields” field.")
    if len(raw) > MAX_DRAFT_CHARACTERS:
        raise BadDraft(
            f"This draft is too large to keep ({len(raw):,} characters, at most "
            f"{MAX_DRAFT_CHARACTERS:,}): save the story instead."
        )
    try:
        fields = json.loads(raw)
    except ValueError as error:
        raise BadDraft(f"The draft is not valid JSON ({error}).") from error
    if not (isinstance(fields, dict) and len(fields) <= MAX_DRAFT_FIELDS):
        raise BadDraft(f"The draft must be one object of at most {MAX_DRAFT_FIELDS} fields.")
    draft = {}
    for name, values in fields.items():
        if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
            raise BadDraft(f"The field “{name[:100]}” must be a list of texts.")
        if name not in NOT_KEPT:
            draft[_text(name)] = [_text(value) for value in values]
    return draft


def _text(value):
    # The database takes neither NUL characters (PostgreSQL) nor lone surrogates.
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise BadDraft("The draft holds characters that are not text.") from error
    return strip_control_characters(value)


def clock_time(moment):
    """ "10:42" in the newsroom's zone, with the day when it is not today."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return date_format(local, "M j, H:i")


def storage_key(user, story):
    return f"newsdesk-draft:{user.pk}:{story.pk if story else 'new'}"


def milliseconds(moment):
    return int(moment.timestamp() * 1000) if moment else None


class AutosaveMixin:
    """The story admin's autosave doors, and the buffer's place in the form."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("autosave/", view(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "autosave/discard/",
                view(self.discard_view),
                name="articles_article_autosave_discard_new",
            ),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/autosave/discard/",
                view(self.discard_view),
                name="articles_article_autosave_discard",
            ),
            *super().get_urls(),
        ]

    def buffered_story(self, request, object_id):
        """(story or None for a new one, error response or None): may the user keep
        a draft of it? The workflow decides, as for a save."""
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        if object_id is None:
            if self.has_add_permission(request):
                return None, None
            return None, JsonResponse({"error": "You may not write stories."}, status=403)
        story = self.get_object(request, unquote(object_id))
        if story is None:
            return None, JsonResponse({"error": "No such story."}, status=404)
        if not self.has_change_permission(request, story):
            message = "You may not edit this story, so no draft of it is kept."
            return None, JsonResponse({"error": message}, status=403)
        return story, None

    def autosave_view(self, request, object_id=None):
        story, refusal = self.buffered_story(request, object_id)
        if refusal:
            return refusal
        try:
            fields = parse_draft(request.POST.get("fields"))
        except BadDraft as error:
            return JsonResponse({"error": str(error)}, status=400)
        buffer = DraftBuffer.objects.keep(request.user, story, fields)
        return JsonResponse(
            {"savedAt": milliseconds(buffer.saved_at), "label": clock_time(buffer.saved_at)}
        )

    def discard_view(self, request, object_id=None):
        story, refusal = self.buffered_story(request, object_id)
        if refusal:
            return refusal
        DraftBuffer.objects.discard(request.user, story)
        return JsonResponse({"discarded": True})

    def autosave_config(self, request, story):
        """What autosave.js needs, for the form of ``story`` (None: the add form)."""
        # A form sent back with its errors already holds the text typed: nothing to offer.
        offers = request.method == "GET"
        offer = DraftBuffer.objects.offer(request.user, story) if offers else None
        doors = ("autosave", "autosave_discard")
        if story is None:
            urls = [reverse(f"admin:articles_article_{door}_new") for door in doors]
        else:
            urls = [reverse(f"admin:articles_article_{door}", args=[story.pk]) for door in doors]
        return {
            "autosave": urls[0],
            "discard": urls[1],
            "storageKey": storage_key(request.user, story),
            "storySavedAt": milliseconds(story.modified_at if story else None),
            "timeZone": settings.TIME_ZONE,
            "offersRestore": offers,
            "offer": offer
            and {
                "fields": offer.fields,
                "savedAt": milliseconds(offer.saved_at),
                "label": clock_time(offer.saved_at),
            },
        }

    # A save clears the buffer it supersedes.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        DraftBuffer.objects.discard(request.user, obj if change else None)

    def response_add(self, request, obj, post_url_continue=None):
        return self.saved(request, None, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self.saved(request, obj, super().response_change(request, obj))

    def saved(self, request, story, response):
        response.set_cookie(
            SAVED_COOKIE,
            storage_key(request.user, story),
            max_age=600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
