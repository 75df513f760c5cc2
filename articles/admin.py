"""The editors' newsroom: stories with their workflow and revisions, people, sections, tags.

Who may do what is decided in articles/workflow.py; this module asks it at every
door (change permission, form choices, save, bulk actions), so a rule never
depends on a button being hidden.
"""

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from taggit.models import Tag

from articles import preview, revisions, workflow
from articles.admin_filters import (
    AuthorFilter,
    EstimatedCountPaginator,
    MineFilter,
    StatusFilter,
    TagFilter,
)
from articles.forms import ArticleAdminForm, MergeTagsForm, TagAdminForm
from articles.models import (
    Article,
    Correction,
    Credit,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
)
from articles.tags import merge_tags
from comments.admin import pending_comments_link
from comments.models import Comment

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Newsroom"


def local(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["position", "person", "role", "note"]
    autocomplete_fields = ["person"]
    extra = 0
    verbose_name = "credit"
    verbose_name_plural = "Credits (in order: bylines first, then contributors)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    fields = ["position", "to_article"]
    autocomplete_fields = ["to_article"]
    extra = 0
    verbose_name = "related post"
    verbose_name_plural = "Related posts (editors' picks, in order)"


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = [("kind", "published_at"), "text"]
    extra = 0
    verbose_name_plural = "Corrections, clarifications and updates (on the story and /corrections/)"


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    inlines = [CreditInline, RelatedLinkInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["based_on", "headline", "slug", "dek", "body", "dateline"]}),
        (
            "Publishing",
            {
                "fields": [
                    "state_line",
                    "status",
                    "published_at",
                    "embargo_until",
                    "section",
                    "tags",
                    ("is_sticky", "comments_open"),
                    "pending_comments_on_story",
                    "share_preview",
                ]
            },
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_url",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        ("Video", {"classes": ["collapse"], "fields": ["kind", "video_url", "transcript"]}),
        (
            "Syndication",
            {"classes": ["collapse"], "fields": ["source_name", "source_url", "syndication"]},
        ),
    ]
    readonly_fields = ["state_line", "pending_comments_on_story", "share_preview"]
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
    # the unfiltered list on PostgreSQL (admin_filters.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["submit_for_review", "publish", "unpublish"]

    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-editor/admin.css"]}

    # Queries.

    def get_queryset(self, request):
        pending = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.PENDING)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # One correlated subquery per listed row (index comment_thread) instead of a
        # GROUP BY over the whole table; for_listing() prefetches all bylines at once.
        return (
            super()
            .get_queryset(request)
            .for_listing()
            .annotate(pending_comment_count=Coalesce(Subquery(pending), 0))
        )

    def get_list_display(self, request):
        if request.user.has_perm("comments.view_comment") and self.comment_queue_url():
            # For those who may moderate, the count links to the story's comment queue.
            return [*self.list_display[:-1], "pending_comments_link"]
        return self.list_display

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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only view: there is no save for the stale-save token to guard.
        first, *rest = fieldsets
        fields = [f for f in first[1]["fields"] if f != "based_on"]
        return [(first[0], {**first[1], "fields": fields}), *rest]

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
            self.credit_writer(request.user, article)
        corrected = any(
            formset.new_objects or formset.changed_objects
            for formset in formsets
            if formset.model is Correction
        )
        if corrected and article.is_published:
            # A correction or update is news about the story: readers see "Updated".
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])

    def credit_writer(self, user, article):
        """A writer's new story carries their byline unless they credited someone."""
        person = Person.objects.filter(user=user).first()
        if person and not article.credits.exists():
            Credit.objects.create(article=article, person=person, role=Credit.Role.BYLINE)

    # Change list columns.

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
            self.comment_queue_url(),
            obj.pk,
            obj.pending_comment_count,
        )

    @staticmethod
    def comment_queue_url():
        try:
            return reverse("admin:comments_comment_changelist")
        except NoReverseMatch:  # the comments admin is not installed
            return None

    def changelist_view(self, request, extra_context=None):
        context = {"has_change_permission": self.has_change_permission(request)}
        # Skips VersionAdmin's one-revision-around-the-whole-list: the bulk actions below
        # make one revision per story, so restoring a story never rewinds the others.
        return admin.ModelAdmin.changelist_view(self, request, {**context, **(extra_context or {})})

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
        return pending_comments_link(obj)

    @admin.display(description="Share a preview")
    def share_preview(self, obj):
        if obj.pk is None:
            return "Save the story first."
        if obj.is_published:
            return "The story is live: share its address."
        url, expires = preview.share_link(obj)
        return format_html(
            '<a href="{}">{}</a><div class="help">For a reviewer without a login: shows the '
            "story as it stands, until {}. Staff can use “Preview” at the top instead.</div>",
            url,
            url,
            local(expires),
        )

    # Bulk actions: each story is checked and saved on its own, with its own revision.

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

    # Revisions: history with a compare form, and the compare view.

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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user", "bylines"]
    list_select_related = ["user"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "title", "bio", "user"]

    def get_queryset(self, request):
        bylines = (
            Credit.objects.bylines()
            .filter(person=OuterRef("pk"))
            .order_by()
            .values("person")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(byline_count=Coalesce(Subquery(bylines), 0))

    @admin.display(description="Bylines", ordering="byline_count")
    def bylines(self, obj):
        return obj.byline_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)  # taggit's own, replaced by one that renames and merges


@admin.register(Tag)
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
