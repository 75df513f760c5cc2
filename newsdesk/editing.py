"""Editing a story without losing copy: autosave and presence in the story form, and,
when a save was refused as stale anyway, the saved version beside the refused one.

Rendered by templates/admin/articles/article/change_form.html (its includes
desk_editing.html and stale_versions.html).
"""

from django import forms

from core.sanitize import clean_body
from newsdesk.autosave import AutosaveMixin
from newsdesk.presence import PresenceMixin


def stale_versions(form):
    """The story as saved beside the text its refused save held, or None."""
    current = form.stale_current
    if current is None:
        return None
    return {
        "current": current,
        "refused": {
            "headline": form.data.get("headline", ""),
            "dek": form.data.get("dek", ""),
            "body": form.data.get("body", ""),
            # Never saved, so never cleaned: cleaned now, as a save would.
            "body_html": clean_body(form.data.get("body", "")),
        },
    }


class DeskEditingMixin(AutosaveMixin, PresenceMixin):
    @property
    def media(self):
        # On the change list too: the page after a save drops the browser's copy.
        return super().media + forms.Media(
            js=["admin-editor/autosave.js", "admin-editor/presence.js"],
            css={"all": ["admin-editor/desk-editing.css"]},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        may_edit = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if may_edit and not context.get("is_popup"):
            desk = self.autosave_config(request, obj)
            if obj is not None:
                desk.update(self.presence_config(request, obj))
            context["desk_editing"] = desk
        context["stale_versions"] = stale_versions(context["adminform"].form)
        return super().render_change_form(request, context, add, change, form_url, obj)
