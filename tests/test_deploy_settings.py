"""Production settings, tested the way they are used: a fresh process with the real
environment variables and ``newsroom.settings`` (not the test settings)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# Variables our settings read: cleared, so the developer's shell cannot leak into a test.
OUR_VARIABLES = (
    "DJANGO_",
    "DATABASE_",
    "REDIS_URL",
    "SITE_URL",
    "WEB_CONCURRENCY",
    "EMAIL_",
    "DEFAULT_FROM_EMAIL",
    "TASK_QUEUE",
)


def django_env(tmp_path, **variables):
    """A clean environment for ``newsroom.settings``: development unless told otherwise,
    a throwaway SQLite file, a real secret key. A variable given as None is left unset."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_VARIABLES)}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(variables)
    return {k: v for k, v in env.items() if v is not None}


def production_env(tmp_path, **variables):
    return django_env(
        tmp_path,
        **{
            "DJANGO_ENV": "production",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "news.example.com",
            "SITE_URL": "https://news.example.com",
            "EMAIL_URL": "smtp+tls://newsroom:s3cret@mail.example.com:587",
            "DEFAULT_FROM_EMAIL": "newsroom@news.example.com",
            **variables,
        },
    )


def run_python(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variables", "warning"),
    [
        ({"DJANGO_DEBUG": "true"}, "security.W018"),
        ({"DJANGO_SECRET_KEY": "django-insecure-short"}, "security.W009"),
        # Without a mail server, production would print the moderators' mail to its log.
        ({"EMAIL_URL": None}, "newsroom.W001"),
        ({"EMAIL_URL": "console://"}, "newsroom.W001"),
        ({"DEFAULT_FROM_EMAIL": None}, "newsroom.W002"),
    ],
)
def test_check_deploy_does_catch_a_bad_setting(tmp_path, variables, warning):
    """The clean report above means something: the same command fails on a real mistake."""
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, **variables),
    )
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": None},
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY",
        ),
        (
            {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": ""},
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY",
        ),
        (
            {"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": None},
            "DJANGO_ENV=production needs DJANGO_ALLOWED_HOSTS",
        ),
        ({"DJANGO_DEBUG": "banana"}, "DJANGO_DEBUG must be 'true' or 'false', not 'banana'"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be 'true' or 'false', not '1'"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV must be one of development, production"),
        ({"DJANGO_ADMIN_URL": "/admin/"}, "DJANGO_ADMIN_URL must be a path such as 'newsdesk/'"),
        ({"DJANGO_ADMIN_URL": "desk"}, "DJANGO_ADMIN_URL must be a path such as 'newsdesk/'"),
        (
            {"DJANGO_TRUSTED_PROXIES": "10.0.0.1/8"},
            "DJANGO_TRUSTED_PROXIES must be IP addresses or networks, comma-separated, such as "
            "'10.0.0.0/8, 127.0.0.1, fd00::/8'; '10.0.0.1/8' is not one (10.0.0.1/8 has host "
            "bits set).",
        ),
        (
            {"DJANGO_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"},
            "'proxy.internal' is not one",
        ),
        ({"DJANGO_TRUSTED_PROXIES": "10.0.0.0/33"}, "'10.0.0.0/33' is not one"),
        ({"DJANGO_TRUSTED_PROXIES": "fd00::/8;10.0.0.0/8"}, "'fd00::/8;10.0.0.0/8' is not one"),
        (
            {"EMAIL_URL": "imap://mail.example.com"},
            "EMAIL_URL must start with smtp://, smtp+tls://",
        ),
        ({"EMAIL_URL": "smtp+tls://user:pw@:587"}, "EMAIL_URL must be smtp+tls://[user:password@]"),
        ({"EMAIL_URL": "smtp://mail.example.com:port"}, "the port (a number)"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT must be at least 1"),
        ({"EMAIL_TIMEOUT": "soon"}, "EMAIL_TIMEOUT must be a whole number"),
        ({"TASK_QUEUE": "redis"}, "TASK_QUEUE=redis needs REDIS_URL"),
        ({"TASK_QUEUE": "celery"}, "TASK_QUEUE must be one of database, redis"),
    ],
)
def test_bad_environment_refuses_to_start_and_says_why(tmp_path, variables, message):
    result = run_python(["-c", "import django; django.setup()"], django_env(tmp_path, **variables))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# Runs inside the child process: what a proxy-fronted production server would answer.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test import RequestFactory
