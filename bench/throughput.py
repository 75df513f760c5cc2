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
  (``bench/wagtail_site``, in a virtualenv of its own: ``bench/wagtail_reference.py``)
  under gunicorn with two sync workers, as Wagtail's docs deploy it: with its
  pictures (``{% picture %}``, renditions prefetched and cached), its text-only
  twin (the page issue 16 measured, before photos), and its stylesheet. A miss
  is judged against the faster of the two.

Setups: "production" (two workers of one thread, Redis; SQLite, and
PostgreSQL with ``--postgres``) and "embedded default" (no Redis: the server's
defaults without it). ``wrk -t2 -c8`` runs ``--rounds`` times over every
target in turn, alternating, so that the machine's drift spreads over all of
them; the medians are compared. Every request says it accepts gzip, as a
browser's does (``--identity``: it does not), so each server answers as it
answers readers. Prints the goals of issue 16 with each figure,
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
# Goals of issue 16: a miss against Wagtail, by setup.
MISS_VS_WAGTAIL = {"production": 2.0, "embedded default": 1.5}
# Sent with every request, as browsers send it: each server answers as it answers
# readers (WhiteNoise its gzipped files, newsroom its gzipped pages, Wagtail as it is
# deployed, uncompressed). ``--identity`` measures without it.
BROWSER_ENCODINGS = "Accept-Encoding: gzip, deflate, br"


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


def export_story(workdir):
    """The fixture's story as JSON in ``workdir``, for Wagtail to load; returns its path."""
    export = Path(workdir) / "story.json"
    subprocess.run(
        [sys.executable, "bench/story_fixture.py", "--export", str(export)],
        cwd=ROOT,
        env=newsroom_env(f"sqlite:///{workdir}/export.sqlite3", None),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return export


def setups(args, workdir):
    sqlite = f"sqlite:///{workdir}/newsroom.sqlite3"
    found = [("production", "SQLite + Redis", sqlite, args.redis)]
    if args.postgres:
        found.append(("production", "PostgreSQL + Redis", args.postgres, args.redis))
    found.append(("embedded default", "SQLite, no Redis", sqlite, None))
    return found


def measure(targets, rounds, duration, headers):
    """``{name: [req/s per round]}``, taking every target in turn each round."""
    rates = {name: [] for name in targets}
    for number in range(rounds):
        for name, url in targets.items():
            miss = name.endswith("miss")
            result = servers.wrk(url, duration, unique_queries=miss, seed=number, headers=headers)
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
            targets["Wagtail text-only"] = wagtail.url(wagtail.story_text)
            targets["Wagtail static"] = wagtail.url(wagtail.static)
        medians = measure(targets, args.rounds, args.duration, request_headers(args))
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


def request_headers(args):
    """What every request sends: a browser's Accept-Encoding, unless ``--identity``."""
    return () if args.identity else (BROWSER_ENCODINGS,)


def verdict(value, goal):
    return f"{value:.2f}x: {'met' if value >= goal else 'NOT MET'} (goal {goal}x)"


def rates_table(rows):
    names = [name for name in rows[0] if name.startswith(("newsroom ", "Wagtail "))]
    lines = [
        "| setup | newsroom's server | " + " | ".join(names) + " | worker RSS |",
        "|---|---|" + "---|" * len(names) + "---|",
    ]
    for row in rows:
        rates = " | ".join(f"{row[name]:,.0f}" for name in names)
        rss = ", ".join(f"{mb:.0f}" for mb in row["rss"])
        lines.append(f"| {row['label']} | {row['workers']} | {rates} | {rss} MB |")
    return lines


def goals_table(rows):
    lines = ["| setup | goal | figure |", "|---|---|---|"]
    for row in rows:
        cached = row["newsroom cached"] / row["newsroom static"]
        lines.append(f"| {row['label']} | cached page / static file | {verdict(cached, 0.8)} |")
        if "Wagtail story" not in row:
            continue
        # Judged against the faster of Wagtail's two pages: its text-only twin, as
        # issue 16 measured it, renders without the pictures our page carries.
        fastest = max(row["Wagtail story"], row["Wagtail text-only"])
        goal = MISS_VS_WAGTAIL[row["kind"]]
        miss = verdict(row["newsroom miss"] / fastest, goal)
        lines.append(f"| {row['label']} | miss / Wagtail's faster page | {miss} |")
        static = verdict(row["newsroom static"] / row["Wagtail static"], 1.0)
        lines.append(f"| {row['label']} | static file / Wagtail's | {static} |")
    return lines


def report(rows, sizes, started, headers):
    sizes_line = ", ".join(f"{name} {size:,} bytes" for name, size in sizes.items())
    return "\n".join(
        [
            SECTION_START,
            "## Requests per second through the web server (`bench/throughput.py`, issue 16)",
            "",
            f"**Measured** {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f} at the end; requests per second, medians of the rounds "
            f"(the method is in the script's docstring); every request sent "
            f"{'`' + headers[0] + '`' if headers else 'no Accept-Encoding'}.",
            "",
            *rates_table(rows),
            "",
            *goals_table(rows),
            "",
            f"HTML: {sizes_line}.",
            SECTION_END,
        ]
    )


def write_results(text, start=SECTION_START, end=SECTION_END):
    """``text`` in bench/RESULTS.md in place of the section between ``start`` and ``end``
    (appended the first time)."""
    current = RESULTS.read_text()
    if start in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
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
    parser.add_argument(
        "--identity", action="store_true", help="ask for uncompressed answers (no Accept-Encoding)"
    )
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory(prefix="newsroom-throughput-") as workdir:
        servers.collectstatic()
        export = export_story(workdir)
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
            sizes = {"newsroom story": rows[0]["html"], "the stylesheet": rows[0]["static size"]}
            if wagtail:
                sizes["Wagtail story"] = servers.size(wagtail.url(wagtail.story))
                sizes["Wagtail text-only"] = servers.size(wagtail.url(wagtail.story_text))
    text = report(rows, sizes, started, request_headers(args))
    print("\n" + text)
    if args.write:
        write_results(text)


if __name__ == "__main__":
    main()
