"""The stamps this process read from Redis, kept in memory and told of every change.

Without it, every cached page served costs a round trip to Redis for the stamps
of its tags (core.stamps), which is most of what a hit costs. With it, each
process keeps the stamps it has read, and every ``touch()`` publishes the new
stamps on a channel that every process subscribes to. A read first takes in
what was published (a non-blocking look at the subscription's socket, no round
trip), so a change is seen by a process as soon as Redis has sent it: Redis
writes the message to subscribers before it answers the writer, so a reader
that learns of a change (the editor's next page, a test) finds it already
waiting.

A stamp is kept only while the subscription is up: one read before it was
confirmed, or after it broke, is not trusted, and a broken subscription forgets
everything kept. ``reset`` messages (the cache emptied through Django, or
``stamps.forget()``) make every process forget what it kept.
"""

import contextlib
import logging
import os
import select
import threading
import time

import redis

logger = logging.getLogger(__name__)

# Seconds before a broken subscription is tried again (reads go to Redis meanwhile).
RETRY_AFTER = 1.0
# Tags kept at most: past this, everything kept is forgotten and read again.
MOST_KEPT = 100_000
RESET = "reset"


class StampMirror:
    """Stamps kept by this process, for as long as its subscription is up."""

    def __init__(self, url, channel):
        self.url, self.channel = url, channel
        self.lock = threading.Lock()
        self.kept = {}
        # Bumped whenever what was kept is forgotten: things validated against kept
        # stamps (pages, fragments kept in process) compare it to know.
        self.generation = 0
        # Bumped whenever a stamp kept is added or changed (version()).
        self.changes = 0
        self.pubsub = self.socket = self.poller = None
        self.client = None
        self.pid = None
        self.retry_at = 0.0

    def known(self, tags):
        """``(stamps kept, tags to read)``; None while the subscription is down."""
        with self.lock:
            if not self.catch_up():
                return None
            kept = self.kept
            return {t: kept[t] for t in tags if t in kept}, [t for t in tags if t not in kept]

    def keep(self, stamps):
        """Stamps read from (or written to) Redis: kept, unless a newer one was published
        meanwhile. Only ever the newest stamp seen is kept: a stamp kept too new makes
        things stale a moment too long, never one too old."""
        with self.lock:
            if self.pubsub is None:
                return
            if len(self.kept) + len(stamps) > MOST_KEPT:
                self.forget_kept()
            for tag, stamp in stamps.items():
                if stamp > self.kept.get(tag, 0.0):
                    self.kept[tag] = stamp
                    self.changes += 1

    def is_up(self):
        with self.lock:
            return self.catch_up()

    def version(self):
        """What changes whenever a stamp kept changes; None while the subscription is
        down (then nothing kept is trusted)."""
        with self.lock:
            return (self.generation, self.changes) if self.catch_up() else None

    def current_generation(self):
        with self.lock:
            self.catch_up()
            return self.generation

    def publish(self, moment, tags):
        self.send(" ".join([repr(moment), *tags]))

    def publish_reset(self):
        with self.lock:
            self.forget_kept()
        self.send(RESET)

    def send(self, message):
        with self.lock:
            self.check_process()
            if self.client is None:
                self.client = redis.Redis.from_url(self.url, socket_timeout=5)
            client = self.client
        client.publish(self.channel, message)

    def check_process(self):
        """A forked worker never uses its parent's sockets."""
        if self.pid != os.getpid():
            self.pubsub = self.client = None
            self.pid = os.getpid()
            self.forget_kept()

    def catch_up(self):
        """Take in what was published; False if the subscription is down. Under the lock."""
        self.check_process()
        try:
            if self.pubsub is None and not self.subscribe():
                return False
            if not self.has_news():
                return True
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                self.take(message)
            return True
        except (redis.RedisError, OSError):
            logger.warning("Lost the subscription to stamps: reading them from Redis.")
            self.close()
            return False

    def subscribe(self):
        if time.monotonic() < self.retry_at:
            return False
        pubsub = redis.Redis.from_url(self.url, socket_timeout=5).pubsub()
        try:
            pubsub.subscribe(self.channel)
            # Nothing read before the confirmation can be trusted to be told of changes.
            message = pubsub.get_message(timeout=5)
        finally:
            self.retry_at = time.monotonic() + RETRY_AFTER
        if message is None or message["type"] != "subscribe":
            pubsub.close()
            return False
        self.pubsub = pubsub
        self.socket = pubsub.connection._sock
        self.poller = select.poll()
        self.poller.register(self.socket, select.POLLIN)
        self.forget_kept()
        return True

    def has_news(self):
        """Is anything waiting on the subscription? One poll() of its socket, which
        costs a tenth of asking redis-py (every read drains it, leaving nothing
        buffered). A socket redis-py replaced (a reconnection) may have missed
        messages: that is a broken subscription."""
        if self.pubsub.connection is None or self.pubsub.connection._sock is not self.socket:
            raise redis.ConnectionError("the subscription's connection was replaced")
        return bool(self.poller.poll(0))

    def take(self, message):
        if message["type"] != "message":
            return
        moment, *tags = message["data"].decode().split(" ")
        if moment == RESET:
            self.forget_kept()
            return
        # Kept even for tags this process has not read yet: a read racing this message
        # (sent before it, answered after) must not keep the older stamp it got.
        stamp = float(moment)
        for tag in tags:
            if stamp > self.kept.get(tag, 0.0):
                self.kept[tag] = stamp
                self.changes += 1

    def forget_kept(self):
        self.kept = {}
        self.generation += 1

    def close(self):
        if self.pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                self.pubsub.close()
        self.pubsub = self.socket = self.poller = None
        self.retry_at = time.monotonic() + RETRY_AFTER
        self.forget_kept()
