"""The photo library in the admin: the list with thumbnails, search and filters, the
upload of many files at once (static/admin-editor/photos-upload.js posting each to the
upload endpoint), the focal point set by clicking the photo, and what uses each photo.

A photo in use is protected (PROTECT on every foreign key to it): the admin's delete
page and its bulk delete list the uses and refuse.
"""

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.paginators import EstimatedCountPaginator
from photos import renditions, uploads, usage
from photos.filters import MissingAltFilter, OrientationFilter, UsedFilter
from photos.forms import PhotoForm
from photos.library_views import ChooseView, UploadView
from photos.models import Photo
from photos.thumbnails import thumbnail

FOCAL_WIDTH = 960  # the focal point picker's image, in pixels


def admin_link(obj):
    """A link to ``obj``'s change page when the admin has one, else its name."""
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except Exception:  # NoReverseMatch: a model the admin does not show
        return format_html("{}: {}", opts.verbose_name.capitalize(), obj)
    return format_html('{}: <a href="{}">{}</a>', opts.verbose_name.capitalize(), url, obj)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "__str__", "alt_status", "credit", "size", "used", "uploaded_at"]
    list_display_links = ["preview", "__str__"]
    list_filter = [
        MissingAltFilter,
        UsedFilter,
        OrientationFilter,
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text", "caption", "credit", "source"]
    search_help_text = "Searches titles, alt text, captions, credits and sources."
    list_per_page = 48
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    change_list_template = "admin/photos/photo/change_list.html"
    readonly_fields = ["focal_point", "size", "uploaded_by", "uploaded_at", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "decorative", "caption", "credit"]}),
        ("Focal point", {"fields": ["focal_point", ("focal_x", "focal_y")]}),
        ("Rights and source", {"fields": ["copyright", "source", "title"]}),
        ("About the file", {"fields": ["size", "uploaded_by", "uploaded_at", "used_by"]}),
    ]

    class Media:
        css = {"all": ["admin-editor/photos.css"]}
        js = ["admin-editor/photos-focal-point.js", "admin-editor/photos-upload.js"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "upload/",
                wrap(UploadView.as_view(model_admin=self)),
                name="photos_photo_upload",
            ),
            path(
                "choose/",
                wrap(ChooseView.as_view(model_admin=self)),
                name="photos_photo_choose",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # Whether each photo is used, for the list's column: one EXISTS per kind of
        # use inside the list's query, never a query per row; and the thumbnails'
        # renditions in one query for the page.
        return (
            super()
            .get_queryset(request)
            .annotate(is_used=ExpressionWrapper(usage.in_use(), output_field=BooleanField()))
            .prefetch_related(renditions.stored_prefetch())
        )

    @admin.display(description="")
    def preview(self, photo):
        return thumbnail(photo, box=96)

    @admin.display(description="alt text", ordering="alt_text")
    def alt_status(self, photo):
        if photo.decorative:
            return "Decorative"
        if not photo.alt_text.strip():
            return format_html('<strong class="photo-missing-alt">{}</strong>', "Missing")
        return "Described"

    @admin.display(description="used", boolean=True)
    def used(self, photo):
        return photo.is_used

    @admin.display(description="size")
    def size(self, photo):
        return f"{photo.width}×{photo.height}"

    @admin.display(description="click the photo where it must stay in view")
    def focal_point(self, photo):
        if not photo.file:
            return "Save the photo first, then click it here to set its focal point."
        # A rendition big enough to click precisely, not the (maybe 40 MB) original.
        width = max(w for w in renditions.widths(photo, "original") if w <= FOCAL_WIDTH)
        return format_html(
            '<div class="photo-focal-picker" data-focal-picker>{}'
            '<span class="photo-focal-marker" data-focal-marker hidden></span></div>',
            format_html(
                '<img src="{}" width="{}" height="{}" alt="{}" data-focal-image>',
                renditions.url(photo, "original", width, "webp"),
                width,
                renditions.height_at(photo, "original", width),
                photo.alt_text,
            ),
        )

    @admin.display(description="used by")
    def used_by(self, photo):
        uses = usage.uses_of(photo) if photo.pk else []
        if not uses:
            return "Nothing yet: it can be deleted."
        return format_html(
            "<ul class='photo-uses'>{}</ul>",
            format_html_join("", "<li>{}</li>", ((admin_link(obj),) for obj in uses)),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        if "file" in form.changed_data:
            uploads.take_in(obj, form.cleaned_data["file"])
        uploads.save(obj)
