"""Taking an uploaded file into the library: the add form and the upload endpoint both
come through here, after photos.validation has accepted the file."""

from django.db import transaction
from PIL import Image

from photos import metadata


def take_in(photo, uploaded_file):
    """Fill ``photo``'s empty words from the file's metadata and give it the file to
    store, without its GPS location."""
    with Image.open(uploaded_file) as image:
        metadata.fill_empty(photo, metadata.read(image))
        cleaned = metadata.without_location(uploaded_file, image)
    uploaded_file.seek(0)
    photo.file = cleaned or uploaded_file


def save(photo):
    """Save the row and its file together: if the row cannot be written, the file
    just stored is removed again, so a failed upload leaves nothing behind."""
    try:
        with transaction.atomic():
            photo.save()
    except BaseException:
        if photo.file.name:
            photo.file.storage.delete(photo.file.name)
        raise
