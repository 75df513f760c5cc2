"""Uploaded media on this machine (MEDIA_STORAGE=filesystem), served before any app runs.

``MediaFilesMiddleware`` answers requests under MEDIA_URL from MEDIA_ROOT. It sits
after SecurityMiddleware and WhiteNoise and before the page cache: a photo costs no
session, CSRF, cache or database work, only a stat() and the file, which the WSGI
server sends with its ``wsgi.file_wrapper`` (sendfile) when it has one, as gunicorn
does, or in reads of ``CHUNK`` bytes (Granian has none). Answers carry an ETag and
Last-Modified (revalidations get a 304), honour one byte range, and say how long
they keep (``cache_control()``). With ``MEDIA_X_SENDFILE=nginx`` or ``apache`` the
front server sends the bytes itself (X-Accel-Redirect to ``X_ACCEL_LOCATION``, or
X-Sendfile). With object storage (MEDIA_STORAGE=s3) the bucket or its CDN serves
media and this middleware stands aside.
"""

import mimetypes
import re
import stat
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.files.storage import FileSystemStorage
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.module_loading import import_string

# Renditions get names of their own whenever what they show changes (photos.renditions
# saves them under this prefix), so a browser or CDN may keep them for good.
RENDITIONS_PREFIX = "renditions/"
IMMUTABLE = "public, max-age=31536000, immutable"
# Anything else (an original, a file an editor may replace): an hour, then revalidated.
REVALIDATED = "public, max-age=3600"
# nginx: `location /internal-media/ { internal; alias /path/to/MEDIA_ROOT/; }`
X_ACCEL_LOCATION = "/internal-media/"
# Shown in the page; anything else (HTML, SVG, unknown) is offered as a download, so
# that a file someone managed to store can never run as this site's page.
INLINE_TYPES = re.compile(r"(image/(?!svg)|audio/|video/|application/pdf$)")
BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 256 * 1024


def cache_control(name):
    """How long a browser or CDN may keep media file ``name`` (a storage name, such as
    ``renditions/12/3x2-640.avif``): the object storage sets it on upload too."""
    return IMMUTABLE if name.startswith(RENDITIONS_PREFIX) else REVALIDATED


def served_here():
    """Are media files on this machine, at an address of this site?"""
    backend = import_string(settings.STORAGES["default"]["BACKEND"])
    return settings.MEDIA_URL.startswith("/") and issubclass(backend, FileSystemStorage)


class MediaFilesMiddleware:
    def __init__(self, get_response):
        if not served_here():
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.prefix = settings.MEDIA_URL
        self.root = Path(settings.MEDIA_ROOT).resolve()
        self.sendfile = getattr(settings, "MEDIA_X_SENDFILE", "")

    def __call__(self, request):
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return serve(request, self.root, request.path[len(self.prefix) :], self.sendfile)


def locate(root, name):
    """The regular file ``name`` names under ``root`` and its stat(), or None: never a
    directory, a hidden file, or anything outside ``root`` (``..``, a symlink out)."""
    parts = name.split("/")
    if "\x00" in name or "\\" in name or any(not p or p.startswith(".") for p in parts):
        return None
    try:
        path = root.joinpath(*parts).resolve(strict=True)
        found = path.stat()
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(root) or not stat.S_ISREG(found.st_mode):
        return None
    return path, found


def serve(request, root, name, sendfile=""):
    located = locate(root, name)
    if located is None:
        return HttpResponseNotFound("Not found.", content_type="text/plain")
    path, found = located
    etag = f'"{found.st_mtime_ns:x}-{found.st_size:x}"'
    modified = int(found.st_mtime)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": cache_control(name),
        "Accept-Ranges": "bytes",
    }
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = body(
            request, name, path, found.st_size, content_type, sendfile, (etag, modified)
        )
    if response.status_code in (200, 206, 304):  # never keep a 412 or a 416 for a year
        for header, value in headers.items():
            response.headers[header] = value
    response.headers["X-Content-Type-Options"] = "nosniff"
    # FileResponse calls every file "inline": a download it is, unless its type is safe.
    response.headers.pop("Content-Disposition", None)
    if not INLINE_TYPES.match(content_type):
        response.headers["Content-Disposition"] = "attachment"
    return response


def body(request, name, path, size, content_type, sendfile, validators):
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
        response.headers["Content-Length"] = str(size)
        return response
    if sendfile == "nginx":
        # nginx sends the file, ranges included, keeping these headers.
        response = HttpResponse(content_type=content_type)
        response.headers["X-Accel-Redirect"] = X_ACCEL_LOCATION + quote(name)
        return response
    if sendfile == "apache":
        response = HttpResponse(content_type=content_type)
        response.headers["X-Sendfile"] = str(path)
        return response
    wanted = byte_range(request, size, validators)
    if wanted is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
        # Django reads 4 KB at a time: 25 trips through the server for a 100 KB photo.
        response.block_size = CHUNK
        return response
    if wanted == ():
        response = HttpResponse(status=416, content_type="text/plain")
        response.headers["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted
    response = StreamingHttpResponse(
        read_range(path, start, end), status=206, content_type=content_type
    )
    response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response.headers["Content-Length"] = str(end - start + 1)
    return response


def byte_range(request, size, validators):
    """The one byte range asked for, ``(first, last)``; ``()`` if it lies past the end;
    None for the whole file (no Range, several ranges, or an If-Range that is stale)."""
    asked = request.headers.get("Range", "")
    match = BYTE_RANGE.fullmatch(asked.strip())
    if_range = request.headers.get("If-Range")
    if not match or (if_range and if_range not in (validators[0], http_date(validators[1]))):
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = min(int(last), size)
        return (size - length, size - 1) if length else ()
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        return ()
    return None if end < start else (start, end)


def read_range(path, start, end):
    with path.open("rb") as file:
        file.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = file.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
