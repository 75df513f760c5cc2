"""Bulk workflow actions on the story change list: each story is checked by the
workflow and saved on its own, with its own revision."""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article
from newsdesk import workflow


class StoryActionsMixin:
    actions = ["submit_for_review", "publish", "unpublish"]

    @admin.action(description="Submit selected stories for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.transition(
            request,
            queryset,
            workflow.submit_for_review,
            "submitted for review",
            applies=lambda a: a.status == Article.Status.DRAFT,
        )

    @admin.action(
        description="Publish selected stories (now, or at their scheduled time)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        self.transition(
            request,
            queryset,
            workflow.publish,
            "published",
            applies=lambda a: a.status != Article.Status.PUBLISHED,
        )

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        self.transition(
            request,
            queryset,
            workflow.unpublish,
            "unpublished",
            applies=lambda a: a.status == Article.Status.PUBLISHED,
        )

    def transition(self, request, queryset, change, done_verb, applies):
        done, skipped, refused = [], [], []
        for article in queryset:
            if not (workflow.can_edit(request.user, article) and applies(article)):
                skipped.append(article)
                continue
            change(article)
            try:
                workflow.check_status(request.user, article)
                article.clean()
            except (PermissionDenied, ValidationError) as error:
                reason = error.messages[0] if isinstance(error, ValidationError) else error
                refused.append(f"“{article}”: {reason}")
                continue
            with reversion.create_revision():
                reversion.set_user(request.user)
                article.save()
                self.log_change(request, article, f"{done_verb.capitalize()} (bulk action).")
            done.append(article)
        if done:
            scheduled = sum(a.is_scheduled for a in done)
            note = f" ({scheduled} scheduled to go live later)" if scheduled else ""
            self.message_user(request, f"{len(done)} {self.stories(done)} {done_verb}{note}.")
        if skipped:
            self.message_user(
                request,
                f"{len(skipped)} {self.stories(skipped)} left as they were "
                f"(not yours to change, or already {done_verb}).",
                messages.WARNING,
            )
        for line in refused:
            self.message_user(request, f"Not {done_verb}: {line}", messages.ERROR)

    @staticmethod
    def stories(items):
        return "story" if len(items) == 1 else "stories"
