"""How django-axes names the account a failed admin login was for."""

from django.conf import settings

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
