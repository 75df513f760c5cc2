"""Renditions: what readers download instead of the uploaded original.

A rendition is one crop of a photo (its own shape, or a fixed ratio cut around
its focal point) at one width, in one format. Its name in the default storage
(the file system, or S3 through django-storages: only the storage API is used)
carries a short hash of what made it: the original's file name, the box the crop
cuts (which follows from the focal point, the ratio and the photo's size), the
width, the format and ``ENCODER_VERSION``. So a name never changes content and
may be cached forever; a new focal point or crop makes new names.

Renditions are made in the background when a photo is saved (photos.tasks, the
"standard" set the story page and cards use) or, for any other one or when the
worker is behind, on first request: a URL that is not stored yet points to
photos.views.RenditionView, which makes it and redirects to the file. Which ones
exist is read from the ``Rendition`` rows' names, one query per photo; for a
queryset of photos (or of stories) ``prefetch_related(stored_prefetch())`` (or
``stored_prefetch("lead_photo__renditions")``) makes that one query for them all,
and ``stored_names_of()`` reads them in the rows that carry the photos, with no
query of their own (the story page: its story and its related posts).
"""

import functools
import hashlib
from collections import namedtuple
from html import escape
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Aggregate, CharField, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from PIL import features

from core import rendering
from core.stored_urls import stored_url
from photos import cache_tags, imaging
from photos.models import Rendition
from photos.sizes import useful_widths

# Bump when photos.imaging makes different pixels or bytes: every name changes.
ENCODER_VERSION = 1
WIDTHS = (320, 480, 640, 960, 1280, 1600, 2048)
# Crop name -> (width, height) of its ratio; None keeps the photo's own shape.
CROPS = {
    "original": None,
    "3:2": (3, 2),
    "1:1": (1, 1),
    "16:9": (16, 9),
    "4:3": (4, 3),
    "og": (1200, 630),
}
SLUGS = {crop: crop.replace(":", "x") for crop in CROPS}  # in names and URLs
CROP_OF_SLUG = {slug: crop for crop, slug in SLUGS.items()}
# Crops made at one width only: the size the consumer asks for (Open Graph: 1200x630).
ONE_WIDTH = {"og": 1200}
# The width of the images listed in JSON-LD (Google asks for at least 1200 px wide).
LARGE = 1280
# Originals in these formats may be transparent: their fallback is PNG, not JPEG.
MAY_HAVE_ALPHA = {".png", ".gif", ".webp", ".avif", ".tif", ".tiff"}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
# Pillow built without libavif still writes WebP; browsers take the first source they know.
MODERN = ("avif", "webp") if features.check("avif") else ("webp",)
# What photos.tasks makes on upload: the story page's lead, cards, og:image, JSON-LD.
STANDARD_CROPS = ("original", "3:2")
SEO_CROPS = ("16:9", "4:3", "1:1")
# Small cards (the related block) show a square 6rem wide: its smallest width alone
# (photos.sizes), made with the standard set so that no reader waits for it.
THUMBNAIL_CROP = "1:1"

Spec = namedtuple("Spec", "crop width fmt")
Image = namedtuple("Image", "url width height")


def size_of(photo):
    return max(1, photo.width), max(1, photo.height)


def crop_box(photo, crop):
    """The part of the photo ``crop`` keeps, as fractions (left, top, right, bottom):
    the largest box of the crop's ratio, centred on the focal point as far as the
    photo's edges allow."""
    return _crop_box(size_of(photo), photo.focal_x, photo.focal_y, crop)


# What makes a box or a name is passed by value, so the memo cannot go stale (a photo
# given a new focal point asks for another entry). A page asks for the same few
# boxes and names dozens of times each (every srcset, for every card), and working
# them out was most of its photos' markup.
@functools.lru_cache(maxsize=1024)
def _crop_box(size, focal_x, focal_y, crop):
    ratio = CROPS[crop]
    if ratio is None:
        return (0.0, 0.0, 1.0, 1.0)
    width, height = size
    wanted = ratio[0] / ratio[1]
    if width / height > wanted:  # wider than the ratio: cut the sides
        part = height * wanted / width
        left = min(max(focal_x - part / 2, 0.0), 1.0 - part)
        box = (left, 0.0, left + part, 1.0)
    else:
        part = width / wanted / height
        top = min(max(focal_y - part / 2, 0.0), 1.0 - part)
        box = (0.0, top, 1.0, top + part)
    return tuple(round(edge, 4) for edge in box)


def box_size(photo, crop):
    width, height = size_of(photo)
    left, top, right, bottom = crop_box(photo, crop)
    return max(1, round((right - left) * width)), max(1, round((bottom - top) * height))


