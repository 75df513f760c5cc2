"""Settings › Discussion in the admin: the one form of comments.DiscussionSettings.

There is no list and nothing to add or delete: the list's address opens the form,
which shows the environment's values until an editor first saves it. Each save is a
revision (django-reversion), listed under History with who saved it, and any one
can be restored from there.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from reversion.admin import VersionAdmin

from comments.discussion_settings import FROM_ENVIRONMENT, WORD_LISTS, DiscussionSettings


def environment_value(defaults, field):
    """A field's default as its variable would be written in the environment."""
    value = getattr(defaults, field)
    if field in WORD_LISTS:
        return ", ".join(value.splitlines()) or "empty"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(VersionAdmin):
    # As WordPress groups them under Settings › Discussion.
    fieldsets = [
        (
            "Holding comments for a moderator",
            {"fields": ["moderation_words", "moderation_links", "auto_approve_trusted"]},
        ),
        ("Refusing comments", {"fields": ["disallowed_words", "min_seconds"]}),
        ("Limits", {"fields": ["rate_limit", "rate_window", "close_after_days"]}),
        ("Threads and pages", {"fields": ["max_depth", "comments_per_page"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list of one: straight to its form (which checks the permissions)."""
        opts = self.model._meta
        return redirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[DiscussionSettings.SINGLETON],
            )
        )

    def get_object(self, request, object_id, from_field=None):
        """The saved row, else the environment's values to start from. Read from the
        database, never the cache: restoring a revision shows it from inside the
        transaction that reverted it."""
        if object_id != str(DiscussionSettings.SINGLETON):
            return None
        saved = DiscussionSettings.objects.filter(id=DiscussionSettings.SINGLETON).first()
        return saved or DiscussionSettings.from_environment()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        defaults = DiscussionSettings.from_environment()
        for field in FROM_ENVIRONMENT:
            if field in form.base_fields:
                form.base_fields[field].help_text += (
                    f" Environment default ({FROM_ENVIRONMENT[field]}): "
                    f"{environment_value(defaults, field)}."
                )
        return form
