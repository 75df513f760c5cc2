"""People credited on stories, with how many bylines each has."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from articles.models import Credit


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