def widths(photo, crop):
    """The widths ``crop`` is made at, smallest first: never wider than the pixels
    the crop has (no upscaling), the largest of them being all it has."""
    available = box_size(photo, crop)[0]
    wanted = (ONE_WIDTH[crop],) if crop in ONE_WIDTH else WIDTHS
    return sorted({min(width, available) for width in wanted})


def height_at(photo, crop, width):
    box_width, box_height = box_size(photo, crop)
    ratio = CROPS[crop]
    if ratio is None:
        return max(1, round(width * box_height / box_width))
    return max(1, round(width * ratio[1] / ratio[0]))


def fallback_format(photo):
    return "png" if PurePosixPath(photo.file.name).suffix.lower() in MAY_HAVE_ALPHA else "jpeg"


def formats(photo):
    return (*MODERN, fallback_format(photo))


def is_valid(photo, spec):
    return (
        spec.crop in CROPS and spec.fmt in formats(photo) and spec.width in widths(photo, spec.crop)
    )


def name(photo, spec):
    """The rendition's immutable name in the default storage."""
    return _name(photo.pk, photo.file.name, crop_box(photo, spec.crop), spec)


@functools.lru_cache(maxsize=8192)  # by value, as _crop_box
def _name(pk, file_name, box, spec):
    made_of = "|".join(map(str, (file_name, box, spec.crop, spec.width, spec.fmt)))
    digest = hashlib.sha256(f"{made_of}|v{ENCODER_VERSION}".encode()).hexdigest()[:12]
    stem = slugify(PurePosixPath(file_name).stem)[:40] or "photo"
    slug = SLUGS[spec.crop]
    return f"renditions/{pk}/{stem}-{slug}-{spec.width}-{digest}.{EXTENSIONS[spec.fmt]}"


def stored(photo):
    """The names of what is stored for ``photo``: one query, or none when they were
    prefetched or read with the row (below); kept on the instance for the rest of the
    page."""
    if "_renditions_stored" not in photo.__dict__:
        if "renditions" in getattr(photo, "_prefetched_objects_cache", {}):
            names = (rendition.name for rendition in photo.renditions.all())
        else:
            names = stored_names().filter(photo=photo).values_list("name", flat=True)
        photo._renditions_stored = frozenset(names)
    return photo._renditions_stored


def stored_names():
    """The rows ``stored()`` reads: their names (and photos, to match them), unordered.
    A page links some fifty renditions of each photo, and a whole row apiece (with the
    ordering's join on photos) cost more than the rest of the photo's markup."""
    return Rendition.objects.only("photo", "name").order_by()


class NameList(Aggregate):
    """Names joined by spaces, which no stored name has (slugs, digits, slashes)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def stored_names_of(photo):
    """An annotation: the names stored for the photo the row's ``photo`` field (e.g.
    ``"lead_photo"``) names, in one string, NULL without a photo or renditions. Read
    with the row, so a page of a few stories reads their photos' renditions in their
    own query; ``adopt_stored()`` hands the value to the photo."""
    names = (
        stored_names()
        .filter(photo=OuterRef(photo))
        .values("photo")
        .annotate(names=NameList("name"))
        .values("names")
    )
    return Subquery(names)


def adopt_stored(photo, names):
    """``photo`` (or None) learns what is stored from ``names`` (``stored_names_of()``)."""
    if photo is not None:
        photo._renditions_stored = frozenset(names.split(" ") if names else ())


def stored_prefetch(lookup="renditions"):
    """``prefetch_related()``'s argument for what ``stored()`` reads, through ``lookup``
    (e.g. ``"lead_photo__renditions"`` on stories): for querysets, whose rows are not
    in hand yet."""
    return Prefetch(lookup, queryset=stored_names())


def forget_stored(photo):
    photo.__dict__.pop("_renditions_stored", None)
    getattr(photo, "_prefetched_objects_cache", {}).pop("renditions", None)


def url(photo, crop, width, fmt):
    """The rendition's URL: the stored file's, or, not made yet, the view that makes it."""
    spec = Spec(crop, width, fmt)
    stored_name = name(photo, spec)
    if stored_name in stored(photo):
        return stored_url(stored_name)
    return reverse(
        "photos:rendition",
        kwargs={"pk": photo.pk, "crop": SLUGS[crop], "width": width, "fmt": fmt},
    )


def thumbnail_url(photo):
    """A small rendition of the whole photo, for the admin's lists and choosers."""
    return url(photo, "original", widths(photo, "original")[0], "webp")


def largest(photo, crop, fmt=None, limit=LARGE):
    """Image(url, width, height) of ``crop`` at its largest width up to ``limit``, in
    ``fmt`` (the fallback format by default: what every consumer reads)."""
    rendering.depends_on(cache_tags.photo(photo.pk))
    width = largest_width(photo, crop, limit)
    return Image(
        url(photo, crop, width, fmt or fallback_format(photo)), width, height_at(photo, crop, width)
    )


