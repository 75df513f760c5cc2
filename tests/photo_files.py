"""Photo files for the rendition tests, made with Pillow: photographic-ish content
(gradients and noise, which compress like photographs do, unlike flat colour)."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from photos.models import Photo

GPS = 0x8825
ORIENTATION = 0x0112


def photographic(size, seed=15):
    """Soft shapes over a sky-like gradient, sharp edges and grain: detail at every scale."""
    width, height = size
    rng = random.Random(seed)
    small = Image.new("RGB", (max(1, width // 10), max(1, height // 10)))
    sketch = ImageDraw.Draw(small)
    for y in range(small.height):
        shade = 255 * y // small.height
        sketch.line(
            [(0, y), (small.width, y)], fill=(40 + shade // 3, 90 + shade // 5, 160 - shade // 4)
        )
    for _ in range(400):
        x, y, r = rng.randrange(small.width), rng.randrange(small.height), rng.randrange(3, 60)
        colour = tuple(rng.randrange(256) for _ in range(3))
        sketch.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    image = small.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
    edges = ImageDraw.Draw(image)
    for _ in range(width * height // 8000):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(2, 30)
        colour = tuple(rng.randrange(256) for _ in range(3))
        edges.ellipse([x - r, y - r, x + r, y + r], outline=colour, width=2)
    grain = Image.effect_noise(size, 18).convert("RGB")
    return ImageChops.add(image, grain, scale=2.0, offset=-64)


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
