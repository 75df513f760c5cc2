"""The story change list's filters, built to stay fast at 100,000 stories."""

from django.contrib import admin
from django.db.models import Q

from articles.models import Article, Credit, Person, TaggedArticle

Status = Article.Status


class StatusFilter(admin.SimpleListFilter):
    """The workflow states, with "scheduled" told apart from "live"."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, "Draft"),
            (Status.REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            (Status.UNPUBLISHED, "Unpublished"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED):
            return queryset.filter(status=value)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """Stories bylined to one person (a semi-join: no duplicate rows, no DISTINCT)."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return Person.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            bylined = Credit.objects.bylines().filter(person_id=self.value())
            return queryset.filter(pk__in=bylined.values("article_id"))
        return queryset


class TagFilter(admin.SimpleListFilter):
    """A tag typed by name or slug: a newsroom has too many tags to list them all."""

    title = "tag"
    parameter_name = "tag"
    template = "admin/articles/article/input_filter.html"

    def lookups(self, request, model_admin):
        # The admin shows a filter only if it has lookups; the choice is typed instead.
        return [("", "")]

    def choices(self, changelist):
        everything = next(iter(super().choices(changelist)))
        # Typing a tag keeps the other filters, the search and the ordering.
        everything["other_params"] = [
            (name, value)
            for name, value in changelist.params.items()
            if name != self.parameter_name
        ]
        yield everything

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if value:
            tagged = TaggedArticle.objects.filter(Q(tag__name__iexact=value) | Q(tag__slug=value))
            return queryset.filter(pk__in=tagged.values("content_object_id"))
        return queryset


class MineFilter(admin.SimpleListFilter):
    """A writer's own stories: the ones they created."""

    title = "created by"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Me")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(created_by=request.user)
        return queryset
