"""Seconds until a change saved by one process shows on pages other processes cached.

    .venv/bin/python bench/stale_pages.py [--rounds 5] [--give-up 30]

The embedded default (SQLite, no Redis): two web servers (newsroom.serve) of one process each
on a scratch database seeded with the demo. Each round caches the story page and
the front page in both, changes the headline from a separate ``manage.py shell``
process, and polls both servers until both pages show it (at most ``--give-up``
seconds). Prints the seconds of each round, from the end of the command to the
moment the last of the four pages showed the change.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port  # noqa: E402


def manage(env, *args):
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True).stdout


@contextmanager
def server(env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": "1", "WEB_THREADS": "4"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                fetch(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--give-up", type=float, default=30.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput", "-v0")
        story = re.search(r"Demo story: (\S+)", manage(env, "seed_demo")).group(1)
        slug = story.rstrip("/").rsplit("/", 1)[-1]
        with ExitStack() as stack:
            ports = [stack.enter_context(server(env)) for _ in range(2)]
            for round_number in range(1, options.rounds + 1):
                headline = f"Headline of round {round_number}"
                for port in ports:
                    for _ in range(2):
                        fetch(port, story), fetch(port, "/")
                code = (
                    "from articles.models import Article; "
                    f"a = Article.objects.get(slug='{slug}'); a.headline = '{headline}'; a.save()"
                )
                manage(env, "shell", "-c", code)
                saved = time.monotonic()
                waiting = {(port, path) for port in ports for path in (story, "/")}
                while waiting and time.monotonic() - saved < options.give_up:
                    waiting = {(p, path) for p, path in waiting if headline not in fetch(p, path)}
                    if waiting:
                        time.sleep(0.05)
                seconds = time.monotonic() - saved
                shown = "never (gave up)" if waiting else f"{seconds:.3f} s"
                print(f"round {round_number}: the change showed on every page after {shown}")


if __name__ == "__main__":
    main()
