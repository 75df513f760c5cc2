"""The web server's wiring: what reaches Django, and how it is told where to listen."""

import io
import os

import pytest
from django.core.signals import request_started
from django.db import close_old_connections

from newsroom import serve, wsgi


def wsgi_environ(path="/healthz"):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }


def test_requests_do_not_carry_the_servers_environment_variables():
    # As Granian builds it: a copy of its environment, then the request on top.
    secrets = {"DATABASE_URL": "postgres://news:hunter2@db/news", "REDIS_URL": "redis://:pw@r/0"}
    seen = {}

    def django(environ, start_response):
        seen.update(environ)
        return []

    application = wsgi.without_process_environment(django, {**secrets, "PATH_INFO": "/"})
    application({**secrets, **wsgi_environ()}, None)

    assert not set(secrets) & set(seen)
    # What the server set for the request is kept, even where the process has the name too.
    assert seen["PATH_INFO"] == "/healthz"
    assert seen["REMOTE_ADDR"] == "192.0.2.1"


@pytest.fixture
def connections_kept_open():
    """As Django's test client does: a request must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("connections_kept_open")
def test_the_deployed_application_strips_them():
    environ = {**os.environ, **wsgi_environ()}
    statuses = []
    body = b"".join(wsgi.application(environ, lambda status, headers: statuses.append(status)))
    assert (statuses, body) == (["200 OK"], b"ok")
    assert "DJANGO_SETTINGS_MODULE" not in environ
    # (pytest rewrites PYTEST_CURRENT_TEST for every test, after newsroom.wsgi was imported.)
    inherited = set(os.environ) - set(wsgi_environ()) - {"PYTEST_CURRENT_TEST"}
    assert not inherited & set(environ)


@pytest.mark.parametrize(
    ("bind", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("0.0.0.0:5000", ("0.0.0.0", 5000)),  # noqa: S104
        ("[::]:8000", ("::", 8000)),
    ],
)
def test_bind_addresses(bind, expected):
    assert serve.address(bind) == expected


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:http", ":8000"])
def test_a_bad_bind_address_says_what_one_looks_like(bind):
    with pytest.raises(SystemExit, match="must look like 127.0.0.1:8000"):
        serve.address(bind)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, (os.cpu_count(), 4)),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, (os.cpu_count() * 2 + 1, 1)),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "WEB_CONCURRENCY": "3"}, (3, 1)),
        ({"WEB_CONCURRENCY": "1", "WEB_THREADS": "8"}, (1, 8)),
    ],
)
def test_processes_and_threads(monkeypatch, variables, expected):
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert serve.processes_and_threads() == expected
