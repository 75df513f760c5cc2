"""Pillow's side of renditions: decode once, crop, resize and encode many.

A rendition is cut from the photo as it is displayed (EXIF orientation applied),
in sRGB, with no metadata at all: EXIF (camera, GPS), XMP, IPTC and ICC profiles
stay with the original, which readers never download.

Speed, for a 24-megapixel JPEG: the JPEG decoder can decode at 1/2, 1/4 or 1/8
scale (``Image.draft``), far faster than decoding the full frame, so the photo is
decoded at the smallest scale that still covers the largest rendition asked for;
each smaller width is then resized from the previous one, not from the original.
"""

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

ORIENTATION = 0x0112
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
SRGB = ImageCms.createProfile("sRGB")

# Chosen for photographs on a news page: AVIF at Pillow's faster speeds loses
# almost nothing in size, WebP's method 3 is a quarter faster than its default.
ENCODERS = {
    "avif": ("AVIF", {"quality": 52, "speed": 9}),
    "webp": ("WEBP", {"quality": 74, "method": 3}),
    "jpeg": ("JPEG", {"quality": 80, "optimize": True, "progressive": True}),
    "png": ("PNG", {"optimize": True}),
}


@dataclass(frozen=True)
class Job:
    """One rendition to make: ``box`` as fractions (left, top, right, bottom) of the
    displayed photo, scaled to ``size`` pixels, encoded as ``fmt``."""

    box: tuple
    size: tuple
    fmt: str


@dataclass(frozen=True)
class Output:
    data: bytes
    width: int
    height: int


def displayed_size(image):
    """The photo's size as readers see it (EXIF orientation applied)."""
    width, height = image.size
    if image.getexif().get(ORIENTATION) in QUARTER_TURNS:
        return height, width
    return width, height


def decode(fileobj, scale):
    """The photo decoded at (at least) ``scale`` times its size, turned upright, in
    sRGB, RGB or RGBA, carrying no metadata."""
    image = Image.open(fileobj)
    if image.format == "JPEG" and scale < 1:
        image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image = ImageOps.exif_transpose(image)
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if alpha else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    if image.mode != mode:
        image = image.convert(mode)
    image.info.clear()  # some encoders (AVIF) copy EXIF and XMP from here
    return image


def pixel_box(box, size):
    width, height = size
    left, top, right, bottom = box
    return (
        round(left * width),
        round(top * height),
        round(right * width),
        round(bottom * height),
    )


def render(fileobj, jobs):
    """{job: Output} for ``jobs``, decoding the photo once."""
    jobs = set(jobs)  # two crops that cut the same box share their renditions
    if not jobs:
        return {}
    probe = Image.open(fileobj)
    full = displayed_size(probe)
    # The largest factor any job scales its box by: decode at least that large.
    scale = max(job.size[0] / max(1, (job.box[2] - job.box[0]) * full[0]) for job in jobs)
    fileobj.seek(0)
    image = decode(fileobj, min(1.0, scale))
    outputs = {}
    by_box = {}
    for job in jobs:
        by_box.setdefault(job.box, []).append(job)
    for box, box_jobs in by_box.items():
        source = image.crop(pixel_box(box, image.size))
        for size in sorted({job.size for job in box_jobs}, reverse=True):
            # The previous (larger) resize is the smallest sufficient intermediate.
            if source.size != size:
                source = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            for job in box_jobs:
                if job.size == size:
                    outputs[job] = Output(encode(source, job.fmt), *size)
    return outputs


def encode(image, fmt):
    name, options = ENCODERS[fmt]
    if name == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, name, **options)
    return buffer.getvalue()
