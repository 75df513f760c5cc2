"""EMAIL_URL (newsroom/env.py): one variable names the mail server, as operators write it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom import env
from tests.test_deploy_settings import django_env, run_python

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://newsroom:s3cret@mail.example.com:587",
            env.MailServer(SMTP, "mail.example.com", 587, "newsroom", "s3cret", True, False),
        ),
        (
            "smtp+tls://mail.example.com",
            env.MailServer(SMTP, "mail.example.com", 587, "", "", True, False),
        ),
        (
            "smtp+ssl://apikey:p%40ss%2Fword@smtp.example.org",
            env.MailServer(SMTP, "smtp.example.org", 465, "apikey", "p@ss/word", False, True),
        ),
        ("smtp://127.0.0.1:2525", env.MailServer(SMTP, "127.0.0.1", 2525)),
        ("smtp://relay.internal/", env.MailServer(SMTP, "relay.internal", 25)),
        ("console://", env.MailServer("django.core.mail.backends.console.EmailBackend")),
    ],
)
def test_email_url_gives_the_server_django_needs(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    assert env.email_url("EMAIL_URL", "console://") == expected


def test_unset_is_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env.email_url("EMAIL_URL", "console://").backend.endswith("console.EmailBackend")


@pytest.mark.parametrize(
    "url",
    [
        "imap://user:SECRET@mail.example.com",
        "user:SECRET@mail.example.com",
        "smtp+tls://user:SECRET@:587",
        "smtp://user:SECRET@mail.example.com:99999",
        "smtp://user:SECRET@mail.example.com/inbox",
    ],
)
def test_a_bad_url_says_what_is_accepted_and_never_shows_the_password(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured) as error:
        env.email_url("EMAIL_URL", "console://")
    message = str(error.value)
    assert "smtp+tls://user:password@mail.example.com:587" in message
    assert "SECRET" not in message


SHOW_MAIL_SETTINGS = """
import django
django.setup()
from django.conf import settings
print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER,
      settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL,
      settings.EMAIL_TIMEOUT, settings.DEFAULT_FROM_EMAIL)
"""


def test_the_settings_read_the_mail_server_from_the_environment(tmp_path):
    variables = {
        "EMAIL_URL": "smtp+tls://newsroom:s3cret@mail.example.com:587",
        "EMAIL_TIMEOUT": "15",
        "DEFAULT_FROM_EMAIL": "desk@news.example.com",
    }
    result = run_python(["-c", SHOW_MAIL_SETTINGS], django_env(tmp_path, **variables))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        SMTP,
        "mail.example.com",
        "587",
        "newsroom",
        "s3cret",
        "True",
        "False",
        "15",
        "desk@news.example.com",
    ]


def test_a_mail_server_that_hangs_is_given_up_on_after_ten_seconds_by_default(tmp_path):
    result = run_python(["-c", SHOW_MAIL_SETTINGS], django_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0].endswith("console.EmailBackend")
    assert result.stdout.split()[-2] == "10"
