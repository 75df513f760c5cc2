"""Whole-page cache for anonymous readers, invalidated exactly (see core.stamps).

A page opts in by saying what it shows while it renders (core.rendering:
``rendering.shows("article:12", "front")``). The middleware stores the finished
response with those tags and the moment rendering started, and hands it to the
next anonymous reader for as long as none of the tags has changed since and no
deadline has passed (one the page declared with ``rendering.expires()``, or one
an app registered with ``core.cache.register_deadline()``). A page that
declared nothing it shows is never stored, nor one that declared itself
``rendering.personal()``.

Who gets cached pages: GET and HEAD requests without a session cookie (a
logged-in editor may be previewing) and without a cookie an app registered as
personal (``register_personal_cookie()``: the comments app's, whose page shows
the reader's own held comment). The session is never loaded to decide: the
cookie's presence is enough. A response is stored only if it is a 200 that sets
no cookie, does not vary on cookies and was not marked private or uncacheable.

The middleware sits after SecurityMiddleware and WhiteNoise and before
SessionMiddleware: security and CSP headers are added to cached answers on their
way out, and a cached answer never touches the session or the database.
"""

import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date

from core import db_router, rendering, stamps
from core.cache import next_deadline

logger = logging.getLogger(__name__)

# Changes whenever the stored shape does, so that a deploy never reads old entries.
KEY_PREFIX = "page:v1:"
# Headers of the stored response that are set afresh each time it is served.
SERVED_HEADERS = {"cache-control", "etag", "last-modified", "expires"}
# Changes when the shared cache is emptied (see RecentPages).
EPOCH_KEY = "pagecache:epoch"

_personal_cookies = set()


def register_personal_cookie(name):
    """A request carrying cookie ``name`` gets a page made for it: never one from the
    cache. Apps call this from their ``AppConfig.ready()``."""
    _personal_cookies.add(name)


def is_personal(request):
    """May this request get a page made for it alone (staff preview, own held comment)?"""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or any(
        name in cookies for name in _personal_cookies
    )


def ignored_parameter(name):
    return any(
        name == ignored or (ignored.endswith("*") and name.startswith(ignored[:-1]))
        for ignored in settings.PAGE_CACHE_IGNORED_PARAMETERS
    )


def page_key(request):
    """The path and the query, less the tracking parameters links pick up on their way
    around the web: every ``fbclid`` of a viral story would otherwise be a miss."""
    query = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    params = sorted((name, value) for name, value in query if not ignored_parameter(name))
    address = f"{request.path}?{urlencode(params)}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


@dataclass
class Entry:
    """A stored page and what decides whether it is still current.

    Kept in the cache as a plain dict, so unpickling never depends on this class.
    """

    started: float
    tags: list
    expires: float | None
    content: bytes
    headers: list
    etag: str

    def is_current(self, now, known_stamps):
        if self.expires is not None and now >= self.expires:
            return False
        return stamps.is_fresh(self.tags, self.started, known_stamps)


class RecentPages:
    """The pages this process served lately, kept as objects: a hit then costs one
    round trip to the shared cache (the stamps of its tags) and no unpickling.

    Each page is still checked against the shared stamps before it is served, and
    all are dropped when the shared cache turns out to have been emptied (its
    epoch changed), since that also lost the stamps of whatever changed before.
    """

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.epoch = None
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def check_epoch(self, epoch):
        with self.lock:
            if epoch != self.epoch:
                self.pages.clear()
                self.epoch = epoch


def current_epoch(known):
    """The shared cache's epoch (from ``known``, else made now): a new one after a flush."""
    epoch = known.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, secrets.token_hex(8), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    return epoch


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT_PAGES)

    def __call__(self, request):
        if not self.may_use_cache(request):
            return self.uncached(request)
        request.get_host()  # a bad Host header is refused before anything is served
        started = stamps.now()
        key = page_key(request)
        try:
            entry = self.recent.get(key)
            if entry is not None:
                known, others = stamps.read(entry.tags, EPOCH_KEY)
                self.recent.check_epoch(current_epoch(others))
                if self.recent.get(key) is entry and entry.is_current(started, known):
                    return self.answer(request, entry, started)
            last_change_key = stamps.key(stamps.ANY)
            found = cache.get_many([key, last_change_key, EPOCH_KEY])
            self.recent.check_epoch(current_epoch(found))
            if key in found:
                entry = Entry(**found[key])
                if entry.is_current(started, stamps.stamps(entry.tags)):
                    self.recent.put(key, entry)
                    return self.answer(request, entry, started)
        except Exception:  # a cache outage must not take the site down with it
            logger.exception("The page cache is unavailable: rendering without it.")
            return self.uncached(request)
        return self.render(request, key, started, found.get(last_change_key))

    def may_use_cache(self, request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not is_personal(request)
            and not request.path.startswith(self.admin_prefix)
        )

    def uncached(self, request):
        with rendering.collecting() as declared:
            response = self.get_response(request)
        return self.private(response, declared)

    def render(self, request, key, started, last_change):
        # Right after a change a read replica may not have it yet: read the primary.
        settled = last_change is None or started - last_change > stamps.margin()
        with rendering.collecting() as declared:
            with db_router.public_reads(use_replica=settled):
                response = self.get_response(request)
            entry = self.store(key, response, declared, started)
        if entry is None:
            return self.private(response, declared)
        return self.answer(request, entry, stamps.now(), response)

    @staticmethod
    def storable(response, declared):
        cache_control = response.get("Cache-Control", "").lower()
        return (
            declared.cacheable
            and not declared.personal
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
            and "cookie" not in response.get("Vary", "").lower()
        )

    def store(self, key, response, declared, started):
        """Keep ``response`` for later readers; None if it may not be kept."""
        if not self.storable(response, declared):
            return None
        deadlines = [d for d in (declared.expires, next_deadline()) if d]
        expires = min(deadlines, default=None)
        lifetime = settings.PAGE_CACHE_TIMEOUT
        if expires is not None:
            lifetime = min(lifetime, expires - stamps.now())
            if lifetime <= 0:
                return None
        entry = Entry(
            started=started,
            tags=sorted({*declared.tags, stamps.EVERYTHING}),
            expires=expires,
            content=response.content,
            headers=[(k, v) for k, v in response.items() if k.lower() not in SERVED_HEADERS],
            etag=f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
        )
        stamps.adopt(entry.tags)
        cache.set(key, asdict(entry), timeout=max(1, round(lifetime)))
        self.recent.put(key, entry)
        return entry

    @staticmethod
    def answer(request, entry, now, response=None):
        """The stored page (or a 304), with headers that browsers and CDNs act on."""
        if response is None:
            response = HttpResponse(entry.content)
            for name, value in entry.headers:
                response[name] = value
        shared_max_age = settings.PAGE_CACHE_SHARED_MAX_AGE
        if entry.expires is not None:
            shared_max_age = max(0, min(shared_max_age, int(entry.expires - now)))
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.started)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_BROWSER_MAX_AGE,
            s_maxage=shared_max_age,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        )
        return get_conditional_response(
            request, etag=entry.etag, last_modified=int(entry.started), response=response
        )

    @staticmethod
    def private(response, declared):
        """What is not served from the cache is for this reader alone unless its view
        said otherwise: a CDN must never hand one reader's page to another. A page
        that declared itself personal is not kept by browsers either."""
        if declared.personal:
            add_never_cache_headers(response)
        elif "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response
