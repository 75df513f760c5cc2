"""Gunicorn settings for newsroom (``gunicorn --config gunicorn.conf.py newsroom.wsgi``)."""

import multiprocessing
import os
import sys
from pathlib import Path

# gunicorn reads this file before it applies --chdir: make the project importable from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from core.jsonlog import stdout_json_logging  # noqa: E402

# WEB_CONCURRENCY is the variable every PaaS sets; otherwise two workers per core plus
# one. Without REDIS_URL the cache (the page cache and its invalidation stamps,
# sessions, rate limits) lives in each process's memory, so then one process serves
# with threads: several would each keep their own, and miss each other's changes.
if os.environ.get("REDIS_URL"):
    workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
    threads = int(os.environ.get("GUNICORN_THREADS", 1))
else:
    workers = int(os.environ.get("WEB_CONCURRENCY", 1))
    threads = int(os.environ.get("GUNICORN_THREADS", 8))
# A page that takes 30 s is broken: kill the worker rather than queue readers behind it.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# The worker heartbeat file lives in memory: a slow or full disk must not look like
# a hung worker (gunicorn's advice for containers).
# (S108: gunicorn makes its own unpredictable file there with mkstemp.)
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108
# No runtime control socket (gunicornc): it is one path per user, so two servers on one
# machine (the demo and a test, say) would fight over it.
control_socket_disable = True

# Access and error logs go to stdout as JSON lines, like Django's own (settings.LOGGING).
accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
logconfig_dict = stdout_json_logging(
    "INFO",
    {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
)
