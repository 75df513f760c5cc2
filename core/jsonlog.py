"""One JSON object per log line, for Django's loggers and gunicorn's alike.

Used by ``LOGGING`` in settings and by ``logconfig_dict`` in gunicorn.conf.py, so it
imports nothing from Django: gunicorn's master process loads it before Django exists.
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
    # gunicorn's access log passes its "atoms" as the one mapping argument:
    # m = method, U = path, s = status, M = duration in milliseconds, h = peer address.
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        atoms = record.args
        return {
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(atoms["s"]),
            "duration_ms": atoms["M"],
            "remote_addr": atoms["h"],
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
