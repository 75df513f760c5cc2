from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import uri_to_iri
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView

from articles import dependencies, preview
from articles.models import Article, Correction, Credit, Person, Section
from comments.discussion import Discussion, closes_at
from newsroom import cache_tags, pagecache

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told its count (ArticleQuerySet.cached_count) instead of counting."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class ListingMixin:
    """A page of stories, cached until one of them or the collection changes."""

    def collection(self):
        raise NotImplementedError("Name the page cache tag of the listing (articles.dependencies).")

    def count_name(self):
        """Under what name the listing's count is kept: one per collection by default."""
        return self.collection()

    def get_paginator(self, queryset, per_page, **kwargs):
        count = queryset.cached_count(self.count_name(), self.collection())
        return CountedPaginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pagecache.shows(self.collection(), *dependencies.cards(context["object_list"]))
        return context


class ArticleListView(ListingMixin, ListView):
    """The front page; archives below narrow its queryset."""

    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return Article.objects.published().for_listing().order_by("-published_at", "-id")


class FrontPageView(ArticleListView):
    template_name = "articles/front_page.html"

    def collection(self):
        return dependencies.FRONT

    def get_queryset(self):
        return super().get_queryset().order_by("-is_sticky", "-published_at", "-id")


class SectionArchiveView(ArticleListView):
    template_name = "articles/section_archive.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def collection(self):
        return dependencies.section(self.section.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagArchiveView(ArticleListView):
    template_name = "articles/tag_archive.html"

    def get_queryset(self):
        from taggit.models import Tag

        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().with_tag(self.tag)

    def collection(self):
        return dependencies.tag(self.tag.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorArchiveView(ArticleListView):
    template_name = "articles/author_archive.html"

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return super().get_queryset().credited_to(self.person)

    def collection(self):
        return dependencies.person(self.person.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class ArticleDetailView(DetailView):
    """One story. Staff may open drafts and scheduled stories here to preview them.

    The page has two parts that change for different reasons. The story (its head
    tags, text, credits, corrections, tags and related posts) changes when an
    editor changes it or a related story; its markup is rendered once and kept
    (``story_parts``). The discussion changes with every approved comment and is
    rendered each time, so an approval costs a fraction of a whole page.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    # The story's markup, each part rendered from its own template.
    STORY_PARTS = {
        "meta": "includes/seo_article.html",
        "story": "articles/story.html",
        "related": "articles/related.html",
    }

    def visible_articles(self):
        # Without a session cookie nobody is logged in: not asking request.user keeps
        # the session unread, so the page carries no "Vary: Cookie" and is cached.
        if settings.SESSION_COOKIE_NAME not in self.request.COOKIES:
            return Article.objects.published()
        return Article.objects.visible_to(self.request.user)

    def get_queryset(self):
        return self.visible_articles().select_related("section")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        # request.path is decoded, reverse() percent-encodes: compare like with like (日本 slugs).
        if request.path != uri_to_iri(canonical):
            return HttpResponsePermanentRedirect(canonical)
        context = self.get_context_data(object=self.object)
        response = self.render_to_response(context)
        # A reader's own comment awaiting moderation is for their eyes only.
        if not self.object.is_published or context["discussion"].personal:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        pagecache.shows(dependencies.article(article.pk), dependencies.discussion(article.pk))
        # The comment form closes with age, by the clock alone.
        pagecache.expires(closes_at(article) if article.comments_open else None)
        return super().get_context_data(
            story=self.story_parts(article),
            discussion=Discussion(article, self.request),
            **kwargs,
        )

    def story_parts(self, article):
        """The story's markup, kept until the story, a related story or a collection
        of its tags changes, or a correction or story dated ahead appears (the
        related posts are drawn from the stories under its tags). Only the public
        copy is kept: a preview is rendered each time."""
        name = f"story:{article.pk}"
        public = article.is_published and not pagecache.is_personal(self.request)
        kept = cache_tags.recall(name) if public else None
        if kept is None:
            started = cache_tags.now()
            kept = self.render_story(article)
            if public:
                expires = min(
                    (d for d in (kept["expires"], pagecache.next_scheduled_publication()) if d),
                    default=None,
                )
                cache_tags.remember(name, kept["tags"], kept, started, expires)
        pagecache.shows(*kept["tags"])
        pagecache.expires(kept["expires"])
        return {part: mark_safe(html) for part, html in kept["html"].items()}  # noqa: S308

    def render_story(self, article):
        prefetch_related_objects(
            [article],
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
            "tags",
            "corrections",
        )
        now = timezone.now()
        corrections = list(article.corrections.all())
        related = article.related_articles()
        context = {
            "article": article,
            "related_articles": related,
            "corrections": [c for c in corrections if c.published_at <= now],
        }
        ahead = [c.published_at.timestamp() for c in corrections if c.published_at > now]
        return {
            "html": {
                part: get_template(template).render(context, self.request)
                for part, template in self.STORY_PARTS.items()
            },
            "tags": [
                dependencies.SITE,  # names of its section, people and tags
                dependencies.article(article.pk),
                *dependencies.stories(related),
                *(dependencies.tag(tag.pk) for tag in article.tags.all()),
            ],
            # A correction dated ahead appears by the clock alone.
            "expires": min(ahead, default=None),
        }


class SharedPreviewView(ArticleDetailView):
    """An unpublished story for whoever holds a signed, expiring link (articles/preview.py).

    The same view and template as the public page, so the reviewer sees what
    readers will; only the way the story is found differs.
    """

    def visible_articles(self):
        return Article.objects.all()

    def get(self, request, *args, **kwargs):
        try:
            article_id = preview.read_token(kwargs["token"])
        except preview.Expired:
            response = TemplateResponse(request, "articles/preview_expired.html", status=410)
            add_never_cache_headers(response)
            return response
        except preview.Invalid as error:
            raise Http404("This preview link is not valid.") from error
        self.object = get_object_or_404(self.get_queryset(), pk=article_id)
        if self.object.is_published:
            # Out now: the reviewer gets the real page (and its caching).
            return redirect(self.object)
        response = self.render_to_response(self.get_context_data(object=self.object))
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class CorrectionListView(ListView):
    """Every published correction, clarification and update, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return (
            Correction.objects.published()
            .select_related("article")
            .order_by("-published_at", "-id")
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        count = pagecache.remembered(
            "count:corrections", [dependencies.CORRECTIONS], queryset.count
        )
        return CountedPaginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = [correction.article for correction in context["object_list"]]
        pagecache.shows(dependencies.CORRECTIONS, *dependencies.stories(shown))
        pagecache.expires(Correction.objects.next_publication())
        return context
