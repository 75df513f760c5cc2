"""Several app servers, one PostgreSQL and one Redis; a read replica; shared media.

The live tests start real web servers, newsroom.serve (as tests/test_comments_concurrency.py
does) on databases of their own, migrated and seeded by manage.py, and talk to
them over HTTP like browsers: cookies kept, redirects not followed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from django.conf import settings

from articles.models import Article
from core import db_router, pagecache, stamps
from tests.factories import make_article
from tests.servers import ROOT, manage, scratch_postgres, web_server


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser: its own cookies, sent to every server (cookies know no ports)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects
        )

    def open(self, port, path, data=None):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, port, path):
        return self.open(port, path)

    def post(self, port, path, data):
        return self.open(port, path, data)

    def log_in(self, port, username, password):
        page = self.get(port, "/admin/login/")[2]
        status = self.post(
            port,
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page)},
        )[0]
        assert status == 302, "the editor could not log in"


def csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def comment_form(page):
    action = re.search(r'<form id="commentform"[^>]*action="([^"]+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return action, token


def server_env(database_url, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings_test",
        "DATABASE_URL": database_url,
        "COMMENT_MIN_SECONDS": "0",
        **extra,
    }
    for name in ("DATABASE_REPLICA_URL", "REDIS_URL"):
        env.pop(name, None)
    return {**env, **extra}


def seed(env):
    """Migrate and load the demo; the demo story's address and the editor's password."""
    manage(env, "migrate", "--noinput", "-v0")
    output = manage(env, "seed_demo")
    story = re.search(r"Demo story: (\S+)", output).group(1)
    password = re.search(r"user 'editor' password '([^']+)'", output).group(1)
    return story, password


needs_postgres_and_redis = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    or not settings.REDIS_URL,
    reason="needs DATABASE_URL on PostgreSQL and REDIS_URL (CI runs the suite so once)",
)


@needs_postgres_and_redis
def test_two_servers_share_pages_comments_and_rate_limits():
    with ExitStack() as stack:
        database, _ = stack.enter_context(scratch_postgres("scaleout"))
        # The servers count by their own clock: an hour's window, so that the posts
        # below never straddle two windows (as they could a minute's).
        env = server_env(
            database,
            REDIS_URL=settings.REDIS_URL,
            COMMENT_RATE_LIMIT="3",
            COMMENT_RATE_WINDOW="3600",
        )
        story, password = seed(env)
        one = stack.enter_context(web_server(env))
        two = stack.enter_context(web_server(env))
        reader, commenter, editor = Visitor(), Visitor(), Visitor()

        # Server two renders the story and keeps it in the shared page cache.
        status, headers, page = reader.get(two, story)
        assert status == 200 and "public" in headers["Cache-Control"]
        action, token = comment_form(page)
        text = "Posted through server one, approved there, read on server two."

        status, headers, _ = commenter.post(
            one,
            action,
            {"body": text, "author_name": "Ana", "author_email": "ana@example.com", "token": token},
        )
        assert status == 303
        held = int(re.search(r"unapproved=(\d+)", headers["Location"]).group(1))
        assert text not in reader.get(two, story)[2]

        editor.log_in(one, "editor", password)
        queue = editor.get(one, "/admin/comments/comment/")[2]
        status = editor.post(
            one,
            "/admin/comments/comment/",
            {"action": "approve", "_selected_action": held, "csrfmiddlewaretoken": csrf(queue)},
        )[0]
        assert status == 302
        assert text in reader.get(two, story)[2]
        assert text in reader.get(one, story)[2]

        # Three comments an hour from one address: the first was the one above, two
        # more pass through server one, and server two counts them all.
        for n in range(2):
            form = {"author_name": "Bo", "author_email": f"bo{n}@example.com", "token": token}
            assert commenter.post(one, action, {**form, "body": f"Quick one {n}"})[0] == 303
        form = {"author_name": "Bo", "author_email": "bo9@example.com", "token": token}
        status, headers, _ = commenter.post(two, action, {**form, "body": "One too many"})
        assert status == 429 and int(headers["Retry-After"]) > 0


def test_public_pages_are_read_from_the_replica_and_the_rest_from_the_primary(tmp_path):
    """The replica here is a copy that replication never updates, so what each
    request read is plain to see: the story's headline differs between the two."""
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = server_env(f"sqlite:///{primary}")
    story, password = seed(env)
    shutil.copy(primary, replica)
    manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article; "
        "Article.objects.filter(headline__contains='North Korea').update(headline='Primary only')",
    )
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
    with web_server(env, workers=1) as port:
        reader, editor = Visitor(), Visitor()
        assert "Primary only" not in reader.get(port, story)[2]
        assert "Primary only" not in reader.get(port, "/")[2]
        editor.log_in(port, "editor", password)  # sessions are written to the primary
        assert "Primary only" in editor.get(port, story)[2]
        action, token = comment_form(reader.get(port, story)[2])
        form = {"author_name": "Cy", "author_email": "cy@example.com", "token": token}
        assert reader.post(port, action, {**form, "body": "Written to the primary"})[0] == 303
    count = (
        "from comments.models import Comment; "
        "print(Comment.objects.filter(body='Written to the primary').count())"
    )
    assert manage(env | {"DATABASE_REPLICA_URL": ""}, "shell", "-c", count).split()[-1] == "1"
    replica_env = server_env(f"sqlite:///{replica}")
    assert manage(replica_env, "shell", "-c", count).split()[-1] == "0"


