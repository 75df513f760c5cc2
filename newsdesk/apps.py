from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    """The editors' desk: the admin of stories, people, sections and tags, with the
    workflow, revisions and the rich-text editor."""

    name = "newsdesk"
    verbose_name = "Editors' desk"
