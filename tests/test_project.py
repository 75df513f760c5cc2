"""Project-level guarantees: migrations complete, settings parse the environment strictly."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from newsroom import env

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("false", False), ("TRUE", True), (" false ", False)]
)
def test_booleans_are_parsed_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("NEWSROOM_TEST_FLAG", raw)
    assert env.boolean("NEWSROOM_TEST_FLAG") is expected


@pytest.mark.parametrize("raw", ["1", "yes", "flase", "on"])
def test_anything_else_is_an_error(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="must be 'true' or 'false'"):
        env.boolean("NEWSROOM_TEST_FLAG")


def test_development_secret_key_is_made_once(tmp_path):
    key_file = tmp_path / "key"
    first = env.development_secret_key(key_file)
    assert len(first) > 40
    assert env.development_secret_key(key_file) == first
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def settings_in_subprocess(**environ):
    """Load settings with a clean environment, the way a server process would."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], "
        "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, "
        "'opts': s.DATABASES['default'].get('OPTIONS', {})}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_are_sqlite_in_wal_mode_and_local_memory_cache():
    result = settings_in_subprocess(REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert '"db": "django.db.backends.sqlite3"' in result.stdout
    assert (
        "journal_mode=WAL" in result.stdout and '"transaction_mode": "IMMEDIATE"' in result.stdout
    )
    assert "LocMemCache" in result.stdout and '"debug": false' in result.stdout


def test_database_and_redis_come_from_the_environment():
    result = settings_in_subprocess(
        DATABASE_URL="postgres://u@db.example:5432/news", REDIS_URL="redis://cache:6379/1"
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout and "RedisCache" in result.stdout


def test_debug_must_be_true_or_false():
    result = settings_in_subprocess(DJANGO_DEBUG="banana")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 'true' or 'false'" in result.stderr
