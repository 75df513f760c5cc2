"""Strict readers for the environment variables listed in the README ("Configuration").

Settings call these once; nothing else in the project reads ``os.environ``.
A value we cannot understand is an error at start-up, never a silent default
(``DJANGO_DEBUG=flase`` must not quietly mean anything).
"""

import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def text(name, default=""):
    return os.environ.get(name, default).strip()


def boolean(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {raw!r}.")


def integer(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def csv(name, default):
    return [item.strip() for item in text(name, default).split(",") if item.strip()]


def networks(name):
    """IP addresses and networks, comma-separated (``10.0.0.0/8, ::1``); unset is none.

    A network with host bits set (``10.0.0.1/8``) is refused rather than widened:
    it is a typo for either an address or a network, and only its author knows which.
    """
    found = []
    for item in csv(name, ""):
        try:
            found.append(ipaddress.ip_network(item))
        except ValueError as problem:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses or networks, comma-separated, such as "
                f"'10.0.0.0/8, 127.0.0.1, fd00::/8'; {item!r} is not one ({problem})."
            ) from None
    return tuple(found)


def json_object(name):
    """A JSON object (``{"bucket_name": "media"}``); empty or unset is ``{}``."""
    raw = text(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(
            f'{name} must be a JSON object such as {{"bucket_name": "media"}}, not {raw!r}.'
        )
    return value


def choice(name, default, choices):
    value = text(name, default) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def development_secret_key(path: Path):
    """A key made once per checkout and kept out of git (see .gitignore)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n")
        path.chmod(0o600)
        return key


@dataclass(frozen=True)
class MailServer:
    """Django's EMAIL_* settings, as read from one URL (``email_url()``)."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Scheme: (default port, STARTTLS, implicit TLS).
MAIL_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtp+ssl": (465, False, True),
}


def email_url(name, default):
    """A mail server as a URL: ``smtp+tls://user:password@mail.example.com:587`` (STARTTLS),
    ``smtp+ssl://…:465`` (TLS from the start), ``smtp://host:25`` (plain), or ``console://``
    (print each message to stdout). User and password are percent-decoded."""
    raw = text(name, default) or default
    scheme, separator, rest = raw.partition("://")
    # The URL may carry a password: errors show its scheme and host, never the rest.
    found = f"{scheme}://…" if separator else "no scheme"
    if scheme == "console" and rest in ("", "/"):
        return MailServer(backend="django.core.mail.backends.console.EmailBackend")
    if scheme not in MAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtp+tls://, smtp+ssl:// or console:// "
            f"(e.g. smtp+tls://user:password@mail.example.com:587), not {found}."
        )
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or parts.path not in ("", "/") or parts.query:
        raise ImproperlyConfigured(
            f"{name} must be {scheme}://[user:password@]host[:port] "
            f"(e.g. smtp+tls://user:password@mail.example.com:587): check the host "
            f"({parts.hostname or 'missing'}) and the port (a number)."
        )
    default_port, use_tls, use_ssl = MAIL_SCHEMES[scheme]
    return MailServer(
        backend=SMTP_BACKEND,
        host=parts.hostname,
        port=port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def http_url(name, example):
    """An ``http://`` or ``https://`` address with a host and nothing after its path
    (``https://s3.eu-west-1.example.com``); unset is ``""``. Trailing slashes dropped."""
    raw = text(name)
    if not raw:
        return ""
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        parts = None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// address such as {example}, not {raw!r}."
        )
    if parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            f"{name} must be a plain address such as {example}: no user, query or fragment."
        )
    return raw.rstrip("/")
