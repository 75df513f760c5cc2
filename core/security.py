"""The Content-Security-Policy header, which Django 5.2 cannot set by itself."""

from django.conf import settings


def build_policy(directives):
    """``{"img-src": ["'self'", "data:"]}`` -> ``"img-src 'self' data:"``; an empty list
    gives a bare directive (``upgrade-insecure-requests``)."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


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
