"""What the benchmarks share: newsroom's web server started as deployed, and wrk."""

import http.client
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# wrk sends each request with a query string no request sent before: ``?cpage=N``
# (a parameter story pages read, so the page cache keys on it). Each thread counts
# in a range of its own, and each round (the script's argument) in another.
UNIQUE_QUERIES = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("first", threads * 100000000)
end
function init(args)
  n = first + tonumber(args[1] or 0) * 10000000
end
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?cpage=" .. n)
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port, path="/healthz", timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the web server on port {port} did not start")


def static_url(env, name="img/favicon.svg"):
    """The address ``{% static name %}`` gives (hashed by the manifest)."""
    code = (
        "import django;django.setup();"
        f"from django.templatetags.static import static;print(static({name!r}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def collectstatic(env=None):
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


@dataclass
class Result:
    rate: float
    p50: str
    p99: str


def wrk(url, duration, unique_queries=False, seed=0, headers=()):
    """``wrk -t2 -c8`` for ``duration`` seconds after a 2-second warm-up."""
    flags = [arg for header in headers for arg in ("-H", header)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if unique_queries:
            script.write(UNIQUE_QUERIES)
            script.flush()
            flags += ["-s", script.name]
        warm_up = ["wrk", "-t2", "-c8", "-d2s", *flags, url, "--", str(seed * 2 + 1)]
        subprocess.run(warm_up, capture_output=True, check=True)
        command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", *flags, url]
        out = subprocess.run(
            [*command, "--", str(seed * 2)], capture_output=True, text=True, check=True
        ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    distribution = out.split("Latency Distribution")[1]
    return Result(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=re.search(r"50%\s+(\S+)", distribution).group(1),
        p99=re.search(r"99%\s+(\S+)", distribution).group(1),
    )


def size(url):
    """Bytes of the body at ``url``, as sent without compression."""
    with urlopen(url, timeout=30) as response:
        return len(response.read())


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


class Server:
    """A web server on a port of loopback, started by ``serving()``."""

    def __init__(self, process, port, env):
        self.process, self.port, self.env = process, port, env

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def static_url(self, name):
        return static_url(self.env, name)

    def describe(self):
        """The server's processes and threads, as newsroom.serve works them out."""
        code = "from newsroom.serve import processes_and_threads as p;print(*p())"
        out = subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        workers, threads = out.stdout.split()
        return f"Granian, {workers} workers x {threads} threads"

    def worker_rss_mb(self):
        """Resident memory of the server's worker processes (its children)."""
        out = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "rss="], capture_output=True, text=True
        ).stdout
        return [int(kb) / 1024 for kb in out.split()]


@contextmanager
def serving(command, env, port, cwd=ROOT, ready="/healthz"):
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, ready)
        yield Server(process, port, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def newsroom(env):
    """newsroom's web server as deployed (``newsroom.serve``), without an access log
    (a JSON line per request would be measured too)."""
    port = free_port()
    command = [PYTHON, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"]
    return serving(command, env, port)


@contextmanager
def nothing():
    yield None
