from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core.pagecache import register_parameters
        from search import signals  # noqa: F401  (connects the index keepers)

        register_parameters("q", "before")
