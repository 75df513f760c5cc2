"""The story: its fields, its tags, and the querysets every listing reads through."""

import secrets
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles import body_photos, cache_tags
from articles.excerpts import EXCERPT_WORDS, opening_text
from articles.models.lead_photos import LeadPhotoQuerySet
from articles.models.live import LiveFields
from articles.models.media import MediaFields
from articles.models.parts import Correction, Credit
from articles.models.people import Section
from articles.models.publication import Status, published_q, scheduled_q
from core.cache import cached
from core.routes import cached_reverse
from core.sanitize import clean_body
from embeds import references as embed_references
from photos import renditions

# A tag on more published stories than this is "on many" (ArticleQuerySet.tagged).
MANY_STORIES = 1000


def new_preview_key():
    """A story's preview links carry its key (articles.preview): a new key ends them all."""
    return secrets.token_urlsafe(12)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        indexes = [
            # A tag's stories in order of id: tag archives and related posts read a
            # range of it instead of every story carrying a popular tag.
            models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article"),
        ]


class ArticleQuerySet(LeadPhotoQuerySet):
    def published(self, now=None):
        return self.filter(published_q(now=now))

    def scheduled(self, now=None):
        return self.filter(scheduled_q(now=now))

    def embargoed(self):
        """Stories nobody may put live yet (whatever their state): the embargo is ahead."""
        return self.filter(embargo_until__gt=timezone.now())

    def visible_to(self, user):
        """Readers see published stories; whoever may see stories in the admin (writers,
        editors) also sees drafts and scheduled ones, to preview them. Being staff is
        not enough: a moderator reads the site as a reader does."""
        if user.has_perm("articles.view_article") or user.has_perm("articles.change_article"):
            return self.all()
        return self.published()

    def tagged(self, tag, many):
        """The stories carrying ``tag``, read the cheaper way for how ``many`` carry it.

        A tag on many stories: walk the stories newest first, keeping those with the
        tag (a page is found after a few hundred). A rarer tag: read its own stories
        from the (tag, story) index and sort those. Either way a page of a listing
        costs the same at 1,000 or 100,000 stories; each way alone would read
        everything for the other kind of tag.
        """
        links = TaggedArticle.objects.filter(tag=tag)
        if many:
            return self.filter(Exists(links.filter(content_object=OuterRef("pk"))))
        return self.filter(pk__in=links.values("content_object_id"))

    def with_tag(self, tag):
        """``tagged()``, judging "many" by the tag's published stories (counted once)."""
        name = cache_tags.tag(tag.pk)
        count = Article.objects.published().tagged(tag, many=False).cached_count(name, name)
        return self.tagged(tag, many=count > MANY_STORIES)

    def credited_to(self, person):
        """Stories crediting ``person`` in any role, each once (a semi-join: no DISTINCT)."""
        return self.filter(pk__in=Credit.objects.filter(person=person).values("article_id"))

    def cached_count(self, name, *tags):
        """``count()``, kept until one of ``tags`` changes or a scheduled story goes live.

        Counting a listing reads every row it has; its pages need the number on each
        render (page links, and "many" in ``tagged()``), but it changes only when a
        story enters or leaves the listing.
        """
        return cached(f"count:{name}", tags, self.count)

    def for_listing(self):
        """What a card needs, in a constant number of queries: the stories with their
        sections and lead photos, the bylines with their people, and which renditions
        of those photos are stored (none when no story has a photo)."""
        return self.with_lead_photos().prefetch_related(
            models.Prefetch(
                "credits",
                queryset=Credit.objects.filter(role=Credit.Role.BYLINE).select_related("person"),
                to_attr="byline_credits",
            )
        )

    def for_story_page(self):
        """The story with its section and lead photo (and its renditions: above), the
        Embed of its video or audio (and the Embed's thumbnail), and whether it has
        corrections (``has_corrections``): most have none, and the page then skips
        their query."""
        corrections = Correction.objects.filter(article=OuterRef("pk"))
        return (
            self.with_lead_photos_inline()
            .select_related("media_embed__thumbnail")  # the player's facade
            .annotate(
                media_thumbnail_stored=renditions.stored_names_of("media_embed__thumbnail"),
                has_corrections=Exists(corrections),
            )
        )


