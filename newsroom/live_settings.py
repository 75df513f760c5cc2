"""How readers' pages follow a live story (imported by newsroom.settings).

Read from the environment via newsroom.env; a module of its own because settings.py
has no room left, and because the two numbers work together: a reader sees a new
entry within one poll plus the time a CDN may keep the answer.
"""

from django.core.exceptions import ImproperlyConfigured

from newsroom import env

# Seconds between two polls of a live story's answer (live.json) by a reader's page.
LIVE_POLL_SECONDS = env.integer("LIVE_POLL_SECONDS", 10)
# Seconds a CDN may keep that answer (the page cache's own is exact; a CDN's is not).
LIVE_SHARED_MAX_AGE = env.integer("LIVE_SHARED_MAX_AGE", 2)
if LIVE_POLL_SECONDS < 1 or LIVE_SHARED_MAX_AGE < 0:
    raise ImproperlyConfigured(
        "LIVE_POLL_SECONDS must be at least 1 and LIVE_SHARED_MAX_AGE at least 0 (seconds)."
    )
