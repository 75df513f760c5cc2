"""A ceiling of failed sign-ins per account, from all addresses together (core/lockout.py).

Five failures per (account, address) let a guesser with many addresses go on for
ever; past the ceiling the account takes sign-ins only from addresses it knows, so
the guesser is stopped and the editor, from their usual place, still gets in.
"""

import io
from datetime import timedelta

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.test_security_login import PASSWORD, is_logged_in, log_in

CEILING = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
OFFICE = "198.51.100.20"
NEW_PLACE = "203.0.113.77"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def editor(client):
    """The editor, who has signed in from the office before."""
    user = get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    assert log_in(client, PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302
    client.logout()
    return user


def botnet_guesses(client, count=CEILING, username="editor"):
    """Wrong passwords from ``count`` addresses, one each: never a pair's lockout."""
    for n in range(count):
        address = f"10.{n // 250}.{n % 250 // 2}.{n % 2 + 1}"
        log_in(client, f"guess {n}", username=username, REMOTE_ADDR=address)


def assert_refused_by_the_ceiling(response, client):
    assert response.status_code == 429
    assert not is_logged_in(client)
    assert f"After {CEILING} wrong passwords for <strong>editor</strong>" in response.text
    assert "only accepts sign-ins from addresses it has signed in from before" in response.text


def test_a_distributed_guesser_is_refused_even_with_the_right_password(client, editor):
    botnet_guesses(client)
    response = log_in(client, PASSWORD, REMOTE_ADDR=NEW_PLACE)
    assert_refused_by_the_ceiling(response, client)
    # Refusals count as failures: the ceiling holds while the guessing goes on.
    assert AccessFailureLog.objects.filter(username="editor").count() == CEILING + 1


def test_the_editor_still_signs_in_from_their_usual_address(client, editor):
    botnet_guesses(client)
    assert log_in(client, PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302
    assert is_logged_in(client)


def test_below_the_ceiling_a_new_address_signs_in(client, editor):
    botnet_guesses(client, count=CEILING - 1)
    assert log_in(client, PASSWORD, REMOTE_ADDR=NEW_PLACE).status_code == 302


def test_the_failure_that_reaches_the_ceiling_gets_the_lockout_page(client, editor):
    botnet_guesses(client, count=CEILING - 1)
    response = log_in(client, "one more guess", REMOTE_ADDR="203.0.113.78")
    assert_refused_by_the_ceiling(response, client)


def test_an_ipv6_address_is_known_by_its_64(client):
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    assert log_in(client, PASSWORD, REMOTE_ADDR="2001:db8:1:2::10").status_code == 302
    client.logout()
    botnet_guesses(client)
    # The same household's network with a new privacy address: known.
    assert log_in(client, PASSWORD, REMOTE_ADDR="2001:db8:1:2:abcd::99").status_code == 302
    client.logout()
    assert_refused_by_the_ceiling(log_in(client, PASSWORD, REMOTE_ADDR="2001:db8:1:3::10"), client)


def test_other_accounts_are_not_affected(client, editor):
    get_user_model().objects.create_user("writer", password=PASSWORD, is_staff=True)
    botnet_guesses(client)
    response = log_in(client, PASSWORD, username="writer", REMOTE_ADDR=NEW_PLACE)
    assert response.status_code == 302


def test_the_ceiling_lifts_a_window_after_the_guessing_stops(client, editor):
    botnet_guesses(client)
    AccessFailureLog.objects.update(
        attempt_time=timezone.now() - settings.LOGIN_ACCOUNT_WINDOW - timedelta(seconds=1)
    )
    assert log_in(client, PASSWORD, REMOTE_ADDR=NEW_PLACE).status_code == 302


def test_an_address_not_used_for_months_is_no_longer_known(client, editor):
    AccessLog.objects.update(
        attempt_time=timezone.now() - settings.LOGIN_KNOWN_ADDRESS_AGE - timedelta(days=1)
    )
    botnet_guesses(client)
    assert_refused_by_the_ceiling(log_in(client, PASSWORD, REMOTE_ADDR=OFFICE), client)


def test_axes_reset_username_clears_the_ceiling(client, editor):
    botnet_guesses(client)
    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    assert log_in(client, PASSWORD, REMOTE_ADDR=NEW_PLACE).status_code == 302
