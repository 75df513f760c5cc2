"""Readers following a live story (issue 19): how soon each sees a change, what polls cost.

    .venv/bin/python bench/live_polling.py                  # SQLite + Redis, about 6 minutes
    .venv/bin/python bench/live_polling.py --postgres postgres://postgres@127.0.0.1:5432/nr_live

The production setup (``newsroom.serve``: two workers of one thread, Redis, the page cache
on) on a scratch database made here: the demo (``seed_demo``) and a live story of 30 entries.

1. **Freshness**: ``--readers`` readers, each with its own ETag and a phase of its own in the
   interval, poll the story's ``live.json`` every ``--poll`` s with ``If-None-Match`` (a new
   connection each time: the server closes idle ones after 10 s). This process, as the desk,
   saves through the ORM (same database and Redis: the signals make the stored answer stale)
   an entry every ``--entry-every`` s and a correction or a deletion between two. For each
   change and reader: from the commit to the first answer showing it (the new id, the changed
   version, the id gone). Goal: every reader within 2 s plus one poll interval.
2. **Rates**: ``wrk -t2 -c8`` in alternating rounds (medians; each round starts one target
   later, so each takes every place in turn) over the cached story page and the poll answer
   with ``If-None-Match`` (304s) and without (200s from the cache). Goal: polls at 0.9x the
   page or more, with no SQL: every worker counts its queries
   (bench/sql_counter, first in its ``PYTHONPATH``), read around each target's rounds, and a
   sample of polls must be 304s. Its count during the freshness run, when each change sends
   the answer back to the view, shows that it counts.
3. "Readers one box holds at a 10 s poll": each rate x 10.

Every request accepts gzip, as browsers do. ``--write`` replaces the section "Live coverage
(issue 19)" of bench/RESULTS.md with the figures, the date and the command.
"""

import argparse
import datetime
import http.client
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402  (bench/servers.py, beside this file)
from live_readers import Editor, Reader  # noqa: E402
from throughput import BROWSER_ENCODINGS, newsroom_env, write_results  # noqa: E402

ROOT = servers.ROOT
FRESHNESS_SLACK = 2.0  # seconds a reader may lag beyond one poll interval (issue 19)
POLL_VS_PAGE = 0.9
BOX_POLL = 10  # the poll interval of the "readers one box holds" figure
SEEDED_ENTRIES = 30
SLUG = "live-storm-landfall-bench"
SAMPLED_POLLS = 50
SQL_COUNTER = ROOT / "bench" / "sql_counter"  # a sitecustomize for the server's PYTHONPATH


def section(setup):
    """The markers of a setup's section in bench/RESULTS.md (each setup keeps its own)."""
    return f"<!-- live polling, {setup}: written by bench/live_polling.py -->", "<!-- /live -->"


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(env):
    """The scratch database migrated, the demo in it, and a live story; returns the story."""
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    setup_django(env)
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Credit, Person, Section
    from live.models import Entry

    started = timezone.now() - timedelta(hours=3)
    person = Person.objects.order_by("pk").first()
    with transaction.atomic():
        Article.objects.filter(slug=SLUG).delete()  # a PostgreSQL database run before
        story = Article.objects.create(
            kind=Article.Kind.LIVE,
            headline="Live: the storm makes landfall",
            slug=SLUG,
            dek="Updates as they come in.",
            body="<p>Our reporters follow the storm along the coast.</p>",
            status=Article.Status.PUBLISHED,
            published_at=started,
            section=Section.objects.order_by("pk").first(),
        )
        Credit.objects.create(article=story, person=person, position=0)
        for number in range(SEEDED_ENTRIES):
            entry = Entry.objects.create(
                story=story,
                headline=f"Update {number + 1}" if number % 3 == 0 else "",
                body=f"<p>Update number {number + 1} from the coast: winds, rain, roads.</p>",
                published_at=started + timedelta(minutes=5 * number),
                is_pinned=number == 0,
                is_key_point=number in (4, 12, 20),
            )
            entry.authors.add(person)
    return story


def schedule(args, rng):
    """(seconds after the start, kind): an entry every ``--entry-every`` s, a correction or
    a deletion half-way between, each up to a second late (a desk keeps no beat: the same
    reader is not always the last to poll after a change); the first once every reader has
    polled, the last early enough for every reader to poll after it."""
    step = args.entry_every / 2
    moment, kinds, plan = args.poll + 5.0, 0, []
    while moment <= args.duration - args.poll - FRESHNESS_SLACK - 2:
        kind = ("new entry", "correction", "new entry", "deletion")[kinds % 4]
        plan.append((moment + rng.uniform(0, 1), kind))
        moment, kinds = moment + step, kinds + 1
    return plan


