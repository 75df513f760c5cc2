"""The editors' story admin: the change form with its workflow, and the change list.

Who may do what is decided in newsdesk/workflow.py; this class asks it at every
door (change permission, form choices, save, bulk actions), so a rule never
depends on a button being hidden. Columns, bulk actions, revision history,
preview links, autosave and presence, the read-only view and a live story's
coverage are mixins of their own (story_columns, story_actions, story_history,
story_previews, editing, story_reading, live_coverage).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from reversion.admin import VersionAdmin

from articles.fields import BOXES
from articles.models import Article, Correction
from core import compat
from core.paginators import EstimatedCountPaginator
from newsdesk import pending, workflow
from newsdesk.editing import DeskEditingMixin
from newsdesk.filters import AuthorFilter, MineFilter, StatusFilter, TagFilter
from newsdesk.forms import ArticleAdminForm
from newsdesk.live_coverage import StoryLiveMixin
from newsdesk.story_actions import StoryActionsMixin
from newsdesk.story_columns import StoryColumnsMixin
from newsdesk.story_history import StoryHistoryMixin
from newsdesk.story_inlines import CorrectionInline, CreditInline, RelatedLinkInline
from newsdesk.story_previews import StoryPreviewsMixin
from newsdesk.story_reading import StoryReadingMixin
from newsdesk.story_scheduling import StorySchedulingMixin

# Read-only lines of the change form, placed around the editable fields of a box.
FIRST_LINES = {
    None: ["based_on"],
    "Publishing": ["state_line"],
    "Live coverage": ["live_coverage_line"],
}
LAST_LINES = {"Publishing": ["pending_comments_on_story", "share_preview"]}


def fieldsets():
    """The form's boxes (articles.fields) with the admin's own lines added."""
    return [
        (
            box.title,
            {
                "fields": [
                    *FIRST_LINES.get(box.title, []),
                    *box.field_rows(),
                    *LAST_LINES.get(box.title, []),
                ],
                **({"classes": ["collapse"]} if box.collapsed else {}),
            },
        )
        for box in BOXES
    ]


class ArticleAdmin(
    StoryLiveMixin,
    StoryReadingMixin,
    DeskEditingMixin,
    StorySchedulingMixin,
    StoryHistoryMixin,
    StoryPreviewsMixin,
    StoryActionsMixin,
    StoryColumnsMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    inlines = [CreditInline, RelatedLinkInline, CorrectionInline]
    fieldsets = fieldsets()
    readonly_fields = [
        "state_line",
        "pending_comments_on_story",
        "share_preview",
        "live_coverage_line",
    ]
    actions = [*StoryActionsMixin.actions, *StoryLiveMixin.actions]
    prepopulated_fields = {"slug": ["headline"]}
    # An address typed without a scheme is https (Django 6's default; no warning now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    save_on_top = True

    list_display = ["headline", "state", "section", "bylines", "goes_live", "pending_comments"]
    list_filter = [StatusFilter, "section", AuthorFilter, TagFilter, MineFilter]
    list_select_related = ["section"]
    list_per_page = 50
    search_fields = ["headline", "dek", "body"]
    search_help_text = "Searches headlines, summaries and body text."
    date_hierarchy = "published_at"
    # No second COUNT(*) of the whole table for "N total", and an estimated count for
    # the unfiltered list on PostgreSQL (core.paginators.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        css = {"all": ["admin-editor/admin.css", "admin-editor/desk.css"]}
        js = ["admin-editor/counters.js"]

    # Queries.

    def get_queryset(self, request):
        # for_listing() prefetches all bylines at once.
        queryset = super().get_queryset(request).for_listing()
        return queryset.annotate(pending_comment_count=pending.pending_count())

    def get_search_results(self, request, queryset, search_term):
        if not (search_term and self.body_index_available(queryset)):
            return super().get_search_results(request, queryset, search_term)
        from search.models import SEARCH_CONFIG, SearchDocument  # optional app: imported late

        # Bodies through the search app's GIN-indexed vector (every story is indexed,
        # whatever its status): LIKE over 100,000 bodies reads them all, for each of
        # the count and the page. Headlines and summaries keep substring matching.
        words = SearchQuery(search_term, search_type="websearch", config=SEARCH_CONFIG)
        in_body = SearchDocument.objects.filter(vector=words).values("article_id")
        matches = (
            Q(headline__icontains=search_term) | Q(dek__icontains=search_term) | Q(pk__in=in_body)
        )
        return queryset.filter(matches), False

    @staticmethod
    def body_index_available(queryset):
        return connections[queryset.db].vendor == "postgresql" and apps.is_installed("search")

    def get_search_fields(self, request):
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            # Picking a related post: headlines suffice, and scanning every body is slow.
            return ["headline"]
        return super().get_search_fields(request)

    # Permissions: the workflow decides.

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            fields += workflow.EDITOR_ONLY_FIELDS
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a fresh class per request: modelform_factory made it
        return form

    # Saving.

    def save_model(self, request, obj, form, change):
        workflow.check_status(request.user, obj)
        if not change:
            obj.created_by = request.user
        was_live = change and Article.objects.published().filter(pk=obj.pk).exists()
        workflow.stamp_update(obj, form.changed_data, was_live)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not workflow.can_publish(request.user):
            workflow.credit_writer(request.user, article)
        corrected = any(
            formset.new_objects or formset.changed_objects
            for formset in formsets
            if formset.model is Correction
        )
        if corrected and article.is_published:
            # A correction or update is news about the story: readers see "Updated".
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])

    def changelist_view(self, request, extra_context=None):
        context = {
            "has_change_permission": self.has_change_permission(request),
            "can_recover": workflow.can_recover(request.user),
        }
        # Not VersionAdmin's one revision around the whole list: the bulk actions make
        # one revision per story, so restoring a story never rewinds the others.
        return compat.changelist_view_without_revision(
            self, request, {**context, **(extra_context or {})}
        )

    # Change form read-only lines.

    @admin.display(description="Where it stands")
    def state_line(self, obj):
        if obj.pk is None:
            return "New story: save it as a draft, or submit it for review."
        return workflow.describe_state(obj)

    @admin.display(description="Comments")
    def pending_comments_on_story(self, obj):
        if obj.pk is None:
            return "—"
        return pending.pending_comments_link(obj)
