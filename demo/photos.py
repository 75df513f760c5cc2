"""Photographic-looking demo images, drawn with Pillow: no file to license or download.

Each picture is a landscape at some hour of the day: a sky graded from zenith to
horizon, a sun with its glow, ranges of hills fading with distance (or a city
skyline with lit windows), the scene mirrored in rippled water, then film grain
and a vignette. The same seed always draws the same picture, and each story's
seed differs, so the front page is not one image seven times over.
"""

import functools
import io
import math
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from photos.models import Photo

WIDTH, HEIGHT = 2400, 1600
CREDIT = "Newsroom demo image (generated)"
COPYRIGHT = (
    "Generated for the demo by demo/photos.py; CC0 1.0 (public domain dedication): "
    "free to use for any purpose."
)
SOURCE = "Generated"

# (name, zenith, horizon, sun, hills far to near), colours as RGB.
HOURS = [
    ("dawn", (38, 52, 96), (246, 170, 120), (255, 236, 200), ((122, 96, 120), (62, 48, 72))),
    ("morning", (70, 130, 200), (200, 222, 240), (255, 252, 235), ((110, 140, 150), (40, 72, 60))),
    ("noon", (40, 110, 210), (170, 205, 240), (255, 255, 245), ((96, 130, 110), (36, 70, 40))),
    ("dusk", (44, 40, 92), (250, 130, 70), (255, 210, 150), ((110, 60, 80), (40, 24, 40))),
    ("evening", (16, 22, 54), (180, 90, 110), (255, 190, 160), ((60, 40, 70), (20, 14, 30))),
]
KINDS = ["hills", "skyline"]


