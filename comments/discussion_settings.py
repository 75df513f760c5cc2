"""Discussion settings, as under WordPress's Settings › Discussion: the moderation
rules, the rate limit and how a discussion is laid out, changed by editors in the admin.

One row, or none: until an editor saves the form, every value is the environment's
(``COMMENT_*`` in newsroom/settings.py), so a deploy's variables still decide a
fresh site; once saved, the row decides and the variables are only the defaults the
form shows. Everything reads them through ``DiscussionSettings.current()``.
"""

import reversion
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction

from comments import cache_tags
from core import stamps
from core.cache import cached
from core.prepared import PreparedQuery

# The settings, each with the variable that gives its default: the one list of what
# editors may tune (the model's fields below, the admin's form, what the cache keeps).
FROM_ENVIRONMENT = {
    "moderation_words": "COMMENT_MODERATION_WORDS",
    "disallowed_words": "COMMENT_DISALLOWED_WORDS",
    "moderation_links": "COMMENT_MODERATION_LINKS",
    "auto_approve_trusted": "COMMENT_AUTO_APPROVE_TRUSTED",
    "min_seconds": "COMMENT_MIN_SECONDS",
    "rate_limit": "COMMENT_RATE_LIMIT",
    "rate_window": "COMMENT_RATE_WINDOW",
    "close_after_days": "COMMENT_CLOSE_AFTER_DAYS",
    "max_depth": "COMMENT_MAX_DEPTH",
    "comments_per_page": "COMMENTS_PER_PAGE",
}
# Stored one entry a line, as WordPress's boxes; the environment gives them comma-separated.
WORD_LISTS = ("moderation_words", "disallowed_words")
MAX_DEPTH = 10
CACHE_NAME = "comments:discussion-settings"


def one_per_line(text):
    """The entries of a word list: trimmed, blank lines dropped, each once (any case)."""
    entries, seen = [], set()
    for line in text.splitlines():
        entry = line.strip()
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            entries.append(entry)
    return entries


@reversion.register()
class DiscussionSettings(models.Model):
    SINGLETON = 1

    moderation_words = models.TextField(
        "hold comments containing",
        blank=True,
        help_text=(
            "One word, phrase, name, e-mail or IP address a line. A comment that contains one "
            "(as a whole word, any case, in its text, name, e-mail, website, IP address or "
            "browser) waits for a moderator, whoever posted it."
        ),
    )
    disallowed_words = models.TextField(
        "refuse comments containing",
        blank=True,
        help_text=(
            "One a line, matched as above. A comment that contains one is marked spam "
            "(its author still sees it as awaiting moderation). Checked before the words "
            "that hold a comment."
        ),
    )
    moderation_links = models.PositiveSmallIntegerField(
        "hold at this many links",
        validators=[MaxValueValidator(100)],
        help_text="A comment with this many links or more waits for a moderator; 0 never holds.",
    )
    auto_approve_trusted = models.BooleanField(
        "approve returning commenters",
        help_text=(
            "A comment is approved at once when its author already had a comment approved "
            "(proved by the browser's cookie) and no rule above holds it."
        ),
    )
    min_seconds = models.PositiveSmallIntegerField(
        "minimum seconds on the page",
        validators=[MaxValueValidator(600)],
        help_text="A comment posted sooner after the form was shown is a robot's: marked spam.",
    )
    rate_limit = models.PositiveSmallIntegerField(
        "comments per address",
        validators=[MaxValueValidator(1000)],
        help_text=(
            "At most this many comments from one address (an IPv6 /64) in the window below; "
            "0 lifts the limit."
        ),
    )
    rate_window = models.PositiveIntegerField(
        "in a window of (seconds)",
        validators=[MinValueValidator(1), MaxValueValidator(86400)],
        help_text="The window the limit above counts in: 1 second to 86,400 (a day).",
    )
    close_after_days = models.PositiveIntegerField(
        "close comments after (days)",
        validators=[MaxValueValidator(36500)],
        help_text=(
            "A story stops taking comments this many days after it was published; 0 never "
            "closes. Editors can still close any story by hand."
        ),
    )
    max_depth = models.PositiveSmallIntegerField(
        "nest replies this deep",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEPTH)],
        help_text=(
            f"Levels of replies shown, 1 (no nesting) to {MAX_DEPTH}; a deeper reply is shown "
            "under the deepest level."
        ),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        "threads per page",
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Whole threads on each page of a story's comments, oldest first (1 to 1,000).",
    )

    class Meta:
        verbose_name = verbose_name_plural = "discussion settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="discussion_settings_one_row"),
            models.CheckConstraint(
                condition=models.Q(rate_window__gte=1, comments_per_page__gte=1),
                name="discussion_settings_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(max_depth__gte=1, max_depth__lte=MAX_DEPTH),
                name="discussion_settings_depth",
            ),
        ]

    def __str__(self):
        return "Discussion settings"

    def save(self, *args, **kwargs):
        self.id = self.SINGLETON
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
        except IntegrityError:
            # Two first saves at once: both found no row and inserted. The later one
            # updates the row the other made, as any later save of a form does.
            if not type(self).objects.filter(id=self.SINGLETON).exists():
                raise
            super().save(force_update=True)
        # Every page these settings lay out read them through current(), which declared
        # the tag to it (the story pages with a discussion); touching that tag alone
        # re-renders exactly those, on every server, and leaves the rest cached.
        stamps.touch_after_commit(cache_tags.SETTINGS)

    def clean(self):
        for field in WORD_LISTS:
            setattr(self, field, "\n".join(one_per_line(getattr(self, field))))

    @classmethod
    def from_environment(cls):
        """The settings as the environment gives them (not saved)."""
        values = {field: getattr(settings, name) for field, name in FROM_ENVIRONMENT.items()}
        for field in WORD_LISTS:
            values[field] = "\n".join(values[field])
        return cls(id=cls.SINGLETON, **values)

    @classmethod
    def current(cls):
        """The settings in force: the saved row, else the environment's.

        Kept in the cache until a save touches the settings' tag on every server
        (core.stamps), and declared to the page being rendered: a page laid out by
        them is re-rendered after a save. Only the row is cached, never the
        defaults, so the environment (and a test's ``settings``) stays live until then.
        """
        saved = cached(CACHE_NAME, [cache_tags.SETTINGS], cls.saved_values, deadlines=False)
        if saved is None:
            return cls.from_environment()
        return cls(id=cls.SINGLETON, **saved)

    @classmethod
    def saved_values(cls):
        """The saved row's values (or None), read with SQL built once per process
        (core.prepared): a cold story page reads them."""
        saved = _saved_row()
        return {field: getattr(saved[0], field) for field in FROM_ENVIRONMENT} if saved else None

    def words(self, field):
        """``moderation_words`` or ``disallowed_words`` as a tuple of entries."""
        return tuple(one_per_line(getattr(self, field)))


_saved_row = PreparedQuery(
    lambda: DiscussionSettings.objects.filter(id=DiscussionSettings.SINGLETON).only(
        *FROM_ENVIRONMENT
    )
)
