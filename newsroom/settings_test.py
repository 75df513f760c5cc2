"""Test settings: the real settings minus what tests do not need."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import ALLOWED_HOSTS

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
# Background jobs wait in the database queue (even when REDIS_URL is set) until a test
# runs them (the run_tasks fixture); tests/test_background_jobs.py tries RQ itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
