from django.views.generic import ListView

from articles.views import PAGE_SIZE
from search.query import normalize_query, search_articles


class SearchView(ListView):
    """``/search/?q=``: published stories, best match first, with highlighted snippets."""

    template_name = "search/results.html"
    context_object_name = "results"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.query = normalize_query(self.request.GET.get("q"))
        return search_articles(self.query)

    def get_context_data(self, **kwargs):
        # ``query`` also refills the search box in base.html.
        return super().get_context_data(query=self.query, **kwargs)
