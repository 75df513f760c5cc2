"""The moderation queue: each comment in full, in context, with its verdicts on its row.

Every row's Approve, Spam, Trash and Reply are real form posts to the two views
here, which redirect back to the queue with a message; static/admin-editor/
moderation.js sends the same forms with fetch (and answers to the keyboard), and
gets JSON back to update the row and the counts in place.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from comments import actions, queue
from comments.models import Comment
from comments.staff_replies import QueueReplyForm, post_reply
from core import compat

VERDICTS = {
    Comment.Status.APPROVED: "Approved",
    Comment.Status.SPAM: "Marked as spam",
    Comment.Status.TRASH: "Moved to the trash",
    Comment.Status.PENDING: "Sent back to the queue",
}


def narrowed_story(request):
    """The story the queue is narrowed to (``?article=``), or None."""
    pk = request.GET.get("article", "")
    return int(pk) if pk.isdigit() else None


class StatusFilter(admin.SimpleListFilter):
    """Opens on the comments awaiting moderation; "All" is one click away. Each status
    is labelled with its count (comments.queue.status_counts: bounded)."""

    title = "status"
    parameter_name = "status"
    template = "admin/comments/comment/status_filter.html"
    ALL = "all"

    def lookups(self, request, model_admin):
        self.counts = queue.count_labels(queue.status_counts(narrowed_story(request)))
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
                "status": lookup,
                "count": self.counts.get(lookup),
            }


def wants_json(request):
    """The queue's script asks for JSON; a plain form post (no script) gets a page."""
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json" or "X-Requested-With" in request.headers


class ModerationQueueMixin:
    list_display = ["entry", "status_label"]
    list_display_links = None
    list_filter = [StatusFilter, "is_staff_reply", "kind"]
    list_select_related = ["article", "parent"]
    change_list_template = "admin/comments/comment/change_list.html"
    # The status filter counts its own, bounded; Django's facets would count
    # every choice of every filter, over the whole table, on request.
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="comment")
    def entry(self, comment):
        context = {"comment": comment, **getattr(comment, "queue_tools", {})}
        return render_to_string("admin/comments/comment/queue_entry.html", context)

    @admin.display(description="status", ordering="status")
    def status_label(self, comment):
        return render_to_string("admin/comments/comment/queue_status.html", {"comment": comment})

    def changelist_view(self, request, extra_context=None):
        tools = {
            "can_moderate": self.has_change_permission(request),
            "can_reply": self.has_add_permission(request),
            "narrowed_story": narrowed_story(request),
        }

        def decorate(rows):
            rows = queue.with_context(rows)
            for row in rows:
                row.queue_tools = tools  # what the row's template may offer (entry())
            return rows

        response = super().changelist_view(request, {**tools, **(extra_context or {})})
        compat.decorate_changelist_rows(response, decorate)
        return response

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/moderate/", view(self.moderate_view), name="comments_comment_moderate"),
            path("<int:pk>/reply/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def moderate_view(self, request, pk):
        """One verdict on one comment: ``verdict`` is a status."""
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        verdict = request.POST.get("verdict", "")
        if verdict not in VERDICTS:
            choices = ", ".join(f"“{status}”" for status in VERDICTS)
            return self.refuse(request, f"“{verdict}” is not a verdict: send one of {choices}.")
        actions.moderate(Comment.objects.filter(pk=comment.pk), verdict)
        comment.status = verdict
        return self.done(
            request,
            f"{VERDICTS[verdict]}: the comment by {comment.author_name} on “{comment.article}”.",
            comment=comment,
        )

    @method_decorator(require_POST)
    def reply_view(self, request, pk):
        """A staff reply typed into the row of the comment it answers."""
        parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = QueueReplyForm(request.POST, instance=Comment(article=parent.article, parent=parent))
        if not form.is_valid():
            return self.refuse(
                request, " ".join(message for errors in form.errors.values() for message in errors)
            )
        reply = form.save(commit=False)
        post_reply(request, reply)
        return self.done(
            request,
            f"Your reply to {parent.author_name} is published as {reply.author_name}.",
            comment=parent,
            reply=reply,
        )

    def refuse(self, request, message):
        if wants_json(request):
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    def done(self, request, message, *, comment, reply=None):
        if not wants_json(request):
            messages.success(request, message)
            return HttpResponseRedirect(self.back_to_queue(request))
        answer = {
            "message": message,
            "comment": {
                "id": comment.pk,
                "status": comment.status,
                "label": comment.get_status_display(),
            },
            "counts": queue.count_labels(queue.status_counts(narrowed_story(request))),
        }
        if reply is not None:
            answer["reply"] = {"id": reply.pk, "author": reply.author_name, "body": reply.body}
        return JsonResponse(answer)

    def back_to_queue(self, request):
        """Where the row's form came from (``next``), if it is the admin's own page."""
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("admin:comments_comment_changelist")
