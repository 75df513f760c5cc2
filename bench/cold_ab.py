"""The cold story page (bench/render_times.py's "cold": every cache emptied) in two
setups side by side, for a before/after on a noisy machine (``--page`` and ``--mode
render`` for another page, or with the rest kept).

    .venv/bin/python bench/cold_ab.py \\
        --database postgres://postgres@127.0.0.1:5432/newsroom_bench_q \\
        --a DATABASE_PREPARED_STATEMENTS=false --b DATABASE_PREPARED_STATEMENTS=true
    .venv/bin/python bench/cold_ab.py --database … --a-checkout /tmp/old-main   # code against code

Each setup is a process of its own (its environment variables, its checkout: the
current one unless told), warmed up, then asked in turn for a few cold requests at a
time, so that a slow minute of a shared machine falls on both alike. Medians of one
run compare; figures of runs taken an hour apart do not (this machine moves by ±20%
and more). Not part of the test suite.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in each setup's process: warm up, then answer "n" with n timings (ms).
WORKER = """
import json, sys
sys.path.insert(0, "bench")
import render_times
render_times.setup_django()
from django.conf import settings
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
url = render_times.pages()[sys.argv[2]]
emptied = sys.argv[3] == "cold"
settings.PAGE_CACHE_ENABLED = False
for _ in range(int(sys.argv[1])):
    render_times.timed(application, url, emptied)
print("ready", flush=True)
for line in sys.stdin:
    print(json.dumps([render_times.timed(application, url, emptied) for _ in range(int(line))]),
          flush=True)
"""


def assignments(pairs):
    variables = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"{pair!r}: give NAME=value")
        variables[name] = value
    return variables


def start(checkout, variables, args):
    env = {**os.environ, "DATABASE_URL": args.database, **variables}
    python = Path(checkout) / ".venv" / "bin" / "python"
    worker = subprocess.Popen(
        [
            str(python if python.exists() else sys.executable),
            *("-c", WORKER, str(args.warmup), args.page, args.mode),
        ],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if worker.stdout.readline().strip() != "ready":
        raise SystemExit(f"the setup in {checkout} with {variables} did not start")
    return worker


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of both setups")
    parser.add_argument("--a", nargs="*", default=[], metavar="NAME=value")
    parser.add_argument("--b", nargs="*", default=[], metavar="NAME=value")
    parser.add_argument("--a-checkout", default=str(ROOT))
    parser.add_argument("--b-checkout", default=str(ROOT))
    parser.add_argument("--page", default="article", help="a page of render_times.pages()")
    parser.add_argument(
        "--mode",
        choices=("cold", "render"),
        default="cold",
        help="cold: every cache emptied first; render: the page cache off, the rest kept",
    )
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=15)
    args = parser.parse_args()

    setups = {
        "a": (args.a_checkout, assignments(args.a)),
        "b": (args.b_checkout, assignments(args.b)),
    }
    workers = {
        name: start(checkout, variables, args) for name, (checkout, variables) in setups.items()
    }
    times = {name: [] for name in setups}
    for _ in range(args.rounds):
        for name, worker in workers.items():
            worker.stdin.write(f"{args.batch}\n")
            worker.stdin.flush()
            times[name] += json.loads(worker.stdout.readline())
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()

    print(f"{args.page} ({args.mode}), {args.database}, {args.rounds} x {args.batch} requests (ms)")
    medians = {}
    for name, (checkout, variables) in setups.items():
        ordered = sorted(times[name])
        medians[name] = statistics.median(ordered)
        quartiles = statistics.quantiles(ordered, n=4)
        described = " ".join(f"{k}={v}" for k, v in variables.items()) or "as configured"
        print(
            f"  {name}: median {medians[name]:6.2f}  quartiles {quartiles[0]:6.2f} / "
            f"{quartiles[2]:6.2f}   {described} ({checkout})"
        )
    print(f"  b / a: {medians['b'] / medians['a']:.2f}")


if __name__ == "__main__":
    main()
