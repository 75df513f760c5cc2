"""The address of a file in the media storage, worked out once per name and process.

Every photo on a page is a ``<picture>`` of up to two dozen renditions, and each
rendition's address is ``storage.url(name)``: on the file system a URL join that
cost more than the rest of the ``<picture>`` together (a story page asks for about
fifty). The address of a name depends on the settings alone, so it is kept: until
the settings that make it change (tests change them), and never where the storage
signs its addresses with an expiry (S3 with ``querystring_auth``).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver

# Enough for the renditions of every photo a busy front page and its stories show;
# past it the table starts again rather than grow with the archive.
KEPT_NAMES = 50_000

_urls = {}


def stored_url(name):
    """``default_storage.url(name)``."""
    url = _urls.get(name)
    if url is None:
        storage = storages["default"]
        url = storage.url(name)
        if getattr(storage, "querystring_auth", False):
            return url
        if len(_urls) >= KEPT_NAMES:
            _urls.clear()
        _urls[name] = url
    return url


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL", "MEDIA_ROOT"}:
        _urls.clear()
