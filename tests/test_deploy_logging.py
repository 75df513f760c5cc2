"""Logs are JSON lines on stdout, from Django and from the web server (Granian) alike."""

import json
import logging
import selectors
import subprocess
import sys
import time
import urllib.request

from django.test import RequestFactory

from core.jsonlog import JsonFormatter
from tests.servers import answers, free_port
from tests.test_deploy_settings import PROJECT, django_env, run_python


def format_record(name, level, msg, args=(), exc_info=None, **extra):
    record = logging.LogRecord(name, level, __file__, 1, msg, args, exc_info)
    record.__dict__.update(extra)
    return json.loads(JsonFormatter().format(record))


def test_plain_record():
    line = format_record("articles", logging.WARNING, "slow query: %s ms", (812,))
    assert set(line) == {"time", "level", "logger", "message"}
    assert line["level"] == "WARNING"
    assert line["logger"] == "articles"
    assert line["message"] == "slow query: 812 ms"
    assert line["time"].endswith("+00:00")


def test_django_request_record_names_method_path_and_status():
    request = RequestFactory().post("/section/world/?page=2")
    line = format_record(
        "django.request",
        logging.WARNING,
        "Method Not Allowed: %s",
        (request.path,),
        request=request,
        status_code=405,
    )
    assert line["method"] == "POST"
    assert line["path"] == "/section/world/"
    assert line["status"] == 405


def test_exception_is_kept_with_its_traceback():
    try:
        raise ValueError("bad page number")
    except ValueError:
        line = format_record("django.request", logging.ERROR, "boom", exc_info=sys.exc_info())
    assert "Traceback" in line["exception"]
    assert "ValueError: bad page number" in line["exception"]


def test_non_ascii_and_quotes_stay_one_valid_line():
    formatted = JsonFormatter().format(
        logging.LogRecord("x", logging.INFO, __file__, 1, 'Zürich "quoted"\nsecond', (), None)
    )
    assert "\n" not in formatted
    assert json.loads(formatted)["message"] == 'Zürich "quoted"\nsecond'


LOG_FROM_DJANGO = """
import django, logging
django.setup()
from django.test import Client
logging.getLogger("newsroom.probe").warning("hello %s", "logs")
logging.getLogger("newsroom.probe").debug("not at the default level")
Client().post("/healthz")  # 405, which django.request logs as a warning
"""


def test_settings_send_django_logs_to_stdout_as_json(tmp_path):
    result = run_python(
        ["-c", LOG_FROM_DJANGO], django_env(tmp_path, DJANGO_ALLOWED_HOSTS="testserver")
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["message"] for line in lines] == [
        "hello logs",
        "Method Not Allowed (POST): /healthz",
    ]
    request_log = lines[1]
    assert request_log["logger"] == "django.request"
    assert (request_log["method"], request_log["path"], request_log["status"]) == (
        "POST",
        "/healthz",
        405,
    )


def read_lines_until(stream, predicate, deadline):
    """Lines from a child's stdout until one satisfies ``predicate`` (or time runs out)."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    seen = []
    while time.monotonic() < deadline:
        if not selector.select(timeout=deadline - time.monotonic()):
            break
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if predicate(line):
            break
    return seen


def test_the_web_server_logs_json(tmp_path):
    """Boots the real server (one worker) as ``make run`` does and reads its stdout."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=django_env(tmp_path, WEB_CONCURRENCY="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        lines = read_lines_until(server.stdout, lambda line: "Started worker" in line, deadline)
        assert any(f"Listening at: http://127.0.0.1:{port}" in line for line in lines), lines
        while not answers(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?probe=1", timeout=30) as got:
            assert got.status == 200
            assert got.read() == b"ok"
        lines += read_lines_until(server.stdout, lambda line: "granian.access" in line, deadline)
    finally:
        server.terminate()
        rest, errors = server.communicate(timeout=30)
    lines += rest.splitlines()

    entries = [json.loads(line) for line in lines]  # every line is JSON
    access = [e for e in entries if e["logger"] == "granian.access"]
    assert access  # one line per request: the probe, and waiting for the server to answer
    for line in access:
        assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
        assert line["remote_addr"] == "127.0.0.1"
        assert line["level"] == "INFO"
        assert line["message"].startswith("GET /healthz 200 ")
    assert errors == ""
