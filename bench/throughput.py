"""Requests per second of a story page that misses the page cache, beside Wagtail.

    .venv/bin/python bench/throughput.py                      # SQLite, with and without Redis
    .venv/bin/python bench/throughput.py --postgres postgres://postgres@127.0.0.1:5432/nr_bench

Measures what readers meet, on the setups people deploy: the web server as
``make run`` and production start it (``newsroom.serve``), the page cache on,
and the story of ``bench/story_fixture.py`` (a lead photo, six tags, six related
posts with photos on their cards, twenty approved comments):

- **miss**: every request carries a query string never sent before
  (``?cpage=N``, a parameter the page reads; an unregistered one such as
  ``?x=N`` would be answered from the cache). The page cache looks, misses,
  renders the page from its kept parts and stores it: what the first reader of
  a page pays, and every reader of a page that changed;
- **cached**: the story page as anonymous readers get it;
- **static**: the site's stylesheet through the same server (WhiteNoise);
- **Wagtail**: the same story served by a small Wagtail 7.4 site of our own
  (``bench/wagtail_site``) under gunicorn with two sync workers, and its
  stylesheet, in their own virtualenv (``bench/wagtail_reference.py``).

Setups: "production" (two workers of one thread, Redis; SQLite, and
PostgreSQL with ``--postgres``) and "embedded default" (no Redis: the server's
defaults without it). ``wrk -t2 -c8`` runs ``--rounds`` times over every
target in turn, alternating, so that the machine's drift spreads over all of
them; the medians are compared. Prints the goals of issue 16 with each figure,
and with ``--write`` replaces the throughput section of bench/RESULTS.md.

The machine is shared: this takes about ten minutes, run it sparingly.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402  (bench/servers.py, beside this file)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION_START = "<!-- throughput: written by bench/throughput.py -->"
SECTION_END = "<!-- /throughput -->"
# Goals of issue 16.
MISS_VS_WAGTAIL = {"production": 2.0, "embedded default": 1.5}
CACHED_VS_STATIC = 0.8


def newsroom_env(database_url, redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def build_story(env):
    """The fixture loaded into ``env``'s database; returns the story's path."""
    out = subprocess.run(
        [sys.executable, "bench/story_fixture.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def setups(args, workdir):
    sqlite = f"sqlite:///{workdir}/newsroom.sqlite3"
    found = [("production", "SQLite + Redis", sqlite, args.redis)]
    if args.postgres:
        found.append(("production", "PostgreSQL + Redis", args.postgres, args.redis))
    found.append(("embedded default", "SQLite, no Redis", sqlite, None))
    return found


def measure(targets, rounds, duration):
    """``{name: [req/s per round]}``, taking every target in turn each round."""
    rates = {name: [] for name in targets}
    for number in range(rounds):
        for name, url in targets.items():
            result = servers.wrk(url, duration, unique_queries=name.endswith("miss"), seed=number)
            rates[name].append(result.rate)
            print(f"  round {number + 1}  {name:22} {result.rate:8.0f} req/s  p99 {result.p99}")
    return {name: statistics.median(values) for name, values in rates.items()}


def run_setup(kind, label, database_url, redis_url, wagtail, args):
    print(f"\n{label} ({kind})")
    env = newsroom_env(database_url, redis_url)
    if redis_url:
        servers.flush_redis(redis_url)
    story = build_story(env)
    concurrency = {"WEB_CONCURRENCY": "2", "WEB_THREADS": "1"} if redis_url else {}
    with servers.newsroom(env | concurrency) as site:
        static = site.static_url("css/site.css")
        targets = {
            "newsroom static": site.url(static),
            "newsroom cached": site.url(story),
            "newsroom miss": site.url(story),
        }
        if wagtail:
            targets["Wagtail story"] = wagtail.url(wagtail.story)
            targets["Wagtail static"] = wagtail.url(wagtail.static)
        medians = measure(targets, args.rounds, args.duration)
        row = {
            "kind": kind,
            "label": label,
            "workers": site.describe(),
            "rss": site.worker_rss_mb(),
            "html": servers.size(site.url(story)),
            "static size": servers.size(site.url(static)),
            **medians,
        }
    return row


def verdict(value, goal):
    return f"{value:.2f}x ({'met' if value >= goal else 'NOT met'}: goal {goal}x)"


def report(rows, wagtail_html, started):
    lines = [
        SECTION_START,
        "## Requests per second through the web server (`bench/throughput.py`, issue 16)",
        "",
        f"**Measured** {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end. The story of `bench/story_fixture.py`; "
        "medians of the rounds (see the script's docstring for the method).",
        "",
        "| setup | newsroom server | static | cached | miss | Wagtail story | Wagtail static "
        "| cached / static | miss / Wagtail | worker RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        wagtail, wagtail_static = row.get("Wagtail story"), row.get("Wagtail static")
        goal = MISS_VS_WAGTAIL[row["kind"]]
        against_wagtail = verdict(row["newsroom miss"] / wagtail, goal) if wagtail else "—"
        lines.append(
            f"| {row['label']} | {row['workers']} | {row['newsroom static']:,.0f} "
            f"| {row['newsroom cached']:,.0f} | {row['newsroom miss']:,.0f} "
            f"| {f'{wagtail:,.0f}' if wagtail else '—'} "
            f"| {f'{wagtail_static:,.0f}' if wagtail else '—'} "
            f"| {verdict(row['newsroom cached'] / row['newsroom static'], CACHED_VS_STATIC)} "
            f"| {against_wagtail} "
            f"| {', '.join(f'{mb:.0f}' for mb in row['rss'])} MB |"
        )
    first = rows[0]
    lines += [
        "",
        f"Story page HTML: newsroom {first['html']:,} bytes, Wagtail {wagtail_html:,} bytes"
        if wagtail_html
        else f"Story page HTML: {first['html']:,} bytes",
        f"; the static file measured is {first['static size']:,} bytes.",
        SECTION_END,
    ]
    return "\n".join(lines).replace("\n;", ";")


def write_results(text):
    current = RESULTS.read_text()
    if SECTION_START in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1]
        current = before + text + after
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(current)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="emptied first")
    parser.add_argument("--postgres", help="an empty PostgreSQL database, to add that setup")
    parser.add_argument("--no-wagtail", action="store_true", help="measure newsroom alone")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory(prefix="newsroom-throughput-") as workdir:
        servers.collectstatic()
        export = Path(workdir) / "story.json"
        subprocess.run(
            [sys.executable, "bench/story_fixture.py", "--export", str(export)],
            cwd=ROOT,
            env=newsroom_env(f"sqlite:///{workdir}/export.sqlite3", None),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if args.no_wagtail:
            wagtail_context = servers.nothing()
        else:
            import wagtail_reference

            wagtail_context = wagtail_reference.serving(export, Path(workdir) / "wagtail")
        with wagtail_context as wagtail:
            rows = [
                run_setup(kind, label, database, redis, wagtail, args)
                for kind, label, database, redis in setups(args, workdir)
            ]
            wagtail_html = servers.size(wagtail.url(wagtail.story)) if wagtail else None
    text = report(rows, wagtail_html, started)
    print("\n" + text)
    if args.write:
        write_results(text)


if __name__ == "__main__":
    main()
