"""The one cache API for derived data: ``cached(name, tags, compute)``.

A count, a list of dates, a search ranking, a rendered fragment: each is
computed once and kept until one of the cache tags it depends on changes
(core.stamps), its deadline passes (``expires``, or the earliest deadline an
app registered, such as the next scheduled story going live), or ``timeout``
seconds pass.

What ``compute`` declares while it runs (core.rendering: the tags a template
shows, a moment it expires) is kept with the value, and the value's tags and
deadline are declared to the page being rendered each time it is used: a page
built from cached parts depends on everything those parts show, and may load the
frames they may load (``rendering.loads_frames()``).
"""

import contextvars
import pickle
import threading
from collections import OrderedDict
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from core import rendering, stamps

# Versioned: a deploy that changes what is stored never reads the old shape.
KEY_PREFIX = "cached:2:"
# Values each process also keeps in its own memory, where it keeps the stamps too.
RECENT_VALUES = 1000

_deadlines = {}
# What read_ahead() fetched for the page being rendered (a _ReadAhead).
_read_ahead = contextvars.ContextVar("cache_read_ahead", default=None)


class RecentValues:
    """The values this process used lately, pickled (a caller may change what it got):
    with stamps kept in process (core.stamp_mirror), a value in use then costs no round
    trip to the shared cache. Checked against the stamps like the shared copy, and all
    dropped when the shared cache was emptied (``stamps.epoch()``)."""

    def __init__(self, size):
        self.size = size
        self.values = OrderedDict()
        self.epoch = None
        self.lock = threading.Lock()

    def get(self, key):
        if not stamps.kept_in_process():
            return None
        epoch = stamps.epoch()
        with self.lock:
            if epoch != self.epoch:
                self.values.clear()
                self.epoch = epoch
            stored = self.values.get(key)
            if stored is None:
                return None
            self.values.move_to_end(key)
        return pickle.loads(stored)  # noqa: S301  (bytes this process pickled itself)

    def holds(self, key):
        return stamps.kept_in_process() and self.epoch == stamps.epoch() and key in self.values

    def put(self, key, entry):
        if not stamps.kept_in_process():
            return
        stored = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.values[key] = stored
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


_recent = RecentValues(RECENT_VALUES)


def cached(name, tags, compute, *, expires=None, timeout=None, deadlines=True):
    """``compute()``, kept under ``name`` until one of ``tags`` changes, ``expires``
    (a datetime or timestamp) passes, or the next registered deadline comes
    (``deadlines=False`` for a value no deadline changes, such as a list of sections).
    Nothing is kept longer than ``settings.PAGE_CACHE_TIMEOUT``, so that a cache
    evicting only what expires (Redis's ``volatile-lru``) can make room.

    ``tags`` and ``expires`` may also be functions of the computed value, for what
    is known only once it is computed (the stories a ranking picked, a correction
    dated ahead). ``timeout`` (seconds) lets the cache drop the value sooner: for
    values named by what strangers type, of which there is no end.
    """
    value, kept_tags, until, frame_origins = _kept(
        name,
        tags,
        compute,
        expires=expires,
        timeout=timeout,
        deadline=next_deadline if deadlines else None,
    )
    rendering.depends_on(*kept_tags)
    rendering.expires(until)
    rendering.loads_frames(*frame_origins)
    return value


@contextmanager
def reading_ahead(enabled=True):
    """Within (a page being rendered: core.pagecache), ``read_ahead()`` works."""
    if not enabled:
        yield
        return
    token = _read_ahead.set(_ReadAhead())
    try:
        yield
    finally:
        _read_ahead.reset(token)


