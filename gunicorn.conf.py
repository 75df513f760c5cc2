"""Gunicorn settings for newsroom (``gunicorn --config gunicorn.conf.py newsroom.wsgi``)."""

import multiprocessing
import os

# WEB_CONCURRENCY is the variable every PaaS sets; otherwise two workers per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
