"""Comments and what a reader may see of them (``CommentQuerySet.public()``: the reader
comments of ``approved()``, and the approved pingbacks and trackbacks)."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import connections, models, router
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import published_q
from comments.discussion_settings import DiscussionSettings
from comments.rendering import body_fingerprint, render_body, render_markup


class CommentQuerySet(models.QuerySet):
    def public(self, now=None):
        """What a reader may see of discussions: approved comments, pingbacks and
        trackbacks, on a story they may see (by the clock, or ``now``)."""
        return self.filter(published_q("article__", now), status=Comment.Status.APPROVED)

    def approved(self):
        """The reader comments of ``public()``: the threads, their count, what one answers."""
        return self.public().filter(kind=Comment.Kind.COMMENT)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def duplicates_of(self, *, article, body, email, ip_address):
        """Comments saying ``body`` on ``article`` from the same address or the same IP."""
        same_author = models.Q(author_email__iexact=email)
        if ip_address:
            same_author |= models.Q(ip_address=ip_address)
        return self.filter(same_author, article=article, body_hash=body_fingerprint(body))


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author_name = models.CharField("name", max_length=100)
    author_email = models.EmailField("email", max_length=254, help_text="Never published.")
    author_url = models.URLField("website", max_length=300, blank=True)
    body = models.TextField("comment", max_length=5000, help_text="Plain text, as typed.")
    body_markup = models.TextField(
        blank=True,
        editable=False,
        help_text="The HTML the commenter wrote where another site allowed some (a WordPress "
        "import): shown, sanitized, instead of the plain text. comments.rendering.render_markup.",
    )
    body_html = models.TextField(
        editable=False, help_text="The body made safe to show: comments.rendering."
    )
    body_hash = models.CharField(
        max_length=64,
        null=True,
        editable=False,
        help_text="Fingerprint of the body, for the database's duplicate check.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    held_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the rules held this comment or marked it spam."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    is_staff_reply = models.BooleanField(default=False)
    notify_on_reply = models.BooleanField(
        default=False, help_text="The commenter asked to be e-mailed when someone replies."
    )
    reply_announced = models.BooleanField(
        default=False,
        editable=False,
        help_text="The author of the parent comment has been told about this reply (once).",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Kept from readers but shown to their author as "awaiting moderation":
    # a spam verdict may be wrong, and a robot learns nothing from it.
    HELD = (Status.PENDING, Status.SPAM)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread"),
            models.Index(fields=["status", "-created_at"], name="comment_queue"),
            # The commenter's history beside each comment in the queue (comments.queue).
            models.Index(Lower("author_email"), name="comment_author"),
        ]
        constraints = [
            # Two identical posts racing each other (a double click, a retry) cannot
            # both pass the duplicate check in the view: the database keeps one.
            # Staff may well say "Thanks, fixed." twice on one story.
            models.UniqueConstraint(
                "article",
                Lower("author_email"),
                "body_hash",
                condition=models.Q(is_staff_reply=False),
                name="comment_not_duplicated",
                violation_error_message="This person has already posted this text on this story.",
            )
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}"

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.thread_url()

    def thread_url(self, **params):
        """The comment on its page of the discussion. Runs a few queries: not for listings."""
        page = self.discussion_page()
        if page > 1:
            params = {"cpage": page, **params}
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.article.get_absolute_url()}{query}#comment-{self.pk}"

    def discussion_page(self):
        """Which page of its story's discussion shows this comment (pages hold whole threads)."""
        root = self
        while root.parent_id:
            root = root.parent
        earlier_threads = (
            Comment.objects.approved()
            .filter(article_id=root.article_id, parent=None)
            .filter(
                models.Q(created_at__lt=root.created_at)
                | models.Q(created_at=root.created_at, pk__lt=root.pk)
            )
            .count()
        )
        return earlier_threads // DiscussionSettings.current().comments_per_page + 1

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        # What prepare() compares with: the text and markup as stored (absent if deferred).
        comment._stored = (comment.__dict__.get("body"), comment.__dict__.get("body_markup"))
        return comment

    def prepare(self):
        """Fill the fields derived from the body. ``bulk_create`` skips ``save()``: call this."""
        stored_body, stored_markup = getattr(self, "_stored", (self.body, self.body_markup))
        if self.body != stored_body and self.body_markup == stored_markup:
            # A moderator edited the text: the imported markup it was read from is gone
            # with it, or readers would still see the old words.
            self.body_markup = ""
        if self.body_markup:
            self.body_html = render_markup(self.body_markup)
        else:
            self.body_html = render_body(self.body)
        self.body_hash = body_fingerprint(self.body)
        self._stored = (self.body, self.body_markup)  # what the derived fields now follow

    @property
    def is_held(self):
        return self.status in self.HELD

    @property
    def is_mention(self):
        """A pingback or trackback: another site's page linking to the story."""
        return self.kind != self.Kind.COMMENT


class RateCountQuerySet(models.QuerySet):
    def count_one(self, key, expires_at):
        """One more post under ``key`` (its window ending at ``expires_at``); the count so
        far. One upsert that returns the new count (SQLite 3.35+ and PostgreSQL both say
        ``ON CONFLICT ... RETURNING``: comments.checks), where reading, then writing
        would let two processes posting at once both read the same count. The first
        post of a window sweeps away the counts of windows that ended."""
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, key_column, count_column, expires_column = (
            quote(name) for name in (self.model._meta.db_table, "key", "count", "expires_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {count_column}, {expires_column}) "  # noqa: S608
                f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) DO UPDATE "
                f"SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}",
                [key, connection.ops.adapt_datetimefield_value(expires_at)],
            )
            (count,) = cursor.fetchone()
        if count == 1:
            self.using(alias).filter(expires_at__lte=timezone.now()).delete()
        return count


class RateCount(models.Model):
    """How many comments one address posted in one window of the rate limit, where no
    shared cache counts them (comments.ratelimit): every server process reads the same."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    objects = RateCountQuerySet.as_manager()

    def __str__(self):
        return f"{self.key}: {self.count}"
