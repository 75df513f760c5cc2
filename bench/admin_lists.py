"""How long the editors' change lists take to open, with the SQL they run.

    DATABASE_URL=sqlite:////tmp/bench100k.sqlite3 .venv/bin/python bench/admin_lists.py

Logs in as a superuser made for the purpose (``bench-admin``, unusable password)
and opens the story and comment lists as editors and moderators do: plain, filtered
and on a later page. Prints the median of ``--runs`` requests after one warm-up.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LISTS = [
    "/admin/articles/article/",
    "/admin/articles/article/?status=live",
    "/admin/articles/article/?p=500",
    "/admin/articles/article/?q=election",
    "/admin/comments/comment/",
    "/admin/comments/comment/?status=all",
    "/admin/comments/comment/?status=approved",
    "/admin/comments/comment/?status=all&p=500",
    "/admin/comments/comment/?q=reader123%40example.com",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    print(f"{'change list':48} {'median ms':>10} {'SQL':>4}")
    for url in LISTS:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{url:48} {statistics.median(times):10.1f} {len(queries):4}")


if __name__ == "__main__":
    main()
