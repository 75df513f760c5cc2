"""One JSON object per log line, for Django's loggers and the web server's alike.

Used by ``LOGGING`` in settings and by ``newsroom/serve.py`` for Granian's logs, so it
imports nothing from Django: Granian's main process loads it before Django exists.
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """time, level, logger, message; plus method, path and status for request logs."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(request_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_fields(record):
    # Granian's access log passes what it knows of the request as the one mapping
    # argument (addr is the peer: the proxy's address behind one).
    if record.name == "granian.access" and isinstance(record.args, Mapping):
        atoms = record.args
        return {
            "method": atoms["method"],
            "path": atoms["path"],
            "status": int(atoms["status"]),
            "duration_ms": round(atoms["dt_ms"], 1),
            "remote_addr": atoms["addr"],
        }
    # django.request and django.security records carry the request (and, for
    # responses, the status code) as attributes.
    fields = {}
    request = getattr(record, "request", None)
    if hasattr(request, "method") and hasattr(request, "path"):
        fields["method"] = request.method
        fields["path"] = request.path
    status = getattr(record, "status_code", None)
    if status is not None:
        fields["status"] = status
    return fields


def stdout_json_logging(root_level, loggers):
    """A ``dictConfig`` sending every record to stdout through ``JsonFormatter``.

    Named ``loggers`` without handlers of their own write through the stdout handler too.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.jsonlog.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": root_level},
        "loggers": loggers,
    }
