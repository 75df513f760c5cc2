"""A live story on the story admin: its entries at a glance (how many, post one, see
them all), and the editors' doors that end its coverage and reopen it, on its form
and as bulk actions. Each end or reopening is a revision with its comment."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from live.models import Entry
from newsdesk import live_workflow


def post_entry_url(story):
    return f"{reverse('admin:live_entry_add')}?story={story.pk}"


def entries_url(story):
    return f"{reverse('admin:live_entry_changelist')}?story={story.pk}"


class StoryLiveMixin:
    actions = ["end_live_coverage", "reopen_live_coverage"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/live-coverage/end/",
                view(require_POST(self.end_coverage_view)),
                name="articles_article_end_coverage",
            ),
            path(
                "<path:object_id>/live-coverage/reopen/",
                view(require_POST(self.reopen_coverage_view)),
                name="articles_article_reopen_coverage",
            ),
            *super().get_urls(),
        ]

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-editor/live-desk.css"]})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_live:
            context["live_tools"] = {
                "post_url": post_entry_url(obj) if request.user.has_perm("live.add_entry") else "",
                "may_end": live_workflow.can_end_coverage(request.user, obj),
                "open": obj.is_live_open,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Entries")
    def live_coverage_line(self, obj):
        if obj.pk is None:
            return "Save the story (kind: Live coverage) first, then post its entries."
        if not obj.is_live:
            return "Only a live story has entries: choose the kind Live coverage above."
        counts = Entry.objects.of(obj).aggregate(
            all=Count("pk"), waiting=Count("pk", filter=Q(status=Entry.Status.REVIEW))
        )
        waiting = f" ({counts['waiting']} waiting for an editor)" if counts["waiting"] else ""
        return format_html(
            '<span class="live-coverage-links">{} entr{}{} <a href="{}">Post an entry</a>'
            '<a href="{}">All entries</a></span>',
            counts["all"],
            "y" if counts["all"] == 1 else "ies",
            waiting,
            post_entry_url(obj),
            entries_url(obj),
        )

    # Ending and reopening coverage.

    @admin.action(
        description="End live coverage of the selected live stories", permissions=["publish"]
    )
    def end_live_coverage(self, request, queryset):
        self.change_coverage(request, queryset, end=True)

    @admin.action(
        description="Reopen live coverage of the selected stories", permissions=["publish"]
    )
    def reopen_live_coverage(self, request, queryset):
        self.change_coverage(request, queryset, end=False)

    def end_coverage_view(self, request, object_id):
        return self.coverage_view(request, object_id, end=True)

    def reopen_coverage_view(self, request, object_id):
        return self.coverage_view(request, object_id, end=False)

    def coverage_view(self, request, object_id, end):
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("No such story.")
        if not live_workflow.can_end_coverage(request.user, story):
            raise PermissionDenied
        self.change_coverage(request, [story], end=end)
        return redirect("admin:articles_article_change", story.pk)

    def change_coverage(self, request, stories, end):
        done, skipped = [], 0
        for story in stories:
            applies = story.is_live_open if end else story.coverage_ended_at is not None
            if not (applies and live_workflow.can_end_coverage(request.user, story)):
                skipped += 1
                continue
            if end:
                live_workflow.end_coverage(story)
            else:
                live_workflow.reopen_coverage(story)
            refused = story.clean_live().get("coverage_ended_at")
            if refused:
                # A story scheduled ahead: its coverage cannot end before it starts.
                self.message_user(request, f"“{story}”: {refused}", messages.ERROR)
                continue
            with reversion.create_revision():
                reversion.set_user(request.user)
                story.save()
                self.log_change(
                    request, story, "Ended live coverage." if end else "Reopened live coverage."
                )
            done.append(story)
        verb = "ended" if end else "reopened"
        for story in done:
            self.message_user(
                request,
                f"Live coverage of “{story}” {verb}: "
                + (
                    "readers' pages stop looking for updates, and no entry can be added."
                    if end
                    else "readers' pages look for updates again, and entries can be posted."
                ),
                messages.SUCCESS,
            )
        if skipped:
            already = "already ended" if end else "still open"
            self.message_user(
                request,
                f"{skipped} {'story' if skipped == 1 else 'stories'} left as they were "
                f"(not a live story, or its coverage {already}).",
                messages.WARNING,
            )
