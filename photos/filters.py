"""The library's list filters."""

from django.contrib import admin
from django.db.models import F

from photos import usage


class MissingAltFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (cannot be published)"), ("described", "Described")]

    def queryset(self, request, queryset):
        undescribed = {"alt_text": "", "decorative": False}
        if self.value() == "missing":
            return queryset.filter(**undescribed)
        if self.value() == "described":
            return queryset.publishable()
        return queryset


class UsedFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", "Used"), ("no", "Unused")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(usage.in_use())
        if self.value() == "no":
            return queryset.exclude(usage.in_use())
        return queryset


class OrientationFilter(admin.SimpleListFilter):
    title = "orientation"
    parameter_name = "orientation"

    def lookups(self, request, model_admin):
        return [("landscape", "Landscape"), ("portrait", "Portrait"), ("square", "Square")]

    def queryset(self, request, queryset):
        shape = {
            "landscape": {"width__gt": F("height")},
            "portrait": {"width__lt": F("height")},
            "square": {"width": F("height")},
        }.get(self.value())
        return queryset.filter(**shape) if shape else queryset
