"""Sitemaps for crawlers: stories, sections, tags and authors, and a Google News sitemap.

Only pages a reader can open and that we want indexed under our own address:
published stories (``Article.objects.published()``) that are not syndicated
from elsewhere (those carry a canonical to the original or noindex), and the
sections, tags and authors that have at least one published story. A story's
entry names its lead photo (``image:image``, Google's image extension:
https://developers.google.com/search/docs/crawling-indexing/sitemaps/image-sitemaps).
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from articles import cache_tags
from articles.models import Article, Person, Section, published_q
from articles.seo import absolute_url, modified_at
from core import rendering
from core.cache import cached
from core.compat import CountOnceSitemap, SitemapIndexItem, x_robots_tag
from core.paginators import CountedPaginator
from photos import renditions
from photos.models import Rendition

# Google News reads stories of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
# Django's sitemap.xml with the image namespace; the section files use it too.
TEMPLATE = "sitemaps/sitemap.xml"


def indexable_stories():
    return Article.objects.published().filter(source_url="")


PHOTO_FIELDS = [f"lead_photo__{name}" for name in ("file", "width", "height", "focal_x", "focal_y")]


def with_photos(stories):
    """Stories with their lead photos and, of those photos' stored renditions, only
    the originals in a fallback format up to the width sitemaps link: a few rows a
    photo rather than forty (photos.renditions.stored reads the prefetched rows)."""
    linked = Rendition.objects.filter(
        crop="original", format__in=("jpeg", "png"), width__lte=renditions.LARGE
    )
    return stories.select_related("lead_photo").prefetch_related(
        Prefetch("lead_photo__renditions", queryset=linked)
    )


def photo_location(story):
    """The absolute URL of the story's lead photo for crawlers: its largest whole
    rendition up to renditions.LARGE, in JPEG or PNG (never the original, which may
    carry EXIF). Not made yet, it is the view that makes it and redirects.

    Not renditions.largest(), which would have the page depend on every photo's
    cache tag (tens of thousands on one file): the whole photo's rendition names
    change only with its file, and the view's address always works."""
    photo = story.lead_photo
    if photo is None or not photo.file:
        return None
    width = renditions.largest_width(photo, "original")
    return absolute_url(renditions.url(photo, "original", width, renditions.fallback_format(photo)))


def with_images(urls):
    return [{**url, "images": list(filter(None, [photo_location(url["item"])]))} for url in urls]


class SiteSitemap(CountOnceSitemap):
    """URLs on SITE_URL's origin rather than on the Host header of the request."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        rendering.shows(cache_tags.SITEMAP)
        return super().get_urls(page, site, protocol)


class StorySitemap(SiteSitemap):
    def items(self):
        # Only what get_absolute_url(), lastmod() and the photo's address read: this
        # list may be 50,000 long.
        return with_photos(indexable_stories()).only(
            "slug", "published_at", "updated_at", "created_at", "lead_photo", *PHOTO_FIELDS
        )

    def get_urls(self, page=1, site=None, protocol=None):
        return with_images(super().get_urls(page, site, protocol))

    def lastmod(self, item):
        return modified_at(item)

    def get_latest_lastmod(self):
        newest = Max(Coalesce("updated_at", "published_at"))
        return cached(
            "sitemap:stories:lastmod",
            [cache_tags.SITEMAP],
            lambda: indexable_stories().aggregate(latest=newest)["latest"],
        )

    @cached_property
    def paginator(self):
        count = indexable_stories().cached_count("sitemap:stories", cache_tags.SITEMAP)
        return CountedPaginator(self.items(), self.limit, count=count)


class LatestStoryDateSitemap(SiteSitemap):
    """Sections, tags, authors: listed if they have a published story, ``lastmod``
    being that of their newest. ``story_path`` leads from the item to its stories."""

    model = None
    story_path = None

    def queryset(self):
        prefix = f"{self.story_path}__"
        return (
            self.model.objects.annotate(
                latest_story=Max(
                    Coalesce(f"{prefix}updated_at", f"{prefix}published_at"),
                    filter=published_q(prefix),
                )
            )
            .filter(latest_story__isnull=False)
            .order_by("pk")
        )

    @cached_property
    def rows(self):
        # Counting them, listing them and dating the newest all use this list, which
        # reads every story link: kept until the sitemaps change.
        return cached(
            f"sitemap:{self.model._meta.label}",
            [cache_tags.SITEMAP],
            lambda: list(self.queryset()),
        )

    def items(self):
        return self.rows

    def lastmod(self, item):
        return item.latest_story

    def get_latest_lastmod(self):
        return max((row.latest_story for row in self.rows), default=None)


class SectionSitemap(LatestStoryDateSitemap):
    model = Section
    story_path = "articles"


class TagSitemap(LatestStoryDateSitemap):
    model = Tag
    story_path = "articles_taggedarticle_items__content_object"

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(LatestStoryDateSitemap):
    model = Person
    story_path = "credits__article"


def news_since(story):
    """When ``story`` stopped being news, for the window: its publication, or the end
    of its live coverage (a story still followed stays in the window for good)."""
    if story.is_live and story.coverage_ended_at is None:
        return timezone.now()
    if story.is_live:
        return max(story.published_at, story.coverage_ended_at)
    return story.published_at


class NewsSitemap(SiteSitemap):
    """Google News: https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap"""

    limit = NEWS_LIMIT

    def items(self):
        """Stories of the window, and live stories whose coverage is open or ended
        within it, however long ago they began: news as long as they are followed."""
        since = timezone.now() - NEWS_WINDOW
        recent = Article.objects.filter(published_at__gte=since).values("pk").order_by()
        followed = (
            Article.objects.filter(kind=Article.Kind.LIVE)
            .filter(Q(coverage_ended_at__isnull=True) | Q(coverage_ended_at__gte=since))
            .values("pk")
            .order_by()
        )
        # Each read from its index, then joined: asked as one OR, PostgreSQL read every
        # story to find them (71 ms at 100,000 stories, bench/RESULTS.md).
        news = indexable_stories().filter(pk__in=recent.union(followed))
        stories = list(with_photos(news))
        if stories:
            # The oldest story leaves the window by the clock alone.
            rendering.expires(min(news_since(s) for s in stories) + NEWS_WINDOW)
        return stories

    def lastmod(self, item):
        return modified_at(item)

    def get_urls(self, page=1, site=None, protocol=None):
        publication = {"name": settings.SITE_NAME, "language": settings.SITE_LANGUAGE}
        urls = with_images(super().get_urls(page, site, protocol))
        return [{**url, "publication": publication} for url in urls]


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def sitemap_xml(request):
    """``/sitemap.xml``: every URL in one file while they fit in the smallest section's
    limit (the protocol's 50,000), otherwise an index of one file per section page."""
    rendering.shows(cache_tags.SITEMAP)
    sitemaps = {name: cls() for name, cls in SITEMAPS.items()}
    total = sum(site.paginator.count for site in sitemaps.values())
    if total > min(site.limit for site in sitemaps.values()):
        return sitemap_index(request, sitemaps)
    return sitemap(request, sitemaps, template_name=TEMPLATE)


@x_robots_tag
def sitemap_index(request, sitemaps):
    # Django's index view takes the domain from the request; ours comes from SITE_URL.
    entries = []
    for section, site in sitemaps.items():
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = site.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries.extend(
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, site.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
