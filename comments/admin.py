"""The moderators' desk: the queue of held comments, bulk verdicts, staff replies."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from comments import actions
from comments.models import Comment
from core.client_ip import client_ip
from core.paginators import EstimatedCountPaginator


class StatusFilter(admin.SimpleListFilter):
    """Opens on the comments awaiting moderation; "All" is one click away."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (self.ALL, "All")]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        # No blank "All" entry: with no choice made, the queue is what shows.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class StaffCommentForm(forms.ModelForm):
    """A moderator's own comment or reply; who wrote it comes from their login."""

    class Meta:
        model = Comment
        fields = ["article", "parent", "body"]
        labels = {"parent": "In reply to"}

    def clean(self):
        cleaned = super().clean()
        article, parent = cleaned.get("article"), cleaned.get("parent")
        if article and parent and parent.article_id != article.pk:
            self.add_error(
                "parent",
                f"Comment {parent.pk} belongs to “{parent.article}”: choose a comment on "
                "this story, or leave the field empty for a comment of your own.",
            )
        return cleaned


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author_name",
        "author_email",
        "ip_address",
        "article",
        "status",
        "held_reason",
        "created_at",
        "reply_link",
    ]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, "is_staff_reply", "kind"]
    list_select_related = ["article"]
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
    add_fieldsets = [(None, {"fields": StaffCommentForm.Meta.fields})]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(" ".join(comment.body.split())).chars(90)

    @admin.display(description="")
    def reply_link(self, comment):
        query = urlencode({"article": comment.article_id, "parent": comment.pk})
        url = reverse("admin:comments_comment_add")
        return format_html('<a href="{}?{}">Reply</a>', url, query)

    def get_ordering(self, request):
        # One status is read newest first from the (status, created_at) index. All
        # of them together have no such index: newest first is then by id, which
        # grows with time, read straight from the table instead of sorting it all.
        if request.GET.get(StatusFilter.parameter_name) == StatusFilter.ALL:
            return ["-id"]
        return super().get_ordering(request)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffCommentForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            user = request.user
            obj.user = user
            obj.author_name = user.get_full_name() or user.get_username()
            obj.author_email = user.email
            obj.is_staff_reply = True
            obj.status = Comment.Status.APPROVED
            obj.ip_address = client_ip(request) or None
            if obj.parent and obj.parent.status != Comment.Status.APPROVED:
                # A reply under a hidden comment would be hidden too (comments/threads.py).
                actions.approve(obj.parent)
                self.message_user(request, "The comment you replied to is approved too.")
        super().save_model(request, obj, form, change)

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
