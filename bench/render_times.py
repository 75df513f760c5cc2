"""Time every public page in-process, warm, on one or more databases.

    DATABASE_URL=sqlite:////tmp/bench1k.sqlite3 .venv/bin/python bench/render_times.py
    .venv/bin/python bench/render_times.py --compare sqlite:////tmp/bench1k.sqlite3 \\
        sqlite:////tmp/bench100k.sqlite3

Each page is requested through Django's WSGI handler (the whole middleware
stack, as the web server calls it) a few times to warm up, then ``--runs`` times;
the median and the 95th percentile are printed three ways: "cold", the cache
emptied before each request (nothing kept: page, navigation, counts, a story's
markup); "render", the page cache off and the rest kept, which is what a reader
gets when a change (an approved comment, a new story under a tag) sent the page
back to the views; and "cached", a hit. Then the number of SQL queries of a cold
render and the size of the HTML. With ``--compare``, the script runs itself once
per database and prints the ratio of the "render" medians between the first
database and each of the others (the goal is at most 1.5x).

Generated stories have no photos; ``--lead-photos`` first gives the measured story
and its related posts lead photos (drawn as the demo's are, demo.photos) with the
renditions the worker makes of every upload, so the article's figures include the
``<picture>`` markup. It WRITES to the database (photos, renditions, the stories'
``lead_photo``) and to MEDIA_ROOT, once (a second run finds the photos): run it on a
copy (``createdb -T newsroom_bench newsroom_bench_copy``).

Not part of the test suite: it measures, and a machine's speed is no test.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def measured_story():
    """A typical story: the newest with six tags and comments."""
    from django.db.models import Count

    from articles.models import Article

    published = Article.objects.published()
    return (
        published.annotate(tag_count=Count("tagged_items"))
        .filter(tag_count=6, comment_count__gte=5)
        .order_by("-published_at")
        .first()
    ) or published.order_by("-published_at").first()


def pages():
    """One URL of each kind of public page, chosen the same way on any database."""
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Credit, Section

    story = measured_story()
    day = timezone.localdate(story.published_at)
    section = Section.objects.order_by("position", "name").first()
    by_use = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n", "pk")
    popular = by_use.first()
    tag = by_use.filter(pk__in=story.tags.all()).first()  # the story's most used tag
    author = Credit.objects.filter(article=story).order_by("position").first().person
    return {
        "article": story.get_absolute_url(),
        "front": "/",
        "front page 2": "/?page=2",
        "section": section.get_absolute_url(),
        "tag (the story's)": f"/tag/{tag.slug}/",
        "tag (most used)": f"/tag/{popular.slug}/",
        "author": author.get_absolute_url(),
        "year": f"/{day:%Y}/",
        "month": f"/{day:%Y/%m}/",
        "day": f"/{day:%Y/%m/%d}/",
        "search": f"/search/?q={story.headline.split()[0].strip(':')}",
        "feed": "/feed/",
        "section feed": f"{section.get_absolute_url()}feed/",
        "tag feed": f"/tag/{tag.slug}/feed/",
        "sitemap.xml": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "corrections": "/corrections/",
    }


def give_lead_photos():
    """The measured story and its related posts with a lead photo each, where they have
    none, and the photos' renditions made: the standard set (photos.tasks makes it on
    upload) and the square crop the related cards show, which the first readers'
    requests make on a site (photos.views.RenditionView)."""
    from articles.models import Article
    from articles.related import related_articles
    from core import stamps
    from demo import photos as drawn_photos
    from photos import renditions

    story = Article.objects.get(pk=measured_story().pk)
    for shown in [story, *related_articles(story)]:
        if shown.lead_photo_id:
            continue
        photo = drawn_photos.library_photo(
            shown.slug, f"Bench photo: {shown.slug}", f"bench-{shown.pk}.jpg"
        )
        squares = [
            renditions.Spec("1:1", width, fmt)
            for width in renditions.widths(photo, "1:1")
            for fmt in renditions.formats(photo)
        ]
        renditions.generate(photo, [*renditions.standard_specs(photo), *squares])
        # Only the column: no signal handlers (search, counts), which would queue work;
        # the caches are told below.
        Article.objects.filter(pk=shown.pk).update(lead_photo=photo)
        print(f"lead photo {photo.pk} for {shown.slug}", file=sys.stderr)
    stamps.touch_everything()


def get(application, url, **headers):
    """``url``'s body through the WSGI ``application``; ``headers`` as environ keys
    (``HTTP_ACCEPT_ENCODING="gzip"``)."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    status = []
    answer = application(environ, lambda s, h, *a: status.append(s))
    body = b"".join(answer)
    answer.close()  # as a server does: Django's request_finished work runs here
    if not status[0].startswith("200"):
        raise SystemExit(f"{url} answered {status[0]}")
    return body