def largest_width(photo, crop, limit=LARGE):
    available = widths(photo, crop)
    return max([w for w in available if w <= limit] or available[:1])


def srcset(photo, crop, fmt, shown_widths=None):
    """``srcset`` of ``crop`` in ``fmt`` at ``shown_widths`` (default: every width made)."""
    shown_widths = shown_widths or widths(photo, crop)
    return ", ".join(f"{url(photo, crop, width, fmt)} {width}w" for width in shown_widths)


def picture_html(
    photo, crop="original", sizes="100vw", loading="lazy", fetchpriority="", css_class=""
):
    """``<picture>`` with AVIF and WebP sources and a JPEG (or PNG) ``<img>``, whose
    width and height are the crop's, so the page does not move as it loads. Only the
    widths a browser may pick for ``sizes`` are listed (photos.sizes); when that is
    one, it is all the sources and the ``<img>`` name, without ``sizes``. The page
    depends on the photo's cache tag from here on."""
    if photo is None or not photo.file:
        return ""
    if crop not in CROPS:
        raise ValueError(f"Unknown crop {crop!r}: one of {', '.join(CROPS)}.")
    rendering.depends_on(cache_tags.photo(photo.pk))
    shown = useful_widths(widths(photo, crop), sizes)
    fallback = fallback_format(photo)
    src = url(photo, crop, max([w for w in shown if w <= 960] or shown[:1]), fallback)
    # Escaped here, once per value, and marked safe once: through format_html() each
    # value of each <source> went through Django's lazy-aware escaping, which was
    # most of the time a card's photo took.
    if len(shown) == 1:
        sources = "".join(
            f'<source type="{MIME[fmt]}" srcset="{escape(url(photo, crop, shown[0], fmt))}">'
            for fmt in MODERN
        )
        choice = ""
    else:
        sizes_attribute = f' sizes="{escape(sizes)}"'
        sources = "".join(
            f'<source type="{MIME[fmt]}" srcset="{escape(srcset(photo, crop, fmt, shown))}"'
            f"{sizes_attribute}>"
            for fmt in MODERN
        )
        choice = f' srcset="{escape(srcset(photo, crop, fallback, shown))}"{sizes_attribute}'
    extra = "".join(
        f' {key}="{escape(value)}"'
        for key, value in (("fetchpriority", fetchpriority), ("class", css_class))
        if value
    )
    alt = "" if photo.decorative else photo.alt_text
    return mark_safe(  # noqa: S308  (every value escaped above)
        f'<picture>{sources}<img src="{escape(src)}"{choice} width="{shown[-1]}"'
        f' height="{height_at(photo, crop, shown[-1])}" alt="{escape(alt)}"'
        f' loading="{escape(loading)}" decoding="async"{extra}></picture>'
    )


def standard_specs(photo):
    """What the pages and cards show of every photo, made when it is uploaded."""
    specs = [
        Spec(crop, width, fmt)
        for crop in STANDARD_CROPS
        for width in widths(photo, crop)
        for fmt in formats(photo)
    ]
    specs += [Spec(THUMBNAIL_CROP, widths(photo, THUMBNAIL_CROP)[0], f) for f in formats(photo)]
    fallback = fallback_format(photo)
    specs.append(Spec("og", widths(photo, "og")[-1], fallback))
    for crop in SEO_CROPS:
        specs.append(Spec(crop, largest_width(photo, crop), fallback))
    return specs


def generate(photo, specs):
    """Make and store the renditions in ``specs`` not stored yet, decoding the original
    once; returns how many were made. Safe to run twice at once: both make the same
    bytes under the same name, the second store is dropped and one row is kept."""
    names = {spec: name(photo, spec) for spec in specs}
    done = set(Rendition.objects.filter(name__in=names.values()).values_list("name", flat=True))
    todo = [spec for spec in dict.fromkeys(specs) if names[spec] not in done]
    if not todo:
        return 0
    jobs = {
        spec: imaging.Job(
            crop_box(photo, spec.crop),
            (spec.width, height_at(photo, spec.crop, spec.width)),
            spec.fmt,
        )
        for spec in todo
    }
    with photo.file.storage.open(photo.file.name, "rb") as original:
        outputs = imaging.render(original, jobs.values())
    for spec in todo:
        store(photo, spec, names[spec], outputs[jobs[spec]])
    forget_stored(photo)
    return len(todo)


def store(photo, spec, stored_name, output):
    if not default_storage.exists(stored_name):
        saved = default_storage.save(stored_name, ContentFile(output.data))
        if saved != stored_name:  # the same bytes were stored by a concurrent run
            default_storage.delete(saved)
    Rendition.objects.get_or_create(
        name=stored_name,
        defaults={
            "photo": photo,
            "crop": spec.crop,
            "width": output.width,
            "height": output.height,
            "format": spec.fmt,
            "size": len(output.data),
        },
    )
