"""Reader pages: the front page, archives of a section, tag or person, a story, corrections."""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import uri_to_iri
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView

from articles import cache_tags, preview
from articles.models import (
    Article,
    Correction,
    adopt_lead_photo_renditions,
    adopt_media_thumbnail_renditions,
    published_story,
    read_credits_and_tags,
)
from articles.models.people import NAVIGATION_CACHE_NAME
from articles.related import ranking_cache_name, related_articles
from core import parts, rendering
from core.cache import cached, read_ahead
from core.pagecache import is_personal
from core.paginators import CountedPaginator
from core.prepared import without_prefetched

PAGE_SIZE = 20


class ListingMixin:
    """A page of stories, cached until one of them or the collection changes."""

    # A front (the site's, a section's): its first page leads with its first story,
    # shown large with its photo (``lead_story`` in the template).
    leads = False

    def collection_tag(self):
        raise NotImplementedError("Name the cache tag of the listing (articles.cache_tags).")

    def count_name(self):
        """Under what name the listing's count is kept: one per collection by default."""
        return self.collection_tag()

    def get_paginator(self, queryset, per_page, **kwargs):
        count = queryset.cached_count(self.count_name(), self.collection_tag())
        return CountedPaginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rendering.shows(self.collection_tag(), *cache_tags.stories(context["object_list"]))
        page = context.get("page_obj")
        context["lead_story"] = self.leads and (page is None or page.number == 1)
        return context


class ArticleListView(ListingMixin, ListView):
    """The front page; archives below narrow its queryset."""

    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return Article.objects.published().for_listing().order_by("-published_at", "-id")


class FrontPageView(ArticleListView):
    """The lead story is the pinned one (the newest of them), else the newest."""

    template_name = "articles/front_page.html"
    leads = True

    def collection_tag(self):
        return cache_tags.FRONT

    def get_queryset(self):
        return super().get_queryset().order_by("-is_sticky", "-published_at", "-id")


class CollectionArchiveView(ArticleListView):
    """The stories of one section, tag or person (``collection``: articles.collections).

    One that no published story is in is a 404, as an unknown one is, on every page:
    a page for it would tell anyone guessing slugs what drafts and embargoed stories
    are about (the feeds say the same, articles.feeds).
    """

    collection = None

    @property
    def leads(self):
        return self.collection.leads

    def get_template_names(self):
        return [f"articles/{self.collection.name}_archive.html"]

    def get_queryset(self):
        self.object = get_object_or_404(self.collection.model, slug=self.kwargs["slug"])
        stories = super().get_queryset()
        return self.collection.stories_of(stories, self.object)

    def collection_tag(self):
        return self.collection.cache_tag(self.object.pk)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if paginator.count == 0:  # the listing's cached count: no query of its own
            raise Http404(f"No published stories in this {self.collection.name}.")
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.collection.context_name: self.object}, **kwargs)


