"""Test settings: the real settings minus what tests do not need."""

import os
from pathlib import Path
from tempfile import gettempdir

from core.redis_cache import RedisCache
from newsroom.settings import *  # noqa: F403
from newsroom.settings import (
    ALLOWED_HOSTS,
    BASE_DIR,
    CACHE_TAG_STAMPS_FILE,
    CACHES,
    DATABASES,
    REDIS_URL,
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# No manifest: tests must not depend on a prior collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# django-axes refuses client.login() (it needs a request); tests/test_security_login.py
# switches it back on to test the lockout itself.
AXES_ENABLED = False

# pytest-xdist (`make test`) runs the suite in several processes at once, each named by
# PYTEST_XDIST_WORKER (gw0, gw1...), which the servers and commands a test starts
# inherit. pytest-django gives each worker a database of its own (test_..._gw0); the
# local-memory cache is per process anyway. Redis is shared, so each worker's keys get
# a prefix of their own, and emptying the cache (tests/conftest.py does it around every
# test) deletes that worker's keys only: Django's RedisCache.clear() is FLUSHDB, which
# would empty the other workers' caches in the middle of their tests. (A Redis database
# per worker would take databases REDIS_URL did not name, such as a developer's 0.)
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class WorkerRedisCache(RedisCache):
    """newsroom's Redis cache, whose clear() deletes only the keys under its KEY_PREFIX."""

    def empty(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True


if REDIS_URL:
    CACHES = {
        "default": {
            **CACHES["default"],
            "BACKEND": "newsroom.settings_test.WorkerRedisCache",
            "KEY_PREFIX": f"newsroom-test-{TEST_WORKER}",
        }
    }

if CACHE_TAG_STAMPS_FILE and DATABASES["default"]["NAME"] == str(BASE_DIR / "newsroom.sqlite3"):
    # The suite's database is its own (one per xdist worker), and so are its stamps:
    # not those of a development server on the same checkout, nor another worker's.
    CACHE_TAG_STAMPS_FILE = str(Path(gettempdir()) / f"newsroom-test-stamps-{os.getpid()}")

# Background jobs wait in the database queue (even when REDIS_URL is set) until a test
# runs them (the run_tasks fixture); tests/test_background_jobs.py tries RQ itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
