"""Each hook in core/compat.py still does what newsroom relies on.

They reach past the framework's documented API, so an upgrade of Django or
django-reversion may change them silently: these tests fail first, by name.
"""

import inspect

import pytest
from django import forms
from django.contrib.admin import ModelAdmin
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.template import Context, Template
from reversion.admin import VersionAdmin

from articles.models import Article
from core import compat
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_is_filtered_tells_a_where_clause():
    assert compat.is_filtered(Article.objects.all()) is False
    assert compat.is_filtered(Article.objects.filter(headline="x")) is True
    assert compat.is_filtered(Article.objects.order_by("-id")) is False


def test_version_admin_still_wraps_the_change_list_that_we_skip():
    # If reversion stopped overriding it, skipping it would be pointless; if Django
    # changed the signature, the call in compat would break.
    assert VersionAdmin.changelist_view is not ModelAdmin.changelist_view
    parameters = list(inspect.signature(ModelAdmin.changelist_view).parameters)
    assert parameters == ["self", "request", "extra_context"]


def test_django_sitemaps_count_again_each_time_and_ours_once(django_assert_num_queries):
    class Stories(Sitemap):
        def items(self):
            return Article.objects.order_by("pk")

        def get_domain(self, site=None):
            return "example.com"

    class CountedOnce(compat.CountOnceSitemap, Stories):
        pass

    make_article()
    django_sitemap = Stories()
    assert isinstance(inspect.getattr_static(Sitemap, "paginator"), property)
    assert django_sitemap.paginator is not django_sitemap.paginator
    ours = CountedOnce()
    with django_assert_num_queries(2):  # one COUNT, one page of items
        ours.get_urls()
        assert ours.paginator.count == ours.paginator.num_pages == 1


def test_sitemap_index_item_and_robots_header_are_importable_and_work():
    item = compat.SitemapIndexItem("https://example.com/sitemap-1.xml", None)
    assert item.location == "https://example.com/sitemap-1.xml"
    response = compat.x_robots_tag(lambda request: HttpResponse("x"))(None)
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_inclusion_admin_node_builds_our_date_hierarchy_tag():
    parameters = inspect.signature(compat.InclusionAdminNode).parameters
    assert {"parser", "token", "func", "template_name", "takes_context"} <= set(parameters)
    nodes = Template("{% load newsdesk_admin %}{% years_date_hierarchy cl %}").nodelist
    assert any(isinstance(node, compat.InclusionAdminNode) for node in nodes)


class Plain(forms.Form):
    name = forms.CharField()


class Blank(Plain):
    bound_field_class = compat.BlankBoundField


def test_django_renders_a_field_through_as_widget(monkeypatch):
    calls = []
    real = compat.BlankBoundField.as_widget

    def counting(self, *args, **kwargs):
        calls.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(compat.BlankBoundField, "as_widget", counting)
    markup = Template("{{ form.name }}").render(Context({"form": Blank()}))
    assert calls == ["name"]
    assert markup == str(Plain()["name"])


def test_blank_markup_is_djangos_own_and_kept_once():
    compat.BlankBoundField._blank_markup.clear()
    first, second = str(Blank()["name"]), str(Blank()["name"])
    assert first == second == str(Plain()["name"])
    assert len(compat.BlankBoundField._blank_markup) == 1
    assert 'value="Ann"' in str(Blank(initial={"name": "Ann"})["name"])
    assert 'value="Bo"' in str(Blank({"name": "Bo"})["name"])


def test_change_list_rows_can_be_decorated_before_the_page_renders(moderator):
    from django.contrib import admin

    from comments import queue
    from comments.models import Comment
    from tests.factories import make_comment

    article = make_article()
    older, newer = (make_comment(article, status="pending", body=b) for b in ("Older", "Newer"))
    request = moderator.get("/admin/comments/comment/").wsgi_request
    response = ModelAdmin.changelist_view(admin.site._registry[Comment], request)
    seen = []

    def decorate(rows):
        seen.extend(rows)
        return queue.with_context(rows[::-1])

    compat.decorate_changelist_rows(response, decorate)
    assert seen == [newer, older]  # the page's own objects, in its order
    html = response.render().text  # the admin's templates take a list as they take a queryset
    assert html.index("<p>Older</p>") < html.index("<p>Newer</p>")


def test_a_response_takes_a_header_store_as_if_each_header_were_set_in_turn():
    headers = [("Content-Type", "text/html; charset=utf-8"), ("X-Frame-Options", "DENY")]
    response = compat.response_with_headers(b"<p>Hi</p>", compat.header_store(headers))
    expected = HttpResponse(b"<p>Hi</p>", headers=dict(headers))
    assert list(response.items()) == list(expected.items())
    assert response["x-frame-options"] == "DENY"
    assert response.content == b"<p>Hi</p>" and response.status_code == 200


class WithCheckbox(forms.Form):
    bound_field_class = compat.BlankBoundField
    agree = forms.BooleanField(required=False, initial=False)


def test_a_constant_value_keeps_its_own_markup():
    compat.BlankBoundField._blank_markup.clear()
    unticked = str(WithCheckbox()["agree"])
    assert unticked == str(WithCheckbox()["agree"]) and "checked" not in unticked
    assert "checked" in str(WithCheckbox(initial={"agree": True})["agree"])
    assert len(compat.BlankBoundField._blank_markup) == 2  # False and True, each once
