"""Shareable preview links: show an unpublished story to a reviewer without a login.

A link carries the story's id and its preview key, signed with SECRET_KEY and a
timestamp, so it cannot be guessed or altered, and it stops working
LINK_LIFETIME after it was made. A story gets a new key, which ends every link
made before, when an editor revokes its links, when it is published, scheduled
or unpublished, and when it comes back after being deleted; a revision restored
over it keeps the key it has (an old copy never revives old links). Staff need
no link: the public article URL already shows them drafts.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from articles.models import Article
from articles.models.story import new_preview_key

LINK_LIFETIME = timedelta(days=7)
SALT = "articles.preview"

# What read_token raises: an expired link (say so) or a forged/garbled one (a 404).
Expired = signing.SignatureExpired
Invalid = signing.BadSignature


def make_token(article):
    return signing.dumps([article.pk, article.preview_key], salt=SALT)


def read_token(token):
    """``(article id, preview key)`` from ``token``; raises Expired or Invalid."""
    payload = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
    if not (isinstance(payload, list) and len(payload) == 2):
        # Signed by us, in another shape: a link made before links could be revoked.
        raise Invalid("Not a preview link of this version.")
    return payload[0], payload[1]


def is_current(article, key):
    """Does a link carrying ``key`` still open ``article``?"""
    return constant_time_compare(str(key), article.preview_key)


def share_link(article):
    """An absolute preview URL for ``article`` and the moment it stops working."""
    path = reverse("articles:preview", kwargs={"token": make_token(article)})
    return settings.SITE_URL + path, timezone.now() + LINK_LIFETIME


def revoke_links(article):
    """End every link to ``article`` shared so far (without a save: nothing else changed)."""
    article.preview_key = new_preview_key()
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)


def settle_key(article, stored):
    """Before ``article`` is saved over ``stored`` (its stored status and key; None when
    it is not in the database): a new key when it comes into the database or goes in
    or out of publication (live or scheduled), else the stored one, whatever copy is
    being saved. A save limited by ``update_fields`` to the status must name the key."""
    published = Article.Status.PUBLISHED
    if stored is None or (stored["status"] == published) != (article.status == published):
        article.preview_key = new_preview_key()
    else:
        article.preview_key = stored["preview_key"]
