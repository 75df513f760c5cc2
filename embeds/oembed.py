"""Asking an embed's provider about it, once, and keeping only what the facade needs.

``refresh(embed)`` asks the provider's oEmbed endpoint (embeds.providers), checks the
answer field by field (a provider is a stranger: its strings are trimmed and capped,
its sizes must be sane numbers, its addresses http or https), makes the player's
address from it, and takes its thumbnail into the photo library (photos.validation
decides, as for an upload) so that readers load it from us. The provider's HTML is
never stored: scripts in it cannot reach a reader because it is never shown.

The row ends ready, or failed with ``error`` saying why in words for the desk. A
failure that may pass (a timeout, the provider's 5xx) raises ProviderUnavailable once
the row is saved, so that the background task tries again later.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from core import safe_fetch
from embeds import providers
from embeds.models import Embed
from photos import uploads, usage
from photos.models import Photo
from photos.validation import megapixels, validate_image

logger = logging.getLogger(__name__)

ANSWER_MAX_BYTES = 1024 * 1024
THUMBNAIL_MAX_BYTES = 10 * 1024 * 1024
THUMBNAIL_MAX_PIXELS = 4096 * 4096
MAXWIDTH = 1280  # the widest the story column shows a player or thumbnail, in pixels
LARGEST_SIDE = 10_000  # pixels
LONGEST = 7 * 24 * 60 * 60  # seconds, a week-long live stream's recording
TYPES = {"video", "rich", "photo", "link"}
JSON_TYPES = {"application/json", "application/json+oembed", "text/json", "text/javascript"}
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}


class Unusable(Exception):
    """The provider's answer cannot make an embed; ``transient``: it may, later."""

    def __init__(self, message, *, transient=False):
        super().__init__(message)
        self.transient = transient


class ProviderUnavailable(Exception):
    """The provider did not answer usably now; asking again later may work."""


def text(answer, name, limit):
    value = answer.get(name)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def web_address(answer, name):
    value = answer.get(name)
    if not isinstance(value, str) or len(value) > 2000:
        return ""
    value = value.strip()
    return value if urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc else ""


def number(answer, name, most):
    """A whole number from 1 to ``most``, or None: providers send strings ("100%"),
    floats and JSON's Infinity as sizes too."""
    value = answer.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        whole = int(value)
    except (ValueError, OverflowError):
        return None
    return whole if 0 < whole <= most else None


def fetched(url, max_bytes, accept=None, prefix=""):
    """safe_fetch.fetch, its errors as Unusable (``prefix`` saying what was fetched)."""
    try:
        return safe_fetch.fetch(
            url, max_bytes=max_bytes, timeout=settings.EMBED_FETCH_TIMEOUT, accept=accept
        )
    except safe_fetch.FetchError as problem:
        raise Unusable(f"{prefix}{problem}", transient=problem.transient) from None


def find(url):
    """The provider answering for ``url``, known or discovered. Raises Unusable."""
    found = providers.match(url)
    if found is not None:
        return found
    page = fetched(url, providers.PAGE_MAX_BYTES, accept="text/html,*/*;q=0.5")
    try:
        return providers.discover(page)
    except providers.NoOEmbed as problem:
        raise Unusable(str(problem)) from None


def ask(found):
    """The provider's answer about ``found.url``, a dict. Raises Unusable."""
    answer = fetched(found.endpoint(MAXWIDTH), ANSWER_MAX_BYTES, accept="application/json")
    name = found.provider.name
    if answer.status in (401, 403):
        raise Unusable(f"{name} does not let this be embedded (it may be private or deleted).")
    if answer.status == 404:
        raise Unusable(f"{name} has nothing at this address (404): check it still exists.")
    if answer.status == 429 or answer.status >= 500:
        raise Unusable(f"{name} had an error ({answer.status}); trying again.", transient=True)
    if answer.status != 200:
        raise Unusable(f"{name} answered {answer.status} instead of describing the embed.")
    if answer.content_type not in JSON_TYPES:
        raise Unusable(f"{name} answered with {answer.content_type}, not oEmbed's JSON.")
    try:
        data = json.loads(answer.body)
    except (ValueError, RecursionError):  # not UTF-8, or nested past Python's stack
        raise Unusable(f"{name}'s answer is not valid JSON.") from None
    if not isinstance(data, dict) or data.get("type") not in TYPES:
        raise Unusable(f"{name}'s answer is not an oEmbed description (no known type).")
    return data


