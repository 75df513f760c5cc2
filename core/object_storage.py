"""Media in S3-compatible object storage (MEDIA_STORAGE=s3; newsroom/settings_storage.py).

Kept apart from core.media so that only a site using object storage imports boto3.
"""

from storages.backends.s3 import S3Storage

from core.media import cache_control


class S3MediaStorage(S3Storage):
    """django-storages' S3Storage, each object stored with the Cache-Control that
    core.media gives files served from this machine: renditions kept for good by
    browsers and the CDN, anything else revalidated."""

    def get_object_parameters(self, name):
        # ``name`` is the object's key: MEDIA_STORAGE_OPTIONS' "location" comes first.
        stored = name.removeprefix(f"{self.location}/") if self.location else name
        return {"CacheControl": cache_control(stored), **super().get_object_parameters(name)}
