from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import uri_to_iri
from django.views.generic import DetailView, ListView

from articles import preview
from articles.models import Article, Correction, Credit, Person, Section
from comments.discussion import Discussion

PAGE_SIZE = 20


class ArticleListView(ListView):
    """The front page; archives below narrow its queryset."""

    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return Article.objects.published().for_listing().order_by("-published_at", "-id")


class FrontPageView(ArticleListView):
    template_name = "articles/front_page.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-is_sticky", "-published_at", "-id")


class SectionArchiveView(ArticleListView):
    template_name = "articles/section_archive.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagArchiveView(ArticleListView):
    template_name = "articles/tag_archive.html"

    def get_queryset(self):
        from taggit.models import Tag

        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tagged_items__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorArchiveView(ArticleListView):
    template_name = "articles/author_archive.html"

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return super().get_queryset().filter(credits__person=self.person).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class ArticleDetailView(DetailView):
    """One story. Staff may open drafts and scheduled stories here to preview them."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def visible_articles(self):
        return Article.objects.visible_to(self.request.user)

    def get_queryset(self):
        return (
            self.visible_articles()
            .select_related("section")
            .prefetch_related(
                Prefetch("credits", queryset=Credit.objects.select_related("person")),
                "tags",
                "corrections",
            )
        )

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
        return super().get_context_data(
            related_articles=article.related_articles(),
            discussion=Discussion(article, self.request),
            corrections=[c for c in article.corrections.all() if c.published_at <= timezone.now()],
            **kwargs,
        )


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
