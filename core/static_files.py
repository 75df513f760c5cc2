"""The static files' storage: WhiteNoise's compressed, hashed files, each file's address
worked out once per process.

Every page links the stylesheet, the comment script and the icon through
``{% static %}``, and the manifest storage works each address out again (the hashed
name's lookup, then a URL join): 25 us apiece, a twentieth of a cached fragment's
page. An address depends on the name, the manifest (fixed until a deploy restarts the
process) and the settings that make it, on whose change it is forgotten.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from whitenoise.storage import CompressedManifestStaticFilesStorage

_urls = {}


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        key = (name, force)
        url = _urls.get(key)
        if url is None:
            url = _urls[key] = super().url(name, force)
        return url


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG"}:
        _urls.clear()
