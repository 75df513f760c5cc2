"""The admin site of the newsroom: the desk as its home page, and its sections by role.

Set as Django's default site (``newsdesk.apps.DeskAdminConfig.default_site``), so every
app's ``admin.site.register`` lands here. Only public hooks of ``AdminSite`` are
overridden: ``index`` (the desk's panels) and ``get_app_list`` (what the home page and
the navigation sidebar list).
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.urls import reverse

from newsdesk import desk

# The newsroom's own sections, in the order of the day's work; every other app
# (accounts, sign-in lockouts, background jobs, the WordPress import's bookkeeping...)
# is the site's machinery.
NEWSROOM_APPS = ("articles", "live", "photos", "embeds", "comments", "taggit", "pages")
SECTION_NAMES = {"articles": "Stories", "taggit": "Tags"}
SITE_ADMINISTRATION = "Site administration"


def works_on(user, model):
    """Does ``user`` hold the permission to add or change ``model``? What is only
    viewable, such as the people and sections a writer picks from, is for the pickers,
    not the home page. (Asked of the permissions, not of the model's admin: a list that
    lets nobody edit, such as the background jobs, is still the work of whoever was
    given it.)"""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("add", "change")
    )


def by_role(user, app_list):
    """The sections ``user`` works in; a superuser also gets the machinery, as one
    section of its own."""
    kept = []
    machinery = []
    for app in app_list:
        models = [m for m in app["models"] if works_on(user, m["model"])]
        if not models:
            continue
        if app["app_label"] in NEWSROOM_APPS:
            name = SECTION_NAMES.get(app["app_label"], app["name"])
            kept.append({**app, "name": name, "models": models})
        elif user.is_superuser:
            machinery += [{**m, "name": f"{app['name']}: {m['name']}"} for m in models]
        else:
            # A tool granted to a role (the Editors' background jobs) stays its own section.
            kept.append({**app, "models": models})
    kept.sort(
        key=lambda app: (
            NEWSROOM_APPS.index(app["app_label"])
            if app["app_label"] in NEWSROOM_APPS
            else len(NEWSROOM_APPS)
        )
    )
    if machinery:
        kept.append(
            {
                "name": SITE_ADMINISTRATION,
                "app_label": "site_administration",
                "app_url": reverse("admin:index"),
                "has_module_perms": True,
                "models": machinery,
            }
        )
    return kept


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/desk/index.html"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list  # one app's own page lists what it has, as Django does
        return by_role(request.user, app_list)

    def index(self, request, extra_context=None):
        context = {"desk_panels": desk.panels_for(request.user), **(extra_context or {})}
        return super().index(request, context)
