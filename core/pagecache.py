"""Whole-page cache for anonymous readers, invalidated exactly (see core.stamps).

A page opts in by saying what it shows while it renders (core.rendering:
``rendering.shows("article:12", "front")``). The middleware stores the finished
response with those tags and the moment rendering started, and hands it to the
next anonymous reader for as long as none of the tags has changed since and no
deadline has passed (one the page declared with ``rendering.expires()``, or one
an app registered with ``core.cache.register_deadline()``). A page that
declared nothing it shows is never stored, nor one that declared itself
``rendering.personal()``.

A page is keyed on its path and the query parameters apps registered as ones
their pages read (``register_parameters()``: ``page``, ``q``, ``cpage``...).
Any other parameter (``?utm_source=``, ``?x=1`` from a crawler or an attacker)
is answered from the page without it, and never stores a copy. The parameters a
render actually read are recorded: a page is stored under those alone, and one
that read a parameter nobody registered is not stored at all.

Who gets cached pages: GET and HEAD requests without a session cookie (a
logged-in editor may be previewing) and without a cookie an app registered as
personal (``register_personal_cookie()``: the comments app's, whose page shows
the reader's own held comment). The session is never loaded to decide: the
cookie's presence is enough. A response is stored only if it is a 200 that sets
no cookie, does not vary on cookies and was not marked private or uncacheable.

The middleware sits after SecurityMiddleware and WhiteNoise and before
SessionMiddleware: security and CSP headers are added to cached answers on their
way out, and a cached answer never touches the session or the database. A page
that loads other sites' frames when the reader asks (embeds) gets its own policy
here, from what it declared (core.security.allow_frames), kept with the page.
"""

import functools
import hashlib
import logging
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseNotModified, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import parse_etags

from core import compat, db_router, rendering, security, stamps
from core.cache import next_deadline, reading_ahead
from core.page_entries import Entry, RecentPages, cache_control_of, public_cache_control

logger = logging.getLogger(__name__)

# Changes whenever the stored shape does, so that a deploy never reads old entries.
KEY_PREFIX = "page:v2:"
# Headers of the stored response that are set afresh each time it is served.
SERVED_HEADERS = {
    "cache-control",
    "etag",
    "last-modified",
    "expires",
    "content-length",
    "content-encoding",
}
# A request with none of these gets the page itself (no 304 or 412 to work out).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)

_personal_cookies = set()
_parameters = set()
# Host headers found valid (refuse_bad_host): a site's names, and at most this many.
VALID_HOSTS_KEPT = 100
_valid_hosts = set()


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


def register_parameters(*names):
    """Query parameters that change what an app's pages show (``page``, ``q``...): pages
    are cached per value of these only. Apps call this from their ``AppConfig.ready()``."""
    _parameters.update(names)


def page_key(request, read=None):
    """The path and the registered parameters of the query (of those, only the ones in
    ``read`` when given). Every ``fbclid`` of a viral story, every ``?x=`` of a
    crawler would otherwise be a page of its own."""
    kept = _parameters if read is None else _parameters & read
    query = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    params = sorted((name, value) for name, value in query if name in kept)
    address = f"{request.path}?{urlencode(params)}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


