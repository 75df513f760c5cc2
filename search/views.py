from django.views.generic import ListView

from articles.views import PAGE_SIZE
from search.query import highlighted, normalize_query, rank

# Story ids are positive 64-bit integers; anything else in ``before`` is ignored.
_MAX_ID_DIGITS = 18


class SearchView(ListView):
    """``/search/?q=``: published stories, best match first, with highlighted snippets.

    ``before`` (a story id, from the "older stories" link) moves to the next
    older batch of matches (search.query).
    """

    template_name = "search/results.html"
    context_object_name = "ranked_ids"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.query = normalize_query(self.request.GET.get("q"))
        before = self.request.GET.get("before", "")
        valid = before.isascii() and before.isdigit() and len(before) <= _MAX_ID_DIGITS
        self.before = int(before) if valid else None
        self.ranking = rank(self.query, self.before)
        return self.ranking.ids

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # ``query`` also refills the search box in base.html.
        return {
            **context,
            "query": self.query,
            "before": self.before,
            "ranking": self.ranking,
            "results": highlighted(self.query, context["object_list"]),
        }
