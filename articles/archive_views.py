"""Date archives: /2024/, /2024/06/, /2024/06/20/, the stories published that period
(in the site's time zone, as in story URLs). A period without stories is a 404."""

from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles.models import Article
from articles.views import PAGE_SIZE


class DateArchiveMixin:
    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().order_by("-published_at", "-id")

    def get_dated_items(self):
        # The date list needs bare rows; only the page of stories needs its bylines.
        date_list, stories, extra = super().get_dated_items()
        return date_list, stories.for_listing(), extra


class YearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    pass


class DayArchive(DateArchiveMixin, DayArchiveView):
    pass
