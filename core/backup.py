"""``manage.py backup DIR``: the database and the uploaded media, copied while the site runs.

SQLite is copied with its online backup API (a consistent snapshot, taken while
readers and writers carry on), PostgreSQL with ``pg_dump`` (one transaction's
snapshot, custom format for ``pg_restore``). Media on the file system are copied
beside it. The backup is written under a temporary name and renamed when complete,
so a folder named ``newsroom-…`` is always a whole backup. README, "Backups", says
how to restore one.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.utils import timezone

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MANIFEST = "backup.json"


class BackupError(Exception):
    """Why no backup was made, said for the operator."""


def make_backup(directory, using="default"):
    """Write a complete backup into a new folder under ``directory``; its path."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a folder: create it first (mkdir -p {directory}).")
    started = timezone.now()
    name = f"newsroom-{started:%Y%m%d-%H%M%S}"
    final, partial = directory / name, directory / f".{name}.partial"
    if final.exists():
        raise BackupError(f"{final} exists already: wait a second and run the backup again.")
    partial.mkdir(mode=0o700)  # it holds password hashes and e-mail addresses
    try:
        database = copy_database(connections[using], partial)
        media = copy_media(partial)
        manifest = {
            "started_at": started.isoformat(),
            "finished_at": timezone.now().isoformat(),
            "database": database,
            "media": media,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def copy_database(connection, folder):
    if connection.vendor == "sqlite":
        return copy_sqlite(connection, folder / SQLITE_FILE)
    if connection.vendor == "postgresql":
        return dump_postgres(connection.settings_dict, folder / POSTGRES_FILE)
    raise BackupError(f"No backup for {connection.vendor} databases: use its own tools.")


def copy_sqlite(connection, target):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # In one step: the whole file as of one moment, however many writers go on.
        connection.connection.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
    if verdict != "ok":
        raise BackupError(f"The copy of the database fails SQLite's integrity check: {verdict}")
    return {"vendor": "sqlite", "file": target.name}


def dump_postgres(database, target):
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump is not installed: install PostgreSQL's client tools "
            "(apt-get install postgresql-client), of the server's version or newer."
        )
    command = [pg_dump, "--format=custom", f"--file={target}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    command.append(f"--dbname={database['NAME']}")
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return {"vendor": "postgresql", "file": target.name}


def copy_media(folder):
    """The uploaded media, if they are files here; media in S3-like storage are not."""
    if not isinstance(default_storage, FileSystemStorage):
        return {"copied": False, "why": "media are not on this server's file system"}
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir():
        return {"copied": False, "why": f"{media} does not exist (nothing uploaded yet)"}
    shutil.copytree(media, folder / "media", symlinks=True)
    return {"copied": True, "files": sum(1 for path in media.rglob("*") if path.is_file())}
