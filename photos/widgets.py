"""The photo chooser: a form control for a foreign key to Photo (a story's lead photo).

Without JavaScript it is the photo's number, with the chosen photo shown and a link to
the library to look numbers up. static/admin-editor/photos-chooser.js adds a search of
the library (admin:photos_photo_choose) and an upload (admin:photos_photo_upload) in
the form itself. Only the chosen photo is read: never a list of every photo.
"""

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from photos.models import Photo
from photos.thumbnails import thumbnail


class PhotoChooser(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"min": "1", "data-photo-id": "", **(attrs or {})})

    def chosen(self, value):
        try:
            return Photo.objects.filter(pk=int(value)).first() if value else None
        except (TypeError, ValueError):
            return None

    def render(self, name, value, attrs=None, renderer=None):
        photo = self.chosen(value)
        return render_to_string(
            "admin/photos/widgets/photo_chooser.html",
            {
                "input": super().render(name, value, attrs, renderer),
                "photo": photo,
                "thumbnail": thumbnail(photo) if photo else "",
                "choose_url": reverse("admin:photos_photo_choose"),
                "upload_url": reverse("admin:photos_photo_upload"),
                "library_url": reverse("admin:photos_photo_changelist"),
                "max_megabytes": settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024),
            },
        )

    class Media:
        css = {"all": ["admin-editor/photos.css"]}
        js = ["admin-editor/photos-chooser.js"]
