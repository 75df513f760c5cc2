"""Whether an uploaded file may enter the photo library: the one check the add form and
the upload endpoint both make, before anything is stored.

Pillow reads the header first (format, size) and only then decodes: a file is refused
on what its header claims (too many pixels, a decompression bomb) without the memory
it would take to decode it, and a truncated file is caught by a full decode of a fresh
open, since ``verify()`` alone checks only the structure.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

# Pillow's format names, and how they are said to editors.
ALLOWED_FORMATS = {
    "JPEG": "JPEG",
    "PNG": "PNG",
    "WEBP": "WebP",
    "AVIF": "AVIF",
    "GIF": "GIF",
    "TIFF": "TIFF",
    "MPO": "JPEG",  # what phones save: a JPEG with a second, depth frame
}
ACCEPTED = "JPEG, PNG, WebP, AVIF, GIF or TIFF"
# Enough of the start of a file to see an XML document or SVG element behind any
# preamble (an XML declaration, comments, a doctype).
SNIFF_BYTES = 2048


def megapixels(pixels):
    return f"{pixels / 1_000_000:.0f} megapixels"


def _looks_like_svg(head):
    text = head.lstrip().lower()
    return text.startswith(b"<?xml") or b"<svg" in text


def _bomb():
    return ValidationError(
        "This image claims far more pixels than any photo has: it may be a decompression "
        "bomb, and it was not stored.",
        code="bomb",
    )


def _header(uploaded_file):
    """Pillow's format name, the size the header claims, and whether Pillow warned that
    the size is a possible decompression bomb (nothing is decoded yet)."""
    uploaded_file.seek(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            with Image.open(uploaded_file) as image:
                header = image.format, image.width, image.height
        except Image.DecompressionBombError:
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                f"This file is not an image we can read. Upload a {ACCEPTED} file.",
                code="not_an_image",
            ) from None
        finally:
            uploaded_file.seek(0)
    warned = any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught)
    return *header, warned


def _decode(uploaded_file):
    """Check the structure, then decode every pixel of a fresh open (verify() leaves
    the image unusable, and does not notice a JPEG cut short)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(uploaded_file) as image:
                image.verify()
            uploaded_file.seek(0)
            with Image.open(uploaded_file) as image:
                image.load()  # the first frame of an animation is what renditions use
        # Pillow's decoders raise many kinds: OSError, SyntaxError, struct.error...
        except Exception:
            raise ValidationError(
                "This image is damaged or incomplete (the upload may have been cut short). "
                "Export it again from the original and upload the new file.",
                code="corrupt",
            ) from None
        finally:
            uploaded_file.seek(0)


def validate_image(uploaded_file):
    """Raise ValidationError, with a message saying what to do, unless ``uploaded_file``
    is a photo the library accepts. Returns Pillow's name of its format."""
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded_file.size)}; the largest photo accepted "
            f"is {filesizeformat(limit)}. Export a smaller JPEG and upload it instead.",
            code="too_big",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    if _looks_like_svg(head):
        raise ValidationError(
            "SVG files are not accepted: they can carry scripts that would run in readers' "
            "browsers. Export the drawing as PNG and upload that.",
            code="svg",
        )
    kind, width, height, warned = _header(uploaded_file)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(
            f"{kind} images are not accepted. Upload a {ACCEPTED} file.", code="format"
        )
    most = settings.PHOTO_MAX_PIXELS
    if width * height > most:
        raise ValidationError(
            f"This image is {width}×{height} pixels ({megapixels(width * height)}); the "
            f"largest accepted is {megapixels(most)}. Resize it and upload it again.",
            code="too_many_pixels",
        )
    if warned:  # a limit set above Pillow's own: Pillow's warning still refuses it
        raise _bomb()
    _decode(uploaded_file)
    return kind
