from django.urls import path

from photos.views import RenditionView

app_name = "photos"

urlpatterns = [
    path(
        "<int:pk>/<slug:crop>/<int:width>.<slug:fmt>",
        RenditionView.as_view(),
        name="rendition",
    ),
]
