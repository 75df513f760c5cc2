"""Paginators that do not count what they need not: listings told their count, and
admin change lists that estimate the count of very long lists."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max
from django.utils.functional import cached_property

from core import compat

# Below this many rows an exact COUNT(*) is cheap enough to run.
ESTIMATE_ABOVE = 50_000


class CountedPaginator(Paginator):
    """A paginator told its count (kept in the cache by the listing) instead of counting."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class EstimatedCountPaginator(Paginator):
    """Exact counts, except for big lists, where an estimate read without rows will do.

    COUNT(*) reads every matching row, on every page of the change list: at
    100,000 stories or 1,000,000 comments that is the slowest part of the page,
    for page numbers that need no such precision. Above ESTIMATE_ABOVE rows,
    PostgreSQL's planner estimate (EXPLAIN) stands in; SQLite keeps no estimates,
    so there only the unfiltered list is estimated, by its highest id (rows are
    seldom deleted). Narrower lists (a tag, an author, a search) are exact.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        vendor = connections[queryset.db].vendor
        if vendor == "postgresql":
            plan = json.loads(queryset.order_by().explain(format="json"))
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate > ESTIMATE_ABOVE:
                return estimate
        elif vendor == "sqlite" and not compat.is_filtered(queryset):
            highest = queryset.model._default_manager.using(queryset.db).aggregate(n=Max("pk"))
            if (highest["n"] or 0) > ESTIMATE_ABOVE:
                return highest["n"]
        return super().count