class ArticleDetailView(DetailView):
    """One story. Staff may open drafts and scheduled stories here to preview them.

    The page has two parts that change for different reasons. The story (its head
    tags, text, credits, corrections, tags and related posts) changes when an
    editor changes it or a related story; its markup is rendered once and kept
    (``story_parts``). The discussion (the comments app's ``{% discussion %}`` tag)
    changes with every approved comment and is rendered each time, so an approval
    costs a fraction of a whole page.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    # The story's markup, each part rendered from its own template (Jinja2's:
    # newsroom/templating.py).
    STORY_PARTS = {
        "description": "articles/description.html",
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
        return self.visible_articles().for_story_page()

    def get_object(self, queryset=None):
        """The story. A reader's is kept, so that a page the page cache cannot answer
        (a new ``?cpage=``) runs no query: building and compiling its query cost ten
        times what the database takes to answer it (and so, read afresh, it is read
        with SQL built once: articles.models.prepared_reads). Kept until the story, its
        lead photo or the schedule changes, like the story's markup; a preview is
        read each time."""
        if queryset is not None or settings.SESSION_COOKIE_NAME in self.request.COOKIES:
            return super().get_object(queryset)
        slug = self.kwargs[self.slug_url_kwarg]
        name = f"story-row:{hashlib.sha256(slug.encode()).hexdigest()}"
        read_ahead(name)  # with the deadlines, which a story row read afresh consults
        read_now = []
        kept = cached(name, cache_tags.of_story_row, lambda: self.published_story(slug, read_now))
        return read_now[0] if read_now else kept

    def published_story(self, slug, read_now):
        """The story as kept, read with its credits and tags (``published_story()``),
        which only this request's markup uses: the kept copy goes without them, as
        unpickling them cost each later read of the row 45 µs, three times the row's."""
        story = published_story(slug)
        if story is None:
            raise Http404("No published story has this address.")
        read_now.append(story)
        return without_prefetched(story)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        # request.path is decoded, reverse() percent-encodes: compare like with like (日本 slugs).
        if request.path != uri_to_iri(canonical):
            return HttpResponsePermanentRedirect(canonical)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        rendering.shows(cache_tags.article(self.object.pk))
        # The page's kept parts in one round trip to the cache rather than one each.
        read_ahead(
            f"story:{self.object.pk}", ranking_cache_name(self.object), NAVIGATION_CACHE_NAME
        )
        return super().get_context_data(story=self.story_parts(self.object), **kwargs)

    def story_parts(self, article):
        """The story's markup, kept until the story, a related story or a collection
        of its tags changes, or a correction or story dated ahead appears (the
        related posts are drawn from the stories under its tags). Only the public
        copy is kept: a preview is rendered each time."""
        if article.is_published and not is_personal(self.request):
            html = cached(f"story:{article.pk}", [], lambda: self.render_story(article))
        else:
            html = self.render_story(article)
        return {part: mark_safe(markup) for part, markup in html.items()}  # noqa: S308

    def render_story(self, article):
        """The story's parts as HTML; declares what they show (core.rendering)."""
        read_credits_and_tags(article)
        adopt_lead_photo_renditions([article])  # read with the story (for_story_page)
        adopt_media_thumbnail_renditions(article)
        now = timezone.now()
        corrections = list(article.corrections.all()) if article.has_corrections else []
        related = related_articles(article)
        context = {
            "article": article,
            "related_articles": related,
            "corrections": [c for c in corrections if c.published_at <= now],
        }
        rendering.shows(
            cache_tags.article(article.pk),
            *cache_tags.media(article),
            *cache_tags.stories(related),
            *(cache_tags.tag(tag.pk) for tag in article.tags.all()),
        )
        # A correction dated ahead appears by the clock alone.
        ahead = [c.published_at for c in corrections if c.published_at > now]
        rendering.expires(min(ahead, default=None))
        return {
            part: parts.get(template).render(context, self.request)
            for part, template in self.STORY_PARTS.items()
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
            article_id, key = preview.read_token(kwargs["token"])
        except preview.Expired:
            return self.gone("articles/preview_expired.html")
        except preview.Invalid as error:
            raise Http404("This preview link is not valid.") from error
        self.object = get_object_or_404(self.get_queryset(), pk=article_id)
        if self.object.is_published:
            # Out now: the reviewer gets the real page (and its caching).
            return redirect(self.object)
        if not preview.is_current(self.object, key):
            # A 410 that says so, as for an expired link: only a link we signed gets
            # here, so it tells its holder nothing new, and "ask for a new link" is
            # the one useful answer (a 404 would look like a mistyped address).
            return self.gone("articles/preview_revoked.html")
        response = self.render_to_response(self.get_context_data(object=self.object))
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def gone(self, template_name):
        response = TemplateResponse(self.request, template_name, status=410)
        add_never_cache_headers(response)
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
        count = cached("count:corrections", [cache_tags.CORRECTIONS], queryset.count)
        return CountedPaginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = [correction.article for correction in context["object_list"]]
        rendering.shows(cache_tags.CORRECTIONS, *cache_tags.stories(shown))
        rendering.expires(Correction.objects.next_publication())
        return context
