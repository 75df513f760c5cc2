"""Admin widgets: the rich-text body editor and the tag picker.

Both are plain form controls that static JavaScript upgrades, so the form
still works (as a textarea and a multiple select) when the script does not run.
No inline code: the scripts find their elements by data attributes.
"""

import json

from django import forms
from django.urls import reverse

from articles import body_photos
from embeds import rendering as embed_rendering
from photos import renditions

# The admin's own jQuery and Select2, in the order its autocomplete widgets load them.
ADMIN_SELECT2_JS = [
    "admin/js/vendor/jquery/jquery.js",
    "admin/js/vendor/select2/select2.full.js",
    "admin/js/jquery.init.js",
]
ADMIN_SELECT2_CSS = [
    "admin/css/vendor/select2/select2.css",
    "admin/css/autocomplete.css",
]


class RichTextEditor(forms.Textarea):
    """A textarea that static/admin-editor/editor.js turns into a Quill editor.

    The editor's toolbar offers only what core/sanitize.py keeps, so the
    page shows what the editor showed. Photos come from the library
    (static/admin-editor/body-photos.js): the textarea names its upload and
    chooser views, and the thumbnails of the photos the text already shows; and
    what the providers said of its embeds (static/admin-editor/body-embeds.js).
    """

    def __init__(self, attrs=None):
        super().__init__({"data-rich-text": "", "rows": 20, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = body_photos.photos_in([value or ""]).values()
        context["widget"]["attrs"].update(
            {
                "data-photo-upload": reverse("admin:photos_photo_upload"),
                "data-photo-choose": reverse("admin:photos_photo_choose"),
                "data-body-photos": json.dumps(
                    [
                        {
                            "id": photo.pk,
                            "thumbnail": renditions.thumbnail_url(photo),
                            "alt_text": photo.alt_text,
                            "caption": photo.caption,
                        }
                        for photo in shown
                    ]
                ),
                "data-body-embeds": json.dumps(
                    [
                        {
                            "id": embed.pk,
                            "url": embed.url,
                            "title": embed.title,
                            "provider_name": embed.provider_name,
                            "status": embed.status,
                        }
                        for embed in embed_rendering.embeds_in([value or ""]).values()
                    ]
                ),
            }
        )
        return context

    class Media:
        css = {
            "all": [
                "vendor/quill/quill.snow.css",
                "admin-editor/editor.css",
                "admin-editor/body-photos.css",
            ]
        }
        js = [
            "vendor/quill/quill.js",
            "admin-editor/body-photos.js",
            "admin-editor/body-embeds.js",
            "admin-editor/editor.js",
        ]


class TagPicker(forms.SelectMultiple):
    """Pick existing tags as you type, or type a new one (Select2 in "tags" mode).

    The options are the current tags only; suggestions come from ``suggest_url``.
    """

    def __init__(self, suggest_url="", attrs=None):
        # Select2 reads its options from data-* attributes ("--" nests: ajax.url).
        options = {
            "data-tag-picker": "",
            "data-ajax--url": suggest_url,
            "data-ajax--delay": 250,
            "data-tags": "true",
            "data-token-separators": '[","]',
            "data-minimum-input-length": 1,
            "data-theme": "admin-autocomplete",
            "data-placeholder": "Add tags",
        }
        super().__init__({**options, **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        self.choices = [(tag, tag) for tag in value if tag]
        return super().optgroups(name, value, attrs)

    class Media:
        css = {"screen": ADMIN_SELECT2_CSS}
        js = [*ADMIN_SELECT2_JS, "admin-editor/tags.js"]


class TagNamesField(forms.MultipleChoiceField):
    """Tag names as typed: any name is valid, duplicates (ignoring case) are dropped."""

    widget = TagPicker

    def valid_value(self, value):
        return True

    def clean(self, value):
        names = {}
        for name in super().clean(value):
            name = " ".join(name.split())[:100]
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())
