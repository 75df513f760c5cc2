"""Which address a request really came from: for the admin login lockout (django-axes),
the comment rate limit and the address stored with a comment."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address: the peer's, or what the trusted proxies say it was.

    Each proxy appends the address it received the request from to X-Forwarded-For.
    So, starting from the peer (REMOTE_ADDR), while the address in hand is a trusted
    proxy (``settings.TRUSTED_PROXIES``), the rightmost entry not yet read is the one
    that proxy wrote: the next address back. The first address that is not a trusted
    proxy is the client; whatever is left of it, the client wrote itself, and may have
    forged. An entry that is missing or not an address ends the walk at the proxy that
    passed it on. With no trusted proxies (the default) the header is never read: a
    visitor cannot pick an address to dodge a lockout or a rate limit, or to lock
    someone else out.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    address = parse(peer)
    if address is None:
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while hops and is_trusted_proxy(address):
        previous = parse(hops.pop())
        if previous is None:
            break
        address = previous
    return str(address)


def parse(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d: the same client.
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted_proxy(address):
    return any(address in network for network in settings.TRUSTED_PROXIES)
