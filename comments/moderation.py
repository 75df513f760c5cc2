"""The moderation rules: what becomes of a new comment, and why.

Pure functions of the comment and the rules (no database, no request), so
each rule is a one-line test. The order is WordPress's: what is certainly spam
first, then what needs a human look, and only then the trusted commenter's
shortcut, so trust never lets a link farm or a banned word through.
"""

import re
from dataclasses import dataclass

from comments.models import Comment
from comments.rendering import count_links


@dataclass(frozen=True)
class Rules:
    moderation_links: int  # hold at this many links or more; 0 turns the rule off
    moderation_words: tuple[str, ...]
    disallowed_words: tuple[str, ...]
    min_seconds: int  # a human needs at least this long to write a comment
    auto_approve_trusted: bool

    @classmethod
    def of(cls, discussion):
        """The rules a ``DiscussionSettings`` (``DiscussionSettings.current()``) states."""
        return cls(
            moderation_links=discussion.moderation_links,
            moderation_words=discussion.words("moderation_words"),
            disallowed_words=discussion.words("disallowed_words"),
            min_seconds=discussion.min_seconds,
            auto_approve_trusted=discussion.auto_approve_trusted,
        )


@dataclass(frozen=True)
class Submission:
    """What the rules look at; ``trusted`` means the poster proved they wrote an
    approved comment with this e-mail address (comments.cookies.TrustCookie)."""

    body: str
    author_name: str
    author_email: str
    author_url: str = ""
    ip_address: str = ""
    user_agent: str = ""
    honeypot: str = ""
    seconds_on_page: float = 0.0
    trusted: bool = False

    def texts(self):
        """Every field a listed word is looked for in, as WordPress does."""
        return (
            self.body,
            self.author_name,
            self.author_email,
            self.author_url,
            self.ip_address,
            self.user_agent,
        )


def find_word(words, texts):
    """The first listed word or phrase found in ``texts``, as a whole word, any case.

    Whole words, so that "ass" does not hold every comment about an assembly; an
    entry like an IP address or a domain is matched the same way.
    """
    for word in words:
        word = word.strip()
        if not word:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        if any(pattern.search(text) for text in texts if text):
            return word
    return None


def shorten(word):
    """A listed phrase as quoted in a reason, which must fit Comment.held_reason."""
    return word if len(word) <= 100 else f"{word[:99]}…"


def judge(submission: Submission, rules: Rules) -> tuple[str, str]:
    """Return ``(status, reason)`` for a new comment; the reason is shown to moderators."""
    spam, pending = Comment.Status.SPAM, Comment.Status.PENDING
    if submission.honeypot:
        return spam, "The hidden field that only robots fill in was filled in."
    if submission.seconds_on_page < rules.min_seconds:
        return spam, (
            f"Posted {submission.seconds_on_page:.0f} s after the form was shown "
            f"(a person needs at least {rules.min_seconds} s)."
        )
    if word := find_word(rules.disallowed_words, submission.texts()):
        return spam, f"Contains “{shorten(word)}”, from the disallowed words list."
    links = count_links(submission.body)
    if rules.moderation_links and links >= rules.moderation_links:
        return pending, f"Contains {links} links (held at {rules.moderation_links} or more)."
    if word := find_word(rules.moderation_words, submission.texts()):
        return pending, f"Contains “{shorten(word)}”, from the moderation words list."
    if submission.trusted and rules.auto_approve_trusted:
        return Comment.Status.APPROVED, ""
    return pending, "First comment from this commenter in this browser: held for approval."
