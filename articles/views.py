from django.db.models import Prefetch
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from articles.models import Article, Credit, Person, Section
from comments.models import Comment
from comments.threads import build_threads

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

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
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
        if request.path != canonical:
            return HttpResponsePermanentRedirect(canonical)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        comments = Comment.objects.approved().filter(article=article).order_by("created_at", "id")
        return super().get_context_data(
            related_articles=article.related_articles(),
            comment_threads=build_threads(comments),
            corrections=[c for c in article.corrections.all() if c.published_at <= timezone.now()],
            **kwargs,
        )
