"""The library's forms: the add/change form and the upload endpoint's, both checking
the file with photos.validation before anything is stored."""

from django import forms

from photos.models import Photo
from photos.validation import validate_image

FOCAL = forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"})


class PhotoFileField(forms.ImageField):
    """An image field whose checks are the library's (photos.validation): clearer
    messages than "Upload a valid image", and limits Django's own field lacks."""

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is not None:
            validate_image(uploaded)
        return uploaded


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = [
            "file",
            "title",
            "alt_text",
            "decorative",
            "caption",
            "credit",
            "copyright",
            "source",
            "focal_x",
            "focal_y",
        ]
        field_classes = {"file": PhotoFileField}
        widgets = {
            "focal_x": FOCAL,
            "focal_y": FOCAL,
            "caption": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"focal_x": "focal point, across", "focal_y": "focal point, down"}
        help_texts = {
            "focal_x": "0 is the left edge, 1 the right. Click the photo to set both.",
            "focal_y": "0 is the top edge, 1 the bottom.",
        }


class UploadForm(forms.ModelForm):
    """One file posted by the library's drag and drop or a chooser, with the words the
    uploader already has; the rest come from the file's metadata or are added later."""

    class Meta:
        model = Photo
        fields = ["file", "alt_text", "caption", "credit"]
        field_classes = {"file": PhotoFileField}
