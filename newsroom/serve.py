"""The web server: Granian serving ``newsroom.wsgi`` (``python -m newsroom.serve``).

``make run`` and production both start the site this way (README, "Running in
production"). Why Granian and not gunicorn, which served it before: gunicorn's
threads (and its sync workers) each read one request from the socket, so a
client that sends a request line and then one header every few seconds holds a
thread for as long as it likes. Eight such clients took the default setup (then
one process, 8 threads) down and five the Redis setup (2 x cores + 1 sync workers):
``/healthz`` stopped answering. Granian reads requests in Rust, on an event
loop, and hands Django only complete headers; a connection costs a few
kilobytes until then, and one that has not sent its headers within
``HEADER_READ_TIMEOUT`` is closed. Measured with ``bench/slow_clients.py`` on
the team's 2-core machine (figures and date in bench/RESULTS.md): with 200 slow
connections held, ``/healthz`` answered in 2 ms (default setup) and 4 ms (Redis
setup) where gunicorn never answered, and the cached front page went from 1,082
to 2,164 requests/s (default) and from 600 to 1,961 (Redis); rendered pages are
no slower. Django's ASGI handler under an async server was measured too and
rejected: every sync middleware and view then runs on one thread per process,
4-5 times slower.

What Granian does not do: a request *body* sent slowly still holds one of the
threads that run Django until it arrives (in production a buffering reverse
proxy in front, nginx, reads bodies first), and it has no per-request time
limit (gunicorn killed a sync worker stuck for 30 s; its threaded default, our
default setup, never did).
"""

import argparse
import multiprocessing
from pathlib import Path

from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels

from core.jsonlog import stdout_json_logging
from newsroom import env

ROOT = Path(__file__).resolve().parent.parent

# A client has this long (milliseconds) to send a request's headers, and an idle
# kept-alive connection is closed after it too. Browsers send them in one packet.
HEADER_READ_TIMEOUT = 10_000
# A worker whose memory grows past this (MiB) is replaced, so that a slow leak
# never grows into an outage. A worker serving the demo holds about 100 MiB.
WORKER_MAX_MEMORY = 512
# Seconds a stopping worker has to finish the requests it is serving.
GRACEFUL_TIMEOUT = 20
ACCESS_LOG_FORMAT = "%(method)s %(path)s %(status)d %(dt_ms).0fms"


def processes_and_threads():
    """WEB_CONCURRENCY workers (the variable every PaaS sets), WEB_THREADS threads each.

    With Redis, two workers per core plus one, of one thread. Without it, one worker
    per core, of four threads: what one process would do (a static file, a cached
    page) waits for Python's one lock, so a single process used one core of two and
    served the stylesheet at two thirds of the rate Wagtail's two gunicorn workers
    did (bench/RESULTS.md). Several processes are safe without a shared cache: the
    stamps of what changed are shared through a file (core.stamp_stores), sessions
    and comment rate limits live in the database; each process keeps its own copy of
    the pages it serves. The threads overlap database waits.
    """
    cores = multiprocessing.cpu_count()
    if env.text("REDIS_URL"):
        default_workers, default_threads = cores * 2 + 1, 1
    else:
        default_workers, default_threads = cores, 4
    return (
        env.integer("WEB_CONCURRENCY", default_workers),
        env.integer("WEB_THREADS", default_threads),
    )


def address(bind):
    """``host:port`` (``[::]:8000`` for IPv6) as Granian's host and port."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"--bind must look like 127.0.0.1:8000 or [::]:8000, not {bind!r}")
    return host.strip("[]"), int(port)


def server(bind, access_log=True):
    workers, threads = processes_and_threads()
    host, port = address(bind)
    return Granian(
        "newsroom.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        # Proxies and browsers alike talk HTTP/1.1 to us; HTTP/2 is the proxy's business.
        http=HTTPModes.http1,
        websockets=False,
        workers=workers,
        blocking_threads=threads,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT),
        respawn_failed_workers=True,
        workers_max_rss=WORKER_MAX_MEMORY,
        workers_kill_timeout=GRACEFUL_TIMEOUT,
        working_dir=ROOT,
        # Granian's own lines and its access log, as JSON lines on stdout like Django's.
        log_level=LogLevels.info,
        log_dictconfig=stdout_json_logging(
            "INFO",
            {
                "_granian": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
                "granian.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            },
        ),
        log_access=access_log,
        log_access_format=ACCESS_LOG_FORMAT,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    port = env.integer("PORT", 0)
    parser.add_argument(
        "--bind",
        default=f"0.0.0.0:{port}" if port else "127.0.0.1:8000",
        help="host:port to listen on (default 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--no-access-log", action="store_true", help="leave out the line per request (benchmarks)"
    )
    args = parser.parse_args(argv)
    server(args.bind, access_log=not args.no_access_log).serve()


if __name__ == "__main__":
    main()
