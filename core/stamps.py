"""Cache tags and their stamps: exact invalidation of cached renderings across every server.

A cached thing (a whole page, a count, a date) remembers *when* it was computed
and *which tags* it depends on (``article:12``, ``section:3``, ``front``...). Each
tag has a "last changed" time in the shared cache, set by ``touch()`` after the
change is committed. A cached thing is fresh while every one of its tags last
changed before it was computed, less ``settings.PAGE_CACHE_MARGIN`` seconds.

Why times and not deletion: a page cannot be deleted before anyone knows it
depends on a story, and a story can change while a page showing it is being
rendered. The render start is taken before the first query; a change committed
after that (and touched after commit) is newer than the render, so the render is
never trusted, even if it is stored after the change. The margin absorbs clock
differences between servers and a read replica running behind the primary.

The stamps live in the shared cache (Redis), or, without one, in the database
(core.stamp_stores: every process on the machine then sees every change).

A tag that is missing at read time (evicted, or the cache was flushed) proves
nothing, so it makes what depends on it stale. At store time, a tag nobody has
stamped yet is stamped as old (``ADOPTED_AGE`` ago, longer than any render
runs, so no render in flight on any server is spoiled by it): a change made
during the render would have stamped it moments ago, and caches evict the least
recently used keys, not one just written. Stamps never expire, so with Redis's
``volatile-lru`` policy they are never evicted at all (page entries expire).
"""

import contextvars
import pickle
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.stamp_stores import CacheStore, FileStore

# How old a first stamp is made (seconds): longer than renders take. One that takes
# longer is only ever distrusted (it began before the stamp), never wrongly trusted.
ADOPTED_AGE = 60
# Every touch also stamps this tag: "when did anything last change?" (the
# database router sends reads to the primary for a moment after any change).
ANY = "*"
# The tag every cached page and fragment depends on: touching it is "everything
# changed" (a renamed section shows on every page; a bulk import changes anything).
EVERYTHING = "site"


_store = None
# What store_tagged() holds back until stores_together() ends (None: outside it).
_pending_stores = contextvars.ContextVar("pending_stores", default=None)


def store():
    """Where stamps live: the shared cache, or ``settings.CACHE_TAG_STAMPS_FILE``."""
    global _store
    if _store is None:
        path = settings.CACHE_TAG_STAMPS_FILE
        _store = FileStore(path, clock=now) if path else CacheStore.for_shared_cache()
    return _store


def forget():
    """Every stamp forgotten, as with ``cache.clear()`` on the shared cache: for tests,
    whose database rows are rolled back after each. Tags then read as long unchanged."""
    store().forget(now() - ADOPTED_AGE)


def epoch():
    """A token that changes when the shared cache is emptied (its stamps lost with it):
    what a process keeps in its own memory and trusts by stamps goes then."""
    return store().epoch(now())


def kept_in_process():
    """Are stamps read without a round trip (core.stamp_mirror, or the file)? Then what
    is checked against them is worth keeping in process too."""
    return store().kept_in_process()


def emptied():
    """The shared cache was just emptied (``cache.clear()``): see ``epoch()``."""
    store().emptied()


def now():
    """The clock of stamps and deadlines: Django's, which scheduling reads too
    (``published_q()``), so that tests can move both at once."""
    return timezone.now().timestamp()


def touch(*tags):
    """Mark ``tags`` as changed now: whatever depends on them is stale from here on
    (what ``stores_together()`` holds back is written first, and read back no more)."""
    pending = _pending_stores.get()
    if pending:
        store().store_tagged(now() - ADOPTED_AGE, dict(pending))
        pending.clear()
    store().write(now(), {*tags, ANY})


def touch_after_commit(*tags, using=None):
    """``touch()`` once the current transaction commits (at once outside one).

    Robust: the change itself is saved; failing to reach the cache is logged by
    Django rather than turning an editor's save into an error page.
    """
    transaction.on_commit(lambda: touch(*tags), using=using, robust=True)


def touch_everything(using=None):
    """Everything cached is stale once the current transaction commits: for bulk
    writes that sent no model signals (imports, generated content)."""
    touch_after_commit(EVERYTHING, using=using)


def margin():
    return settings.PAGE_CACHE_MARGIN


def stamps(tags):
    """``{tag: last changed}`` for the tags the cache knows."""
    return read(tags)[0]


def read(tags, *keys):
    """The stamps of ``tags`` and the values of other cache ``keys``, in one round trip."""
    return store().read(tags, keys)


def version():
    """A token that changes whenever a stamp this process reads may have changed, or
    None when the store cannot tell: a thing found fresh under one token is fresh for
    as long as the token stays the same (``is_fresh()`` compares fixed stamps with a
    fixed time), so what a process keeps need not be checked tag by tag again."""
    return store().version()


def is_fresh(tags, computed_at, known=None):
    """True if nothing in ``tags`` changed since ``computed_at`` (less the margin).

    ``known`` may pass stamps already fetched (``stamps()``) to save a round trip.
    """
    known = stamps(tags) if known is None else known
    if any(tag not in known for tag in tags):
        return False
    trusted_before = computed_at - margin()
    return all(known[tag] < trusted_before for tag in tags)


def store_tagged(key, value, timeout, tags):
    """``cache.set(key, value, timeout)`` for a value trusted by the stamps of ``tags``:
    the tags nobody has stamped yet get an old stamp first (see the module docstring),
    never overwriting one that a concurrent ``touch()`` just wrote. Within
    ``stores_together()`` it is written when that ends; on Redis, the stamps and the
    values are written in one round trip."""
    pending = _pending_stores.get()
    if pending is None:
        store().store_tagged(now() - ADOPTED_AGE, {key: (tags, value, timeout)})
    else:
        pending[key] = (tags, value, timeout)


def stored_here(key):
    """The value stored under ``key`` by this request, not written yet (or None): the
    request reads back what it computed itself, whose tags may have no stamp yet."""
    pending = _pending_stores.get()
    if pending is None or key not in pending:
        return None
    # A copy, as the cache gives: the caller may change what it gets.
    copy = pickle.dumps(pending[key][1], pickle.HIGHEST_PROTOCOL)
    return pickle.loads(copy)  # noqa: S301  (bytes this process pickled itself)


@contextmanager
def stores_together(enabled=True):
    """What ``store_tagged()`` is given within is written as it ends, all at once: a
    cold page's fragments and the page itself in one round trip to Redis, instead of
    one for each and one for each of their tags' first stamps. (``enabled=False``: as
    written, each at once.)"""
    if not enabled:
        yield
        return
    pending = {}
    token = _pending_stores.set(pending)
    try:
        yield
    finally:
        _pending_stores.reset(token)
        if pending:
            store().store_tagged(now() - ADOPTED_AGE, pending)
