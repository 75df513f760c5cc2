"""What a commenter's browser keeps between visits. No accounts, no sessions.

``comment_pending`` (signed, httponly, two days): the commenter's comments that
    await moderation, shown to them alone, marked "awaiting moderation". A page
    cache must not answer a request carrying this cookie from the cache: the
    page it needs is personal (and is sent with never-cache headers).
``comment_trust`` (signed, httponly, a year): the comments posted from this
    browser. One of them approved, under the same e-mail address, is what lets
    the next comment skip moderation; a name and an e-mail address alone
    never do, since anyone can type those.
``comment_author`` (plain, readable by comments.js, a year, only with the
    commenter's consent): name, e-mail and website to fill in the form next time.
    The page itself never contains them, so cached pages stay the same for all.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing

# Enough for a lively evening of replies; the oldest ids fall off first.
KEEP_IDS = 20
DAY = 60 * 60 * 24


@dataclass(frozen=True)
class IdCookie:
    """A signed list of comment ids."""

    name: str
    max_age: int

    @property
    def salt(self):
        return f"comments.cookie.{self.name}"

    def read(self, request):
        try:
            value = request.get_signed_cookie(self.name, salt=self.salt, max_age=self.max_age)
        except (KeyError, signing.BadSignature):
            return []
        return [int(part) for part in value.split(".") if part.isdigit()]

    def add(self, request, response, comment_id):
        ids = [i for i in self.read(request) if i != comment_id][-(KEEP_IDS - 1) :]
        response.set_signed_cookie(
            self.name,
            # Dots: a comma would make the cookie need quoting.
            ".".join(str(i) for i in [*ids, comment_id]),
            salt=self.salt,
            max_age=self.max_age,
            **cookie_flags(httponly=True),
        )


PENDING = IdCookie("comment_pending", max_age=2 * DAY)
TRUST = IdCookie("comment_trust", max_age=365 * DAY)
REMEMBER_NAME = "comment_author"


def cookie_flags(httponly):
    return {
        "httponly": httponly,
        "samesite": "Lax",
        "secure": settings.SESSION_COOKIE_SECURE,
    }


def remember_author(response, name, email, url):
    """Keep the commenter's details for comments.js to fill in next time (with consent)."""
    details = json.dumps({"name": name, "email": email, "url": url}, ensure_ascii=False)
    # Percent-encoded all through: a cookie value must not need quoting (comments.js decodes).
    value = quote(details, safe="")
    response.set_cookie(REMEMBER_NAME, value, max_age=365 * DAY, **cookie_flags(httponly=False))


def forget_author(response):
    """Unticking the consent box forgets what an earlier visit remembered, as WordPress does."""
    response.delete_cookie(REMEMBER_NAME, samesite="Lax")