def freshness(site, story, updates, args, counter):
    changes, rng = [], random.Random(19)
    readers = [Reader(phase=rng.uniform(0, args.poll)) for _ in range(args.readers)]
    start = time.monotonic() + 1
    end = start + args.duration
    threads = [
        threading.Thread(
            target=reader.follow, args=(site.port, updates, changes, start, end, args.poll)
        )
        for reader in readers
    ]
    for thread in threads:
        thread.start()
    editor = Editor(story, changes)
    queries = counter()
    for moment, kind in schedule(args, rng):
        time.sleep(max(0.0, start + moment - time.monotonic()))
        editor.save(kind)
        print(f"  {moment:5.0f} s  {kind} (entry {changes[-1].entry_id})", flush=True)
    for thread in threads:
        thread.join()
    queries = counter() - queries
    statuses = sum((reader.statuses for reader in readers), Counter())
    rows, delays, missed = [], [], 0
    for index, change in enumerate(changes):
        seen = [max(0.0, r.seen[index] - change.committed) for r in readers if index in r.seen]
        missed += len(readers) - len(seen)
        delays += seen
        rows.append((change, seen))
    return dict(rows=rows, delays=delays, missed=missed, statuses=statuses, queries=queries)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fetch(site, path, *headers):
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        connection.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("ETag")
    finally:
        connection.close()


def rates(site, story, updates, args, counter):
    """Medians of req/s by target, SQL queries by target, and the sampled polls' statuses."""
    fetch(site, story, BROWSER_ENCODINGS)  # stored, if the freshness run left it unread
    fetch(site, updates, BROWSER_ENCODINGS)
    etag = fetch(site, updates, BROWSER_ENCODINGS)[1]
    revalidate = (BROWSER_ENCODINGS, f"If-None-Match: {etag}")
    targets = {
        "story page (cached)": (story, (BROWSER_ENCODINGS,)),
        "poll, If-None-Match (304)": (updates, revalidate),
        "poll, no If-None-Match (200)": (updates, (BROWSER_ENCODINGS,)),
    }
    sampled = Counter(fetch(site, updates, *revalidate)[0] for _ in range(SAMPLED_POLLS))
    measured = {name: [] for name in targets}
    queries = dict.fromkeys(targets, 0)
    names = list(targets)
    for number in range(args.rounds):
        # Each round starts one target later: on this shared machine the first run of a
        # round was measured faster whichever it was (poll first: 304s above the page).
        for name in names[number % len(names) :] + names[: number % len(names)]:
            path, headers = targets[name]
            before = counter()
            result = servers.wrk(site.url(path), args.wrk_duration, seed=number, headers=headers)
            queries[name] += counter() - before
            measured[name].append(result.rate)
            print(f"  round {number + 1}  {name:30} {result.rate:8.0f} req/s  p99 {result.p99}")
    sampled += Counter(fetch(site, updates, *revalidate)[0] for _ in range(SAMPLED_POLLS))
    medians = {name: statistics.median(values) for name, values in measured.items()}
    return medians, queries, sampled


def tally(statuses):
    return ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items(), key=str))


def verdict(met):
    return "met" if met else "NOT MET"


