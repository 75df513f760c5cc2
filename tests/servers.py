"""Real servers for tests that need several processes: manage.py and gunicorn as deployed."""

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def listening_socket():
    """A socket listening on a port the system picked. Handed to gunicorn as it is
    (``fd://``): no other process, such as another pytest-xdist worker's server, can
    take the port between our choosing it and gunicorn's binding it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


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
def gunicorn(env, workers=2, threads=1):
    """gunicorn on a free port, without the project's config (no log noise); yields the port."""
    with listening_socket() as sock:
        port = sock.getsockname()[1]
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--config", "/dev/null"),
                *("--no-control-socket", "--bind", f"fd://{sock.fileno()}"),
                *("--workers", str(workers), "--threads", str(threads), "newsroom.wsgi"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=[sock.fileno()],
        )
    try:
        for _ in range(300):  # at most ~30 s to answer
            if answers(port):
                break
            time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
