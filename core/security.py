"""The Content-Security-Policy header, which Django 5.2 cannot set by itself.

Every page gets ``settings.SECURE_CSP``, which lets in no frame of another site. A
page showing embeds (embeds.rendering) declares the origins of their players while
it renders (``core.rendering.loads_frames()``); the page cache, which collects the
declarations, gives it ``policy_with_frames()`` (core.pagecache), whose
``frame-src`` names exactly those origins, and stores that header with the page.
"""

import functools

from django.conf import settings


def build_policy(directives):
    """``{"img-src": ["'self'", "data:"]}`` -> ``"img-src 'self' data:"``; an empty list
    gives a bare directive (``upgrade-insecure-requests``)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


@functools.lru_cache(maxsize=256)
def _policy_with_frames(origins):
    return build_policy({**settings.SECURE_CSP, "frame-src": list(origins)})


def policy_with_frames(origins):
    """``settings.SECURE_CSP`` with a ``frame-src`` of exactly ``origins``: made once for
    each set of players (a site embeds from a dozen providers, not thousands)."""
    return _policy_with_frames(tuple(sorted(set(origins))))


def allow_frames(response, origins):
    """Let ``response`` load frames from ``origins``, unless its view set its own policy."""
    if origins and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = policy_with_frames(origins)


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.SECURE_CSP`` as the Content-Security-Policy of every response.

    ``SECURE_CSP`` has the shape of Django 6.0's setting of the same name, so upgrading
    means swapping this class for ``django.middleware.csp.ContentSecurityPolicyMiddleware``
    and deleting this file. Like Django's, it leaves alone a response whose view already
    set its own policy. A hand-written class rather than django-csp: the policy is one
    static header (no nonces, no per-view decorators), which is less code than the
    dependency's configuration.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # The policy is fixed for the life of the process: build the header once.
        self.policy = build_policy(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response
