"""Stored pages (core.pagecache): what is kept of each, and the pages a process keeps.

A page is kept gzipped: four times less of the shared cache (or of each process's
memory, without Redis) per page, and the bytes a browser that accepts gzip is sent
as they are. Compressing costs a third of a millisecond, once, when the page is
stored; a reader whose client does not accept gzip gets it decompressed (a tenth
of a millisecond), or from the pages this process keeps, which hold both.
"""

import functools
import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from functools import cached_property

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from core import compat, stamps

# Fast, and within a tenth of the smallest: the page is compressed on the miss path.
GZIP_LEVEL = 3


def compress(content):
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


@dataclass
class Entry:
    """A stored page and what decides whether it is still current.

    Kept in the cache as a plain dict (``stored()``), so unpickling never depends on
    this class; ``gzipped`` is the page's body compressed, ``etag`` that of the body
    as it is (the gzipped body's is ``gzip_etag``). ``shared_max_age`` is what the page
    declared of its own (core.rendering.shared_max_age), None for the site's setting.
    """

    started: float
    tags: list
    expires: float | None
    gzipped: bytes
    headers: list
    etag: str
    shared_max_age: int | None = None  # entries stored before it was declared have none

    @cached_property
    def header_store(self):
        """``headers`` as a response keeps them (core.compat.response_with_headers)."""
        return compat.header_store(self.headers)

    @classmethod
    def of(cls, content, **fields):
        entry = cls(
            gzipped=compress(content),
            etag=f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
            **fields,
        )
        entry.__dict__["content"] = content  # what cached_property would work out again
        return entry

    def stored(self):
        return asdict(self)

    def served_headers(self, gzipped, cache_control):
        """The headers of a 200 of this page (``header_store``, then the body's own
        and ``cache_control``), as a response keeps them: worked out once for each
        encoding and Cache-Control (the last one of each is remembered), not on every
        hit. The caller copies them into its response."""
        remembered = self.__dict__.setdefault("_served", {})
        found = remembered.get(gzipped)
        if found is not None and found[0] == cache_control:
            return found[1]
        served = [*self.body_headers(gzipped), ("Cache-Control", cache_control)]
        store = self.header_store | compat.header_store(served)
        remembered[gzipped] = (cache_control, store)
        return store

    def body_headers(self, gzipped):
        """What the body sent (gzipped or not) says of itself."""
        body, etag = (self.gzipped, self.gzip_etag) if gzipped else (self.content, self.etag)
        return [
            *([("Content-Encoding", "gzip")] if gzipped else ()),
            ("Content-Length", str(len(body))),
            ("ETag", etag),
            ("Last-Modified", self.last_modified),
        ]

    @cached_property
    def content(self):
        return gzip.decompress(self.gzipped)

    @cached_property
    def gzip_etag(self):
        return f'{self.etag[:-1]}-gzip"'

    def is_current(self, now, known_stamps):
        if self.expires is not None and now >= self.expires:
            return False
        return stamps.is_fresh(self.tags, self.started, known_stamps)

    def is_current_here(self, now):
        """``is_current()`` for a page this process keeps (``RecentPages``): its two dozen
        stamps are read and compared again only once one may have changed since it was
        last found fresh (``stamps.version()``, read first: a change made meanwhile
        leaves a token that no longer matches)."""
        if self.expires is not None and now >= self.expires:
            return False
        version = stamps.version()
        if version is not None and self.__dict__.get("fresh_at") == version:
            return True
        fresh = stamps.is_fresh(self.tags, self.started)
        self.__dict__["fresh_at"] = version if fresh else None
        return fresh

    @cached_property
    def last_modified(self):
        return http_date(self.started)


def cache_control_of(shared_max_age, stale_while_revalidate):
    """What a stored page's Cache-Control says (no stale-while-revalidate when 0)."""
    directives = {
        "public": True,
        "max_age": settings.PAGE_CACHE_BROWSER_MAX_AGE,
        "s_maxage": shared_max_age,
    }
    if stale_while_revalidate:
        directives["stale_while_revalidate"] = stale_while_revalidate
    return directives


@functools.lru_cache(maxsize=256)
def public_cache_control(browser_max_age, shared_max_age, stale_while_revalidate):
    """The Cache-Control of a stored page, as ``patch_cache_control()`` writes it: made
    once for each set of ages rather than parsed and written again for each answer."""
    blank = HttpResponse()
    directives = {"public": True, "max_age": browser_max_age, "s_maxage": shared_max_age}
    if stale_while_revalidate:
        directives["stale_while_revalidate"] = stale_while_revalidate
    patch_cache_control(blank, **directives)
    return blank["Cache-Control"]


class RecentPages:
    """The pages this process served lately, kept as objects: a hit then costs no
    round trip to the shared cache (the stamps of its tags are kept in process,
    core.stamp_mirror) and no unpickling.

    Each page is still checked against the stamps before it is served, and all are
    dropped when the shared cache turns out to have been emptied (``stamps.epoch()``
    changed), since that also lost the stamps of whatever changed before.
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
