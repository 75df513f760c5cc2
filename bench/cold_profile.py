"""Where the cold story page's time goes: the database's share, query by query, and the
templates', measured in-process on the database of DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_q \\
        .venv/bin/python bench/cold_profile.py --runs 30

"Cold" is as in bench/render_times.py: the cache emptied before each request (the page
cache off), so every kept value (story row, story markup, related-posts ranking,
navigation, counts, comment form) is computed again. For each of the page's queries
it prints the median wall time seen by Django (build excluded: the round trip and the
rows) and, on PostgreSQL, what the server says it spent planning and executing it
(``EXPLAIN ANALYZE``, run once after the timed requests). Then each template's time,
inclusive of what it includes. What is neither is Python outside templates: the ORM
building and compiling queries, and making model instances of the rows. Last, the
view's parts (the story row, its related posts, the comment section, the navigation),
each inclusive of its queries and templates: which part a change should aim at.

Run it on the copy ``render_times.py --lead-photos`` made (the story page as measured
there, with its photos); it only reads. Not part of the test suite.
"""

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render_times  # noqa: E402  (the same story, the same request)


def main_table(sql):
    """A label for a query: the table its outermost FROM reads (not a subquery's)."""
    depth = 0
    for at, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", at):
            return sql[at + 6 :].split()[0].strip('"')
    return sql[:30]


def profile(runs, warmup):
    from django.conf import settings
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.template import base
    from django.template.backends import jinja2

    application = get_wsgi_application()
    url = render_times.pages()["article"]
    settings.PAGE_CACHE_ENABLED = False

    per_request = {}
    seen_sql = {}

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = f"{len(per_request) + 1}. {main_table(sql)}"
            per_request[label] = (time.perf_counter() - start) * 1000
            seen_sql[label] = (sql, params)

    templates = collections.defaultdict(float)
    original_render = base.Template._render
    original_jinja2_render = jinja2.Template.render
    parts, part_times = collections.defaultdict(float), collections.defaultdict(list)
    originals = [(owner, name, label, getattr(owner, name)) for owner, name, label in view_parts()]

    def render(self, context):
        start = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            templates[self.origin.template_name] += (time.perf_counter() - start) * 1000

    def render_jinja2(self, context=None, request=None):
        # A Jinja2 template's own includes are compiled into it: only the outermost shows.
        start = time.perf_counter()
        try:
            return original_jinja2_render(self, context, request)
        finally:
            name = f"{self.origin.template_name} (Jinja2)"
            templates[name] += (time.perf_counter() - start) * 1000

    for _ in range(warmup):
        cache.clear()
        render_times.get(application, url)
    totals, queries = [], collections.defaultdict(list)
    # Patched for the timed requests only, as the templates are; put back however they end.
    base.Template._render = render
    jinja2.Template.render = render_jinja2
    for owner, name, label, original in originals:
        setattr(owner, name, timed_part(original, label, parts))
    try:
        for _ in range(runs):
            cache.clear()
            per_request.clear()
            parts.clear()
            start = time.perf_counter()
            with connection.execute_wrapper(timed):
                render_times.get(application, url)
            totals.append(((time.perf_counter() - start) * 1000, sum(per_request.values())))
            for label, spent in per_request.items():
                queries[label].append(spent)
            for label, spent in parts.items():
                part_times[label].append(spent)
    finally:
        base.Template._render = original_render
        jinja2.Template.render = original_jinja2_render
        for owner, name, _, original in originals:
            setattr(owner, name, original)
    plans = explain(connection, seen_sql) if connection.vendor == "postgresql" else {}
    templates = {name: ms / runs for name, ms in templates.items()}
    # In the order of view_parts(); a part the page did not reach (no comments) is left out.
    parts = {
        label: statistics.median(part_times[label])
        for *_, label in view_parts()
        if part_times[label]
    }
    return url, totals, queries, plans, templates, parts


def view_parts():
    """``(owner, attribute, label)`` of the parts of the story page timed one by one."""
    from articles import views
    from articles.models import people
    from comments.discussion import Discussion

    return [
        (views.ArticleDetailView, "get_object", "the story row (get_object)"),
        (views.ArticleDetailView, "render_story", "the story's markup (render_story)"),
        (views, "related_articles", "  of which related posts"),
        (Discussion, "__init__", "comment section: settings, comments"),
        (Discussion, "render_threads", "comment section: threads"),
        (Discussion, "render_form", "comment section: form"),
        (people, "sections_in_use", "navigation: sections in use"),
    ]


def timed_part(function, label, parts):
    """``function``, adding the milliseconds each call takes to ``parts[label]``."""

    def part(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            parts[label] += (time.perf_counter() - start) * 1000

    return part


def explain(connection, seen_sql):
    """``{label: (planning ms, execution ms)}`` from the server itself."""
    plans = {}
    with connection.cursor() as cursor:
        for label, (sql, params) in seen_sql.items():
            cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY) {sql}", params)
            lines = [row[0] for row in cursor.fetchall()]
            found = {
                line.split(":")[0]: float(line.split(":")[1].split()[0])
                for line in lines
                if line.startswith(("Planning Time", "Execution Time"))
            }
            plans[label] = (found.get("Planning Time"), found.get("Execution Time"))
    return plans


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    render_times.setup_django()
    url, totals, queries, plans, templates, parts = profile(args.runs, args.warmup)
    cold = statistics.median(total for total, _ in totals)
    in_sql = statistics.median(sql for _, sql in totals)
    print(
        f"{url}\ncold median {cold:.2f} ms, of which in the {len(queries)} queries {in_sql:.2f} ms"
    )
    print(f"\n{'query':32} {'wall ms':>8} {'plan ms':>8} {'exec ms':>8}")
    for label, spent in queries.items():
        planning, execution = plans.get(label, (None, None))
        shown = [
            f"{value:8.2f}" if value is not None else f"{'-':>8}" for value in (planning, execution)
        ]
        print(f"{label:32} {statistics.median(spent):8.2f} {' '.join(shown)}")
    if plans:
        planned = sum(p or 0 for p, _ in plans.values())
        executed = sum(e or 0 for _, e in plans.values())
        print(f"{'the server, in all':32} {'':8} {planned:8.2f} {executed:8.2f}")
    print(f"\n{'template (inclusive)':40} {'ms':>8}")
    for name, spent in sorted(templates.items(), key=lambda item: -item[1])[:12]:
        print(f"{name:40} {spent:8.2f}")
    print(f"\n{'part of the view (inclusive, median)':40} {'ms':>8}")
    for label, spent in parts.items():
        print(f"{label:40} {spent:8.2f}")


if __name__ == "__main__":
    main()
