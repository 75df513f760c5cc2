"""The comments' system checks (``manage.py check``; ``migrate``, which ``make run`` runs, too)."""

import sqlite3

from django.conf import settings
from django.core import checks
from django.db import connections, router

from comments.models import RateCount


@checks.register()
def rate_counts_can_be_kept(app_configs, **kwargs):
    """Without Redis the comment rate limit counts in the database, in one upsert
    (``RateCount.objects.count_one``) that SQLite has said since 3.35 and
    PostgreSQL since long before: anything else would fail at the first comment."""
    if settings.COMMENT_RATE_COUNTER != "database":
        return []
    connection = connections[router.db_for_write(RateCount)]
    if connection.vendor == "postgresql":
        return []
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        return []
    found = connection.vendor
    if found == "sqlite":
        found = f"SQLite {sqlite3.sqlite_version}"
    return [
        checks.Error(
            f"The comment rate limit cannot be counted in this database ({found}): it needs "
            "INSERT ... ON CONFLICT ... RETURNING.",
            hint="Set REDIS_URL (the limit is then counted in Redis), or use SQLite 3.35 or "
            "newer, or PostgreSQL.",
            id="comments.E001",
        )
    ]
