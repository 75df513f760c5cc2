from django.contrib import admin

from pages.models import Page, Redirect


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "path", "status", "parent", "modified_at"]
    list_filter = ["status"]
    search_fields = ["title", "path"]
    autocomplete_fields = ["parent"]
    fields = ["title", "path", "status", "parent", "position", "body"]


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    list_editable = ["new_path"]
    search_fields = ["old_path", "new_path"]
