"""Slow clients cannot take the server down: ``/healthz`` answers within a second.

A slow client here sends a request line and one header, then another header line
every so often, and never the blank line that ends a request. gunicorn, which
served the site before, gave each one a thread (or a sync worker) for as long as
it kept typing: 8 of them stopped the default setup (then 1 process x 8 threads), and 5
the Redis setup. The server as deployed (``newsroom.serve``) is started here with
each setup's processes and threads and besieged by 200 of them.
"""

import http.client
import selectors
import socket
import time

import pytest

from newsroom.serve import HEADER_READ_TIMEOUT, processes_and_threads
from tests.servers import web_server

SLOW_CLIENTS = 200


@pytest.fixture
def server_env(tmp_path):
    from tests.test_deploy_settings import django_env

    # /healthz reads no table: an empty database file is enough.
    return django_env(tmp_path, DJANGO_LOG_LEVEL="WARNING")


class SlowClients:
    """Connections that keep sending header lines and never finish their request."""

    def __init__(self, port, count):
        self.selector = selectors.DefaultSelector()
        self.open = set()
        for n in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /?slow=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n" % n)
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.open.add(sock)
        self.lines = 0

    def type_one_more_line(self):
        self.lines += 1
        for sock in list(self.open):
            try:
                sock.send(b"X-Still-Typing: %d\r\n" % self.lines)
            except OSError:
                self.forget(sock)
        # A connection the server answered (or closed) is no longer held.
        for key, _ in self.selector.select(timeout=0):
            self.forget(key.fileobj)

    def forget(self, sock):
        if sock in self.open:
            self.selector.unregister(sock)
            self.open.discard(sock)
            sock.close()

    def close(self):
        for sock in list(self.open):
            self.forget(sock)
        self.selector.close()


def healthz_seconds(port):
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b"ok")
    conn.close()
    return time.monotonic() - started


def besiege(port, seconds):
    """/healthz timings (one a second) while SLOW_CLIENTS keep typing; the clients."""
    clients = SlowClients(port, SLOW_CLIENTS)
    timings = []
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            clients.type_one_more_line()
            timings.append((len(clients.open), healthz_seconds(port)))
            time.sleep(max(0.0, 1 - timings[-1][1]))
    except BaseException:
        clients.close()
        raise
    return timings, clients


def test_default_setup_answers_within_a_second_and_cuts_slow_clients_off(server_env, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)  # as server_env has none
    workers, threads = processes_and_threads()
    with web_server(server_env, workers=workers, threads=threads) as port:
        timings, clients = besiege(port, seconds=HEADER_READ_TIMEOUT / 1000 + 1.5)
        still_open = len(clients.open)
        clients.close()
    assert max(seconds for _, seconds in timings) < 1, timings
    # Most probes ran while all 200 connections were held open...
    assert len([held for held, _ in timings if held == SLOW_CLIENTS]) >= 5, timings
    # ...until the server closed every one that had not sent its headers in time.
    assert still_open == 0


def test_several_workers_answer_within_a_second(server_env):
    with web_server(server_env, workers=3, threads=1) as port:
        timings, clients = besiege(port, seconds=3)
        clients.close()
    assert [held for held, _ in timings] == [SLOW_CLIENTS] * len(timings)
    assert len(timings) >= 3
    assert max(seconds for _, seconds in timings) < 1, timings
