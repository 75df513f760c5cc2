"""Photo files for the rendition tests, made with Pillow: photographic-ish content
(gradients and noise, which compress like photographs do, unlike flat colour)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops

from photos.models import Photo

GPS = 0x8825
ORIENTATION = 0x0112


def photographic(size):
    width, height = size
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 24)
    return Image.merge(
        "RGB",
        (
            ImageChops.add(across, grain, scale=1.4),
            ImageChops.add(down, grain, scale=1.4),
            ImageChops.blend(across, down, 0.5),
        ),
    )


def jpeg_bytes(size=(1200, 800), exif=None, quality=90, image=None):
    buffer = io.BytesIO()
    options = {"quality": quality}
    if exif is not None:
        options["exif"] = exif
    (image or photographic(size)).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif.get_ifd(GPS).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    return exif


def make_photo(size=(1200, 800), name="harbour.jpg", data=None, **fields):
    fields.setdefault("alt_text", "Boats in the harbour at dawn")
    data = data if data is not None else jpeg_bytes(size)
    return Photo.objects.create(
        file=SimpleUploadedFile(name, data, content_type="image/jpeg"), **fields
    )