def report(setup, workers, fresh, medians, queries, sampled, args, started):
    goal = args.poll + FRESHNESS_SLACK
    delays = fresh["delays"]
    worst = max(delays, default=float("nan"))
    met = fresh["missed"] == 0 and worst <= goal
    page, poll_304 = medians["story page (cached)"], medians["poll, If-None-Match (304)"]
    ratio = poll_304 / page
    polls = tally(fresh["statuses"])
    lines = [
        section(setup)[0],
        f"## Live coverage (issue 19), {setup}: readers polling a live story "
        "(`bench/live_polling.py`)",
        "",
        f"**Measured** {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end; {setup}, {workers}, page cache on. Command: "
        f"`{shlex.join(['.venv/bin/python', 'bench/live_polling.py', *sys.argv[1:]])}`.",
        "",
        f"**Freshness**: {args.readers} readers polling `live.json` every {args.poll:g} s "
        f"with `If-None-Match` for {args.duration:g} s, an entry saved every "
        f"{args.entry_every:g} s and a correction or a deletion between two. From the commit "
        f"to each reader's first answer showing the change:",
        "",
        "| change | entry | readers who saw it | 95th percentile | worst |",
        "|---|---|---|---|---|",
    ]
    for change, seen in fresh["rows"]:
        p95 = f"{percentile(seen, 0.95):.2f} s" if seen else "-"
        most = f"{max(seen):.2f} s" if seen else "-"
        lines.append(
            f"| {change.kind} | {change.entry_id} | {len(seen)}/{args.readers} | {p95} | {most} |"
        )
    p95_all = percentile(delays, 0.95) if delays else float("nan")
    lines += [
        "",
        f"All changes: 95th percentile {p95_all:.2f} s, worst {worst:.2f} s, "
        f"{fresh['missed']} (reader, change) pairs never seen; goal: every reader within "
        f"{goal:.0f} s ({FRESHNESS_SLACK:.0f} s + one poll interval): **{verdict(met)}**. "
        f"Poll answers: {polls}; the server ran {fresh['queries']} SQL queries meanwhile "
        f"(renders after each change).",
        "",
        f"**Rates** (`wrk -t2 -c8`, {args.wrk_duration} s, {args.rounds} alternating rounds, "
        f"medians; every request sent `{BROWSER_ENCODINGS}`):",
        "",
        "| target | req/s | SQL queries in its rounds | readers one box holds at a 10 s poll |",
        "|---|---|---|---|",
    ]
    for name, rate in medians.items():
        lines.append(f"| {name} | {rate:,.0f} | {queries[name]} | {rate * BOX_POLL:,.0f} |")
    statuses = tally(sampled)
    no_sql = queries["poll, If-None-Match (304)"] == 0 and set(sampled) == {304}
    lines += [
        "",
        f"Poll (304) / cached page: {ratio:.2f}x: **{verdict(ratio >= POLL_VS_PAGE)}** "
        f"(goal {POLL_VS_PAGE}x). Polls with `If-None-Match` sampled around the rounds: "
        f"{statuses}; no SQL for them: **{verdict(no_sql)}**. Readers one box holds at a "
        f"{BOX_POLL} s poll: **{poll_304 * BOX_POLL:,.0f}** (from the 304 rate; "
        f"{page * BOX_POLL:,.0f} from the cached page's).",
        section(setup)[1],
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--poll", type=float, default=10, help="seconds between a reader's polls")
    parser.add_argument("--entry-every", type=float, default=20, help="seconds between entries")
    parser.add_argument("--duration", type=float, default=120, help="seconds of the freshness run")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds over every target")
    parser.add_argument("--wrk-duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10", help="emptied first")
    parser.add_argument("--postgres", help="an empty PostgreSQL database, instead of SQLite")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    if args.duration < args.poll * 2 + FRESHNESS_SLACK + 6:
        parser.error("--duration must leave room for a change and a full poll after it")
    started = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory(prefix="newsroom-live-") as workdir:
        database = args.postgres or f"sqlite:///{workdir}/newsroom.sqlite3"
        setup = "PostgreSQL + Redis" if args.postgres else "SQLite + Redis"
        env = newsroom_env(database, args.redis)
        servers.flush_redis(args.redis)
        servers.collectstatic(env)
        story = prepare(env)
        from django.urls import NoReverseMatch, reverse

        story_path = story.get_absolute_url()
        try:
            updates = reverse("live:updates", args=story.address())
        except NoReverseMatch:
            raise SystemExit(
                "No live:updates route (live.json): the reader views are missing."
            ) from None
        log = Path(workdir) / "queries"
        log.touch()

        def counter():
            return log.stat().st_size

        path = os.pathsep.join(filter(None, [str(SQL_COUNTER), os.environ.get("PYTHONPATH")]))
        counting = {"PYTHONPATH": path, "BENCH_QUERY_LOG": str(log)}
        server_env = env | {"WEB_CONCURRENCY": "2", "WEB_THREADS": "1"} | counting
        with servers.newsroom(server_env) as site:
            print(f"{setup}, {site.describe()}; story {story_path}, polled {updates}")
            print(f"\nFreshness: {args.readers} readers, {args.duration:.0f} s")
            fresh = freshness(site, story, updates, args, counter)
            print("\nRates")
            medians, queries, sampled = rates(site, story_path, updates, args, counter)
            workers = site.describe()
    text = report(setup, workers, fresh, medians, queries, sampled, args, started)
    print("\n" + text)
    if args.write:
        write_results(text, *section(setup))


if __name__ == "__main__":
    main()
