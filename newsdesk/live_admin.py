"""Live entries in the admin: the list of a live story's entries, and the entry form
(the stories' rich-text editor, its corrections inline), each save a revision.

Who may do what is newsdesk.live_workflow's to say; this class asks it at every
door (change and delete permission, the fields a role may set, save, bulk actions),
so a rule never depends on a button being hidden.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.models import Article, Person
from core import compat
from live.models import Entry, EntryCorrection
from newsdesk import live_workflow
from newsdesk.live_actions import EntryActionsMixin
from newsdesk.widgets import RichTextEditor

LIST_WORDS = 14


class EntryAdminForm(forms.ModelForm):
    """``user`` is set by EntryAdmin.get_form for the request's user."""

    user = None

    class Meta:
        model = Entry
        fields = [
            "story",
            "headline",
            "body",
            "authors",
            "published_at",
            "status",
            "is_pinned",
            "is_key_point",
        ]
        widgets = {"body": RichTextEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "story" in self.fields:
            self.fields["story"].queryset = Article.objects.filter(kind=Article.Kind.LIVE).order_by(
                "-published_at", "-pk"
            )
        if "body" in self.fields:
            # A headline alone is an entry too ("Polls close"): the model says so.
            self.fields["body"].required = False

    def clean(self):
        cleaned = super().clean()
        story = cleaned.get("story")
        new_story = self.instance.pk is None or story != self.instance.story
        if story is not None and new_story:
            reason = live_workflow.refusal(story)
            if reason:
                self.add_error("story", reason)
        if not cleaned.get("headline", "").strip() and not (cleaned.get("body") or "").strip():
            raise forms.ValidationError("Write the entry: a headline, a text, or both.")
        return cleaned


class EntryCorrectionInline(admin.TabularInline):
    model = EntryCorrection
    fields = ["text", "published_at"]
    extra = 0
    verbose_name_plural = "Corrections (shown under the entry)"


class LiveStoryFilter(admin.SimpleListFilter):
    """The live stories, newest first: open coverage at the top of a busy night."""

    title = "live story"
    parameter_name = "story"

    def lookups(self, request, model_admin):
        stories = Article.objects.filter(kind=Article.Kind.LIVE).order_by("-published_at", "-pk")
        return [(str(pk), headline) for pk, headline in stories.values_list("pk", "headline")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit()):  # "²" is a digit int() refuses
            return queryset.none()
        return queryset.filter(story_id=int(value))


class EntryAdmin(EntryActionsMixin, VersionAdmin):
    form = EntryAdminForm
    inlines = [EntryCorrectionInline]
    fieldsets = [
        (None, {"fields": ["story", "headline", "body", "authors"]}),
        (
            "Publishing",
            {"fields": ["published_at", "status", ("is_pinned", "is_key_point"), "broken_out"]},
        ),
    ]
    readonly_fields = ["broken_out", "status_line"]
    autocomplete_fields = ["authors"]
    save_on_top = True
    change_form_template = "admin/live/entry/change_form.html"

    list_display = [
        "published_at",
        "summary",
        "story",
        "author_names",
        "status",
        "is_pinned",
        "is_key_point",
    ]
    list_display_links = ["published_at", "summary"]
    list_filter = [LiveStoryFilter, "status", "is_pinned", "is_key_point"]
    list_select_related = ["story"]
    list_per_page = 50
    search_fields = ["headline", "body"]
    search_help_text = "Searches entry headlines and text."
    ordering = ["-published_at", "-id"]

    class Media:
        css = {"all": ["admin-editor/admin.css", "admin-editor/live-desk.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def changelist_view(self, request, extra_context=None):
        # The bulk actions make one revision per entry, not one around the whole list.
        return compat.changelist_view_without_revision(self, request, extra_context)

    # Permissions: live_workflow decides.

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return live_workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return live_workflow.can_delete(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not live_workflow.can_publish(request.user):
            fields += ["is_pinned"]
        return fields

    def get_fieldsets(self, request, obj=None):
        """A writer does not choose the state: the line that replaces it says what a
        save will do (newsdesk.live_workflow.status_for)."""
        fieldsets = super().get_fieldsets(request, obj)
        if live_workflow.can_publish(request.user):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "status_line" if field == "status" else field for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_changeform_initial_data(self, request):
        """``?story=<id>`` preselects the story (Django reads the form's fields from the
        query); the writer's own byline comes first when their login has a person."""
        initial = super().get_changeform_initial_data(request)
        person = Person.objects.filter(user=request.user).only("pk").first()
        if person and "authors" not in initial:
            initial["authors"] = [person.pk]
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_break_out"] = live_workflow.can_break_out(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Restoring: editors only, and only this entry's own versions (reversion would take
    # any object's; it writes the version before the form's permission check runs).

    def revision_view(self, request, object_id, version_id, extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404("No such entry. A deleted entry comes back from “Recover deleted”.")
        if not live_workflow.can_restore(request.user):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_for_object(entry), pk=version_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not live_workflow.can_restore(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not live_workflow.can_restore(request.user):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_deleted(Entry), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    # Saving.

    def save_model(self, request, obj, form, change):
        user = request.user
        if not change:
            obj.created_by = user
        if not live_workflow.can_pin(user):
            # Whatever was sent: a writer's save keeps the pin as the editors left it.
            stored = Entry.objects.filter(pk=obj.pk).values_list("is_pinned", flat=True)
            obj.is_pinned = bool(change and stored.first())
        obj.status = live_workflow.status_for(user, obj.story, obj.status)
        was = Entry.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        live_workflow.stamp_time(
            obj, was == Entry.Status.PUBLISHED, time_typed="published_at" in form.changed_data
        )
        super().save_model(request, obj, form, change)
        if obj.status == Entry.Status.REVIEW and not live_workflow.can_publish(user):
            self.message_user(
                request,
                "The entry waits for an editor: readers see it once an editor publishes it.",
                messages.INFO,
            )

    # Columns and read-only lines.

    @admin.display(description="entry")
    def summary(self, obj):
        return obj.headline or Truncator(obj.text).words(LIST_WORDS, truncate="…") or "—"

    @admin.display(description="authors")
    def author_names(self, obj):
        return ", ".join(person.name for person in obj.authors.all()) or "—"

    @admin.display(description="Status")
    def status_line(self, obj):
        if obj.pk is not None:
            state = obj.get_status_display()
            return f"{state}. Editors publish, hold and pin entries; you edit your own."
        return (
            "Published when you save it; on a story whose writers' entries wait for an "
            "editor, it waits for one (and readers see it once an editor publishes it)."
        )

    @admin.display(description="Broken out")
    def broken_out(self, obj):
        if obj.broken_out_to_id is None:
            return "Not yet: “Break out into a story” (above) makes this entry a draft story."
        url = reverse("admin:articles_article_change", args=[obj.broken_out_to_id])
        return format_html('Became the story <a href="{}">{}</a>.', url, obj.broken_out_to)
