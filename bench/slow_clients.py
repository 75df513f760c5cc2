"""Does the server keep answering while slow clients hold connections open?

    .venv/bin/python bench/slow_clients.py                     # the default setup
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/slow_clients.py
    .venv/bin/python bench/slow_clients.py --servers gunicorn,granian --throughput

Starts each server on loopback the way ``make run`` starts it (with the setup
the environment gives: one process per core without REDIS_URL, 2 x cores + 1 with it), on a
scratch SQLite database migrated and seeded like the demo (or DATABASE_URL).
Then opens ``--connections`` slowloris connections: each sends a request line
and one header, then one more header line every ``--interval`` seconds, never
the blank line that ends a request. Every few seconds a fresh connection asks
for ``/healthz``; the script prints how many slow connections the server still
holds and how long ``/healthz`` took (a probe gives up after ``--probe-timeout``).
With ``--throughput``, ``wrk -t2 -c8`` first measures requests per second of a
static file and of the front page, from the page cache and rendered (page cache
off), on the same server.

Bounded: at most 1,000 connections and 300 seconds of trickling per server;
traffic goes to 127.0.0.1 only. The machine is shared: run it sparingly.

Servers (``--servers``, comma-separated): ``granian`` is what ``make run`` and
production use (``python -m newsroom.serve``); ``gunicorn`` is the server used
before, with the settings its configuration had: one process of 8 threads
without REDIS_URL, 2 x cores + 1 sync workers with it.
"""

import argparse
import http.client
import multiprocessing
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import servers  # bench/servers.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_CONNECTIONS = 1000
MAX_SECONDS = 300


def granian_command(port):
    # No access log, like the gunicorn below: a JSON line per request would be measured too.
    return [PYTHON, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"]


def gunicorn_command(port):
    """The previous gunicorn.conf.py, spelled out (it is gone since)."""
    if os.environ.get("REDIS_URL"):
        workers, threads = multiprocessing.cpu_count() * 2 + 1, 1
    else:
        workers, threads = 1, 8
    return [
        *(PYTHON, "-m", "gunicorn", "--config", "/dev/null", "--no-control-socket"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)),
        *("--timeout", "30", "--keep-alive", "5", "--worker-tmp-dir", "/dev/shm"),  # noqa: S108
        "newsroom.wsgi",
    ]


SERVERS = {"granian": granian_command, "gunicorn": gunicorn_command}


def healthz_seconds(port, timeout):
    """Seconds a fresh connection waits for /healthz to answer 200, or None."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        conn.close()
    except OSError:
        return None
    return time.monotonic() - started if response.status == 200 else None


@contextmanager
def scratch_database():
    """DATABASE_URL if set, else a temporary SQLite file migrated and seeded."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with tempfile.TemporaryDirectory(prefix="slow-clients-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_LOG_LEVEL": "WARNING"}
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        yield url


@contextmanager
def running(name, env, port):
    with servers.serving(SERVERS[name](port), env, port):
        for _ in range(20):  # every worker's first request (connections, imports) done
            healthz_seconds(port, timeout=5)
        yield port


class SlowClients:
    """Connections that never finish their request headers."""

    def __init__(self, port, count):
        self.selector = selectors.DefaultSelector()
        self.open = []
        self.refused = 0
        for n in range(count):
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=2)
                sock.sendall(b"GET /?slow=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n" % n)
            except OSError:
                self.refused += 1
                continue
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.open.append(sock)
        self.lines = 0

    def drop(self, sock):
        self.selector.unregister(sock)
        sock.close()
        self.open.remove(sock)

    def notice_closed(self):
        """Connections the server answered (a 408, say) or closed count as cut off."""
        for key, _ in self.selector.select(timeout=0):
            try:
                key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                pass
            self.drop(key.fileobj)

    def trickle(self):
        """One more header line on every connection still open."""
        self.lines += 1
        for sock in list(self.open):
            try:
                sock.send(b"X-Slow-%d: still typing\r\n" % self.lines)
            except OSError:
                self.drop(sock)
        self.notice_closed()

    def close(self):
        for sock in list(self.open):
            self.drop(sock)
        self.selector.close()


