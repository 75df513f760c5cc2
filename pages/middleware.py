"""Answers for addresses no route claims, in the manner of Django's flatpages and redirects.

Only a 404 from the routes reaches the page and redirect tables, so they can
never hide a story or an archive; an address that moved is answered 301 with
its query string kept (campaign tags survive the move).
"""

from django.conf import settings
from django.http import (
    HttpResponseGone,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    QueryDict,
)

from pages.models import Page, Redirect
from pages.views import render_page

# WordPress's "plain" permalinks are query strings on its front page (/?p=123,
# /?page_id=7, /?cat=4): they reach a route that exists, so they are looked up
# before the view, and only when one of these keys is present.
LEGACY_QUERY_KEYS = ("p", "page_id", "cat", "tag", "author")
# A post's or page's number on the front page that leads nowhere is a 404, as WordPress
# answers it: a draft's number must not reveal that it exists (nor its slug).
LEGACY_POST_KEYS = ("p", "page_id")
MAX_PATH = 500  # Page.path and Redirect.old_path


def storable(path):
    """Could ``path`` be in the tables? A NUL byte cannot (PostgreSQL refuses it in text)."""
    return len(path) <= MAX_PATH and "\x00" not in path


class FallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        legacy = self.legacy_redirect(request)
        if legacy is not None:
            return legacy
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return self.fallback(request) or response

    def legacy_redirect(self, request):
        # Read from the query string itself, not request.GET, whose reads the page cache
        # records as what the page depends on: a legacy key only ever makes a redirect
        # (never stored), so a made-up ?p= on a story must not make a page of its own.
        query = QueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        asked = [f"{request.path}?{key}={query[key]}" for key in LEGACY_QUERY_KEYS if key in query]
        old_paths = [path for path in asked if storable(path)]
        redirect = Redirect.objects.filter(old_path__in=old_paths).first() if old_paths else None
        if redirect is not None:
            return self.answer(redirect, query="")
        if request.path == "/" and any(key in query for key in LEGACY_POST_KEYS):
            return HttpResponseNotFound("No such post.", content_type="text/plain")
        return None

    def fallback(self, request):
        # Exact path first ("/x" sorts before "/x/"), then the one with a slash added.
        paths = [request.path]
        if settings.APPEND_SLASH and not request.path.endswith("/"):
            paths.append(f"{request.path}/")
        paths = [path for path in paths if storable(path)]
        if not paths:
            return None
        if request.method in ("GET", "HEAD"):
            page = (
                Page.objects.visible_to(request.user)
                .select_related("parent")
                .filter(path__in=paths)
                .first()
            )
            if page is not None and page.path == request.path:
                return render_page(request, page)
            if page is not None:
                return HttpResponsePermanentRedirect(page.get_absolute_url())
        redirect = Redirect.objects.filter(old_path__in=paths).first()
        if redirect is None:
            return None
        return self.answer(redirect, query=request.META.get("QUERY_STRING", ""))

    def answer(self, redirect, query):
        if not redirect.new_path:
            return HttpResponseGone()
        target = redirect.new_path
        if query and "?" not in target:
            target = f"{target}?{query}"
        return HttpResponsePermanentRedirect(target)