class RecordingQueryDict(QueryDict):
    """``request.GET`` that notes which parameters the page read (all of them, if it
    went through the whole query)."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        self.read = set()  # parsing the query looked at every name

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def _read_all(self):
        self.read.update(super().keys())

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def items(self):
        self._read_all()
        return super().items()

    def lists(self):
        self._read_all()
        return super().lists()

    def values(self):
        self._read_all()
        return super().values()

    def dict(self):
        self._read_all()
        return super().dict()

    def urlencode(self, safe=None):
        self._read_all()
        return super().urlencode(safe)


def refuse_bad_host(request):
    """``request.get_host()``'s DisallowedHost (a 400) for a Host header that the
    settings do not allow. A plain Host header found valid is remembered, its validity
    following from the settings alone: a hit does not check it again (3 µs of the 20
    the page cache adds to a hit)."""
    meta = request.META
    host = None if "HTTP_X_FORWARDED_HOST" in meta else meta.get("HTTP_HOST")
    if host is not None and host in _valid_hosts:
        return
    request.get_host()
    if host is not None and len(_valid_hosts) < VALID_HOSTS_KEPT:
        _valid_hosts.add(host)


@receiver(setting_changed)
def _forget_valid_hosts(*, setting, **kwargs):
    if setting in {"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST"}:
        _valid_hosts.clear()


@functools.lru_cache(maxsize=256)  # browsers send a handful of different headers
def accepts_gzip(accept_encoding):
    return bool(re_accepts_gzip.search(accept_encoding))


def holds(request, etag):
    """Does the reader hold ``etag`` already (``If-None-Match``, compared weakly as
    Django's ``get_conditional_response`` does), with no precondition asking more?"""
    meta = request.META
    if "HTTP_IF_NONE_MATCH" not in meta:  # most requests: nothing held to parse
        return False
    if "HTTP_IF_MATCH" in meta or "HTTP_IF_UNMODIFIED_SINCE" in meta:
        return False
    held = parse_etags(meta["HTTP_IF_NONE_MATCH"])
    return held == ["*"] or etag.removeprefix("W/") in {e.removeprefix("W/") for e in held}


def not_modified(entry, etag, cache_control):
    """The 304 for a reader who holds the stored page: made directly, not from a full
    response that Django then copies into one. A live story's readers revalidate every
    few seconds (live.json): this way a 304 costs less than the page, not a fifth more.
    It carries the headers RFC 9110 asks of a 304 (those a 200 would have sent)."""
    response = HttpResponseNotModified()
    for name, value in entry.headers:
        if name.lower() in ("vary", "content-location"):
            response[name] = value
    response["Cache-Control"] = cache_control
    response["ETag"] = etag
    response["Last-Modified"] = entry.last_modified
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT_PAGES)

    def __call__(self, request):
        if not self.may_use_cache(request):
            return self.uncached(request)
        refuse_bad_host(request)  # before anything is served
        started = stamps.now()
        key = page_key(request)
        try:
            self.recent.check_epoch(stamps.epoch())
            entry = self.recent.get(key)
            if entry is not None and entry.is_current_here(started):
                return self.answer(request, entry, started)
            last_change, found = stamps.read([stamps.ANY], key)
            if key in found:
                entry = Entry(**found[key])
                if entry.is_current(started, stamps.stamps(entry.tags)):
                    self.recent.put(key, entry)
                    return self.answer(request, entry, started)
        except Exception:  # a cache outage must not take the site down with it
            logger.exception("The page cache is unavailable: rendering without it.")
            return self.uncached(request)
        return self.render(request, started, last_change.get(stamps.ANY))

    def may_use_cache(self, request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not is_personal(request)
            and not request.path.startswith(self.admin_prefix)
        )

    def uncached(self, request):
        together = request.method in ("GET", "HEAD")  # a change reads back what it changed
        with (
            rendering.collecting() as declared,
            stamps.stores_together(together),
            reading_ahead(together),
        ):
            response = self.get_response(request)
        security.allow_frames(response, declared.frame_origins)
        return self.private(response, declared)

    def render(self, request, started, last_change):
        # Right after a change a read replica may not have it yet: read the primary.
        settled = last_change is None or started - last_change > stamps.margin()
        query = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        request.GET = query
        with rendering.collecting() as declared, stamps.stores_together(), reading_ahead():
            with db_router.public_reads(use_replica=settled):
                response = self.get_response(request)
            # Before it is stored: a page served from the cache sends the same policy.
            security.allow_frames(response, declared.frame_origins)
            entry = self.store(request, query.read, response, declared, started)
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
            and not response.has_header("Content-Encoding")
        )

    def store(self, request, read, response, declared, started):
        """Keep ``response`` for later readers, under the parameters it read; None if it
        may not be kept."""
        if not self.storable(response, declared):
            return None
        if not read <= _parameters:
            logger.warning(
                "Not caching %s: it reads the query parameters %s, which no app registered "
                "(core.pagecache.register_parameters in its AppConfig.ready()).",
                request.path,
                ", ".join(sorted(read - _parameters)),
            )
            return None
        key = page_key(request, read)
        deadlines = [d for d in (declared.expires, next_deadline()) if d]
        expires = min(deadlines, default=None)
        lifetime = settings.PAGE_CACHE_TIMEOUT
        if expires is not None:
            lifetime = min(lifetime, expires - stamps.now())
            if lifetime <= 0:
                return None
        patch_vary_headers(response, ("Accept-Encoding",))  # kept gzipped: answer()
        entry = Entry.of(
            response.content,
            started=started,
            tags=sorted({*declared.tags, stamps.EVERYTHING}),
            expires=expires,
            headers=[(k, v) for k, v in response.items() if k.lower() not in SERVED_HEADERS],
            shared_max_age=declared.shared_max_age,
        )
        stamps.store_tagged(key, entry.stored(), max(1, round(lifetime)), entry.tags)
        self.recent.put(key, entry)
        return entry

    @staticmethod
    def answer(request, entry, now, response=None):
        """The stored page (or a 304), gzipped for a client that accepts it, with headers
        that browsers and CDNs act on."""
        shared_max_age = settings.PAGE_CACHE_SHARED_MAX_AGE
        stale = settings.PAGE_CACHE_STALE_WHILE_REVALIDATE
        if entry.shared_max_age is not None:  # the page's own, shorter: never served stale
            shared_max_age, stale = min(shared_max_age, entry.shared_max_age), 0
        if entry.expires is not None:
            shared_max_age = max(0, min(shared_max_age, int(entry.expires - now)))
        gzipped = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        body, etag = (entry.gzipped, entry.gzip_etag) if gzipped else (entry.content, entry.etag)
        if response is None:
            cache_control = public_cache_control(
                settings.PAGE_CACHE_BROWSER_MAX_AGE, shared_max_age, stale
            )
            if holds(request, etag):
                return not_modified(entry, etag, cache_control)
            response = compat.response_with_headers(
                body, entry.served_headers(gzipped, cache_control)
            )
        else:  # the view's own Cache-Control, if any, is kept where it does not clash
            patch_cache_control(response, **cache_control_of(shared_max_age, stale))
            response.content = body
            for name, value in entry.body_headers(gzipped):
                response[name] = value
        if not any(name in request.META for name in CONDITIONAL_HEADERS):
            return response
        return get_conditional_response(
            request, etag=etag, last_modified=int(entry.started), response=response
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
