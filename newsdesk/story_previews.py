"""Preview links of a story in its change form: the link to share, and revoking the
links shared so far (articles.preview says when else they end)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from articles import preview
from newsdesk.story_columns import local


class StoryPreviewsMixin:
    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview-links/revoke/",
                self.admin_site.admin_view(self.revoke_previews_view),
                name="articles_article_revoke_previews",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Share a preview")
    def share_preview(self, obj):
        if obj.pk is None:
            return "Save the story first."
        if obj.is_published:
            return "The story is live: share its address."
        url, expires = preview.share_link(obj)
        return format_html(
            '<a href="{}">{}</a><div class="help">For a reviewer without a login: shows the '
            "story as it stands, until {}. Publishing, scheduling or unpublishing the story "
            "ends the links shared so far, as “Revoke preview links” (above) does. Staff "
            "can use “Preview” at the top instead.</div>",
            url,
            url,
            local(expires),
        )

    def revoke_previews_view(self, request, object_id):
        """Asks first (GET), then ends every link shared so far (POST). Whoever may
        change the story may: the workflow decides, as for a change."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            preview.revoke_links(article)
            self.log_change(request, article, "Revoked the preview links shared so far.")
            self.message_user(
                request,
                f"The preview links to “{article}” shared so far no longer work; "
                "the form below gives a new one.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Revoke the preview links?",
            "subtitle": None,
            "opts": self.opts,
            "object": article,
        }
        return TemplateResponse(request, "admin/articles/article/revoke_previews.html", context)
