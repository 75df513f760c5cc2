from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import cache_tags, signals  # noqa: F401  (connects the cache keepers)
        from articles.models import next_scheduled_publication
        from core.cache import register_deadline
        from core.pagecache import register_parameters

        # A scheduled story goes live by the clock alone: no page outlives that moment.
        register_deadline(
            "next-scheduled-story",
            [cache_tags.SCHEDULE],
            next_scheduled_publication,
        )
        # Pages of listings, and of the sitemap index's sections.
        register_parameters("page", "p")
        # The oEmbed endpoint's answers (articles.oembed), one per story and size.
        register_parameters("url", "format", "maxwidth", "maxheight")
