"""E-mail through a real SMTP server on loopback: sent by the worker, never inside the
request; a server that is down or hung delays the moderators' mail, never loses it."""

import time

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import comment_form_data, make_article, make_staff
from tests.mail_servers import SilentServer, SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server(settings):
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 2
    settings.DEFAULT_FROM_EMAIL = "desk@news.example.com"
    yield server
    server.stop()


@pytest.fixture
def held_comment(client, on_commit):
    """Post a comment the rules hold (a first comment), as a reader does; the response."""
    make_staff("Moderators", email="mod@example.com")
    article = make_article(headline="Harbour vote")

    def post():
        with on_commit():
            response = client.post(
                reverse("comments:post", args=[article.pk]),
                comment_form_data(article, body="Is the harbour closing?"),
            )
        assert response.status_code == 303
        assert Comment.objects.get().status == Comment.Status.PENDING
        return response

    return post


def test_mail_held_while_the_server_is_down_arrives_once_it_is_back(
    mail_server, held_comment, run_tasks, clock
):
    held_comment()  # the server is not running
    [job] = run_tasks()
    assert job.status == "READY" and "ConnectionRefusedError" in job.traceback
    assert mail_server.inbox.messages == []

    mail_server.start()
    assert run_tasks() == []  # the retry waits its turn (a minute)
    clock(minutes=1)
    [job] = run_tasks()
    assert job.status == "SUCCESSFUL" and len(job.worker_ids) == 2
    clock(days=1)
    assert run_tasks() == []

    [(sender, recipients, message)] = mail_server.inbox.messages
    assert (sender, recipients) == ("desk@news.example.com", ["mod@example.com"])
    assert "Please moderate" in message["Subject"] and "Harbour vote" in message["Subject"]
    assert "Is the harbour closing?" in message.get_content()


def test_a_hung_mail_server_holds_neither_the_reader_nor_the_worker(
    settings, mail_server, held_comment, run_tasks
):
    hung = SilentServer(hold=8)  # answers nothing for 8 seconds
    settings.EMAIL_PORT = hung.port
    try:
        started = time.monotonic()
        held_comment()
        request_seconds = time.monotonic() - started
        started = time.monotonic()
        [job] = run_tasks()
        attempt_seconds = time.monotonic() - started
    finally:
        hung.close()
    assert request_seconds < 1  # the reader never waits for mail
    # The attempt gives up after EMAIL_TIMEOUT (2 s), not when the server lets go, and
    # the job waits for its next one.
    assert 1.5 < attempt_seconds < 5
    assert job.status == "READY" and "TimeoutError" in job.traceback
