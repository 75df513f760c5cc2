"""Wagtail 7.4 serving newsroom's benchmark story: the reference issue 16 measures us against.

    python bench/wagtail_reference.py --story /tmp/bench-story.json \\
        --workdir /tmp/wagtail-bench --serve 8765

The site is bench/wagtail_site (a plain Wagtail project: StoryPage, templates with
``{% picture %}``, WhiteNoise), run from its own virtualenv outside the repository
with the pins below. ``prepare`` builds a fresh database holding the story exported
by bench/story_fixture.py (``--export``) and its text-only twin, ``start`` serves them
with gunicorn. Standard library only, and no Django import: the benchmark imports this
from newsroom's venv.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import gettempdir

WAGTAIL = "wagtail==7.4.4"
GUNICORN = "gunicorn==23.0.0"
WHITENOISE = "whitenoise==6.9.0"
PINS = (WAGTAIL, GUNICORN, WHITENOISE)

VENV = Path(os.environ.get("WAGTAIL_VENV", Path(gettempdir()) / "newsroom-wagtail-venv"))
SITE = Path(__file__).resolve().parent / "wagtail_site"
MARKER = "newsroom-pins.txt"


def ensure_venv():
    """The Wagtail virtualenv, created and installed if its marker doesn't hold the pins."""
    marker = VENV / MARKER
    wanted = "\n".join(PINS) + "\n"
    if marker.exists() and marker.read_text() == wanted:
        return VENV
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", *PINS], check=True
    )
    marker.write_text(wanted)
    return VENV


def site_env(workdir, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        # newsroom's own settings must not leak into the Wagtail site's processes
        if not key.startswith(("DJANGO_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wagtail_site.settings",
        WAGTAIL_BENCH_DIR=str(workdir),
        WAGTAIL_BENCH_DB=str(workdir / "db.sqlite3"),
    )
    env.update(extra)
    return env


def site_python(workdir, *args, db=None):
    """Runs the Wagtail venv's python in the site's directory; returns its output."""
    env = site_env(workdir, **({"WAGTAIL_BENCH_DB": str(db)} if db else {}))
    out = subprocess.run(
        [str(VENV / "bin" / "python"), *args], cwd=SITE, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"{' '.join(args)} failed in the Wagtail site:\n{out.stderr}")
    return out.stdout


def manage(workdir, *args, db=None):
    return site_python(workdir, "manage.py", *args, db=db)


def migrated_db(workdir):
    """An empty migrated database to copy: Wagtail's ~200 migrations take ~20 s on SQLite."""
    key = hashlib.sha256("\n".join(PINS).encode())
    for path in sorted((SITE / "stories" / "migrations").glob("*.py")):
        key.update(path.read_bytes())
    template = workdir / f"migrated-{key.hexdigest()[:12]}.sqlite3"
    if not template.exists():
        for stale in workdir.glob("migrated-*.sqlite3"):
            stale.unlink()
        partial = template.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        manage(workdir, "migrate", "--noinput", "-v0", db=partial)
        partial.rename(template)
    return template


def prepare(story_json: Path, workdir: Path) -> dict:
    """A fresh site in ``workdir`` serving the story; the paths of the story, of its
    text-only twin (``story_text``: no photos, as issue 16 measured) and of the stylesheet.

    Renders both once so that the image renditions exist before anything is timed.
    """
    ensure_venv()
    story_json, workdir = Path(story_json).resolve(), Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    for generated in ("media", "static"):
        shutil.rmtree(workdir / generated, ignore_errors=True)
    db = workdir / "db.sqlite3"
    for path in (db, db.with_name("db.sqlite3-wal"), db.with_name("db.sqlite3-shm")):
        path.unlink(missing_ok=True)
    shutil.copyfile(migrated_db(workdir), db)

    story, story_text = manage(workdir, "load_story", str(story_json)).strip().splitlines()[-2:]
    manage(workdir, "collectstatic", "--noinput", "-v0")
    manifest = json.loads((workdir / "static" / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"]["css/site.css"]

    render = (
        "import sys,django;django.setup();from django.test import Client;"
        "print(*(Client().get(p,HTTP_HOST='127.0.0.1').status_code for p in sys.argv[1:]))"
    )
    statuses = site_python(workdir, "-c", render, story, story_text).split()
    for path, status in zip((story, story_text), statuses, strict=True):
        if status != "200":
            raise RuntimeError(f"the Wagtail story page {path} answered {status}")
    (workdir / "story-path").write_text(story)
    return {"story": story, "story_text": story_text, "static": static}


def get_status(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def start(workdir: Path, port: int, workers: int = 2, *, serve_media=False) -> subprocess.Popen:
    """gunicorn serving the prepared site on 127.0.0.1:``port``, once the story answers 200.

    Stop it with ``.terminate()`` and ``.wait()``. ``serve_media`` also serves /media/
    (for a look in a browser; in production the front web server does).
    """
    workdir = Path(workdir).resolve()
    story = (workdir / "story-path").read_text().strip()
    extra = {"WAGTAIL_BENCH_SERVE_MEDIA": "1"} if serve_media else {}
    server = subprocess.Popen(
        [
            str(VENV / "bin" / "gunicorn"),
            "-w",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wagtail_site.wsgi",
        ],
        cwd=SITE,
        env=site_env(workdir, **extra),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            if get_status(port, story) == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    server.wait()
    raise RuntimeError(f"the Wagtail site did not answer 200 on port {port} within 60 s")


@dataclass
class Running:
    """The site being served: its port and the paths of the story, of its text-only
    twin and of the stylesheet."""

    port: int
    story: str
    static: str
    story_text: str

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def serving(story_json: Path, workdir: Path, workers: int = 2):
    """``prepare()`` then ``start()`` on a free port, stopped on leaving the block."""
    paths = prepare(story_json, workdir)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = start(workdir, port, workers)
    try:
        yield Running(
            port, story=paths["story"], static=paths["static"], story_text=paths["story_text"]
        )
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--story", type=Path, required=True, help="bench/story_fixture.py export")
    parser.add_argument("--workdir", type=Path, default=Path(gettempdir()) / "wagtail-bench")
    parser.add_argument("--serve", type=int, metavar="PORT", help="then serve it until Ctrl-C")
    args = parser.parse_args()
    paths = prepare(args.story, args.workdir)
    if not args.serve:
        print(json.dumps(paths))
        return
    server = start(args.workdir, args.serve, serve_media=True)
    base = f"http://127.0.0.1:{args.serve}"
    for name in ("story", "story_text", "static"):
        print(f"{name + ':':11} {base}{paths[name]}", flush=True)
    # a plain `kill` of this script must not leave gunicorn running
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
