"""Real servers for tests that need several processes: manage.py and the web server as deployed."""

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

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
    """``newsroom.serve`` (Granian, as deployed) on a free port, quiet; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # at most ~30 s to answer
            if answers(port):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the web server did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
