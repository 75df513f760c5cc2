from django.urls import path, register_converter

from articles import converters, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("section/<slug:slug>/", views.SectionArchiveView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagArchiveView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorArchiveView.as_view(), name="author"),
]
