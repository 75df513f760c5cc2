"""The embeds in the admin: what each provider answered, or why it did not, and
"Fetch again" for the ones to ask about once more.

Rows are made by the stories that use an address and filled from the provider's
answer: nothing here is typed in, so every field is read-only (the player's address,
above all, is only ever the one embeds.providers made).
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html

from core.tasks import queue
from embeds.models import Embed
from embeds.tasks import fetch_embed
from photos import renditions
from photos.thumbnails import thumbnail


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    list_display = ["preview", "__str__", "provider_name", "kind", "status", "error", "fetched_at"]
    list_display_links = ["preview", "__str__"]
    list_filter = ["provider", "status", "kind"]
    search_fields = ["url", "title"]
    search_help_text = "Searches addresses and titles."
    list_select_related = ["thumbnail"]
    actions = ["fetch_again"]
    fieldsets = [
        (None, {"fields": ["address", ("status", "error"), "title", "thumbnail"]}),
        ("From the provider", {"fields": [("provider", "provider_name", "kind")]}),
        (None, {"fields": [("author_name", "author_url"), ("width", "height", "duration")]}),
        ("Loaded when a reader asks", {"fields": ["player_url"]}),
        ("History", {"fields": [("created_at", "fetched_at")]}),
    ]
    readonly_fields = [
        "address",
        "status",
        "error",
        "title",
        "thumbnail",
        "provider",
        "provider_name",
        "kind",
        "author_name",
        "author_url",
        "width",
        "height",
        "duration",
        "player_url",
        "created_at",
        "fetched_at",
    ]

    def get_queryset(self, request):
        # The thumbnails' renditions in one query for the page.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(renditions.stored_prefetch("thumbnail__renditions"))
        )

    def has_add_permission(self, request):
        return False  # made by the stories that embed an address

    @admin.display(description="")
    def preview(self, embed):
        return thumbnail(embed.thumbnail, box=96) if embed.thumbnail else ""

    @admin.display(description="address")
    def address(self, embed):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', embed.url, embed.url)

    @admin.action(description="Fetch again from the provider", permissions=["change"])
    def fetch_again(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():  # all the jobs are queued, or none
            for pk in chosen:
                queue(fetch_embed, pk)
        self.message_user(
            request,
            f"Asking the provider again about {len(chosen)} embed(s); "
            "the list shows the answers as they arrive.",
            messages.SUCCESS,
        )
