"""What the server fetches for embeds, and from where (imported by newsroom.settings).

Addresses from stories (embeds/oembed.py) are fetched by core/safe_fetch.py, which
refuses private and reserved network addresses. Plain settings, not read from the
environment: only tests change them.
"""

# Addresses or networks fetched despite that rule; tests allow 127.0.0.1, where their
# fake providers run (tests/oembed_provider.py).
SAFE_FETCH_ALLOWED_ADDRESSES = []
# Providers' oEmbed endpoints replaced, by embeds.providers key, for tests:
# {"youtube": "http://127.0.0.1:8123/oembed"}.
EMBED_PROVIDER_ENDPOINTS = {}
# Seconds for each fetch in all (the provider's answer, the thumbnail, a page read for
# discovery), redirects included.
EMBED_FETCH_TIMEOUT = 10
