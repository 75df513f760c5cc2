from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages and redirects"

    def ready(self):
        from core.pagecache import register_parameters
        from pages.middleware import LEGACY_QUERY_KEYS

        # /?p=123, /?cat=4...: old WordPress addresses, answered with a redirect.
        register_parameters(*LEGACY_QUERY_KEYS)
