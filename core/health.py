"""``/healthz`` for load balancers and uptime checks: can this process serve pages?"""

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_problem():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return f"database unavailable: {exc.__class__.__name__}"
    return None


def cache_problem():
    """Write and read back a key: Redis must answer, not merely be configured."""
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        read_back = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # a cache that raises is as down as one that is off
        return f"cache unavailable: {exc.__class__.__name__}"
    if read_back != value:
        return "cache unavailable: a value written was not read back"
    return None


@require_safe
@never_cache
def healthz(request):
    """200 'ok' when the database and the cache answer; 503 and the reasons otherwise."""
    problems = [p for p in (database_problem(), cache_problem()) if p]
    if problems:
        return HttpResponse("\n".join(problems), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
