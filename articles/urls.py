from django.urls import path, register_converter

from articles import archive_views, converters, feeds, oembed_views, views
from articles.collections import AUTHOR, SECTION, TAG

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")
register_converter(converters.UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/<uslug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path(
        "section/<uslug:slug>/",
        views.CollectionArchiveView.as_view(collection=SECTION),
        name="section",
    ),
    path("tag/<uslug:slug>/", views.CollectionArchiveView.as_view(collection=TAG), name="tag"),
    path(
        "author/<uslug:slug>/",
        views.CollectionArchiveView.as_view(collection=AUTHOR),
        name="author",
    ),
    path("<yyyy:year>/", archive_views.YearArchive.as_view(), name="archive-year"),
    path("<yyyy:year>/<mm:month>/", archive_views.MonthArchive.as_view(), name="archive-month"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/",
        archive_views.DayArchive.as_view(),
        name="archive-day",
    ),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesAtomFeed(), name="feed-atom"),
    path("section/<uslug:slug>/feed/", feeds.CollectionFeed(SECTION), name="section-feed"),
    path(
        "section/<uslug:slug>/feed/atom/",
        feeds.CollectionAtomFeed(SECTION),
        name="section-feed-atom",
    ),
    path("tag/<uslug:slug>/feed/", feeds.CollectionFeed(TAG), name="tag-feed"),
    path("tag/<uslug:slug>/feed/atom/", feeds.CollectionAtomFeed(TAG), name="tag-feed-atom"),
    path("author/<uslug:slug>/feed/", feeds.CollectionFeed(AUTHOR), name="author-feed"),
    path(
        "author/<uslug:slug>/feed/atom/", feeds.CollectionAtomFeed(AUTHOR), name="author-feed-atom"
    ),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/<str:token>/", views.SharedPreviewView.as_view(), name="preview"),
    path("oembed/", oembed_views.OEmbedView.as_view(), name="oembed"),
    path(
        "embed/<yyyy:year>/<mm:month>/<dd:day>/<uslug:slug>/",
        oembed_views.StoryCardView.as_view(),
        name="card",
    ),
]
