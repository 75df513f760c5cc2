"""What an uploaded photo says about itself, and what it must not say.

Agency photos arrive with their caption, byline and rights written into the file
(IPTC, XMP, EXIF): they fill the library's empty fields on upload, so a credit is never
lost on the way in. A phone's photo carries where it was taken (EXIF GPS): that is
removed from the stored original, so not even a leaked original gives a location away.
"""

import io
import re
import struct

from django.core.files.base import ContentFile
from PIL import ExifTags, Image, IptcImagePlugin

# IPTC-IIM datasets of record 2 (the "application record").
IPTC = {"title": (2, 5), "byline": (2, 80), "credit": (2, 110), "copyright": (2, 116)}
IPTC_CAPTION = (2, 120)
EXIF = {"caption": 0x010E, "byline": 0x013B, "copyright": 0x8298}  # description, artist
GPS_IFD = ExifTags.IFD.GPSInfo
# XMP properties written by exif:GPS… (Lightroom, phones) also locate the photo.
XMP_GPS = re.compile(
    rb'\s+exif:GPS\w+="[^"]*"|<exif:GPS\w+\b[^>]*/>|<exif:GPS(\w+)\b[^>]*>.*?</exif:GPS\1>',
    re.DOTALL,
)
XMP_MARKER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_MARKER = b"Exif\x00\x00"
# Re-encoding settings for the formats that must be saved again to drop their GPS.
RESAVE = {"WEBP": {"quality": 95}, "AVIF": {"quality": 90}, "TIFF": {}, "PNG": {}}


def _text(value):
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return " ".join(str(value).replace("\x00", "").split())


def _xmp_text(value):
    """The text of an XMP property as Pillow's getxmp() shapes it: a string, a
    ``{"text": ...}`` with a language, or an rdf:Alt/Seq/Bag of those (a Seq of
    creators is joined)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return ", ".join(filter(None, (_xmp_text(item) for item in value)))
    if isinstance(value, dict):
        for key in ("text", "Alt", "Seq", "Bag", "li"):
            if key in value:
                return _xmp_text(value[key])
    return ""


def _combined(byline, agency):
    """A credit in the house form "Jane Doe/Reuters" from a byline and a credit line."""
    if byline and agency and agency.lower() not in byline.lower():
        return f"{byline}/{agency}"
    return byline or agency


def from_iptc(image):
    info = IptcImagePlugin.getiptcinfo(image) or {}
    found = {name: _text(info.get(key, b"")) for name, key in IPTC.items()}
    found["caption"] = _text(info.get(IPTC_CAPTION, b""))
    found["credit"] = _combined(found.pop("byline"), found["credit"])
    return found


def from_xmp(image):
    try:
        xmp = image.getxmp()
    except Exception:  # a malformed packet is no reason to refuse the photo itself
        return {}
    descriptions = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", {})
    props = {}
    for description in descriptions if isinstance(descriptions, list) else [descriptions]:
        props.update(description)
    return {
        "title": _xmp_text(props.get("title")),
        "caption": _xmp_text(props.get("description")),
        "credit": _combined(_xmp_text(props.get("creator")), _xmp_text(props.get("Credit"))),
        "copyright": _xmp_text(props.get("rights")),
    }


def from_exif(image):
    exif = image.getexif()
    found = {name: _text(exif.get(tag, "")) for name, tag in EXIF.items()}
    found["credit"] = found.pop("byline")
    return found


def read(image):
    """Title, caption, credit and copyright found in an open image: IPTC first (what
    agencies fill in), then XMP, then EXIF. Only what was found is returned."""
    found = {}
    for source in (from_iptc, from_xmp, from_exif):
        for name, value in source(image).items():
            if value and not found.get(name):
                found[name] = value
    return found


def fill_empty(photo, found):
    """Copy what the file says into the fields the uploader left empty."""
    for name, value in found.items():
        if not getattr(photo, name).strip():
            setattr(photo, name, value[: photo._meta.get_field(name).max_length])


def _jpeg_segments(data):
    """The markers before the image data of a JPEG, as (start, end, marker, payload)."""
    position = 2  # after SOI
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed image follows
            return
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        yield position, position + 2 + length, marker, data[position + 4 : position + 2 + length]
        position += 2 + length


def _segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_without_location(data, exif):
    """The same JPEG, its compressed image untouched, with the EXIF rewritten without
    its GPS directory and XMP GPS properties removed."""
    out, last = [data[:2]], 2
    for start, end, marker, payload in _jpeg_segments(data):
        out.append(data[last:start])
        if marker == 0xE1 and payload.startswith(EXIF_MARKER):
            payload = exif.tobytes()
        elif marker == 0xE1 and payload.startswith(XMP_MARKER):
            payload = XMP_GPS.sub(b"", payload)
        out.append(_segment(marker, payload))
        last = end
    out.append(data[last:])
    return b"".join(out)


def without_location(uploaded_file, image):
    """A copy of ``uploaded_file`` (``image`` is it opened by Pillow) with its GPS
    EXIF removed, or None when it has none. JPEGs are rewritten without decoding them
    (no loss of quality); other formats are saved again by Pillow."""
    exif = image.getexif()
    if GPS_IFD not in exif:
        return None
    del exif[GPS_IFD]
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    if image.format in ("JPEG", "MPO"):
        cleaned = _jpeg_without_location(data, exif)
    else:
        buffer = io.BytesIO()
        options = dict(RESAVE.get(image.format, {}))
        if icc := image.info.get("icc_profile"):
            options["icc_profile"] = icc
        with Image.open(io.BytesIO(data)) as fresh:
            fresh.save(buffer, format=image.format, exif=exif.tobytes(), **options)
        cleaned = buffer.getvalue()
    return ContentFile(cleaned, name=uploaded_file.name)
