"""Every hook into Django (and django-reversion) beyond their documented API, in one place.

Each one is something the framework does not promise to keep. tests/test_compat.py
checks that each still behaves as relied on here, so that an upgrade fails there,
loudly and by name, rather than as a slower page or a wrong count somewhere else.
"""

from django import forms
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.functional import cached_property

__all__ = [
    "BlankBoundField",
    "CountOnceSitemap",
    "InclusionAdminNode",
    "SitemapIndexItem",
    "changelist_view_without_revision",
    "decorate_changelist_rows",
    "header_store",
    "is_filtered",
    "response_with_headers",
    "x_robots_tag",
]


def is_filtered(queryset):
    """Has ``queryset`` any WHERE condition? (``Query.where`` is internal.)"""
    return bool(queryset.query.where)


def changelist_view_without_revision(model_admin, request, extra_context=None):
    """``ModelAdmin.changelist_view``, skipping the override of django-reversion's
    ``VersionAdmin``, which wraps the whole list (and its bulk actions) in one
    revision: our bulk actions make one revision per story instead."""
    return ModelAdmin.changelist_view(model_admin, request, extra_context)


class CountOnceSitemap(Sitemap):
    """A sitemap that counts its items once per request.

    Django's ``Sitemap.paginator`` (used by ``get_urls()`` and the sitemap views)
    is a plain property: a new paginator, and a new COUNT query, each time it is read.
    """

    @cached_property
    def paginator(self):
        return Paginator(self.items(), self.limit)


class BlankBoundField(forms.BoundField):
    """A field that renders its widget once per process while it is blank.

    Relies on Django rendering ``{{ field }}`` through ``as_widget()`` with no
    arguments. A field of an unbound form that is empty, or holds a constant of
    its definition (a checkbox's ``False``), depends only on the form's definition
    and that value, so its markup is kept; a field with any other value (a form
    token, a reply's parent, anything a visitor sent back) renders as usual.
    """

    _blank_markup = {}

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        value = self.value()
        if (
            widget
            or attrs
            or only_initial
            or self.form.is_bound
            or not (value is None or isinstance(value, bool))
        ):
            return super().as_widget(widget, attrs, only_initial)
        key = (type(self.form), self.name, self.auto_id, value)
        markup = self._blank_markup.get(key)
        if markup is None:
            markup = self._blank_markup[key] = super().as_widget()
        return markup


def decorate_changelist_rows(response, decorate):
    """Let ``decorate(rows)`` (a list in, a list out) add to the objects of a change
    list page before it renders, for data computed for the whole page at once.

    ``ChangeList.result_list`` is what the admin's ``result_list`` tag iterates; the
    ChangeList itself is not documented API. A response without one (a redirect after
    a bulk action, an error page) is left alone.
    """
    changelist = (getattr(response, "context_data", None) or {}).get("cl")
    if changelist is not None:
        changelist.result_list = decorate(list(changelist.result_list))


def header_store(headers):
    """``headers`` in the form ``ResponseHeaders`` keeps them: name, value pairs known to
    be valid, those of a stored page (checked when its response was first made) and the
    page cache's own ASCII ones (lengths, ETags, dates)."""
    return {name.lower(): (name, value) for name, value in headers}


def response_with_headers(body, store):
    """An ``HttpResponse`` of ``body`` with the headers of ``header_store()``.

    The page cache answers most requests, each with a dozen headers: setting them one
    by one re-checks each name and value for newlines and encodings (a twentieth of a
    hit's time). ``ResponseHeaders._store`` is internal."""
    response = HttpResponse(body)
    response.headers._store.update(store)
    return response
