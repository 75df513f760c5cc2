"""Test settings: the real settings minus what tests do not need."""

import os
from pathlib import Path
from tempfile import gettempdir

from newsroom.settings import *  # noqa: F403
from newsroom.settings import ALLOWED_HOSTS, BASE_DIR, CACHE_TAG_STAMPS_FILE, DATABASES

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
if CACHE_TAG_STAMPS_FILE and DATABASES["default"]["NAME"] == str(BASE_DIR / "newsroom.sqlite3"):
    # The suite's database is its own (one per xdist worker), and so are its stamps:
    # not those of a development server on the same checkout, nor another worker's.
    CACHE_TAG_STAMPS_FILE = str(Path(gettempdir()) / f"newsroom-test-stamps-{os.getpid()}")
