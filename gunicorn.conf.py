"""Gunicorn settings for newsroom (``gunicorn --config gunicorn.conf.py newsroom.wsgi``)."""

import multiprocessing
import os

# WEB_CONCURRENCY is the variable every PaaS sets; otherwise two workers per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
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
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
