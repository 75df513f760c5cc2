import functools
import importlib
import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import timezone

from core import stamps
from tests.comment_posting import post  # noqa: F401 (fixture: a comment posted through the form)
from tests.oembed_provider import oembed_provider  # noqa: F401 (fixture: a fake provider)
from tests.servers import s3_endpoint, s3_media  # noqa: F401 (fixtures: media in a loopback S3)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (local memory, or Redis in CI), and no
    stamps remembered from the last test (whose database rows were rolled back)."""
    cache.clear()
    stamps.forget()
    yield
    cache.clear()
    stamps.forget()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit():`` runs the block's after-commit work (cache tags, the
    search index) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Clock:
    """Django's clock, ``timezone.now()``: what scheduling, the page cache (and its
    PAGE_CACHE_MARGIN), the comment form's token and the comment rate limit read.

    ``clock(minutes=5)`` moves it forward; ``clock.freeze()`` stops it, so that a
    test never races the real clock (a margin, a rate limit window) and time passes
    only when the test says so.
    """

    def __init__(self, monkeypatch):
        self.real_now = timezone.now
        self.offset = timedelta()
        self.frozen_at = None
        monkeypatch.setattr(timezone, "now", self.now)

    def now(self):
        return (self.frozen_at or self.real_now()) + self.offset

    def __call__(self, **delta):
        self.offset += timedelta(**delta)

    def freeze(self):
        """Stop the clock where it is now; returns that moment."""
        self.frozen_at = self.now()
        self.offset = timedelta()
        return self.frozen_at


@pytest.fixture
def public_pages(on_commit):
    """The site's reader pages, ``{kind: address}`` for every kind of
    tests.factories.PUBLIC_PAGES, each showing one story (saved as the site saves:
    indexed, its cache tags touched)."""
    from tests.factories import make_public_pages

    with on_commit():
        return make_public_pages()


@pytest.fixture
def run_tasks(monkeypatch, django_capture_on_commit_callbacks):
    """``run_tasks()`` runs the background jobs that are due, in this process, as
    ``manage.py worker`` does, and returns them (``DBTaskResult`` rows, as they ended).
    Nothing runs queued work otherwise: a test sees exactly what a request left queued.
    What the jobs do after their commit (cache tags) is done too, as the worker's
    commits would."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops stale connections between jobs; inside a test's transaction
    # that would be the test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        started = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            db_worker.Worker(
                queue_names=["*"],
                excluded_queue_names=[],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="tests",
            ).run()
        return list(DBTaskResult.objects.filter(started_at__gte=started).order_by("started_at"))

    return run


@pytest.fixture
def clock(monkeypatch):
    """Django's clock under the test's control (see ``Clock``)."""
    return Clock(monkeypatch)


ROLES_MIGRATION = ("articles", "0003_newsroom_roles")


@functools.cache
def _roles_migration_apps():
    """The models as migration 0003 sees them (its code must not touch the real ones)."""
    return MigrationLoader(connection).project_state(ROLES_MIGRATION).apps


JOBS_MIGRATION = "newsdesk.migrations.0001_editors_see_background_jobs"
DISCUSSION_MIGRATION = "comments.migrations.0004_discussion_settings"
PHOTOS_MIGRATION = "articles.migrations.0007_lead_images_into_the_library"
EMBEDS_MIGRATION = "embeds.migrations.0002_grant_the_newsroom_roles"
LIVE_MIGRATION = "live.migrations.0002_newsroom_roles"


def _make_missing_roles():
    """The roles made again, by the migration's own code, if any is missing; and the
    later migrations' grants (the background jobs, the discussion settings, the photo
    library, the embeds, live entries) given again."""
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module(f"articles.migrations.{ROLES_MIGRATION[1]}")
    if Group.objects.filter(name__in=migration.ROLES).count() < len(migration.ROLES):
        migration.create_roles(_roles_migration_apps(), schema_editor=None)
    jobs = importlib.import_module(JOBS_MIGRATION)
    granted = Permission.objects.filter(
        content_type__app_label=jobs.JOBS_APP, codename__in=jobs.GRANTS
    )
    Group.objects.get(name="Editors").permissions.add(*granted)
    discussion = importlib.import_module(DISCUSSION_MIGRATION)
    for name, codenames in discussion.GRANTS.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )
    for app_label, grants in (
        ("photos", importlib.import_module(PHOTOS_MIGRATION).GRANTS),
        ("embeds", importlib.import_module(EMBEDS_MIGRATION).GRANTS),
        ("live", importlib.import_module(LIVE_MIGRATION).GRANTS),
    ):
        for name, codenames in grants.items():
            Group.objects.get(name=name).permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


@receiver(post_migrate, dispatch_uid="tests.conftest.roles_after_a_flush")
def _roles_after_a_flush(sender, **kwargs):
    """A test with ``transaction=True`` empties every table when it ends, the groups
    of migration 0003 included, and Django then sends post_migrate as after a
    migration, app by app (the background jobs' app, whose permissions the Editors get,
    comes before articles). The roles are made again there and then: whichever test a
    process runs next finds them, in whatever order the tests come (pytest-django runs
    such tests last, but pytest-xdist hands each worker whole files, in its own order).
    The comments, photos, embeds and live apps come after articles: their permissions
    exist again only at their turn, when their grants are given again."""
    if sender.label in ("articles", "comments", "photos", "embeds", "live"):
        _make_missing_roles()