def wrk_rate(url, seconds):
    subprocess.run(["wrk", "-t2", "-c8", "-d2s", url], capture_output=True, check=True)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def static_path(env):
    code = (
        "import django;django.setup();"
        "from django.templatetags.static import static;print(static('img/favicon.svg'))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def measure_throughput(name, env, port, seconds):
    """req/s of a static file and the front page, cached and rendered (page cache off)."""
    with running(name, env, port):
        base = f"http://127.0.0.1:{port}"
        static = wrk_rate(base + static_path(env), seconds)
        cached = wrk_rate(base + "/", seconds)
    with running(name, {**env, "PAGE_CACHE_ENABLED": "false"}, port):
        rendered = wrk_rate(f"http://127.0.0.1:{port}/", seconds)
    print(
        f"  wrk -t2 -c8: static file {static:.0f} req/s, front page cached {cached:.0f}, "
        f"rendered {rendered:.0f}"
    )


def siege(port, args):
    """Hold the slow connections for ``args.duration`` s, probing /healthz every 5 s."""
    started = time.monotonic()
    clients = SlowClients(port, args.connections)
    opened = len(clients.open)
    print(f"  {opened} slow connections opened in {time.monotonic() - started:.1f} s", end="")
    print(f" ({clients.refused} refused)" if clients.refused else "")
    worst, probes, next_line, next_probe = 0.0, [], time.monotonic(), time.monotonic() + 2
    try:
        while time.monotonic() - started < args.duration:
            now = time.monotonic()
            if now >= next_line:
                clients.trickle()
                next_line = now + args.interval
            if now >= next_probe:
                seconds = healthz_seconds(port, args.probe_timeout)
                held = len(clients.open)
                shown = f"{seconds * 1000:7.1f} ms" if seconds is not None else "  no answer"
                print(f"  t={now - started:5.1f} s  held {held:4}  /healthz {shown}")
                probes.append((held, seconds))
                if seconds is None:
                    worst = None
                elif worst is not None:
                    worst = max(worst, seconds)
                next_probe = time.monotonic() + 5
            clients.notice_closed()
            time.sleep(0.05)
    finally:
        clients.close()
    return opened, worst, probes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="granian", help="comma-separated: granian,gunicorn")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between lines")
    parser.add_argument("--duration", type=float, default=45.0, help="seconds of trickling")
    parser.add_argument("--probe-timeout", type=float, default=5.0)
    parser.add_argument("--throughput", action="store_true", help="also measure req/s (wrk)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--port", type=int, help="first port to serve on (default: any free)")
    args = parser.parse_args()
    if not 0 < args.connections <= MAX_CONNECTIONS or not 0 < args.duration <= MAX_SECONDS:
        parser.error(f"at most {MAX_CONNECTIONS} connections and {MAX_SECONDS} seconds")
    names = args.servers.split(",")
    if unknown := set(names) - set(SERVERS):
        parser.error(f"unknown server {', '.join(unknown)}; known: {', '.join(SERVERS)}")

    with ExitStack() as stack:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": stack.enter_context(scratch_database()),
        }
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        setup = f"REDIS_URL={env['REDIS_URL']}" if env.get("REDIS_URL") else "no REDIS_URL"
        print(f"{setup}; {args.connections} slow connections, a line every {args.interval:g} s")
        for n, name in enumerate(names):
            port = args.port + n if args.port else servers.free_port()
            print(f"\n{name}: {' '.join(SERVERS[name](port)[1:])}")
            if args.throughput:
                measure_throughput(name, env, port, args.wrk_seconds)
            with running(name, env, port):
                idle = healthz_seconds(port, args.probe_timeout)
                print(f"  /healthz with no slow client: {idle * 1000:.1f} ms")
                opened, worst, probes = siege(port, args)
                held_all = [s for held, s in probes if held == opened]
                verdict = "never answered" if worst is None else f"worst {worst * 1000:.0f} ms"
                print(f"  /healthz while slow clients were held: {verdict}")
                if held_all and all(s is not None for s in held_all):
                    print(f"  with all {opened} held: worst {max(held_all) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
