"""The moderators' desk: the queue (comments.queue_admin), bulk verdicts, staff replies
(comments.staff_replies) and the change page of one comment."""

from django.contrib import admin, messages
from django.db import models

from comments import actions
from comments.models import Comment
from comments.queue_admin import ModerationQueueMixin, StatusFilter
from comments.staff_replies import StaffReplyMixin
from core.paginators import EstimatedCountPaginator


@admin.register(Comment)
class CommentAdmin(ModerationQueueMixin, StaffReplyMixin, admin.ModelAdmin):
    search_fields = ["author_name", "author_email", "body", "ip_address"]
    ordering = ["-created_at", "-id"]
    # Fast at a million comments: no second COUNT(*) for "N total", an estimated
    # count for the biggest lists, and (get_ordering) no sort of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["approve", "unapprove", "mark_spam", "trash"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = [
        "article",
        "parent",
        "kind",
        "held_reason",
        "ip_address",
        "user_agent",
        "user",
        "is_staff_reply",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["article", "parent", "status", "held_reason", "body"]}),
        ("Author", {"fields": ["author_name", "author_email", "author_url", "notify_on_reply"]}),
        (
            "Where it came from",
            {
                "fields": [
                    "kind",
                    "ip_address",
                    "user_agent",
                    "user",
                    "is_staff_reply",
                    "created_at",
                ]
            },
        ),
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_ordering(self, request):
        # One status is read newest first from the (status, created_at) index. All
        # of them together have no such index: newest first is then by id, which
        # grows with time, read straight from the table instead of sorting it all.
        if request.GET.get(StatusFilter.parameter_name) == StatusFilter.ALL:
            return ["-id"]
        return super().get_ordering(request)

    def moderate(self, request, queryset, status, verb):
        changed = actions.moderate(queryset, status)
        noun = "comment was" if changed == 1 else "comments were"
        self.message_user(request, f"{changed} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Unapprove (back to the queue)", permissions=["change"])
    def unapprove(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.PENDING, "sent back to the queue")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.SPAM, "marked as spam")

    @admin.action(description="Move selected comments to the trash", permissions=["change"])
    def trash(self, request, queryset):
        self.moderate(request, queryset, Comment.Status.TRASH, "moved to the trash")
