"""How big a request and an uploaded photo may be (imported by newsroom.settings).

Read from the environment via newsroom.env like every other setting; a module of its
own so the limits that work together are read together.
"""

from django.core.exceptions import ImproperlyConfigured

from newsroom import env

MEGABYTE = 1024 * 1024

# Largest form body Django will read: a long story with its admin inlines fits many
# times over; anything bigger is refused with a 400. Uploaded files do not count here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * MEGABYTE
# An uploaded file bigger than this is spooled to a temporary file instead of memory,
# so a few agency photos arriving at once do not fill the server's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * MEGABYTE

# The photo library (photos/validation.py): the largest file accepted, in bytes, and
# the most pixels a photo may have (a 50-megapixel camera's full frame fits; more is a
# poster scan or a decompression bomb, and costs too much memory to make renditions of).
PHOTO_MAX_UPLOAD_BYTES = env.integer("PHOTO_MAX_UPLOAD_BYTES", 40 * MEGABYTE)
PHOTO_MAX_PIXELS = env.integer("PHOTO_MAX_PIXELS", 50_000_000)
if PHOTO_MAX_UPLOAD_BYTES < 1 or PHOTO_MAX_PIXELS < 1:
    raise ImproperlyConfigured(
        "PHOTO_MAX_UPLOAD_BYTES and PHOTO_MAX_PIXELS must be at least 1, "
        "e.g. 41943040 (40 MB) and 50000000 (50 megapixels)."
    )

# Video and audio stories (articles/media_files.py): the largest uploaded video or audio
# file, and the largest captions file (an hour of WebVTT subtitles is some 100 KB).
MEDIA_MAX_UPLOAD_BYTES = env.integer("MEDIA_MAX_UPLOAD_BYTES", 500 * MEGABYTE)
CAPTIONS_MAX_UPLOAD_BYTES = env.integer("CAPTIONS_MAX_UPLOAD_BYTES", 2 * MEGABYTE)
if MEDIA_MAX_UPLOAD_BYTES < 1 or CAPTIONS_MAX_UPLOAD_BYTES < 1:
    raise ImproperlyConfigured(
        "MEDIA_MAX_UPLOAD_BYTES and CAPTIONS_MAX_UPLOAD_BYTES must be at least 1, "
        "e.g. 524288000 (500 MB) and 2097152 (2 MB)."
    )
