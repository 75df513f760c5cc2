"""``make run``'s pair, as it runs: the web server and ``manage.py worker`` under
``core.supervisor``, configured by the environment alone (EMAIL_URL with a login), with
a real SMTP server on loopback. A reader's held comment reaches the moderators by mail."""

import os
import re
import secrets
import signal
import subprocess
import sys
from contextlib import ExitStack, suppress

from tests.mail_servers import SMTPServer, loopback_port, wait_for
from tests.servers import ROOT, answers, manage
from tests.test_scaleout import Visitor, comment_form

REDIS_URL = os.environ.get("REDIS_URL")


def environment(tmp_path, mail_port, queue):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        EMAIL_URL=f"smtp://newsroom:s%40cret@127.0.0.1:{mail_port}",
        DEFAULT_FROM_EMAIL="desk@news.example.com",
        COMMENT_MIN_SECONDS="0",
        TASK_QUEUE=queue,
    )
    if queue == "redis":
        env["REDIS_URL"] = REDIS_URL
    return env


def test_the_web_server_and_the_worker_run_as_one_command(tmp_path):
    run_as_one_command(tmp_path, "database")


def stop_everything_it_started(run):
    """After a failed check too: the web server and the worker as well as the supervisor
    (its own session), or a stray worker would take the next test's jobs."""
    with suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)


def run_as_one_command(tmp_path, queue):
    """On the Redis queue this runs from tests/test_background_jobs.py, beside the other
    tests that use RQ's keys: pytest-xdist keeps one module's tests on one worker."""
    mail = SMTPServer(login=("newsroom", "s@cret"))  # the URL's %40 is an @
    env = environment(tmp_path, mail.port, queue)
    manage(env, "migrate", "--noinput", "-v0")
    story = re.search(r"Demo story: (\S+)", manage(env, "seed_demo")).group(1)
    if queue == "redis":
        manage(env, "shell", "-c", "import django_rq; django_rq.get_queue().empty()")
    with ExitStack() as stack:
        mail.start()
        stack.callback(mail.stop)
        port = loopback_port()  # once the mail server holds its own
        web = f"{sys.executable} -m newsroom.serve --bind 127.0.0.1:{port}"
        run = subprocess.Popen(
            [sys.executable, "-m", "core.supervisor", web, f"{sys.executable} manage.py worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        stack.callback(stop_everything_it_started, run)
        assert wait_for(lambda: answers(port), 30), "the web server did not start"

        reader = Visitor()
        action, token = comment_form(reader.get(port, story)[2])
        form = {"author_name": "Ana", "author_email": "ana@example.com", "token": token}
        status, headers, _ = reader.post(port, action, {**form, "body": "Who checks this?"})
        assert status == 303 and "unapproved=" in headers["Location"]  # held

        assert wait_for(lambda: mail.inbox.messages, 30), "the moderators' mail never came"
        [(sender, recipients, message)] = mail.inbox.messages
        assert sender == "desk@news.example.com" and "editor@example.com" in recipients
        assert "Please moderate" in message["Subject"]

        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 0, stderr
        assert not answers(port)