def read_ahead(*names):
    """Fetch the kept values of ``names`` in one round trip to the shared cache, for
    the ``cached()`` calls about to ask for them, which would make one round trip each
    (a cold story page asked Redis for eleven values one by one). The registered
    deadlines come along the first time: whatever is computed consults them. Only
    within ``reading_ahead()``; a name asked for before, or whose value this process
    keeps, is not fetched again. Each value fetched serves one ``cached()`` call."""
    ahead = _read_ahead.get()
    if ahead is None:
        return
    keys = [KEY_PREFIX + name for name in (*names, *map(_deadline_name, _deadlines))]
    wanted = [key for key in dict.fromkeys(keys) if key not in ahead.asked]
    ahead.asked.update(wanted)
    wanted = [key for key in wanted if not _recent.holds(key)]
    if wanted:
        found = cache.get_many(wanted)
        ahead.values.update((key, found.get(key)) for key in wanted)


class _ReadAhead:
    def __init__(self):
        self.asked = set()
        self.values = {}


def register_deadline(name, tags, compute):
    """Pages and cached values change by the clock alone at ``compute()`` (a datetime,
    or None), e.g. when the next scheduled story goes live: none is kept past it.

    The moment itself is kept until one of ``tags`` changes or it passes. Apps call
    this from their ``AppConfig.ready()``.
    """
    _deadlines[name] = (tuple(tags), compute)


def next_deadline():
    """The earliest registered deadline, as a timestamp (or None)."""
    moments = []
    for name, (tags, compute) in _deadlines.items():
        moment, *_ = _kept(
            _deadline_name(name),
            tags,
            lambda compute=compute: rendering.timestamp(compute()),
            expires=lambda moment: moment,
        )
        if moment is not None:
            moments.append(moment)
    return min(moments, default=None)


def _deadline_name(name):
    return f"deadline:{name}"


def _kept(name, tags, compute, *, expires=None, timeout=None, deadline=None):
    """``(value, tags, until, frame_origins)``: the stored value if still current, else
    computed and stored."""
    key = KEY_PREFIX + name
    timeout = min(timeout or settings.PAGE_CACHE_TIMEOUT, settings.PAGE_CACHE_TIMEOUT)
    now = stamps.now()
    stored = _current(key, now)
    if stored is not None:
        _, until, kept_tags, value, frame_origins = stored
        return value, kept_tags, until, frame_origins
    with rendering.collecting() as declared:
        value = compute()
    # Everything cached depends on EVERYTHING: a bulk import makes it all stale.
    kept_tags = sorted({stamps.EVERYTHING, *(_of(tags, value) or ()), *declared.tags})
    ends = [
        rendering.timestamp(_of(expires, value)),
        declared.expires,
        deadline() if deadline else None,
    ]
    until = min((end for end in ends if end is not None), default=None)
    frame_origins = sorted(declared.frame_origins)
    lifetime = _lifetime(now, until, timeout)
    if lifetime != 0:
        stored = (now, until, kept_tags, value, frame_origins)
        stamps.store_tagged(key, stored, lifetime, kept_tags)
        _recent.put(key, stored)
    return value, kept_tags, until, frame_origins


def _current(key, now):
    """What is kept under ``key`` and still current, or None: what this request stored
    itself (its tags may have no stamp yet: core.stamps.stores_together), else this
    process's copy, else the shared cache's (fetched ahead by ``read_ahead()``, or now)."""
    here = stamps.stored_here(key)
    if here is not None and (here[1] is None or now < here[1]):
        return here
    stored = _recent.get(key)
    if _is_current(stored, now):
        return stored
    ahead = _read_ahead.get()
    fetched = ahead.values if ahead is not None else {}
    stored = fetched.pop(key) if key in fetched else cache.get(key)
    if not _is_current(stored, now):
        return None
    _recent.put(key, stored)
    return stored


def _is_current(stored, now):
    if stored is None:
        return False
    computed_at, until, kept_tags, *_ = stored
    return (until is None or now < until) and stamps.is_fresh(kept_tags, computed_at)


def _of(given, value):
    return given(value) if callable(given) else given


def _lifetime(now, until, timeout):
    """Seconds the cache may keep a value (0: not worth storing)."""
    if until is None:
        return timeout
    left = until - now
    if left <= 0:
        return 0
    return max(1, min(round(left + 0.5), timeout))
