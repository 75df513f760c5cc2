from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from core.pagecache import register_parameters
        from live import signals  # noqa: F401  (what an entry's change makes stale)

        # Older entries of a live story, a page at a time (``?before=<entry id>``).
        register_parameters("before")
