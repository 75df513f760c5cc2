from django.contrib import admin
from django.urls import include, path

from newsroom import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("", include("articles.urls")),
]
