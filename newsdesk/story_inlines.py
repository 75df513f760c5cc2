"""What is edited with a story, on its change page: credits, related picks, corrections."""

from django import forms
from django.contrib import admin
from django.db import models

from articles.models import Correction, Credit, RelatedLink


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["position", "person", "role", "note"]
    autocomplete_fields = ["person"]
    extra = 0
    verbose_name = "credit"
    verbose_name_plural = "Credits (in order: bylines first, then contributors)"
    # The order is the rows' order: static/admin-editor/credit-order.js lets them be
    # dragged (or moved with buttons) and renumbers these hidden positions.
    formfield_overrides = {models.PositiveSmallIntegerField: {"widget": forms.HiddenInput}}

    class Media:
        js = ["admin-editor/credit-order.js"]


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