@dataclass(frozen=True)
class DemoPhoto:
    """A drawn picture and the words that go with it."""

    jpeg: bytes
    alt_text: str
    caption: str
    focal_x: float
    focal_y: float


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def sky(size, zenith, horizon):
    """A vertical gradient, zenith at the top, horizon colour at the bottom."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, horizon), Image.new("RGB", size, zenith), mask)


def sun(image, centre, radius, colour):
    """The disc and a wide soft glow around it, added to the sky (screen blend)."""
    glow = Image.new("RGB", image.size, (0, 0, 0))
    draw = ImageDraw.Draw(glow)
    x, y = centre
    for scale, strength in ((7, 0.25), (3.5, 0.45), (1.8, 0.8)):
        r = radius * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=mix((0, 0, 0), colour, strength))
    glow = glow.filter(ImageFilter.GaussianBlur(radius * 2))
    image = ImageChops.screen(image, glow)
    ImageDraw.Draw(image).ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return image


def ridge(rng, width, base, amplitude, roughness):
    """A hill line as points: waves of several lengths added up, with a little jitter."""
    waves = [
        (rng.uniform(0.5, 1) * amplitude / 2**i, rng.uniform(1, 2) * 2**i, rng.uniform(0, 6.3))
        for i in range(4)
    ]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width * math.tau
        height = sum(a * math.sin(f * t + phase) for a, f, phase in waves)
        points.append((x, base - height - rng.uniform(0, roughness)))
    return points


def hills(image, rng, horizon, colours, sky_colour):
    """Three ranges, the far ones paler (the air between us and them)."""
    draw = ImageDraw.Draw(image)
    far, near = colours
    for layer in range(3):
        t = layer / 2
        colour = mix(mix(far, near, t), sky_colour, 0.35 * (1 - t))
        base = horizon - 140 + layer * 60
        line = ridge(rng, image.width, base, 180 - layer * 40, 14 + layer * 6)
        draw.polygon([*line, (image.width, horizon), (0, horizon)], fill=colour)


def skyline(image, rng, horizon, colours, lit):
    """Towers in two rows, the far row paler, with windows lit at dusk and night."""
    draw = ImageDraw.Draw(image)
    far, near = colours
    stone = (28, 32, 42)
    for row, colour in enumerate((mix(far, (170, 176, 190), 0.45), mix(near, stone, 0.7))):
        x = rng.randint(-60, 0)
        while x < image.width:
            w = rng.randint(70, 190)
            h = rng.randint(120, 520) * (0.7 if row == 0 else 1)
            top = horizon - h
            draw.rectangle((x, top, x + w, horizon), fill=colour)
            if row == 1 and rng.random() < 0.3:  # a spire or a mast
                draw.rectangle((x + w // 2 - 4, top - 90, x + w // 2 + 4, top), fill=colour)
            if lit and row == 1:
                for wy in range(int(top) + 20, horizon - 20, 34):
                    for wx in range(x + 12, x + w - 20, 26):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 10, wy + 16), fill=(255, 214, 140))
            x += w + rng.randint(0, 30)


def water(image, horizon, rng):
    """The scene above the horizon mirrored below it, darker, blurred and rippled."""
    above = image.crop((0, 0, image.width, horizon)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    depth = image.height - horizon
    reflection = above.crop((0, 0, image.width, depth)).filter(ImageFilter.GaussianBlur(6))
    reflection = Image.blend(reflection, Image.new("RGB", reflection.size, (10, 20, 40)), 0.35)
    draw = ImageDraw.Draw(reflection)
    for _ in range(260):  # ripples: thin light and dark strokes, wider nearer to us
        y = rng.randint(0, depth - 1)
        length = rng.randint(40, 240) * (1 + 2 * y / depth)
        x = rng.randint(0, image.width)
        shade = rng.choice(((255, 255, 255), (0, 0, 0)))
        base = reflection.getpixel((min(x, image.width - 1), y))
        draw.line((x, y, x + length, y), fill=mix(base, shade, 0.18), width=2 + y // 200)
    image.paste(reflection, (0, horizon))


def finish(image, rng):
    """Film grain and a vignette: what makes a flat drawing read as a photograph."""
    # From our seeded generator (Pillow's effect_noise has its own): the same seed,
    # the same bytes.
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    grain = noise.point(lambda v: 128 + (v - 128) * 0.3).convert("RGB")
    image = Image.blend(image, ImageChops.overlay(image, grain), 0.5)
    vignette = Image.radial_gradient("L").resize(image.size).point(lambda v: 255 - v * 0.55)
    return ImageChops.multiply(image, Image.merge("RGB", (vignette,) * 3))


# Drawing one takes a second or more: a process that seeds the demo again (the test
# suite does, dozens of times) draws each picture once.
@functools.lru_cache(maxsize=32)
def generate(seed, width=WIDTH, height=HEIGHT):
    """The picture for ``seed`` (a story's slug): the same seed, the same picture."""
    rng = random.Random(seed)
    hour, zenith, horizon_colour, sun_colour, colours = rng.choice(HOURS)
    kind = rng.choice(KINDS)
    horizon = int(height * rng.uniform(0.6, 0.7))
    image = sky((width, horizon), zenith, horizon_colour)
    sun_x = rng.uniform(0.2, 0.8)
    sun_y = rng.uniform(0.55, 0.85) if hour in ("dawn", "dusk") else rng.uniform(0.15, 0.45)
    image = sun(image, (sun_x * width, sun_y * horizon), height * 0.045, sun_colour)
    canvas = Image.new("RGB", (width, height))
    canvas.paste(image, (0, 0))
    if kind == "hills":
        hills(canvas, rng, horizon, colours, horizon_colour)
    else:
        skyline(canvas, rng, horizon, colours, lit=hour in ("dusk", "evening", "dawn"))
    water(canvas, horizon, rng)
    canvas = finish(canvas, rng)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=86, optimize=True, progressive=True)
    scene = "a city skyline" if kind == "skyline" else "ranges of hills"
    what = "lit windows in the towers, " if kind == "skyline" and hour != "noon" else ""
    return DemoPhoto(
        jpeg=out.getvalue(),
        alt_text=(
            f"A generated landscape at {hour}: {scene} on the horizon under a "
            f"{'low ' if sun_y > 0.5 else ''}sun, {what}reflected in rippled water."
        ),
        caption=f"{scene.capitalize()} at {hour}, mirrored in the water. (An illustration.)",
        # The sun is what the eye goes to: crops keep it in view.
        focal_x=round(sun_x, 3),
        focal_y=round(sun_y * horizon / height, 3),
    )


def library_photo(seed, title, file_name):
    """The picture ``seed`` draws, stored in the photo library under ``title``, with
    its alt text, caption, credit and licence."""
    drawn = generate(seed)
    photo = Photo(
        title=title,
        alt_text=drawn.alt_text,
        caption=drawn.caption,
        credit=CREDIT,
        copyright=COPYRIGHT,
        source=SOURCE,
        focal_x=drawn.focal_x,
        focal_y=drawn.focal_y,
    )
    # Stored first and assigned by name: the field then reads the size from the
    # stored file (from FieldFile.save's ContentFile it reads none).
    name = photo.file.field.generate_filename(photo, file_name)
    photo.file = photo.file.storage.save(name, ContentFile(drawn.jpeg))
    photo.save()
    return photo
