from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = "Photo library"

    def ready(self):
        from photos import signals  # noqa: F401  (renditions and cache tags follow saves)
