"""How many comments one address may post in a while (the discussion settings' rate limit).

Every server process (and every server) counts against the same total, where
``settings.COMMENT_RATE_COUNTER`` says: in Redis, whose atomic ``INCR`` makes
concurrent posts count once each, or, without a shared cache, in the database
(``RateCount``), in one statement that is just as atomic.
"""

import datetime
import ipaddress
import math

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone

from comments.models import RateCount


def client_network(ip):
    """An IPv4 address, or the /64 an IPv6 address belongs to (one household's block)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def seconds_to_wait(ip, discussion):
    """0 when ``ip`` may post now (and counts the post); otherwise how long to wait, by
    the limit of ``discussion`` (a comments.DiscussionSettings)."""
    limit, window = discussion.rate_limit, discussion.rate_window
    if not limit:
        return 0
    now = timezone.now().timestamp()
    bucket = int(now // window)
    # The window in the key: an editor changing it starts counts afresh, never mixes them.
    key = f"comments:rate:{client_network(ip)}:{window}:{bucket}"
    ends = (bucket + 1) * window
    if settings.COMMENT_RATE_COUNTER == "database":
        count = count_in_database(key, datetime.datetime.fromtimestamp(ends, datetime.UTC))
    else:
        count = count_in_cache(key, window)
    if count <= limit:
        return 0
    return max(1, math.ceil(ends - now))


def count_in_cache(key, window):
    """One more post under ``key``; the count so far."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def count_in_database(key, expires_at):
    """The same in ``RateCount``: one upsert that returns the new count (SQLite 3.35+ and
    PostgreSQL both say ``ON CONFLICT ... RETURNING``), where reading, then writing
    would let two processes posting at once both read the same count. The first post
    of a window sweeps away the counts of windows that ended."""
    alias = router.db_for_write(RateCount)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table, key_column, count_column = (
        quote(name) for name in (RateCount._meta.db_table, "key", "count")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {quote('expires_at')}) "  # noqa: S608
            f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}",
            [key, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        (count,) = cursor.fetchone()
    if count == 1:
        RateCount.objects.using(alias).filter(expires_at__lte=timezone.now()).delete()
    return count
