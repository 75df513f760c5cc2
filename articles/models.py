from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.sanitize import clean_body

# Words in an automatic excerpt: the reference page's Related Posts cut at 27.
EXCERPT_WORDS = 27


def published_q(prefix=""):
    """The rule for what a reader may see, as a Q usable across relations.

    ``Article.objects.published()`` is the everyday spelling; other models
    reach through a relation with a prefix (``published_q("article__")``) so
    the rule is still stated only here.
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class SectionQuerySet(models.QuerySet):
    NAVIGATION_CACHE_KEY = "sections:navigation"

    def navigation(self):
        """Sections in menu order, from the cache: every page shows them."""
        return cache.get_or_set(self.NAVIGATION_CACHE_KEY, lambda: list(self.all()), None)


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation (lowest first)."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Person(models.Model):
    """Anyone credited on a story: staff writers, stringers, photographers."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Beijing bureau chief")
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login of this person, if they work in the admin.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def visible_to(self, user):
        """Staff see drafts and scheduled stories (for preview); readers see published ones."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def for_listing(self):
        """What a card needs, in a constant number of queries."""
        return self.select_related("section").prefetch_related(
            models.Prefetch(
                "credits",
                queryset=Credit.objects.filter(role=Credit.Role.BYLINE).select_related("person"),
                to_attr="byline_credits",
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Kind(models.TextChoices):
        STORY = "story", "Story"
        VIDEO = "video", "Video"

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
    video_url = models.URLField(blank=True, help_text="For videos: the player or file address.")
    transcript = models.TextField(blank=True, help_text="For videos: the spoken text.")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    dateline = models.CharField(max_length=100, blank=True, help_text="e.g. SEOUL, South Korea")

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
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    def clean(self):
        """The embargo, said with the date, before the database constraint has to."""
        super().clean()
        if self.status != self.Status.PUBLISHED or not self.embargo_until:
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

    @property
    def is_video(self):
        return self.kind == self.Kind.VIDEO

    @property
    def excerpt(self):
        text = self.dek or strip_tags(self.body) or self.transcript
        return Truncator(" ".join(text.split())).words(EXCERPT_WORDS, truncate="…")

    @property
    def lead_image_src(self):
        return self.lead_image.url if self.lead_image else self.lead_image_url

    def related_articles(self, limit=None):
        """Editors' picks in their order, then published stories sharing the most tags.

        Related cards show no bylines, so no credits are fetched: two queries in all.
        """
        limit = limit or settings.RELATED_POSTS_COUNT
        picks = list(
            Article.objects.published()
            .filter(related_links_in__from_article=self)
            .order_by("related_links_in__position")
            .select_related("section")[:limit]
        )
        missing = limit - len(picks)
        if missing <= 0:
            return picks
        fill = (
            Article.objects.published()
            .filter(tagged_items__tag__in=self.tagged_items.values("tag"))
            .exclude(pk__in=[self.pk, *(a.pk for a in picks)])
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-published_at", "-id")
            .select_related("section")[:missing]
        )
        return picks + list(fill)


class CreditQuerySet(models.QuerySet):
    def bylines(self):
        return self.filter(role=Credit.Role.BYLINE)


class Credit(models.Model):
    """A person's part in a story, in order: "By A and B", "C contributed reporting"."""

    class Role(models.TextChoices):
        BYLINE = "byline", "Byline"
        REPORTING = "reporting", "Contributed reporting"
        PHOTOGRAPHY = "photography", "Photography"
        VIDEO = "video", "Video"
        EDITING = "editing", "Editing"
        OTHER = "other", "Other (use the note)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.BYLINE)
    note = models.CharField(
        max_length=200, blank=True, help_text="Follows the credit, e.g. 'from Hong Kong'."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="unique_credit_per_role"
            )
        ]
        indexes = [models.Index(fields=["person", "role"], name="credit_person_role")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class RelatedLink(models.Model):
    from_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    to_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links_in"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="unique_related_link"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=models.F("to_article")), name="related_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_article} → {self.to_article}"


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("article__"), published_at__lte=timezone.now())


class Correction(models.Model):
    """A dated note appended to a story; all of them are listed on /corrections/."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"], name="correction_published")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"
