"""How many comments one address may post in a while (the discussion settings' rate limit).

Every server process (and every server) counts against the same total, where
``settings.COMMENT_RATE_COUNTER`` says: in Redis, whose atomic ``INCR`` makes
concurrent posts count once each, or, without a shared cache, in the database
(``RateCount.objects.count_one``), in one statement that is just as atomic.
"""

import datetime
import ipaddress
import math

from django.conf import settings
from django.core.cache import cache
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
        window_ends = datetime.datetime.fromtimestamp(ends, datetime.UTC)
        count = RateCount.objects.count_one(key, window_ends)
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
