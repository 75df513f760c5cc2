"""How many comments one address may post in a while (the discussion settings' rate limit).

The counter lives in the cache, so with Redis every server process (and every
server) counts against the same total; the cache's atomic ``incr`` makes
concurrent posts count once each.
"""

import ipaddress
import math

from django.core.cache import cache
from django.utils import timezone


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
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((bucket + 1) * window - now))