from django.urls import reverse
from core.client_ip import client_ip

client = Client(HTTP_HOST="news.example.com")
over_http = client.get(reverse("admin:login"))
health_over_http = client.get("/healthz")
over_https = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
login_page = client.get(reverse("admin:login"), HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "redirect": [over_http.status_code, over_http.headers.get("Location")],
    "health_over_http": health_over_http.status_code,
    "hsts": over_https.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(login_page.cookies["csrftoken"]["secure"]),
    "csrf_trusted_origins": getattr(settings, "CSRF_TRUSTED_ORIGINS", []),
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    "debug": settings.DEBUG,
    "trusted_proxies": [str(network) for network in settings.TRUSTED_PROXIES],
    # Someone who reaches the server directly, claiming to be someone else.
    "forged_client_ip": client_ip(
        RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    ),
}))
"""


def probe(env):
    result = run_python(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_behind_its_proxy(tmp_path):
    answers = probe(production_env(tmp_path))
    assert answers["redirect"] == [301, "https://news.example.com/admin/login/"]
    # The load balancer's plain-HTTP health probe is not redirected.
    assert answers["health_over_http"] == 200
    assert answers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert answers["csrf_cookie_secure"] is True
    assert answers["csrf_trusted_origins"] == ["https://news.example.com"]
    assert answers["session_cookie"] == [True, True]
    assert answers["debug"] is False
    # No proxy is trusted until DJANGO_TRUSTED_PROXIES names it: a forged header is ignored.
    assert answers["trusted_proxies"] == []
    assert answers["forged_client_ip"] == "203.0.113.9"


def test_production_believes_the_proxies_it_is_told_of(tmp_path):
    env = production_env(tmp_path, DJANGO_TRUSTED_PROXIES=" 10.0.0.0/8, 127.0.0.1 ,fd00::/8 ")
    answers = probe(env)
    assert answers["trusted_proxies"] == ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8"]
    assert answers["forged_client_ip"] == "203.0.113.9"


def test_local_demo_stays_plain_http(tmp_path):
    answers = probe(django_env(tmp_path, DJANGO_ALLOWED_HOSTS="news.example.com"))
    assert answers["redirect"] == [200, None]
    assert answers["hsts"] is None
    assert answers["csrf_cookie_secure"] is False
    assert answers["csrf_trusted_origins"] == []
    assert answers["session_cookie"] == [False, True]
    assert answers["trusted_proxies"] == []


MOVED_ADMIN = """
import django
django.setup()
from django.test import Client
from django.urls import Resolver404, resolve, reverse

print(reverse("admin:index"))
try:
    resolve("/admin/login/")
    print("old address still served")
except Resolver404:
    print("old address gone")
response = Client().get("/newsdesk-7f3a/login/")
print(response.status_code, "Log in" in response.text)
"""


def test_admin_url_moves_with_the_setting(tmp_path):
    env = django_env(tmp_path, DJANGO_ADMIN_URL="newsdesk-7f3a/", DJANGO_ALLOWED_HOSTS="testserver")
    result = run_python(["-c", MOVED_ADMIN], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["/newsdesk-7f3a/", "old address gone", "200 True"]


def test_admin_url_defaults_to_admin():
    from django.urls import reverse

    assert reverse("admin:index") == "/admin/"


STAMPS_FILE = "from django.conf import settings; print(settings.CACHE_TAG_STAMPS_FILE)"


def test_each_postgresql_database_has_stamps_of_its_own_without_redis(tmp_path):
    """Two databases served from one checkout (a site and its staging copy) must not
    share change stamps: a change to one would empty the other's page cache."""
    files = {
        name: run_python(
            ["-c", STAMPS_FILE],
            django_env(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}"),
        ).stdout.strip()
        for name in ("news", "news_staging")
    }
    assert files["news"] != files["news_staging"]
    assert all(Path(file).parent == PROJECT for file in files.values())
    with_redis = django_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert run_python(["-c", STAMPS_FILE], with_redis).stdout.strip() == "None"
