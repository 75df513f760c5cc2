"""Whether an uploaded file may be a story's video, audio or captions: checked before
anything is stored, by the file's name and by its first bytes.

A name alone says nothing (anything can be renamed ``clip.mp4``), and browsers are
told the type we name (``<source type>``; core.media serves by the name too), so a
file is accepted only when its first bytes are those of the container its name says.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# What each container's files begin with.
MP4 = "MP4"  # ISO base media: a box size (4 bytes), then "ftyp"
WEBM = "WebM"  # Matroska's EBML header
OGG = "Ogg"
MP3 = "MP3"  # an ID3 tag, or straight into an MPEG audio frame


@dataclass(frozen=True)
class MediaType:
    container: str
    video: str | None  # the MIME type played as video, or None: audio only
    audio: str | None


EXTENSIONS = {
    ".mp4": MediaType(MP4, "video/mp4", None),
    ".m4a": MediaType(MP4, None, "audio/mp4"),
    ".webm": MediaType(WEBM, "video/webm", None),
    ".ogg": MediaType(OGG, "video/ogg", "audio/ogg"),
    ".opus": MediaType(OGG, None, "audio/ogg"),
    ".mp3": MediaType(MP3, None, "audio/mpeg"),
}
VIDEO_NAMES = "MP4, WebM or Ogg"
AUDIO_NAMES = "MP3, M4A, Ogg or Opus"
ACCEPTED = f"a video ({VIDEO_NAMES}) or audio file ({AUDIO_NAMES})"
SNIFF_BYTES = 12
# A WebVTT file's signature: the word, then a space, a tab, a line break or nothing.
WEBVTT = b"WEBVTT"
UTF8_BOM = b"\xef\xbb\xbf"


def media_type(name):
    """The MediaType of a file named ``name``, or None."""
    return EXTENSIONS.get(PurePosixPath(name).suffix.lower())


def mime_type(name, kind):
    """The MIME type a ``kind`` ("video" or "audio") story's file ``name`` plays as, or
    None when a file of that name is not of that kind (an .mp3 for a video)."""
    found = media_type(name)
    return getattr(found, kind, None) if found else None


def container_of(head):
    """The container whose signature ``head`` (a file's first bytes) starts with."""
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    return None


def _head(uploaded_file, size):
    uploaded_file.seek(0)
    try:
        return uploaded_file.read(size)
    finally:
        uploaded_file.seek(0)


def _refuse_if_bigger(uploaded_file, limit, what):
    if uploaded_file.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded_file.size)}; the largest {what} accepted "
            f"is {filesizeformat(limit)}. Export a smaller file and upload it instead.",
            code="too_big",
        )


def validate_media_file(uploaded_file):
    """Raise ValidationError, saying what to do, unless ``uploaded_file`` is a video or
    audio file of a type we play, that is what its name says."""
    _refuse_if_bigger(uploaded_file, settings.MEDIA_MAX_UPLOAD_BYTES, "video or audio file")
    expected = media_type(uploaded_file.name)
    if expected is None:
        raise ValidationError(
            f"“{PurePosixPath(uploaded_file.name).name}” is not a file type readers' browsers "
            f"play. Upload {ACCEPTED}.",
            code="wrong_type",
        )
    found = container_of(_head(uploaded_file, SNIFF_BYTES))
    if found != expected.container:
        inside = f"a {found} file" if found else "not a video or audio file we know"
        raise ValidationError(
            f"This file is named as a {expected.container} file but is {inside}: it may be "
            f"damaged or renamed. Export it again as {ACCEPTED} and upload that.",
            code="not_what_it_says",
        )


def validate_captions(uploaded_file):
    """Raise ValidationError unless ``uploaded_file`` is a WebVTT file (UTF-8, starting
    with "WEBVTT"), what ``<track>`` reads."""
    _refuse_if_bigger(uploaded_file, settings.CAPTIONS_MAX_UPLOAD_BYTES, "captions file")
    head = _head(uploaded_file, len(UTF8_BOM) + len(WEBVTT) + 1).removeprefix(UTF8_BOM)
    signed = head.startswith(WEBVTT) and head[len(WEBVTT) : len(WEBVTT) + 1] in (
        b"",
        b" ",
        b"\t",
        b"\n",
        b"\r",
    )
    if not signed or PurePosixPath(uploaded_file.name).suffix.lower() != ".vtt":
        raise ValidationError(
            "Captions must be a WebVTT file (.vtt, starting with the line “WEBVTT”). Most "
            "subtitle editors export one; an .srt file can be converted.",
            code="not_webvtt",
        )
    uploaded_file.seek(0)
    try:
        uploaded_file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            "This captions file is not UTF-8 text, which WebVTT requires. Save it again "
            "as UTF-8 and upload it.",
            code="not_utf8",
        ) from None
    finally:
        uploaded_file.seek(0)
