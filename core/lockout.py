"""The admin login lockout (django-axes): which account a failure was for, the
per-account ceiling across addresses, and the page a locked-out visitor sees."""

import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)

# The width of django-axes' username columns (AccessAttempt, AccessLog, AccessFailureLog).
STORED_USERNAME_LENGTH = 255


def attempted_username(request, credentials):
    """The username that was tried, cut to what axes can store.

    The admin login form does not limit the length of what is typed, and axes records
    every failure: a 500-character guess must be a failed login, not a database error
    (PostgreSQL refuses over-long values where SQLite keeps them).
    """
    source = credentials or request.POST
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:STORED_USERNAME_LENGTH] if username is not None else None


class AccountCeilingHandler(AxesDatabaseHandler):
    """django-axes' lockout per (account, address), plus a ceiling per account.

    Axes alone locks a pair after ``AXES_FAILURE_LIMIT`` wrong passwords from one
    address, for ``AXES_COOLOFF_TIME``: someone guessing from a thousand addresses
    gets that many tries from each. So an account also counts its failures from
    everywhere: after ``LOGIN_ACCOUNT_FAILURE_LIMIT`` of them within
    ``LOGIN_ACCOUNT_WINDOW`` it refuses every sign-in, the right password included,
    from addresses it has not signed in from during ``LOGIN_KNOWN_ADDRESS_AGE``
    (an IPv6 address counts as its /64). Its known addresses still get in, so a
    stranger who sets this off cannot lock the editor out of the office or home;
    only new places wait. Refused attempts count as failures too, so the ceiling
    holds while the guessing goes on and lifts a window after it stops: slower than
    the pair's lockout, as a distributed guesser is patient.

    Failures are axes' own failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``), the
    known addresses its access log of successful sign-ins. ``axes_reset`` and
    ``axes_reset_username`` clear the ceiling too, by forgetting the account's
    failures within the window.
    """

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.refuses_unknown_address(
            request, credentials
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes marks a request locked out only for the pair's limit: the ceiling's
        # refusals (and the failure that reaches it) get the lockout page too.
        if (
            request is not None
            and not request.axes_locked_out
            and self.refuses_unknown_address(request, credentials)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            logger.warning(
                "Sign-in to %r from %s refused: the account reached its ceiling of failed "
                "sign-ins and this address has not signed in to it before.",
                get_client_username(request, credentials),
                request.axes_ip_address,
            )

    def refuses_unknown_address(self, request, credentials):
        username = get_client_username(request, credentials)
        if not username or failures_within_window(username) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            return False
        if is_known_address(username, request.axes_ip_address):
            return False
        request.axes_account_ceiling = True
        return True

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        if username or not ip_address:  # an account, or everything, is cleared
            recent = AccessFailureLog.objects.filter(attempt_time__gte=window_start())
            if username:
                recent = recent.filter(username=username)
            recent.delete()
        return count


def window_start():
    return timezone.now() - settings.LOGIN_ACCOUNT_WINDOW


def failures_within_window(username):
    return AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=window_start()
    ).count()


def is_known_address(username, address):
    """Has ``username`` signed in from ``address`` (or its IPv6 /64) lately?"""
    here = network_of(address)
    if here is None:
        return False
    signed_in_from = (
        AccessLog.objects.filter(
            username=username, attempt_time__gte=timezone.now() - settings.LOGIN_KNOWN_ADDRESS_AGE
        )
        .values_list("ip_address", flat=True)
        .distinct()
    )
    return any(network_of(known) == here for known in signed_in_from)


def network_of(address):
    """An IPv4 address itself, an IPv6 address's /64 (privacy addresses change daily)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 64 if parsed.version == 6 else 32
    return ipaddress.ip_network(f"{parsed}/{prefix}", strict=False)


def lockout_page(request, original_response=None, credentials=None):
    """The 429 page in the site's own look (AXES_LOCKOUT_CALLABLE), saying which lock."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "account_ceiling": getattr(request, "axes_account_ceiling", False),
        "account_failure_limit": settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
        "account_window_minutes": int(settings.LOGIN_ACCOUNT_WINDOW.total_seconds() // 60),
    }
    return render(request, "lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