def timed(application, url, emptied):
    """Milliseconds of one request for ``url``; with ``emptied``, every cache emptied
    first ("cold"). bench/cold_ab.py times with this too."""
    from django.core.cache import cache

    if emptied:
        cache.clear()
    start = time.perf_counter()
    get(application, url)
    return (time.perf_counter() - start) * 1000


def measure(runs, warmup, only=None):
    from django.conf import settings
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = get_wsgi_application()
    results = {}
    for name, url in pages().items():
        if only and name not in only:
            continue
        row = {"url": url}
        for mode, enabled, emptied in (
            ("cold", False, True),
            ("render", False, False),
            ("cached", True, False),
        ):
            settings.PAGE_CACHE_ENABLED = enabled
            for _ in range(warmup):
                body = get(application, url)
            times = [timed(application, url, emptied) for _ in range(runs)]
            times.sort()
            row[mode] = {
                "median": statistics.median(times),
                "p95": times[max(0, round(0.95 * len(times)) - 1)],
            }
        settings.PAGE_CACHE_ENABLED = False
        cache.clear()  # every query of a render with nothing kept
        with CaptureQueriesContext(connection) as queries:
            body = get(application, url)
        row["queries"] = len(queries)
        row["bytes"] = len(body)
        results[name] = row
    return results


def print_table(results, label):
    print(f"\n{label}   (milliseconds: median / 95th percentile)")
    print(f"{'page':20} {'cold':>17} {'render':>17} {'cached':>15} {'SQL':>5} {'KB':>6}")
    for name, row in results.items():
        cold, render, cached = row["cold"], row["render"], row["cached"]
        print(
            f"{name:20} {cold['median']:8.2f} / {cold['p95']:6.2f} "
            f"{render['median']:8.2f} / {render['p95']:6.2f} "
            f"{cached['median']:6.3f} / {cached['p95']:5.3f} {row['queries']:5} "
            f"{row['bytes'] / 1024:6.1f}"
        )


def compare(databases, runs, warmup, only, lead_photos):
    measured = []
    for url in databases:
        env = {**os.environ, "DATABASE_URL": url}
        pages_wanted = ["--only", *only] if only else []
        photos_wanted = ["--lead-photos"] if lead_photos else []
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--json",
                "--runs",
                str(runs),
                "--warmup",
                str(warmup),
                *pages_wanted,
                *photos_wanted,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results = json.loads(output.strip().splitlines()[-1])
        measured.append((url, results))
        print_table(results, url)
    base_url, base = measured[0]
    for url, results in measured[1:]:
        print(f"\nratio of render medians, {url} / {base_url}")
        for name, row in results.items():
            ratio = row["render"]["median"] / base[name]["render"]["median"]
            flag = "" if ratio <= 1.5 else "   <-- over 1.5x"
            print(f"{name:20} {ratio:5.2f}x{flag}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--compare", nargs="+", metavar="DATABASE_URL")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help='e.g. --only article "search"')
    parser.add_argument(
        "--lead-photos",
        action="store_true",
        help="first give the measured story and its related posts lead photos (WRITES)",
    )
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.runs, args.warmup, args.only, args.lead_photos)
        return
    setup_django()
    if args.lead_photos:
        give_lead_photos()
    results = measure(args.runs, args.warmup, args.only)
    if args.json:
        print(json.dumps(results))
    else:
        print_table(results, os.environ.get("DATABASE_URL", "default database"))


if __name__ == "__main__":
    main()
