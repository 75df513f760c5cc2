"""Admin password guessing is locked out (django-axes), per account and client address."""

from ipaddress import ip_network

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.test_security_headers import assert_security_headers

PASSWORD = "correct horse battery staple"
LIMIT = settings.AXES_FAILURE_LIMIT

# The test settings switch axes off so that client.login() works in other tests.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def account():
    """An editor's account with a password, logged in through the login page (the
    ``editor`` fixture of tests/conftest.py is logged in without one)."""
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, username="editor", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_right_password_logs_in(client, account):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_repeated_failures_lock_out_even_the_right_password(client, account):
    for _ in range(LIMIT - 1):
        response = log_in(client, "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    # The attempt that reaches the limit is already answered with the lockout page.
    assert log_in(client, "guess").status_code == 429

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)
    # A clear page in the site's own look, under the same headers as every page.
    assert "Too many failed sign-in attempts" in response.text
    assert settings.SITE_NAME in response.text
    assert "/static/css/site.css" in response.text
    assert f"After {LIMIT} wrong passwords for <strong>editor</strong>" in response.text
    assert "paused for 15 minutes" in response.text
    assert_security_headers(response)


def test_lockout_is_per_account_and_address(client, account):
    for _ in range(LIMIT):
        log_in(client, "guess", REMOTE_ADDR="198.51.100.9")
    assert log_in(client, PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 429

    # The same editor from the office is not locked out by someone else's guessing.
    assert log_in(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_count(client, account):
    for _ in range(LIMIT - 1):
        log_in(client, "typo")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(LIMIT - 1):
        assert log_in(client, "typo").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXIES=(ip_network("127.0.0.1/32"),))
def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, account):
    # The proxy (127.0.0.1) appends the real client address; the attacker controls
    # everything to its left and changes it on every try.
    for n in range(LIMIT):
        log_in(
            client, "guess", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 192.0.2.7"
        )
    response = log_in(
        client, PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.7"
    )
    assert response.status_code == 429
    # ...while another reader behind the same proxy is a different client.
    other = log_in(client, PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert other.status_code == 302
