"""A live story's entries and their corrections, and the rule of which a reader sees."""

from django.conf import settings
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.text import Truncator

from articles.excerpts import opening_text
from articles.models import Article, Person, published_q
from core.routes import cached_reverse
from core.sanitize import clean_body
from embeds import references as embed_references

# Entries on the story page at a time; older ones are a page further (?before=).
PAGE_SIZE = 20
# The entries the polled answer lists (newest first): a reader's page compares its own
# with these. Older ones than the last hundred change the page on its next reload.
POLLED_ENTRIES = 100
KEY_POINT_WORDS = 18


class EntryQuerySet(models.QuerySet):
    def published(self):
        """What a reader may see: published entries whose time has come, of a live story
        readers may see (the publication rule of stories, through the relation)."""
        return self.ready().filter(published_q("story__"))

    def ready(self):
        """Published entries whose time has come, whatever their story's state: what a
        preview of a live story not yet out shows, as readers will see it."""
        return self.filter(status=Entry.Status.PUBLISHED, published_at__lte=timezone.now())

    def of(self, story):
        return self.filter(story=story)

    def next_publication(self):
        """When the next entry dated ahead appears (or None): pages showing the
        story's entries end by then."""
        upcoming = self.filter(status=Entry.Status.PUBLISHED, published_at__gt=timezone.now())
        return upcoming.aggregate(next=Min("published_at"))["next"]

    def stream(self):
        """Pinned first, then newest first: the order of the story page."""
        return self.order_by("-is_pinned", "-published_at", "-id")

    def with_people(self):
        return self.prefetch_related("authors", "corrections").select_related("broken_out_to")


class Entry(models.Model):
    """One update of a live story: its time, who wrote it, what it says, and how it
    stands out (pinned above the rest, listed among the key points)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Waiting for an editor"
        PUBLISHED = "published", "Published"

    story = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="live_entries",
        limit_choices_to={"kind": Article.Kind.LIVE},
    )
    headline = models.CharField(max_length=200, blank=True)
    body = models.TextField(help_text="Sanitized HTML; unsafe markup is removed on save.")
    authors = models.ManyToManyField(Person, blank=True, related_name="live_entries")
    published_at = models.DateTimeField(
        "time", default=timezone.now, help_text="The time readers see on the entry."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    is_pinned = models.BooleanField(
        "pinned", default=False, help_text="Shown above every other entry."
    )
    is_key_point = models.BooleanField(
        "key point", default=False, help_text="Listed in the key points at the top of the story."
    )
    broken_out_to = models.OneToOneField(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broken_out_from",
        editable=False,
        help_text="The story this entry became (Break out).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries_created",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["story", "status", "-published_at"], name="entry_story_stream"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(headline="") | ~Q(body=""), name="entry_says_something"
            ),
        ]

    def __str__(self):
        return self.headline or Truncator(self.text).words(12, truncate="…")

    def save(self, *args, **kwargs):
        # Sanitized first: only what the allow-list keeps is looked at for addresses.
        self.body = embed_references.take_in(clean_body(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The entry's own page (its headline and text for sharing, then the story)."""
        return cached_reverse("live:entry", *self.story.address(), self.pk)

    def get_stream_url(self):
        """The entry in the stream of its story (the story page's anchor)."""
        return f"{self.story.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @property
    def text(self):
        return opening_text(self.body) or ""

    @property
    def key_point(self):
        """How the key points list it: its headline, else its opening words."""
        return self.headline or Truncator(self.text).words(KEY_POINT_WORDS, truncate="…")

    @property
    def version(self):
        """Changes whenever what readers see of the entry does (its text, flags or
        corrections: a correction's save touches the entry, live.signals)."""
        return int(self.modified_at.timestamp() * 1000)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


class EntryCorrection(models.Model):
    """A dated note on an entry, shown under it (and on the story's corrections list)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"Correction: {self.entry}"
