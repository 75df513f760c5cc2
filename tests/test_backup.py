"""``manage.py backup DIR`` and the README's restore, tried as an operator would: on a
live site (the web server, a reader posting comments through the form the whole time), then
restored into a fresh folder (or database) and checked."""

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from contextlib import ExitStack

import pytest
from django.conf import settings

from tests.servers import manage, scratch_postgres, web_server
from tests.test_scaleout import Visitor, comment_form, seed, server_env

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class Commenter(threading.Thread):
    """Posts a comment through the site's form, again and again, until stopped; keeps
    when each one was acknowledged (the 303 that follows its commit)."""

    def __init__(self, port, story):
        super().__init__(daemon=True)
        self.port, self.story = port, story
        self.stopped = threading.Event()
        self.acknowledged = []  # (body, time.monotonic() of the 303)
        self.problems = []

    def run(self):
        visitor = Visitor()
        action, token = comment_form(visitor.get(self.port, self.story)[2])
        n = 0
        while not self.stopped.is_set():
            n += 1
            body = f"Live comment number {n}"
            form = {"author_name": "Ana", "author_email": f"ana{n}@example.com", "token": token}
            status = visitor.post(self.port, action, {**form, "body": body})[0]
            if status == 303:
                self.acknowledged.append((body, time.monotonic()))
            else:
                self.problems.append(status)

    def posted_before(self, moment):
        return {body for body, at in list(self.acknowledged) if at < moment}

    def posted_after(self, moment):
        return {body for body, at in list(self.acknowledged) if at > moment}


def restored_comments(env):
    """The live comments restored, and the moderators' e-mails still queued for them
    (not the demo photos' renditions, queued by seed_demo)."""
    out = manage(
        env,
        "shell",
        "-c",
        "import json; from comments.models import Comment; "
        "from django_tasks_db.models import DBTaskResult; "
        "live = Comment.objects.filter(body__startswith='Live comment'); "
        "print(json.dumps([list(live.values_list('body', flat=True)), "
        "DBTaskResult.objects.filter(status='READY', "
        "task_path='comments.notifications.tell_moderators').count()]))",
    )
    bodies, waiting_jobs = json.loads(out.strip().splitlines()[-1])
    return set(bodies), waiting_jobs


def files_under(folder):
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "vendor",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not ON_POSTGRES, reason="the suite runs on PostgreSQL in CI"),
        ),
    ],
)
def test_a_backup_of_a_live_site_restores_with_every_comment_posted_before_it(tmp_path, vendor):
    with ExitStack() as stack:
        site, backups, fresh = tmp_path / "site", tmp_path / "backups", tmp_path / "restored"
        for folder in (site, backups, fresh):
            folder.mkdir()
        if vendor == "sqlite":
            database_url = f"sqlite:///{site / 'newsroom.sqlite3'}"
        else:
            database_url, _ = stack.enter_context(scratch_postgres("backup"))
        media = site / "media"
        (media / "lead-images").mkdir(parents=True)
        picture = bytes(range(256)) * 64
        (media / "lead-images" / "harbour.jpg").write_bytes(picture)
        env = server_env(
            database_url, MEDIA_ROOT=str(media), COMMENT_RATE_LIMIT="0", TASK_QUEUE="database"
        )
        story, _ = seed(env)
        port = stack.enter_context(web_server(env, workers=2))

        commenter = Commenter(port, story)
        commenter.start()
        stack.callback(commenter.stopped.set)
        while len(commenter.acknowledged) < 20:  # the site is busy before the backup
            time.sleep(0.05)
        # The lead image above and the demo's library photos (seed_demo), by then.
        media_files = files_under(media)
        assert len(media_files) > 1
        backup_began = time.monotonic()
        output = manage(env, "backup", str(backups))
        backup_ended = time.monotonic()
        while not commenter.posted_after(backup_ended + 1):
            time.sleep(0.05)  # ...and goes on after it
        commenter.stopped.set()
        commenter.join(timeout=30)
        assert commenter.problems == []

        [folder] = backups.iterdir()
        assert output.strip() == f"Backup written to {folder}"
        assert re.fullmatch(r"newsroom-\d{8}-\d{6}", folder.name)
        assert folder.stat().st_mode & 0o077 == 0  # for the operator only
        manifest = json.loads((folder / "backup.json").read_text())
        assert manifest["database"]["vendor"] == vendor
        assert manifest["media"] == {"copied": True, "files": len(media_files)}
        assert files_under(folder / "media") == media_files

        # The restore, as README's "Backups" says.
        shutil.copytree(folder / "media", fresh / "media")
        if vendor == "sqlite":
            shutil.copy(folder / "database.sqlite3", fresh / "newsroom.sqlite3")
            restored_url = f"sqlite:///{fresh / 'newsroom.sqlite3'}"
        else:
            restored_url, name = stack.enter_context(scratch_postgres("restored"))
            db = settings.DATABASES["default"]
            subprocess.run(
                [
                    *("pg_restore", "--no-owner", f"--host={db['HOST']}", f"--port={db['PORT']}"),
                    *(f"--username={db['USER']}", f"--dbname={name}"),
                    str(folder / "database.pgdump"),
                ],
                check=True,
                capture_output=True,
            )
        restored = server_env(restored_url, MEDIA_ROOT=str(fresh / "media"))
        manage(restored, "migrate", "--check")  # raises if the restored schema is behind

        bodies, waiting_jobs = restored_comments(restored)
        committed_before = commenter.posted_before(backup_began)
        assert len(committed_before) >= 20
        assert committed_before <= bodies  # nothing committed before the backup is lost
        assert bodies <= {body for body, _ in commenter.acknowledged}  # nor invented
        # What was posted well after the backup is not in it (a snapshot, not a log).
        assert not commenter.posted_after(backup_ended + 1) & bodies
        # Held comments' e-mails were queued with them, and are restored with them too.
        assert waiting_jobs == len(bodies)
        assert (fresh / "media" / "lead-images" / "harbour.jpg").read_bytes() == picture


def test_a_missing_folder_is_refused_and_says_what_to_do(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path / "nowhere")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere'} is not a folder: create it first" in result.stderr
    assert "Traceback" not in result.stderr
