"""An optional read replica (``DATABASE_REPLICA_URL``) for what anonymous readers read.

Only reads made while ``public_reads()`` is active go to the replica: the page
cache middleware opens it around anonymous GET requests outside the admin.
Everything else (the admin, posting a comment, management commands, the
after-commit work that follows a change) reads and writes the primary, so
nobody reads back a stale copy of what they just wrote.

A replica runs a little behind the primary. Right after any change (within
``PAGE_CACHE_MARGIN`` seconds, which should exceed the replica's lag) the page
cache asks for the primary instead, so a reader never sees a page from before
a change that was already saved.
"""

import contextvars
from contextlib import contextmanager

REPLICA = "replica"

_replica_reads = contextvars.ContextVar("replica_reads", default=False)


@contextmanager
def public_reads(use_replica=True):
    token = _replica_reads.set(use_replica)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Installed by settings only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from either may
        # be related to one from the other.
        return True

    def allow_migrate(self, db, app_label, **hints):
        # The replica follows the primary's schema through replication.
        return db == "default"
