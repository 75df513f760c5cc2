"""Our own system checks (``manage.py check``; ``--deploy`` for the production ones)."""

from django.conf import settings
from django.core import checks

PRINTING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def mail_is_delivered(app_configs, **kwargs):
    """Production must reach a mail server: moderators are asked by e-mail to look at held
    comments, and a console backend would only print their messages to the log."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    problems = []
    if settings.EMAIL_BACKEND in PRINTING_BACKENDS:
        problems.append(
            checks.Warning(
                f"E-mail is not sent anywhere: EMAIL_BACKEND is {settings.EMAIL_BACKEND}, "
                "so moderators and commenters never receive their messages.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.com:587.",
                id="newsroom.W001",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        problems.append(
            checks.Warning(
                f"E-mail would come from {settings.DEFAULT_FROM_EMAIL}, which mail servers "
                "refuse or file as spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your domain, e.g. "
                "newsroom@news.example.com.",
                id="newsroom.W002",
            )
        )
    return problems


@checks.register(checks.Tags.files)
def object_storage_has_a_bucket(app_configs, **kwargs):
    """Object storage without a bucket fails on the first upload, in front of an editor:
    say so at start-up instead, whatever settings module configured it."""
    media = settings.STORAGES.get("default", {})
    if not media.get("BACKEND", "").startswith(("storages.backends.s3", "core.object_storage")):
        return []
    if media.get("OPTIONS", {}).get("bucket_name") or getattr(
        settings, "AWS_STORAGE_BUCKET_NAME", None
    ):
        return []
    return [
        checks.Error(
            "Media go to S3-compatible object storage, but no bucket is named.",
            hint="Set MEDIA_S3_BUCKET, e.g. MEDIA_S3_BUCKET=newsroom-media (README, "
            "'Configuration').",
            id="newsroom.E001",
        )
    ]
