from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        import comments.checks  # noqa: F401  (the rate limit's counter)
        import comments.settings_admin  # noqa: F401  (Settings › Discussion in the admin)
        from comments import cookies, signals  # noqa: F401  (connects the count keeper)
        from core.pagecache import register_parameters, register_personal_cookie

        # A reader with a comment awaiting moderation sees it on the story: their page
        # is theirs alone, never one from the cache.
        register_personal_cookie(cookies.PENDING.name)
        # Pages of a story's discussion, and the reply form under a comment (no JavaScript).
        register_parameters("cpage", "replytocom")
