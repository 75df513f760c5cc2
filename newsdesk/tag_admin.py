"""The tag library: rename (no two tags differing only by case) and merge."""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse

from articles.models import TaggedArticle
from newsdesk.forms import MergeTagsForm, TagAdminForm
from newsdesk.tags import merge_tags


class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "stories"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=self.story_count())

    @staticmethod
    def story_count():
        tagged = (
            TaggedArticle.objects.filter(tag=OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(tagged), 0)

    @admin.display(description="Stories", ordering="story_count")
    def stories(self, obj):
        return obj.story_count

    @admin.action(description="Merge selected tags into one…", permissions=["change", "delete"])
    def merge(self, request, queryset):
        tags = queryset.order_by("-story_count", "name")
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = MergeTagsForm(
            request.POST if "apply" in request.POST else None,
            tags=tags,
            initial={"target": tags[0]},
        )
        form.fields["target"].label_from_instance = lambda t: f"{t.name} ({t.story_count} stories)"
        if form.is_valid():
            target = form.cleaned_data["target"]
            moved = merge_tags(target, list(tags), form.cleaned_data["rename_to"])
            self.log_change(request, target, f"Merged {len(tags) - 1} tags into this one.")
            self.message_user(
                request,
                f"Merged {len(tags) - 1} tags into “{target.name}”; {moved} stories moved to it.",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.opts,
            "form": form,
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge_tags.html", context)