@pytest.mark.django_db
def test_right_after_a_change_public_pages_read_the_primary(client, monkeypatch, clock):
    """A replica may lag behind: for PAGE_CACHE_MARGIN seconds after any change,
    even anonymous readers' pages are read from the primary."""
    asked = []
    real = db_router.public_reads

    def recording(use_replica=True):
        asked.append(use_replica)
        return real(use_replica)

    monkeypatch.setattr(pagecache.db_router, "public_reads", recording)
    clock.freeze()  # the first read is "right after", however slow the machine
    story = make_article()
    stamps.touch(f"article:{story.pk}")
    client.get(story.get_absolute_url())
    clock(seconds=settings.PAGE_CACHE_MARGIN + 1)
    client.get("/")
    assert asked == [False, True]


def test_the_router_reads_the_replica_only_for_public_pages():
    router = db_router.ReplicaRouter()
    assert router.db_for_read(Article) == "default"
    with db_router.public_reads():
        assert router.db_for_read(Article) == "replica"
        assert router.db_for_write(Article) == "default"
        with db_router.public_reads(use_replica=False):  # just after a change
            assert router.db_for_read(Article) == "default"
    assert router.allow_migrate("replica", "articles") is False
    assert router.allow_migrate("default", "articles") is True


def settings_with(**environment):
    """Settings as a server started with ``environment`` would have them."""
    code = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'cache': settings.CACHES['default']['BACKEND'], "
        "'sessions': settings.SESSION_ENGINE, "
        "'media': settings.STORAGES['default'], "
        "'routers': settings.DATABASE_ROUTERS}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **environment}
    media = ("MEDIA_STORAGE", "MEDIA_STORAGE_OPTIONS", "MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT_URL")
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", *media):
        if name not in environment:
            env.pop(name, None)
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def test_with_redis_cache_sessions_and_rate_limits_are_shared():
    shared = settings_with(REDIS_URL="redis://127.0.0.1:6379/9")
    assert shared["cache"] == "core.redis_cache.RedisCache"
    # Sessions are read from the cache (and kept in the database); the comment rate
    # limit and the page cache count and store in the cache.
    assert shared["sessions"] == "django.contrib.sessions.backends.cached_db"
    alone = settings_with()
    assert alone["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert alone["routers"] == []
    assert settings_with(DATABASE_REPLICA_URL="sqlite:////tmp/r.sqlite3")["routers"] == [
        "core.db_router.ReplicaRouter"
    ]


def test_media_storage_comes_from_the_environment():
    assert settings_with()["media"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = settings_with(
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.com",
    )
    assert s3["media"] == {
        "BACKEND": "core.object_storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "endpoint_url": "https://s3.example.com",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    env = {**os.environ, "MEDIA_STORAGE_OPTIONS": "bucket=media"}
    broken = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert broken.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in broken.stderr
