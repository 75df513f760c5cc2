"""A story's history: the revision list with a compare form, the compare view, the
doors that restore a revision or recover a deleted story, and the tag suggestions
of its form's tag picker.

django-reversion restores a revision by writing it to the database first and then
showing the change form for what it wrote, so the form's own permission check sees
the restored copy (a writer's early draft of a story an editor has since
published). Each door here asks the workflow about the stories as they are stored
before anything is written.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article
from newsdesk import revisions, workflow


class StoryHistoryMixin:
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "tags/suggest/",
                view(self.suggest_tags),
                name="articles_article_tag_suggestions",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        versions = list(revisions.versions_of(article)) if article else []
        context = {
            "versions": versions,
            "can_restore": article is not None and self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    # Restoring and recovering: django-reversion's views, behind the workflow.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            # Reverting would create it again: that is recovering, a door of its own.
            raise Http404("No such story. A deleted story comes back from “Recover deleted”.")
        # Only this story's own versions (reversion would take any object's).
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        self.check_may_restore(request, version)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_recover(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.can_recover(request.user):
            raise PermissionDenied
        # The latest version of a deleted story, as the recover list offers: reversion
        # would take any version, of a story still there or of anything else.
        version = get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        self.check_may_restore(request, version)
        return super().recover_view(request, version_id, extra_context)

    def may_restore(self, request, version):
        """Restoring ``version`` writes every story its revision holds: may this user
        change each of them, as stored now, into the copy the revision keeps?"""
        saved = revisions.stories_in(version.revision)
        stored = Article.objects.in_bulk(list(saved))
        return all(
            workflow.can_restore(request.user, stored.get(pk), fields)
            for pk, fields in saved.items()
        )

    def check_may_restore(self, request, version):
        if not self.may_restore(request, version):
            raise PermissionDenied

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        try:
            ids = sorted({int(request.GET["old"]), int(request.GET["new"])})
        except (KeyError, ValueError) as error:
            raise Http404("Pick two revisions to compare on the history page.") from error
        versions = list(revisions.versions_of(article).filter(pk__in=ids).order_by("pk"))
        if len(versions) != 2:
            raise Http404("Pick two different revisions of this story on the history page.")
        older, newer = versions
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions of “{article}”",
            "subtitle": None,
            "opts": self.opts,
            "object": article,
            "older": older,
            "newer": newer,
            "changes": revisions.compare(older, newer),
            "can_restore": self.may_restore(request, older),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def suggest_tags(self, request):
        """Tag names for the tag picker (Select2's JSON shape), prefix matches first."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        names = []
        if term:
            names = (
                Tag.objects.filter(name__icontains=term)
                .annotate(
                    rank=Case(
                        When(name__istartswith=term, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("rank", "name")
                .values_list("name", flat=True)[:20]
            )
        return JsonResponse(
            {"results": [{"id": n, "text": n} for n in names], "pagination": {"more": False}}
        )
