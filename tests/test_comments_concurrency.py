"""Many readers posting at once to a real server lose nothing and store nothing twice.

Runs the web server (several worker processes, several threads each) in front of a
database of its own, migrated and seeded by manage.py like a real deployment:
on SQLite a file (an in-memory test database cannot be shared between
processes), on PostgreSQL a scratch database beside the test database.
"""

import http.client
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.servers import manage, web_server

COMMENTS = 100
PARALLEL = 8


@contextmanager
def scratch_database(tmp_path):
    """The URL of an empty database for the server, removed afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    import psycopg

    name = f"{db['NAME']}_live_comments"
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    if db["PASSWORD"]:
        server["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    result = response.status, response.getheader("Location"), response.read().decode()
    conn.close()
    return result


@pytest.fixture
def live_site(tmp_path):
    """The web server serving the demo newsroom, with the rate limit lifted."""
    with scratch_database(tmp_path) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings_test",
            "DATABASE_URL": url,
            "COMMENT_RATE_LIMIT": "0",
            "COMMENT_MIN_SECONDS": "0",
        }
        manage(env, "migrate", "--noinput", "-v0")
        story = re.search(r"Demo story: (\S+)", manage(env, "seed_demo")).group(1)
        with web_server(env, workers=3, threads=4) as port:
            yield port, story, env


def test_concurrent_posts_are_each_stored_exactly_once(live_site):
    port, story, env = live_site
    status, _, page = request(port, "GET", story)
    assert status == 200
    action = re.search(r'<form id="commentform"[^>]*action="([^"]+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    # Every comment is sent twice at the same moment (a double click, a retry):
    # one copy must be stored, the other answered "already said that".
    bodies = [f"Concurrent comment {n:03d}" for n in range(COMMENTS)]
    posts = [
        urlencode(
            {
                "body": body,
                "author_name": f"Reader {n}",
                "author_email": f"reader{n}@example.com",
                "token": token,
            }
        )
        for n, body in enumerate(bodies)
        for _ in range(2)
    ]
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(lambda body: request(port, "POST", action, body)[0], posts))

    assert 500 not in results
    assert results.count(303) == COMMENTS and results.count(409) == COMMENTS
    for n in range(COMMENTS):
        assert sorted(results[2 * n : 2 * n + 2]) == [303, 409], bodies[n]

    stored = json.loads(
        manage(
            env,
            "shell",
            "-c",
            "import json; from comments.models import Comment; "
            "print(json.dumps(list(Comment.objects.filter("
            "body__startswith='Concurrent comment').values_list('body', flat=True))))",
        )
        .strip()
        .splitlines()[-1]
    )
    assert sorted(stored) == bodies
