"""Media on the embedded default (MEDIA_STORAGE=filesystem), served by core.media:
the file with its validators and caching, ranges, nothing outside MEDIA_ROOT, and no
page cache, session or database work on the way (issue 15)."""

import io
import os

import pytest
from django.utils.http import http_date
from PIL import Image

from core import pagecache
from photos import renditions
from tests.photo_files import make_photo

BYTES = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder holding a photo and a rendition; a folder beside it
    holds a secret."""
    root = tmp_path / "media"
    (root / "photos").mkdir(parents=True)
    (root / "renditions" / "3").mkdir(parents=True)
    (root / "photos" / "harbour.jpg").write_bytes(BYTES)
    (root / "renditions" / "3" / "3x2-640.avif").write_bytes(b"AVIF" * 10)
    (tmp_path / "secret.txt").write_text("database password")
    settings.MEDIA_ROOT = root
    return root


def test_a_photo_is_served_with_its_type_length_validators_and_cache_lifetime(client, media):
    response = client.get("/media/photos/harbour.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == BYTES
    modified = (media / "photos" / "harbour.jpg").stat()
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Length"] == str(len(BYTES))
    assert response.headers["Last-Modified"] == http_date(int(modified.st_mtime))
    assert response.headers["ETag"] == f'"{modified.st_mtime_ns:x}-{len(BYTES):x}"'
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response.headers


def test_renditions_are_kept_for_good(client, media):
    response = client.get("/media/renditions/3/3x2-640.avif")
    assert response.headers["Content-Type"] == "image/avif"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_revalidation_gets_a_304(client, media):
    first = client.get("/media/photos/harbour.jpg")
    again = client.get("/media/photos/harbour.jpg", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=3600"
    since = client.get(
        "/media/photos/harbour.jpg", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert since.status_code == 304
    refused = client.get("/media/photos/harbour.jpg", headers={"if-match": '"other"'})
    assert refused.status_code == 412 and "Cache-Control" not in refused.headers
    # Once the file changes, its ETag does, and the old one gets the new file.
    os.utime(media / "photos" / "harbour.jpg", ns=(10**18, 10**18))
    changed = client.get("/media/photos/harbour.jpg", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_head_request_gets_the_headers_alone(client, media):
    response = client.head("/media/photos/harbour.jpg")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(BYTES))


@pytest.mark.parametrize(
    ("asked", "status", "content_range", "part"),
    [
        ("bytes=0-99", 206, "bytes 0-99/10240", BYTES[:100]),
        ("bytes=10000-", 206, "bytes 10000-10239/10240", BYTES[10000:]),
        ("bytes=-40", 206, "bytes 10200-10239/10240", BYTES[-40:]),
        ("bytes=10200-99999", 206, "bytes 10200-10239/10240", BYTES[10200:]),
        ("bytes=20000-", 416, "bytes */10240", b""),
        ("bytes=0-1,5-9", 200, None, BYTES),  # several ranges: the whole file
        ("lines=1-2", 200, None, BYTES),
    ],
)
def test_one_byte_range_is_served(client, media, asked, status, content_range, part):
    response = client.get("/media/photos/harbour.jpg", headers={"range": asked})
    assert response.status_code == status
    assert response.headers.get("Content-Range") == content_range
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == part
    if status == 206:
        assert response["Content-Length"] == str(len(part))
    if status == 416:  # a mistake of the client's, not to be kept
        assert "Cache-Control" not in response.headers


def test_a_range_of_a_file_that_changed_since_gets_the_whole_file(client, media):
    stale = client.get(
        "/media/photos/harbour.jpg", headers={"range": "bytes=0-9", "if-range": '"old-etag"'}
    )
    assert stale.status_code == 200
    etag = client.head("/media/photos/harbour.jpg")["ETag"]
    fresh = client.get(
        "/media/photos/harbour.jpg", headers={"range": "bytes=0-9", "if-range": etag}
    )
    assert fresh.status_code == 206


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/photos/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/photos/..%2f..%2fsecret.txt",
        "/media/photos\\..\\..\\secret.txt",
        "/media/link/secret.txt",
        "/media/outside.txt",
        "/media/.hidden",
        "/media/photos/",
        "/media/photos",
        "/media/",
        "/media/photos/missing.jpg",
        "/media/photos/harbour.jpg%00.txt",
    ],
)
def test_nothing_outside_media_root_nor_anything_but_a_file_is_served(client, media, path):
    (media / "link").symlink_to(media.parent)
    (media / "outside.txt").symlink_to(media.parent / "secret.txt")
    (media / ".hidden").write_text("hidden")
    response = client.get(path)
    assert response.status_code == 404
    assert b"password" not in response.content


def test_media_are_read_only(client, media):
    response = client.post("/media/photos/harbour.jpg")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "notes.bin"])
def test_a_file_that_could_run_as_a_page_is_a_download(client, media, name):
    (media / name).write_text("<script>alert(1)</script>")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_media_skip_the_page_cache_sessions_and_database(
    client, media, monkeypatch, django_assert_num_queries
):
    reached = []
    real = pagecache.PageCacheMiddleware.__call__

    def recording(middleware, request):
        reached.append(request.path)
        return real(middleware, request)

    monkeypatch.setattr(pagecache.PageCacheMiddleware, "__call__", recording)
    client.cookies["sessionid"] = "someone"
    with django_assert_num_queries(0):
        response = client.get("/media/photos/harbour.jpg")
        missing = client.get("/media/photos/missing.jpg")
    assert (response.status_code, missing.status_code) == (200, 404)
    assert reached == []
    assert "Vary" not in response.headers and "Set-Cookie" not in response.headers
    client.get("/robots.txt")
    assert reached == ["/robots.txt"]  # the recording does see the pages


@pytest.mark.parametrize(
    ("front", "header", "value"),
    [
        ("nginx", "X-Accel-Redirect", "/internal-media/photos/harbour.jpg"),
        ("apache", "X-Sendfile", "{root}/photos/harbour.jpg"),
    ],
)
def test_a_front_server_can_send_the_bytes(client, media, settings, front, header, value):
    settings.MEDIA_X_SENDFILE = front
    response = client.get("/media/photos/harbour.jpg")
    assert response.status_code == 200
    assert response[header] == value.format(root=media.resolve())
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert client.get("/media/../secret.txt").status_code == 404


@pytest.mark.django_db  # the 404 comes from the routes, past the pages' fallback
def test_with_media_served_elsewhere_the_site_leaves_media_to_them(client, media, settings):
    settings.MEDIA_URL = "https://media.example.com/"
    assert client.get("/media/photos/harbour.jpg").status_code == 404


@pytest.mark.django_db
def test_a_rendition_made_on_first_request_is_then_served_from_media_root(client, media):
    photo = make_photo(size=(800, 600))
    made = client.get(renditions.url(photo, "3:2", 320, "webp"))
    assert made.status_code == 302 and made["Location"].startswith("/media/renditions/")
    response = client.get(made["Location"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (320, 213)
