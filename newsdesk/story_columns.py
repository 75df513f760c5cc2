"""The columns of the story change list."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from newsdesk import pending


def local(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class StoryColumnsMixin:
    """State, bylines, publication time and comments awaiting moderation."""

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        label = "Scheduled" if obj.is_scheduled else obj.get_status_display()
        if obj.is_embargoed:
            label += " · embargoed"
        return label

    @admin.display(description="Byline")
    def bylines(self, obj):
        return ", ".join(credit.person.name for credit in obj.byline_credits) or "—"

    @admin.display(description="Published / scheduled", ordering="published_at")
    def goes_live(self, obj):
        if obj.published_at is None:
            return "—"
        if obj.is_scheduled:
            return format_html("<strong>Goes live {}</strong>", local(obj.published_at))
        return local(obj.published_at)

    @admin.display(description="Pending comments")
    def pending_comments(self, obj):
        return obj.pending_comment_count

    @admin.display(description="Pending comments")
    def pending_comments_link(self, obj):
        if not obj.pending_comment_count:
            return 0
        return format_html(
            '<a href="{}?article={}&amp;status=pending">{}</a>',
            pending.queue_url(),
            obj.pk,
            obj.pending_comment_count,
        )

    def get_list_display(self, request):
        if request.user.has_perm("comments.view_comment") and pending.queue_url():
            # For those who may moderate, the count links to the story's comment queue.
            return [*self.list_display[:-1], "pending_comments_link"]
        return self.list_display
