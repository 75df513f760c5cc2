"""Where uploaded media live, read from the environment once (README, "Configuration").

``MEDIA_STORAGE=filesystem`` (the default) keeps them under MEDIA_ROOT on this
machine, served by core.media; ``MEDIA_STORAGE=s3`` puts them in an S3-compatible
bucket that several app servers and a CDN share (django-storages, through
core.object_storage). settings.py takes the names of ``Media`` from
``from_environment()``.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from newsroom import env

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "core.object_storage.S3MediaStorage"
# Letters, digits, dots, dashes, underscores: what S3 and its imitators accept, and
# never an address (s3://bucket, bucket/folder), the usual mistake.
BUCKET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,62}")
BUCKET_HINT = "Set MEDIA_S3_BUCKET to the bucket's name, e.g. MEDIA_S3_BUCKET=newsroom-media."
S3_ONLY = (
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_S3_ACCESS_KEY_ID",
    "MEDIA_S3_SECRET_ACCESS_KEY",
    "MEDIA_S3_CUSTOM_DOMAIN",
)


@dataclass(frozen=True)
class Media:
    root: Path
    url: str
    storage: dict = field(default_factory=dict)
    x_sendfile: str = ""

    @property
    def image_sources(self):
        """What the Content-Security-Policy's img-src must add for pages to show media:
        their origin if it is plain HTTP (a MinIO on the LAN); HTTPS ones are allowed."""
        parts = urlsplit(self.url)
        return [f"http://{parts.netloc}"] if parts.scheme == "http" else []

    @property
    def media_sources(self):
        """What the policy's media-src must add for stories' own video, audio and captions
        to play: the origin of media kept elsewhere (a bucket, a CDN)."""
        parts = urlsplit(self.url)
        return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


def from_environment(base_dir):
    kind = env.text("MEDIA_STORAGE", "filesystem")
    if "." in kind:
        # The form before issue 15 (a backend's dotted path): refused, not guessed at,
        # since its options moved to variables of their own.
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE is now 'filesystem' or 's3', not a backend's path ({kind!r}): "
            "for object storage set MEDIA_STORAGE=s3 and MEDIA_S3_BUCKET (README, "
            "'Configuration')."
        )
    kind = env.choice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
    root = Path(env.text("MEDIA_ROOT") or base_dir / "media")
    extra = env.json_object("MEDIA_STORAGE_OPTIONS")
    if kind == "s3":
        for name in ("MEDIA_URL", "MEDIA_X_SENDFILE"):
            if env.text(name):
                raise ImproperlyConfigured(
                    f"{name} applies to MEDIA_STORAGE=filesystem only: with s3 the media "
                    "addresses are the bucket's, or MEDIA_S3_CUSTOM_DOMAIN's (a CDN). Unset it."
                )
        storage = {"BACKEND": S3_BACKEND, "OPTIONS": {**s3_options(), **extra}}
        return Media(root=root, url=s3_media_url(storage["OPTIONS"]), storage=storage)
    for name in S3_ONLY:
        if env.text(name):
            raise ImproperlyConfigured(
                f"{name} is set but MEDIA_STORAGE is filesystem: set MEDIA_STORAGE=s3, or "
                f"unset {name}."
            )
    url = env.text("MEDIA_URL") or "/media/"
    if not url.startswith("/"):
        env.http_url("MEDIA_URL", "'/media/' (served here) or 'https://media.example.com/'")
    if not url.endswith("/"):
        raise ImproperlyConfigured(
            f"MEDIA_URL must end with '/', e.g. '/media/' or 'https://media.example.com/', "
            f"not {url!r}."
        )
    sendfile = env.text("MEDIA_X_SENDFILE")
    if sendfile:
        sendfile = env.choice("MEDIA_X_SENDFILE", "", ("nginx", "apache"))
    for option, variable in (("location", "MEDIA_ROOT"), ("base_url", "MEDIA_URL")):
        if option in extra:
            # core.media serves MEDIA_ROOT at MEDIA_URL: the files must be where it looks.
            raise ImproperlyConfigured(
                f"Set {variable} rather than {option!r} in MEDIA_STORAGE_OPTIONS."
            )
    storage = {"BACKEND": FILESYSTEM_BACKEND, "OPTIONS": extra}
    return Media(root=root, url=url, storage=storage, x_sendfile=sendfile)


def s3_options():
    """django-storages' S3Storage options: public media (plain URLs, no signatures),
    names never reused (a CDN may hold an old file under its name for a year)."""
    bucket = env.text("MEDIA_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs a bucket. {BUCKET_HINT}")
    if not BUCKET_NAME.fullmatch(bucket):
        raise ImproperlyConfigured(
            f"MEDIA_S3_BUCKET must be a bucket's name (letters, digits, '.', '-'), not "
            f"{bucket!r}: no s3:// and no folder. {BUCKET_HINT}"
        )
    options = {"bucket_name": bucket, "querystring_auth": False, "file_overwrite": False}
    endpoint = env.http_url("MEDIA_S3_ENDPOINT_URL", "https://s3.eu-central-1.example.com")
    if endpoint:
        options["endpoint_url"] = endpoint
    if region := env.text("MEDIA_S3_REGION"):
        options["region_name"] = region
    key, secret = env.text("MEDIA_S3_ACCESS_KEY_ID"), env.text("MEDIA_S3_SECRET_ACCESS_KEY")
    if bool(key) != bool(secret):
        raise ImproperlyConfigured(
            "Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither "
            "(then boto3 finds credentials itself: AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, ~/.aws, or the machine's role)."
        )
    if key:
        options.update(access_key=key, secret_key=secret)
    if domain := env.text("MEDIA_S3_CUSTOM_DOMAIN"):
        options.update(custom_domain_options(domain))
    return options


def custom_domain_options(domain):
    """``cdn.example.com``, ``cdn.example.com/media`` or ``https://cdn.example.com``."""
    protocol = "https:"
    if "://" in domain:
        env.http_url("MEDIA_S3_CUSTOM_DOMAIN", "https://cdn.example.com")
        scheme, _, domain = domain.partition("://")
        protocol = f"{scheme}:"
    domain = domain.strip("/")
    if not domain or urlsplit(f"//{domain}").hostname is None:
        raise ImproperlyConfigured(
            "MEDIA_S3_CUSTOM_DOMAIN must be the CDN's host, e.g. cdn.example.com."
        )
    return {"custom_domain": domain, "url_protocol": protocol}


def s3_media_url(options):
    """MEDIA_URL as the storage makes addresses, for code that reads the setting."""
    if "custom_domain" in options:
        return f"{options['url_protocol']}//{options['custom_domain']}/"
    endpoint = options.get("endpoint_url") or "https://s3.amazonaws.com"
    return f"{endpoint}/{options['bucket_name']}/"
