"""Security headers on every kind of response, and markup that a strict CSP allows.

The policy forbids inline scripts, inline styles and event-handler attributes, so a
page that contains any of them is broken in the browser. ``inline_code`` finds them
in rendered HTML; the admin is held to the same rule as the public pages.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.factories import PUBLIC_PAGES

EXPECTED_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data: https:; media-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Script types a browser does not execute: data blocks such as JSON-LD.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


def is_javascript_url(value):
    return (value or "").strip().lower().startswith("javascript:")


class _InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._inline_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f"style attribute on <{tag}>: {value!r}")
            elif name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            elif name in URL_ATTRIBUTES and is_javascript_url(value):
                self.found.append(f"javascript: URL in <{tag} {name}>")
        if tag == "style":
            self.found.append("<style> element")
        script_type = (attrs.get("type") or "").lower()
        if tag == "script" and "src" not in attrs and script_type not in DATA_SCRIPT_TYPES:
            self._inline_script = ""

    def handle_data(self, data):
        if self._inline_script is not None:
            self._inline_script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script is not None:
            if self._inline_script.strip():
                self.found.append(f"inline <script>: {self._inline_script.strip()[:80]!r}")
            self._inline_script = None


def inline_code(html):
    """Everything in ``html`` that a CSP without 'unsafe-inline' would block."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def assert_security_headers(response):
    for header, value in EXPECTED_HEADERS.items():
        assert response.headers.get(header) == value, (header, response.headers.get(header))


def test_inline_code_finder_catches_what_the_policy_blocks():
    page = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<a href=" JavaScript:alert(1)">b</a><style>p{}</style>'
        '<script src="/static/js/site.js" defer></script>'
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
    )
    assert inline_code(page) == [
        "style attribute on <p>: 'color:red'",
        "onclick handler on <p>",
        "inline <script>: 'alert(1)'",
        "javascript: URL in <a href>",
        "<style> element",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_send_security_headers_and_no_inline_code(client, public_pages, page):
    response = client.get(public_pages[page])
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_code(response.text) == []


@pytest.mark.django_db
def test_not_found_page_sends_security_headers(client):
    response = client.get("/section/no-such-section/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert inline_code(response.text) == []


@pytest.mark.django_db
def test_health_check_sends_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from core.security import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("widget")
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_from_whitenoise_carry_the_policy_too(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["Content-Type"]
    # WhiteNoise answers before the view middleware runs; the CSP middleware sits
    # in front of it and SecurityMiddleware just outside it.
    assert (
        response.headers["Content-Security-Policy"] == EXPECTED_HEADERS["Content-Security-Policy"]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_admin_login_page_sends_headers_and_works_under_the_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_code(response.text) == []


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x-long-pass-1")
    client.force_login(user)
    client.user = user
    return client


def admin_pages(user):
    """The admin index, and the list and add page of every model registered in it."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for app in admin.site.get_app_list(request):
        for model in app["models"]:
            pages += [url for url in (model.get("admin_url"), model.get("add_url")) if url]
    return pages


@pytest.mark.django_db
def test_every_admin_page_works_under_the_policy(superuser_client):
    """Django 5.2's admin passes data to its scripts in data- attributes, not inline
    code; this keeps it so as our own admin screens are added."""
    user = superuser_client.user
    pages = admin_pages(user)
    pages.append(reverse("admin:auth_user_change", args=[user.pk]))
    assert reverse("admin:auth_user_changelist") in pages
    for url in pages:
        # A singleton's list (the discussion settings) leads straight to its one form.
        response = superuser_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert inline_code(response.text) == [], url