def describe(embed, found, answer):
    """Fill ``embed`` from a checked ``answer`` (nothing saved)."""
    embed.provider = found.provider.key
    embed.provider_name = found.provider.name
    if found.provider.key == providers.DISCOVERED:
        embed.provider_name = text(answer, "provider_name", 100) or found.provider.name
    kind = answer["type"]
    if found.provider.audio and kind in ("rich", "video"):
        kind = Embed.Kind.AUDIO
    embed.kind = kind
    embed.title = text(answer, "title", 500)
    embed.author_name = text(answer, "author_name", 200)
    embed.author_url = web_address(answer, "author_url")
    embed.width = number(answer, "width", LARGEST_SIDE)
    embed.height = number(answer, "height", LARGEST_SIDE)
    embed.duration = number(answer, "duration", LONGEST)  # not oEmbed's; Vimeo's
    embed.player_url = found.player_url(answer)


def alt_text(embed):
    what = {"video": "the video", "audio": "the recording", "photo": "the photo"}.get(
        embed.kind, "the post"
    )
    titled = f" “{embed.title}”" if embed.title else ""
    return f"Thumbnail of {what}{titled} on {embed.provider_name}"[:300]


def image_file(embed, response):
    """The thumbnail as an upload the library accepts. Raises Unusable."""
    upload = SimpleUploadedFile(f"embed-{embed.pk}", response.body)
    # Its header only (nothing decoded): a thumbnail's limit is far below a photo's.
    try:
        with Image.open(upload) as image:
            pixels = image.width * image.height
    except Exception:  # Pillow raises many kinds; validate_image says what is wrong
        pixels = 0
    finally:
        upload.seek(0)
    if pixels > THUMBNAIL_MAX_PIXELS:
        raise Unusable(
            f"the thumbnail is {megapixels(pixels)}, more than the "
            f"{megapixels(THUMBNAIL_MAX_PIXELS)} a thumbnail may have"
        )
    try:
        kind = validate_image(upload)
    except ValidationError as problem:
        raise Unusable(f"the thumbnail was refused: {problem.messages[0]}") from None
    upload.name = f"embed-{embed.pk}.{FORMATS.get(kind, 'img')}"
    return upload


def thumbnail(embed, answer):
    """A new library photo of the answer's thumbnail, unsaved, or None. Raises Unusable."""
    url = web_address(answer, "thumbnail_url")
    if not url:
        return None
    response = fetched(url, THUMBNAIL_MAX_BYTES, prefix="the thumbnail could not be fetched: ")
    if response.status != 200:
        raise Unusable(f"the thumbnail could not be fetched ({response.status})")
    credit = " / ".join(part for part in (embed.author_name, embed.provider_name) if part)
    photo = Photo(
        title=(embed.title or embed.url)[:200],
        credit=credit[:200],
        source=embed.provider_name[:200],
        alt_text=alt_text(embed),
    )
    uploads.take_in(photo, image_file(embed, response))
    return photo


def save(embed, photo=None):
    """Save ``embed`` (with ``photo``, its new thumbnail); a thumbnail it no longer
    shows leaves the library unless something else uses it."""
    replaced = embed.thumbnail_id if photo is not None else None
    embed.fetched_at = timezone.now()
    with transaction.atomic():
        if photo is not None:
            uploads.save(photo)
            embed.thumbnail = photo
        embed.save()
        if replaced:
            for unused in Photo.objects.filter(pk=replaced).exclude(usage.in_use()):
                unused.delete()


def fail(embed, problem):
    """Save why ``embed`` could not be asked about. An embed that was ready stays ready,
    with its last good answer, while its provider is only unavailable for a while."""
    if not (problem.transient and embed.status == Embed.Status.READY):
        embed.status = Embed.Status.FAILED
    embed.error = str(problem)[:500]
    save(embed)
    if problem.transient:
        raise ProviderUnavailable(str(problem)) from problem


def refresh(embed):
    """Ask ``embed``'s provider about it again and save what it said. Raises
    ProviderUnavailable (once the row is saved) when asking later may work."""
    try:
        found = find(embed.url)
        answer = ask(found)
    except Unusable as problem:
        fail(embed, problem)
        return
    describe(embed, found, answer)
    embed.status = Embed.Status.READY
    embed.error = ""
    try:
        photo = thumbnail(embed, answer)
    except Unusable as problem:
        # The embed works without its thumbnail (the facade shows the title); the desk
        # sees why there is none.
        logger.info("Embed %s: %s", embed.pk, problem)
        embed.error = f"No thumbnail: {problem}."[:500]
        photo = None
    save(embed, photo)
