"""Requests per second of the article page through the web server, beside a static file.

    DATABASE_URL=sqlite:////tmp/bench100k.sqlite3 REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/throughput.py

Starts the web server (newsroom.serve) with two workers (no access log, the
page cache in Redis when REDIS_URL is set, as several workers need) and runs
``wrk -t2 -c8 -d20s`` on loopback three times in a row, each against a fresh
server: a small static file (WhiteNoise, through the same middleware: the
ceiling), the article page with the page cache off (every request renders it)
and with it on. Prints requests per second, the ratios to the static file
(goals: rendered at least 1/24, cached at least 1/2) and each worker's
resident memory after the run.

The machine is shared: this takes about a minute, run it sparingly.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def story_url(env):
    """The same story bench/render_times.py measures."""
    code = (
        "import importlib.util as u;"
        "s=u.spec_from_file_location('p','bench/render_times.py');m=u.module_from_spec(s);"
        "s.loader.exec_module(m);m.setup_django();print(m.pages()['article'])"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def static_url(env):
    code = (
        "import django;django.setup();"
        "from django.templatetags.static import static;print(static('img/favicon.svg'))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def wait_until_up(port):
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the web server did not start")


def worker_rss_mb(master_pid):
    out = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "rss="], capture_output=True, text=True
    ).stdout
    return [int(kb) / 1024 for kb in out.split()]


def run(env, path, duration, label):
    port = free_port()
    server = subprocess.Popen(
        # The server as deployed, with two workers of one thread each and no access
        # log (a JSON line per request would be measured too).
        [PYTHON, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": "2", "WEB_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port)
        url = f"http://127.0.0.1:{port}{path}"
        # Warm both workers (connections, templates, the page cache) before measuring.
        subprocess.run(["wrk", "-t2", "-c8", "-d2s", url], capture_output=True, check=True)
        out = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            raise SystemExit(f"{label}: {errors.group(1)} failed responses\n{out}")
        distribution = out.split("Latency Distribution")[1]
        p50 = re.search(r"50%\s+(\S+)", distribution).group(1)
        p99 = re.search(r"99%\s+(\S+)", distribution).group(1)
        rss = worker_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{label:28} {rate:9.0f} req/s   latency p50 {p50:>8} p99 {p99:>8}   "
        f"worker RSS {', '.join(f'{mb:.0f}' for mb in rss)} MB"
    )
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    story, static = story_url(env), static_url(env)
    cache = env.get("REDIS_URL") or "local memory"
    print(f"database {env.get('DATABASE_URL', '(default)')}, cache {cache}")
    print(f"story {story}\n")
    ceiling = run(env, static, args.duration, "static file (ceiling)")
    rendered = run(
        {**env, "PAGE_CACHE_ENABLED": "false"}, story, args.duration, "article, page cache off"
    )
    cached = run(env, story, args.duration, "article, page cache on")
    print(
        f"\nrendered / static = 1/{ceiling / rendered:.1f} (goal: 1/24 or better)"
        f"\ncached / static   = 1/{ceiling / cached:.2f} (goal: 1/2 or better)"
    )


if __name__ == "__main__":
    main()
