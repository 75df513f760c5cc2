"""Which address a request really came from, for the admin login lockout (django-axes)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address as the nearest trusted proxy saw it.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N proxies in front of us the client is the N-th entry
    from the right; anything left of it was written by the client and may be forged.
    With no trusted proxy (``TRUSTED_PROXY_COUNT = 0``), or a header too short or not
    an address, the peer address is used: a visitor can never pick their own address
    to dodge a lockout.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(chain) >= hops:
            candidate = chain[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return peer
