from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles import dependencies
from articles.sanitize import clean_body
from newsroom import cache_tags, pagecache

# Words in an automatic excerpt: the reference page's Related Posts cut at 27.
EXCERPT_WORDS = 27
# Automatic related posts are looked for among the stories created this many
# before or after the story: news relates to news of its time, and the bound
# keeps the tag-link index read small however big the archive grows.
RELATED_WINDOW = 5_000
# ...and only this many of them, those sharing the most tags, are ranked.
RELATED_CANDIDATES = 50
# A tag on more published stories than this is "on many" (ArticleQuerySet.tagged).
MANY_STORIES = 1000


def quote(name):
    return connection.ops.quote_name(name)


@lru_cache(maxsize=50_000)
def _reverse(viewname, script_prefix, *args):
    return reverse(viewname, args=args)


def cached_reverse(viewname, *args):
    """``reverse()``, remembered: listings link each story, section and person several
    times, and resolving a route costs as much as rendering a card. The answer
    depends only on the arguments and the script prefix, both part of the key."""
    return _reverse(viewname, get_script_prefix(), *args)


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
        return cached_reverse("articles:section", self.slug)


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
        return cached_reverse("articles:author", self.slug)


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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def next_scheduled_publication(self):
        """When the next scheduled story goes live (or None): nothing happens then but
        the clock passing, so caches of pages must end by that moment."""
        upcoming = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return upcoming.aggregate(next=Min("published_at"))["next"]

    def visible_to(self, user):
        """Staff see drafts and scheduled stories (for preview); readers see published ones."""
        if user.is_authenticated and user.is_staff:
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
        name = dependencies.tag(tag.pk)
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
        return pagecache.remembered(f"count:{name}", tags, self.count)

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
            # The front page's order: pinned stories first, then the newest.
            models.Index(
                fields=["status", "-is_sticky", "-published_at", "-id"], name="article_front_page"
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
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        return cached_reverse("articles:detail", day.year, day.month, day.day, self.slug)

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

        The ranking (``rank_related``) is kept in the cache until the story's picks
        or the stories under one of its tags change (or a scheduled story goes
        live); the stories themselves are read afresh through ``published()``.
        Either way one query, whatever the number of tags.
        """
        limit = limit or settings.RELATED_POSTS_COUNT
        name = f"related:{self.pk}:{limit}"
        ranked = cache_tags.recall(name)
        if ranked is not None:
            found = Article.objects.published().select_related("section").in_bulk(ranked)
            return [found[pk] for pk in ranked if pk in found][:limit]
        started = cache_tags.now()
        # Twice as many as shown: one that leaves is replaced without a new ranking.
        stories = self.rank_related(2 * limit)
        tags = [dependencies.article(self.pk), *(dependencies.tag(t.pk) for t in self.tags.all())]
        expires = pagecache.next_scheduled_publication()
        cache_tags.remember(name, tags, [s.pk for s in stories], started, expires)
        return stories[:limit]

    def rank_related(self, count):
        """The first ``count`` related stories, in one query: picks by position, then
        automatic candidates by the number of tags shared, then by date.

        The automatic candidates are the RELATED_CANDIDATES stories sharing the
        most tags among those created around the same time (``RELATED_WINDOW``),
        read from the (tag, story) index. Related cards show no bylines, so no
        credits are fetched.
        """
        sql = _related_sql()
        pk = self.pk
        window = (pk - RELATED_WINDOW, pk + RELATED_WINDOW)
        # Every value is a parameter; the SQL is ours (hence the noqa).
        candidates = RawSQL(sql["candidates"], (pk, pk, *window, pk, RELATED_CANDIDATES))  # noqa: S611
        pick = RawSQL(sql["pick"], (pk,), output_field=models.IntegerField())  # noqa: S611
        shared = RawSQL(sql["shared"], (pk,), output_field=models.IntegerField())  # noqa: S611
        return list(
            Article.objects.published()
            .filter(pk__in=candidates)
            .exclude(pk=pk)
            .annotate(pick=pick, shared_tags=shared)
            .order_by(
                F("pick").asc(nulls_last=True),
                F("shared_tags").desc(nulls_last=True),
                "-published_at",
                "-id",
            )
            .select_related("section")[:count]
        )


def _related_sql():
    """The SQL of ``Article.rank_related``'s candidates and ranks.

    By hand because the ORM's version of the same query (subqueries with OuterRef,
    a sliced query inside a UNION, which Django cannot write on SQLite) took
    longer to build than to run. The picks and the candidates form one list for
    the index on story ids: with "in picks OR in candidates" PostgreSQL reads
    every story instead.
    """
    link, tagged = quote(RelatedLink._meta.db_table), quote(TaggedArticle._meta.db_table)
    story_id = f"{quote(Article._meta.db_table)}.{quote('id')}"
    own_tags = f"SELECT tag_id FROM {tagged} WHERE content_object_id = %s"  # noqa: S608
    return {
        "candidates": (
            f"SELECT to_article_id FROM {link} WHERE from_article_id = %s "  # noqa: S608
            f"UNION SELECT * FROM (SELECT content_object_id FROM {tagged} "
            f"WHERE tag_id IN ({own_tags}) AND content_object_id BETWEEN %s AND %s "
            "AND content_object_id <> %s GROUP BY content_object_id "
            "ORDER BY COUNT(*) DESC, content_object_id DESC LIMIT %s) most_shared"
        ),
        "pick": (
            f"SELECT position FROM {link} "  # noqa: S608
            f"WHERE from_article_id = %s AND to_article_id = {story_id}"
        ),
        "shared": (
            f"SELECT COUNT(*) FROM {tagged} "  # noqa: S608
            f"WHERE content_object_id = {story_id} AND tag_id IN ({own_tags})"
        ),
    }


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

    def next_publication(self):
        """When the next correction dated ahead appears (or None): pages end by then."""
        upcoming = self.filter(published_at__gt=timezone.now())
        return upcoming.aggregate(next=Min("published_at"))["next"]


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
