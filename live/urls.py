"""A live story's own addresses, under the story's (``<yyyy>/<mm>/<dd>/<slug>/``)."""

from django.urls import path

import articles.urls  # noqa: F401  (registers the yyyy, mm, dd and uslug converters)
from live import feeds, views

app_name = "live"

STORY = "<yyyy:year>/<mm:month>/<dd:day>/<uslug:slug>/"

urlpatterns = [
    path(f"{STORY}entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry"),
    path(
        f"{STORY}entries/<int:pk>/fragment/",
        views.EntryFragmentView.as_view(),
        name="entry-fragment",
    ),
    path(f"{STORY}live.json", views.UpdatesView.as_view(), name="updates"),
    path(f"{STORY}feed/", feeds.LiveStoryFeed(), name="feed"),
]
