"""Requests per second of uploaded media through the web server, beside a static file.

    .venv/bin/python bench/media.py [--duration 10]

Starts the web server (newsroom.serve, two workers of one thread, no access log)
with MEDIA_ROOT in a scratch folder holding a file the size of the static file
measured (img/favicon.svg, served by WhiteNoise: the ceiling) and a 100 KB photo,
and runs ``wrk -t2 -c8`` on loopback against: the static file; each media file
through core.media; a revalidation of the photo (If-None-Match, answered 304); and,
for comparison, both media files through django.views.static.serve behind the
whole middleware stack (bench/media_before.py), as newsroom/urls.py served them
before issue 15. Needs wrk (``apt-get install wrk``); takes about 90 s.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import free_port, static_url, wait_until_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wrk(url, duration, headers=()):
    flags = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", *flags, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out.split("Latency Distribution")[1]).group(1)
    return rate, p99


def measure(env, duration, targets):
    """``targets``: (label, path, headers); starts one server for them all."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": "2", "WEB_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rates = []
    try:
        wait_until_up(port)
        for label, path, headers in targets:
            url = f"http://127.0.0.1:{port}{path}"
            wrk(url, 2, headers)  # warm both workers
            rate, p99 = wrk(url, duration, headers)
            rates.append(rate)
            print(f"{label:40} {rate:9.0f} req/s   p99 {p99:>8}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rates


def etag(env, path):
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.getheader("ETag")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="newsroom-bench-media-"))
    media = scratch / "media"
    (media / "photos").mkdir(parents=True)
    size = (ROOT / "static" / "img" / "favicon.svg").stat().st_size
    (media / "photos" / "small.jpg").write_bytes(os.urandom(size))
    (media / "photos" / "photo.jpg").write_bytes(os.urandom(100 * 1024))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",  # /healthz needs one
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    static = static_url(env)
    tag = etag(env, "/media/photos/photo.jpg")
    print(f"static file {static} ({size} bytes); media: a {size}-byte file, a 100 KB photo\n")
    ceiling, small, photo, _ = measure(
        env,
        args.duration,
        [
            ("static file, WhiteNoise (ceiling)", static, ()),
            (f"media {size} B, core.media", "/media/photos/small.jpg", ()),
            ("media 100 KB, core.media", "/media/photos/photo.jpg", ()),
            (
                "media 100 KB revalidated (304)",
                "/media/photos/photo.jpg",
                [f"If-None-Match: {tag}"],
            ),
        ],
    )
    small_before, photo_before = measure(
        {**env, "DJANGO_SETTINGS_MODULE": "bench.media_before"},
        args.duration,
        [
            (f"media {size} B, static.serve (before)", "/media/photos/small.jpg", ()),
            ("media 100 KB, static.serve (before)", "/media/photos/photo.jpg", ()),
        ],
    )
    print(
        f"\nmedia / static file of the same size = {small / ceiling:.2f}"
        f"\ncore.media / static.serve = {small / small_before:.2f}x ({size} B), "
        f"{photo / photo_before:.2f}x (100 KB)"
    )


if __name__ == "__main__":
    main()
