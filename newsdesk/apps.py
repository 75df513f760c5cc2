from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsdeskConfig(AppConfig):
    """The editors' desk: the admin of stories, people, sections and tags, with the
    workflow, revisions and the rich-text editor."""

    name = "newsdesk"
    verbose_name = "Editors' desk"
    default = True  # INSTALLED_APPS' "newsdesk" (this module has another config)


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the newsroom's site (newsdesk/sites.py) as ``admin.site``:
    the desk for a home page, and the sections each role uses."""

    default_site = "newsdesk.sites.NewsroomAdminSite"
    default = False
