"""Image files for the photo tests, built with Pillow in memory.

Photographic-ish content for the rendition tests (gradients and noise, which
compress like photographs do, unlike flat colour). IPTC has no writer in Pillow:
``with_iptc`` splices a hand-built APP13 segment (a Photoshop "8BIM" resource 0x0404
holding IPTC-IIM datasets) after a JPEG's SOI. ``claiming`` makes a PNG whose header
states any size, without its pixels, as a decompression bomb or an oversized scan does.
"""

import io
import random
import struct
import zlib

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


def jpeg(size=(120, 80), color=(200, 30, 30), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90, **save)
    return buffer.getvalue()


def encoded(format, size=(60, 40), mode="RGB", **save):
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200)[: len(mode)] if mode != "P" else 3).save(
        buffer, format, **save
    )
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def iptc_dataset(record, number, text):
    value = text.encode()
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def with_iptc(data, datasets):
    """``data`` (a JPEG) with an APP13 segment holding ``datasets`` ({(2, 120): "…"})."""
    iim = b"".join(iptc_dataset(r, n, text) for (r, n), text in datasets.items())
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    payload = b"Photoshop 3.0\x00" + resource + iim
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def xmp_packet(description="", creator="", credit="", rights="", gps=False):
    location = 'exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,21.1E"' if gps else ""
    return f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
 photoshop:Credit="{credit}" {location}>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>
</dc:description>
<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()


def exif(**tags):
    """EXIF bytes: ``description``, ``artist``, ``copyright``, and ``gps`` (True) for a
    location in Paris."""
    found = Image.Exif()
    names = {"description": 0x010E, "artist": 0x013B, "copyright": 0x8298}
    for name, tag in names.items():
        if name in tags:
            found[tag] = tags[name]
    if tags.get("gps"):
        found[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    return found.tobytes()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def claiming(width, height):
    """A PNG whose header says ``width``×``height`` pixels, followed by one row of data:
    opening it costs nothing, decoding it would cost width×height bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""