@pytest.fixture
def newsroom_roles(db):
    """The Writers, Editors and Moderators groups, made by a data migration (and made
    again after a test with ``transaction=True`` emptied the tables)."""
    _make_missing_roles()


def _logged_in(role, **fields):
    """A client of its own, logged in as a new member of ``role``; ``.user`` is the user."""
    from django.test import Client

    from tests.factories import make_staff

    client = Client()
    client.user = make_staff(role, **fields)
    client.force_login(client.user)
    return client


# The three newsroom roles, each a logged-in client (``editor.get(...)``) with its user
# as ``editor.user``. The ``client`` fixture stays an anonymous reader beside them.
@pytest.fixture
def editor(newsroom_roles):
    """An editor: publishes, schedules, edits anyone's story, manages tags."""
    return _logged_in("Editors", username="ed")


@pytest.fixture
def writer(newsroom_roles):
    """A writer: drafts and submits their own stories, publishes nothing."""
    return _logged_in("Writers", username="wendy")


@pytest.fixture
def moderator(newsroom_roles):
    """A moderator: the comment queue only, with exactly the permissions the role
    migration gives the group. Mo, mod@example.com, as moderators' e-mails show."""
    return _logged_in("Moderators", username="mo", email="mod@example.com", first_name="Mo")


# Browser tests (marked ``browser``): Debian's Chromium, driven by Playwright, never a
# browser Playwright downloads. CI installs the package (.ci/run); elsewhere the tests
# are skipped without it, but never in CI, where a skip would hide a missing install.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# One folder per test (see ``screenshot``): parallel workers never share one, since
# each test runs in one worker only.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Reported from each page before its own scripts run, so that a Content-Security-Policy
# violation is caught even where the browser would only log it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` in ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module (and per worker process: ``make test`` keeps a
    module's tests on one, with --dist loadscope), each with its own profile."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make beside it are still plain synchronous calls.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def browser_problems():
    """Script errors, console errors, CSP violations and failed requests of the test's tabs."""
    return []


def _one_request_at_a_time(live_server, monkeypatch):
    """On SQLite the live server's threads share the test's one in-memory connection
    (pytest-django, as Django's LiveServerTestCase), which two requests at once (two
    editors' heartbeats, a page's photos made on first request) cannot use together
    ("database table is locked"). A real server has a connection per thread (and
    PostgreSQL, or SQLite's file with its write lock)."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return
    server = live_server.thread.httpd
    application, lock = server.application, threading.Lock()

    def serialized(environ, start_response):
        with lock:
            return application(environ, start_response)

    monkeypatch.setattr(server, "application", serialized)
    return lock


@pytest.fixture
def browser_media(settings, tmp_path):
    """MEDIA_ROOT of a browser test: a folder of its own, set before its tabs open and
    restored only after they close (``open_tab`` asks for it), so that a photo a page
    asks for as the test ends is not looked for in the real MEDIA_ROOT (a 404)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def open_tab(chromium, live_server, browser_problems, browser_media, monkeypatch):
    """``open_tab(**context_options)``: a page in a fresh browser profile (its own cookies),
    on the live server, watched for problems. The test fails if any occurred."""
    requests = _one_request_at_a_time(live_server, monkeypatch)
    contexts = []

    def open_tab(**context_options):
        context = chromium.new_context(base_url=live_server.url, **context_options)
        contexts.append(context)
        context.expose_binding(
            "reportCspViolation",
            lambda source, what: browser_problems.append(f"CSP violation: {what}"),
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("pageerror", lambda error: browser_problems.append(f"script error: {error}"))
        page.on("console", lambda message: _note_console(message, browser_problems))
        page.on("response", lambda response: _note_response(response, browser_problems))
        return page

    yield open_tab
    for context in contexts:
        context.close()
    if requests:
        # A request the closed tabs left running (a photo being made) ends before the
        # test's tables are flushed on the same connection.
        with requests:
            pass
    assert browser_problems == []


def _note_console(message, problems):
    # A failed request is logged as "Failed to load resource"; _note_response has it.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console error: {message.text}")


def _note_response(response, problems):
    # Chromium asks for /favicon.ico on pages that name no icon (the admin's).
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")


@pytest.fixture
def screenshot(request, browser_problems):
    """``screenshot(page, "step")``: check the step went cleanly and keep a picture of it,
    as test-artifacts/browser/<test>/<NN>-<step>.png."""
    folder = ARTIFACTS / "browser" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    taken = []

    def screenshot(page, step):
        assert browser_problems == [], f"before step {step!r}"
        taken.append(step)
        page.screenshot(path=folder / f"{len(taken):02d}-{step}.png", full_page=True)

    return screenshot
