"""Every query behind the public pages and the admin's lists can use an index.

Each page is requested with the cache empty; every SQL statement it ran is then
explained (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL) and
must not read the whole of the stories, comments or tag links. On PostgreSQL
the planner rightly prefers a sequential scan of a table this small, so
sequential scans are switched off for the EXPLAIN: what is checked is that an
index exists that the query *can* use, which is what matters at 100,000 stories.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Correction, RelatedLink
from articles.models import story as article_models
from comments.admin import CommentAdmin
from comments.models import Comment
from core import paginators
from newsdesk.story_admin import ArticleAdmin
from tests.factories import make_article, make_comment, make_person, make_section, make_staff

pytestmark = pytest.mark.django_db

BIG_TABLES = ("articles_article", "comments_comment", "articles_taggedarticle")


@pytest.fixture
def newsroom(django_capture_on_commit_callbacks):
    section = make_section(slug="harbour")
    person = make_person(slug="ann-lee")
    with django_capture_on_commit_callbacks(execute=True):
        stories = [
            make_article(section=section, tags=["ports", f"t{n}"], bylines=[person])
            for n in range(3)
        ]
        RelatedLink.objects.create(from_article=stories[0], to_article=stories[1])
        Correction.objects.create(article=stories[0], text="Fixed.")
        parent = make_comment(stories[0])
        make_comment(stories[0], parent=parent)
        make_comment(stories[0], status=Comment.Status.PENDING)
    return stories


# Django's admin asks for the first and last dates of its date hierarchy in one
# statement, which SQLite answers by reading the whole (covering) date index,
# about 20 ms at 100,000 stories; PostgreSQL reads both ends of the index.
SQLITE_ALLOWED = ['SELECT MIN("articles_article"."published_at") AS "first", MAX(']


def full_scans(sql):
    """The big tables that ``sql`` would read from end to end."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[-1] for row in cursor.fetchall()]
            # "SEARCH t USING ..." reads only the rows asked for; "SCAN t [USING
            # [COVERING] INDEX i]" reads the table or index in its order, which is
            # cheap only when a LIMIT stops it and no sort has to see every row.
            stops_early = " LIMIT " in sql and not any("TEMP B-TREE" in line for line in plan)
            if stops_early or any(sql.startswith(allowed) for allowed in SQLITE_ALLOWED):
                return [], plan
            pattern = re.compile(r"^SCAN (\w+)")
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            pattern = re.compile(r"Seq Scan on (\w+)")
    found = {m.group(1) for line in plan for m in [pattern.search(line.strip())] if m}
    return sorted(found & set(BIG_TABLES)), plan


def assert_indexed(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    problems = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        scanned, plan = full_scans(sql)
        if scanned:
            problems.append((scanned, sql, plan))
    assert not problems, f"{url} reads whole tables:\n" + "\n\n".join(
        f"{scanned}: {sql}\n  " + "\n  ".join(plan) for scanned, sql, plan in problems
    )


def public_pages(story):
    day = timezone.localdate(story.published_at)
    return [
        "/",
        "/?page=1",
        story.get_absolute_url(),
        "/section/harbour/",
        "/tag/ports/",
        "/author/ann-lee/",
        f"/{day:%Y}/",
        f"/{day:%Y/%m}/",
        f"/{day:%Y/%m/%d}/",
        "/feed/",
        "/section/harbour/feed/",
        "/tag/ports/feed/",
        "/author/ann-lee/feed/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/news-sitemap.xml",
        "/corrections/",
        "/search/?q=story",
    ]


@pytest.mark.parametrize("page", range(18))
def test_public_pages_use_indexes(client, newsroom, page):
    assert_indexed(client, public_pages(newsroom[0])[page])


@pytest.mark.parametrize("url", ["/tag/ports/", "/tag/ports/?page=1", "/tag/ports/feed/"])
def test_a_tag_on_many_stories_is_read_newest_first(client, newsroom, url, monkeypatch):
    monkeypatch.setattr(article_models, "MANY_STORIES", 0)  # "ports" counts as big
    assert_indexed(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/?status=live",
        "/admin/articles/article/?status=scheduled",
        "/admin/comments/comment/",
        "/admin/comments/comment/?status=all",
        "/admin/comments/comment/?status=approved",
    ],
)
def test_admin_lists_use_indexes(client, newsroom, url, monkeypatch):
    # As at scale: lists paginated (a page of one row here) and estimated, not counted.
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 1)
    monkeypatch.setattr(CommentAdmin, "list_per_page", 1)
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 0)
    client.force_login(make_staff("Editors", is_superuser=True))
    assert_indexed(client, url)
