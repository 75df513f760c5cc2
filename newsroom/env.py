"""Strict readers for the environment variables listed in the README ("Configuration").

Settings call these once; nothing else in the project reads ``os.environ``.
A value we cannot understand is an error at start-up, never a silent default
(``DJANGO_DEBUG=flase`` must not quietly mean anything).
"""

import ipaddress
import json
import os
import secrets
from pathlib import Path

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
