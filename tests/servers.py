"""Real servers for tests that need several processes: manage.py and the web server as deployed."""

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    """Run ``manage.py`` with ``env``; its standard output."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def answers(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def web_server(env, workers=2, threads=1):
    """``newsroom.serve`` (Granian, as deployed) on a free port, quiet; yields the port.

    Granian binds the port itself (it takes no open socket, as gunicorn's ``fd://``
    did), so another process, such as another pytest-xdist worker's server, may take
    a free port first: Granian then exits at once, and another port is tried.
    """
    for _ in range(3):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}"]
            + ["--no-access-log"],
            cwd=ROOT,
            env={**env, "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if serves(server, port):
            break
        stop(server)
    else:
        pytest.fail("the web server did not start")
    try:
        yield port
    finally:
        stop(server)


def serves(server, port):
    for _ in range(300):  # at most ~30 s to answer
        if server.poll() is not None:
            return False
        if answers(port):
            time.sleep(0.5)  # a server that lost the port to another has exited by now
            return server.poll() is None
        time.sleep(0.1)
    return False


def stop(server):
    server.terminate()
    server.wait(timeout=30)


@contextmanager
def scratch_postgres(suffix):
    """An empty PostgreSQL database beside the test database, dropped afterwards: its
    URL and name."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_live_{suffix}"
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    if db["PASSWORD"]:
        server["password"] = db["PASSWORD"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""

    def admin(sql):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}", name
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
