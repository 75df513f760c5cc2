from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from wordpress.models import Attachment, ImportedObject


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the importer; editors look, and may delete a row to import it afresh."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportedObject)
class ImportedObjectAdmin(ReadOnlyAdmin):
    list_display = ["kind", "wp_id", "imported_as", "site", "imported_at"]
    list_filter = ["kind", "site"]
    search_fields = ["=wp_id"]
    list_select_related = ["content_type"]

    @admin.display(description="imported as")
    def imported_as(self, row):
        model = row.content_type
        try:
            url = reverse(f"admin:{model.app_label}_{model.model}_change", args=[row.object_id])
        except NoReverseMatch:  # a model without an admin page
            return f"{model.name} #{row.object_id}"
        return format_html('<a href="{}">{} #{}</a>', url, model.name, row.object_id)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "wp_id", "parent_wp_id", "mime_type", "url", "photo", "problem"]
    list_filter = ["site", "mime_type"]
    list_select_related = ["photo"]
    search_fields = ["title", "url", "=wp_id", "problem"]