class Article(MediaFields, LiveFields, models.Model):
    Status = Status

    class Kind(models.TextChoices):
        STORY = "story", "Story"
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"
        LIVE = "live", "Live coverage"

    class Syndication(models.TextChoices):
        CANONICAL = "canonical", "Canonical link to the original"
        NOINDEX = "noindex", "Keep out of search engines (noindex)"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    dek = models.TextField(
        "summary", blank=True, help_text="One or two sentences under the headline."
    )
    body = models.TextField(
        blank=True, help_text="Sanitized HTML; unsafe markup is removed on save."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STORY)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    dateline = models.CharField(max_length=100, blank=True, help_text="e.g. SEOUL, South Korea")

    lead_photo = models.ForeignKey(
        "photos.Photo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a photo in use is never deleted by accident
        related_name="lead_of",
        help_text="From the photo library; its caption and credit come with it.",
    )
    lead_image = models.ImageField(upload_to="lead/%Y/%m/", blank=True)
    lead_image_url = models.URLField(
        blank=True,
        max_length=500,
        help_text="An image kept elsewhere, used when no file is uploaded.",
    )
    lead_image_alt = models.CharField("lead image alt text", max_length=300, blank=True)
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=200, blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="In the future, the story is scheduled and appears then."
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Nobody can publish or schedule the story before this."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Shown to readers as 'Updated': real changes only."
    )
    is_sticky = models.BooleanField("pinned to the front page", default=False)
    comments_open = models.BooleanField(default=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    source_name = models.CharField("original publisher", max_length=200, blank=True)
    source_url = models.URLField("original URL", max_length=500, blank=True)
    syndication = models.CharField(
        max_length=10, choices=Syndication.choices, default=Syndication.CANONICAL
    )

    preview_key = models.CharField(
        max_length=16,
        default=new_preview_key,
        editable=False,
        help_text="Signed into preview links; a new key ends the links shared before.",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    related = models.ManyToManyField(
        "self",
        through="RelatedLink",
        through_fields=("from_article", "to_article"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_published"
            ),
            models.Index(fields=["-published_at", "-id"], name="article_published_order"),
            # The front page's order: pinned stories first, then the newest.
            models.Index(
                fields=["status", "-is_sticky", "-published_at", "-id"], name="article_front_page"
            ),
            # Live coverage by when it ended (the news sitemap's followed stories).
            models.Index(
                fields=["coverage_ended_at"], condition=Q(kind="live"), name="article_live_coverage"
            ),
        ]
        constraints = [
            # The embargo rule, kept by the database too: a story marked published
            # (live or scheduled) never goes live before its embargo lifts.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(embargo_until__isnull=True)
                | Q(published_at__gte=models.F("embargo_until")),
                name="article_not_before_embargo",
                violation_error_message=(
                    "This story is embargoed: it cannot go live before the embargo lifts."
                ),
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Sanitized first: only what the allow-list keeps is looked at for addresses.
        self.body = embed_references.take_in(clean_body(self.body))
        self.attach_media_embed()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:detail", *self.address())

    def get_card_url(self):
        """The story as a card that other sites frame (our oEmbed answers: articles.oembed)."""
        return cached_reverse("articles:card", *self.address())

    def address(self):
        """What the story's addresses carry: its day in the newsroom's zone (TIME_ZONE,
        whatever zone a request may have activated), and its slug."""
        moment = self.published_at or self.created_at or timezone.now()
        day = timezone.localdate(moment, timezone.get_default_timezone())
        return day.year, day.month, day.day, self.slug

    def clean(self):
        """What a published story needs: its embargo lifted (said with the date, before
        the database constraint has to), and a lead photo and the photos in its text
        described for readers who cannot see them, or marked decorative; and media
        that fit the story's kind (MediaFields.clean_media)."""
        super().clean()
        if problems := {**self.clean_media(), **self.clean_live()}:
            raise ValidationError(problems)
        if self.status != self.Status.PUBLISHED:
            return
        if self.lead_photo_id and not self.lead_photo.described:
            raise ValidationError(
                {
                    "lead_photo": (
                        "The lead photo has no alt text. Describe it in the photo library "
                        "(or mark it decorative if it adds nothing a reader needs) before "
                        "publishing, or choose another photo."
                    )
                }
            )
        missing = body_photos.undescribed(clean_body(self.body))
        if missing:
            names = ", ".join(f"“{photo}”" for photo in missing)
            raise ValidationError(
                {
                    "body": (
                        f"Photos in the text have no alt text: {names}. Describe them in the "
                        "photo library (or mark them decorative) before publishing, or take "
                        "them out of the text."
                    )
                }
            )
        if not self.embargo_until:
            return
        goes_live = self.published_at or timezone.now()
        if goes_live < self.embargo_until:
            lifts = date_format(timezone.localtime(self.embargo_until), "DATETIME_FORMAT")
            raise ValidationError(
                {
                    "status": (
                        f"Embargoed until {lifts}: nobody can publish or schedule this story "
                        f"to go live before then. Set the publication time to {lifts} or "
                        "later (it will go live by itself), or clear the embargo."
                    )
                }
            )

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @cached_property
    def excerpt(self):
        text = self.dek or opening_text(self.body) or self.transcript
        return Truncator(" ".join(text.split())).words(EXCERPT_WORDS, truncate="…")

    @property
    def lead_image_src(self):
        return self.lead_image.url if self.lead_image else self.lead_image_url
