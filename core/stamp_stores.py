"""Where the stamps of cache tags live (core.stamps): the shared cache, or a file.

With a shared cache (Redis) every server reads and writes the same stamps there.
Without one (the embedded default: SQLite and a cache in each process's memory)
they are appended to a file, so that a change saved by any process on the
machine (a second worker, ``manage.py shell``, an import) reaches every other:
each process keeps the stamps in memory and reads only what was appended since
it last looked. A request then pays one ``stat()``.
"""

import fcntl
import os
import secrets
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from core.stamp_mirror import StampMirror

PREFIX = "tag:"
# Past this size the file is rewritten with each tag's newest stamp only.
COMPACT_ABOVE = 4 << 20
# Changes when the shared cache is emptied: what a process keeps in its own memory
# and checks against stamps (pages, fragments) is dropped, since the stamps of
# whatever changed before were lost with it (see epoch()).
EPOCH_KEY = "stamps:epoch"


def key(tag):
    return f"{PREFIX}{tag}"


def read_epoch():
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, secrets.token_hex(8), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    return epoch


def mirror_of(shared):
    """A StampMirror of the ``shared`` cache when it is Redis, else None."""
    if not isinstance(shared, RedisCache):
        return None
    location = settings.CACHES["default"]["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return StampMirror(url, channel=shared.make_key("stamps:changes"))


def set_after_adding(shared, adds, values):
    """``shared.add()`` each of ``adds`` (kept with no timeout), then ``shared.set()``
    each of ``values`` (name: (value, timeout)): in one round trip where the cache can
    (core.redis_cache). The names of ``adds`` that were added."""
    if hasattr(shared, "set_after_adding"):
        return shared.set_after_adding(adds, values)
    added = {add for add, stamp in adds.items() if shared.add(add, stamp, timeout=None)}
    for name, (value, timeout) in values.items():
        shared.set(name, value, timeout=timeout)
    return added


class CacheStore:
    """Stamps as keys of the shared cache, and kept by each process (core.stamp_mirror).

    A stamp that is missing (evicted, flushed) proves nothing: what depends on it is
    stale until ``adopt()`` gives it an old stamp.
    """

    def __init__(self, mirror=None):
        self.mirror = mirror
        self.epoch_token = None
        self.epoch_read_at = None

    @classmethod
    def for_shared_cache(cls):
        return cls(mirror_of(caches["default"]))

    def read(self, tags, keys):
        known = self.mirror.known(tags) if self.mirror else None
        kept, wanted = known if known is not None else ({}, tags)
        names = [*(key(tag) for tag in wanted), *keys]
        found = cache.get_many(names) if names else {}
        others = {name: found.pop(name) for name in keys if name in found}
        read = {name[len(PREFIX) :]: stamp for name, stamp in found.items()}
        if known is not None and read:
            self.mirror.keep(read)
        return {**kept, **read}, others

    def write(self, moment, tags):
        cache.set_many({key(tag): moment for tag in tags}, timeout=None)
        if self.mirror:
            self.mirror.keep(dict.fromkeys(tags, moment))
            self.mirror.publish(moment, tags)

    def store_tagged(self, moment, writes):
        """Stamp the tags of ``writes`` (name: (tags, value, timeout)) missing from the
        cache as of ``moment`` (an add, which never overwrites a stamp a concurrent
        touch() just wrote), then store the values. The tags the mirror does not keep
        are added without asking first: adding a stamp that exists changes nothing, and
        costs no round trip of its own."""
        tags = list(dict.fromkeys(tag for tagged, _, _ in writes.values() for tag in tagged))
        known = self.mirror.known(tags) if self.mirror else None
        if known is None:
            found = self.read(tags, ())[0]
            missing = [tag for tag in tags if tag not in found]
        else:
            missing = known[1]
        values = {name: (value, timeout) for name, (_, value, timeout) in writes.items()}
        added = set_after_adding(cache, {key(tag): moment for tag in missing}, values)
        if self.mirror and added:
            self.mirror.keep(dict.fromkeys((stamp[len(PREFIX) :] for stamp in added), moment))

    def epoch(self, now):
        """The shared cache's epoch. A process that keeps stamps reads it again once a
        margin has passed (a flush by hand, outside Django, is seen that late), or at
        once when told the cache was emptied (``emptied()``)."""
        if self.mirror is None:
            return read_epoch()
        generation = self.mirror.current_generation()
        due = self.epoch_read_at is None or now - self.epoch_read_at >= settings.PAGE_CACHE_MARGIN
        if due or self.epoch_token is None or self.epoch_token[0] != generation:
            self.epoch_token, self.epoch_read_at = (generation, read_epoch()), now
        return (id(self), *self.epoch_token)

    def kept_in_process(self):
        return self.mirror is not None and self.mirror.is_up()

    def version(self):
        """What changes whenever a stamp this process reads may have changed (None when
        nothing tells: without the mirror every read asks Redis)."""
        version = self.mirror.version() if self.mirror else None
        return None if version is None else (id(self), *version)

    def emptied(self):
        """The shared cache was emptied: every process forgets the stamps it kept."""
        if self.mirror:
            self.mirror.publish_reset()

    def forget(self, origin):
        """Nothing is kept here but what each process mirrors: the stamps go with the cache."""
        self.emptied()


class FileStore:
    """Stamps appended to one file, ``<stamp> <tag>`` a line, read by every process.

    The first line is the file's origin: a tag the file does not name has not
    changed since then, so its stamp is the origin (a file made anew, or lost,
    makes everything cached before it stale). Writers append under a lock; a
    reader takes only whole lines, so a line half-written is read next time.
    """

    def __init__(self, path, clock):
        self.path = str(path)
        self.clock = clock
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        # What epoch() tells: a file made anew, or forgotten, is a new generation.
        self.generation = getattr(self, "generation", 0) + 1
        self.known = {}
        self.origin = None
        self.header = None
        self.file_version = None
        self.offset = 0

    def read(self, tags, keys):
        with self.lock:
            self.catch_up()
            known, origin = self.known, self.origin
        # Without an origin (a file written by something else) nothing is proven.
        stamps = {tag: known.get(tag, origin) for tag in tags if tag in known or origin}
        return stamps, (cache.get_many(keys) if keys else {})

    def version(self):
        """What changes whenever a stamp in the file may have changed: its inode, size
        and time, once every line of it was read (None while one is half-written)."""
        with self.lock:
            self.catch_up()
            if self.file_version is None:
                return None
            return (id(self), self.generation, *self.file_version)

    def catch_up(self):
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            self.start_file(self.clock())
            info = os.stat(self.path)
        version = (info.st_ino, info.st_size, info.st_mtime_ns)
        if version == self.file_version:
            return
        with open(self.path, "rb") as changes:
            # The first line tells this file from one made anew in its place (which may
            # even reuse its inode): then everything is read again.
            header = changes.readline()
            if header != self.header or info.st_size < self.offset:
                self.reset()
                self.header = header
                changes.seek(0)
            else:
                changes.seek(self.offset)
            appended = changes.read(info.st_size - changes.tell())
        complete = appended.rfind(b"\n") + 1
        self.offset += complete
        for line in appended[:complete].decode().splitlines():
            self.take(line)
        self.file_version = version if complete == len(appended) else None

    def take(self, line):
        stamp, _, tag = line.partition(" ")
        if tag == "":
            return
        if tag.startswith("#origin"):
            self.origin = float(stamp)
        elif float(stamp) > self.known.get(tag, 0.0):
            self.known[tag] = float(stamp)

    def write(self, moment, tags):
        with self.lock:
            for tag in tags:  # this process sees its own change without rereading
                self.known[tag] = max(moment, self.known.get(tag, 0.0))
        lines = "".join(f"{moment!r} {tag}\n" for tag in tags)
        with self.exclusive():
            if not os.path.exists(self.path):
                self.write_origin(moment)
            with open(self.path, "a", encoding="utf-8") as changes:
                changes.write(lines)
                size = changes.tell()
            if size > COMPACT_ABOVE:
                self.compact()

    def store_tagged(self, moment, writes):
        """Only the values to store: a tag the file does not name already reads as old."""
        for name, (_, value, timeout) in writes.items():
            cache.set(name, value, timeout=timeout)

    def epoch(self, now):
        """Which file this process follows: the stamps live in the file, not in the
        cache, so emptying the cache loses none of them, but a file made anew
        (``forget()``, or lost and started again) is another generation. Read without
        a lock or a round trip to the cache: this is asked on every request."""
        return (id(self), self.generation)

    def kept_in_process(self):
        """The cache itself is this process's memory (no shared cache without Redis)."""
        return False

    def emptied(self):
        """Nothing to do: the stamps are in the file, not in the emptied cache."""

    def compact(self):
        """Rewrite the file with each tag's newest stamp (under the writers' lock). The
        new file has a header of its own, so every reader reads it again whole."""
        origin, newest = self.clock(), {}
        with open(self.path, encoding="utf-8") as changes:
            for line in changes:
                stamp, _, tag = line.rstrip("\n").partition(" ")
                if tag.startswith("#origin"):
                    origin = float(stamp)
                elif tag and float(stamp) > newest.get(tag, 0.0):
                    newest[tag] = float(stamp)
        self.write_origin(origin, newest)

    def start_file(self, origin):
        with self.exclusive():
            if not os.path.exists(self.path):
                self.write_origin(origin)

    def write_origin(self, origin, stamps=None):
        """A new file in place of the old: its origin, and ``stamps`` carried over."""
        fresh = f"{self.path}.new"
        with open(fresh, "w", encoding="utf-8") as out:
            out.write(f"{origin!r} #origin {secrets.token_hex(8)}\n")
            out.writelines(f"{stamp!r} {tag}\n" for tag, stamp in (stamps or {}).items())
            out.flush()
            os.fsync(out.fileno())
        os.replace(fresh, self.path)

    def forget(self, origin):
        """Start the file afresh as if every tag last changed at ``origin`` (tests do
        this with ``cache.clear()``: their database rows were rolled back)."""
        with self.lock, self.exclusive():
            self.write_origin(origin)
            self.reset()

    @contextmanager
    def exclusive(self):
        """The writers' lock: a file beside the stamps, which compaction never replaces."""
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
