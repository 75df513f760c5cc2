"""A story's history: the revision list with a compare form, the compare view, and
the tag suggestions of its form's tag picker."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from taggit.models import Tag

from newsdesk import revisions


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
        context = {"versions": versions, **(extra_context or {})}
        return super().history_view(request, object_id, context)

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
            "can_restore": self.has_change_permission(request, article),
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
