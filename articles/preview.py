"""Shareable preview links: show an unpublished story to a reviewer without a login.

A link carries the article's id signed with SECRET_KEY and a timestamp, so it
cannot be guessed or altered, and it stops working LINK_LIFETIME after it was
made. Staff need no link: the public article URL already shows them drafts.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

LINK_LIFETIME = timedelta(days=7)
SALT = "articles.preview"

# What read_token raises: an expired link (say so) or a forged/garbled one (a 404).
Expired = signing.SignatureExpired
Invalid = signing.BadSignature


def make_token(article):
    return signing.dumps(article.pk, salt=SALT)


def read_token(token):
    """The article id in ``token``; raises Expired or Invalid."""
    return signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)


def share_link(article):
    """An absolute preview URL for ``article`` and the moment it stops working."""
    path = reverse("articles:preview", kwargs={"token": make_token(article)})
    return settings.SITE_URL + path, timezone.now() + LINK_LIFETIME
