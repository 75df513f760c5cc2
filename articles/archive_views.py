"""Date archives: /2024/, /2024/06/, /2024/06/20/, the stories published that period
(in the site's time zone, as in story URLs). A period without stories is a 404."""

from django.http import Http404
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles import cache_tags
from articles.models import Article
from articles.views import PAGE_SIZE, ListingMixin
from core.cache import cached


class DateArchiveMixin(ListingMixin):
    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().order_by("-published_at", "-id")

    def collection_tag(self):
        return cache_tags.ARCHIVE

    def count_name(self):
        return f"{cache_tags.ARCHIVE}:{self.request.path}"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The months of a year (or days of a month) that have stories: like the
        # count, read once until the archive changes.
        read = super().get_date_list
        dates = cached(
            f"dates:{self.request.path}:{date_type}:{ordering}",
            [cache_tags.ARCHIVE],
            lambda: list(read(queryset, date_type, ordering)),
        )
        if not dates:
            raise Http404("No stories in this period.")
        return dates

    def get_dated_queryset(self, **lookup):
        # Django would first ask whether the period has stories (one more query);
        # the date list and the paginator already answer 404 for an empty period
        # (allow_empty is false), and published() already leaves out the future.
        return self.get_queryset().filter(**lookup)

    def get_dated_items(self):
        # The date list needs bare rows; only the page of stories needs its bylines.
        date_list, stories, extra = super().get_dated_items()
        return date_list, stories.for_listing(), extra


class YearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    pass


class DayArchive(DateArchiveMixin, DayArchiveView):
    # The day page links the days around it, not the months: Django would look
    # the neighbouring months up anyway (two queries) unless told there are none.
    def get_previous_month(self, date):
        return None

    def get_next_month(self, date):
        return None
