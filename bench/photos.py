"""What a 24-megapixel lead photo costs: to make its renditions, and a phone to download.

    .venv/bin/python bench/photos.py [--runs 3] [--no-browser] [--append]

In a scratch SQLite database and media folder (removed afterwards): makes a
6000x4000 JPEG with Pillow (gradients and grain, which compress like a photograph,
unlike flat colour), then

- times ``photos.renditions.generate`` of the photo's standard set (what the story
  page, cards, og:image and JSON-LD use; what the background task makes on upload),
  best and median of ``--runs``, each into an empty storage, and the CPU time (the
  wall time on a machine shared with other work says little alone); goal: under 2 s;
- loads the demo's reference story, with that photo as its lead, in Chromium at phone
  width (390 CSS px, DPR 3) from the web server as deployed (tests/servers.py), and
  sums the bytes of every image response; goal: at most a third of the original's.

With ``--append`` the figures are added to bench/RESULTS.md with the date. Not part
of the test suite: it measures, and a machine's speed is no test.
"""

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def setup(scratch):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings_test",
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        COMMENT_MIN_SECONDS="0",
    )
    for name in ("DATABASE_REPLICA_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def make_original():
    from tests.photo_files import jpeg_bytes

    return jpeg_bytes((6000, 4000), quality=92)


def time_generation(photo, runs):
    from django.core.files.storage import default_storage

    from photos import renditions
    from photos.models import Rendition

    specs = renditions.standard_specs(photo)
    times, cpu = [], []
    for _ in range(runs):
        Rendition.objects.filter(photo=photo).delete()
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(default_storage.path("renditions"))
        renditions.forget_stored(photo)
        start, start_cpu = time.perf_counter(), time.process_time()
        made = renditions.generate(photo, specs)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    stored = sum(Rendition.objects.filter(photo=photo).values_list("size", flat=True))
    return {
        "made": made,
        "best": min(times),
        "median": statistics.median(times),
        "cpu": statistics.median(cpu),
        "bytes": stored,
    }


def phone_bytes(story_url):
    from playwright.sync_api import sync_playwright

    from tests.servers import web_server

    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING"}
    images = []
    with web_server(env) as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3)
        page = context.new_page()
        page.on("requestfinished", lambda request: images.append(request))
        page.goto(f"http://127.0.0.1:{port}{story_url}", wait_until="load")
        chosen = page.locator("figure.lead-image img").evaluate("img => img.currentSrc")
        total = 0
        for request in images:
            if request.resource_type == "image":
                sizes = request.sizes()
                total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        browser.close()
    return total, chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--append", action="store_true", help="add the figures to RESULTS.md")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    try:
        setup(scratch)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from articles.models import Article
        from demo.management.commands.seed_demo import REFERENCE_SLUG
        from photos.models import Photo

        original = make_original()
        photo = Photo.objects.create(
            file=SimpleUploadedFile("harbour.jpg", original),
            alt_text="Fishing boats in the harbour at dawn",
            credit="Bench/Newsroom",
        )
        generation = time_generation(photo, args.runs)
        lines = [
            f"Original: 6000x4000 JPEG, {len(original):,} bytes.",
            f"Standard set ({generation['made']} renditions, {generation['bytes']:,} bytes): "
            f"best {generation['best']:.2f} s, median {generation['median']:.2f} s "
            f"of {args.runs} (goal < 2 s); CPU {generation['cpu']:.2f} s (all threads; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores).",
        ]
        if not args.no_browser:
            with open(os.devnull, "w") as quiet:
                call_command("seed_demo", stdout=quiet)
            story = Article.objects.get(slug=REFERENCE_SLUG)
            Article.objects.filter(pk=story.pk).update(lead_photo=photo)
            total, chosen = phone_bytes(story.get_absolute_url())
            lines.append(
                f"Phone (390 px, DPR 3), reference story: images {total:,} bytes = "
                f"1/{len(original) / total:.0f} of the original (goal <= 1/3); "
                f"lead: {chosen.rsplit('/', 1)[-1]}."
            )
        print("\n".join(lines))
        if args.append:
            with open(ROOT / "bench" / "RESULTS.md", "a") as results:
                results.write(
                    f"\n## Renditions of a 24-megapixel lead photo (`bench/photos.py`, "
                    f"{date.today().isoformat()})\n\n" + "".join(f"- {line}\n" for line in lines)
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
