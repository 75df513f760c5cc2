"""Media storage (issue 15): MEDIA_STORAGE=filesystem|s3 from the environment, objects in
an S3-compatible server on loopback (moto, started by the tests), and media on the
embedded default served by core.media before the page cache, sessions and CSRF."""

import io
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from newsroom import settings_storage
from photos import renditions
from photos.models import Photo
from tests.factories import make_article
from tests.photo_files import make_photo
from tests.test_picture_tag import Elements

BASE = Path("/srv/newsroom")
MEDIA_VARIABLES = (
    "MEDIA_STORAGE",
    "MEDIA_STORAGE_OPTIONS",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "MEDIA_X_SENDFILE",
    *settings_storage.S3_ONLY,
)


def jpeg(size=(64, 48), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def fetch(url, **headers):
    """An HTTP GET as a reader's browser makes it: status, headers, body."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def environment(monkeypatch):
    """``environment(**variables)``: the media settings a server started with them gets."""
    for name in MEDIA_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def read(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return settings_storage.from_environment(BASE)

    return read


# Settings


def test_the_default_is_the_file_system_served_here(environment):
    media = environment()
    assert media.storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert (media.root, media.url, media.x_sendfile) == (BASE / "media", "/media/", "")
    assert environment(MEDIA_URL="", MEDIA_STORAGE="").url == "/media/"  # empty is unset
    assert environment(MEDIA_X_SENDFILE="nginx", MEDIA_URL="/files/").x_sendfile == "nginx"


def test_s3_reads_bucket_endpoint_region_credentials_and_cdn(environment):
    media = environment(
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.eu-central-1.example.com/",
        MEDIA_S3_REGION="eu-central-1",
        MEDIA_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
        MEDIA_S3_CUSTOM_DOMAIN="cdn.example.com",
        MEDIA_STORAGE_OPTIONS='{"location": "site"}',
    )
    assert media.storage == {
        "BACKEND": "core.object_storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "endpoint_url": "https://s3.eu-central-1.example.com",
            "region_name": "eu-central-1",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "secret",
            "custom_domain": "cdn.example.com",
            "url_protocol": "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "location": "site",
        },
    }
    assert media.url == "https://cdn.example.com/"
    bare = environment(MEDIA_S3_CUSTOM_DOMAIN="", MEDIA_S3_ENDPOINT_URL="")
    assert bare.url == "https://s3.amazonaws.com/newsroom-media/"


def test_pages_may_show_media_from_a_plain_http_store(environment):
    s3 = {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "media"}
    lan = environment(**s3, MEDIA_S3_ENDPOINT_URL="http://10.0.0.5:9000")
    assert lan.url == "http://10.0.0.5:9000/media/"
    assert lan.image_sources == ["http://10.0.0.5:9000"]
    assert environment(MEDIA_S3_ENDPOINT_URL="https://s3.example.com").image_sources == []
    unset = dict.fromkeys([*s3, "MEDIA_S3_ENDPOINT_URL"], "")
    assert environment(**unset).image_sources == []
    assert environment(MEDIA_URL="http://media.example.com/").image_sources == [
        "http://media.example.com"
    ]


def test_stories_may_play_media_kept_elsewhere(environment):
    s3 = {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "media"}
    cdn = environment(**s3, MEDIA_S3_CUSTOM_DOMAIN="cdn.example.com")
    assert cdn.media_sources == ["https://cdn.example.com"]
    here = environment(**dict.fromkeys([*s3, "MEDIA_S3_CUSTOM_DOMAIN"], ""))
    assert here.url == "/media/" and here.media_sources == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs a bucket. Set MEDIA_S3_BUCKET"),
        ({"MEDIA_STORAGE": "S3"}, "MEDIA_STORAGE must be one of filesystem, s3"),
        ({"MEDIA_STORAGE": "storages.backends.s3.S3Storage"}, "set MEDIA_STORAGE=s3 and"),
        ({"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "s3://media"}, "no s3:// and no folder"),
        (
            {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "media", "MEDIA_S3_ENDPOINT_URL": "s3.io"},
            "MEDIA_S3_ENDPOINT_URL must be an http:// or https:// address",
        ),
        (
            {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "media", "MEDIA_S3_ACCESS_KEY_ID": "A"},
            "Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither",
        ),
        (
            {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "media", "MEDIA_URL": "/media/"},
            "MEDIA_URL applies to MEDIA_STORAGE=filesystem only",
        ),
        ({"MEDIA_S3_BUCKET": "media"}, "MEDIA_S3_BUCKET is set but MEDIA_STORAGE is filesystem"),
        ({"MEDIA_URL": "/media"}, "MEDIA_URL must end with '/'"),
        ({"MEDIA_URL": "media.example.com/"}, "MEDIA_URL must be an http:// or https://"),
        ({"MEDIA_X_SENDFILE": "lighttpd"}, "MEDIA_X_SENDFILE must be one of nginx, apache"),
        ({"MEDIA_STORAGE_OPTIONS": "bucket=media"}, "MEDIA_STORAGE_OPTIONS must be a JSON"),
        ({"MEDIA_STORAGE_OPTIONS": '{"location": "/srv"}'}, "Set MEDIA_ROOT rather than"),
    ],
)
def test_a_setting_we_cannot_use_stops_start_up_saying_how_to_fix_it(
    environment, variables, message
):
    with pytest.raises(ImproperlyConfigured) as refused:
        environment(**variables)
    assert message in str(refused.value)


def test_the_system_check_refuses_object_storage_without_a_bucket(settings):
    backend = settings_storage.S3_BACKEND
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend, "OPTIONS": {}}}
    problems = [p for p in checks.run_checks() if p.id == "newsroom.E001"]
    assert len(problems) == 1 and "MEDIA_S3_BUCKET" in problems[0].hint
    settings.STORAGES["default"]["OPTIONS"] = {"bucket_name": "media"}
    assert not [p for p in checks.run_checks() if p.id == "newsroom.E001"]


# Object storage, through moto's S3 server on loopback


@pytest.mark.django_db
def test_a_photo_goes_to_the_bucket_is_read_back_by_url_and_deleted(s3_media, client):
    original = jpeg()
    photo = Photo.objects.create(
        file=SimpleUploadedFile("harbour.jpg", original, content_type="image/jpeg"),
        alt_text="Boats in the harbour",
    )
    assert (photo.width, photo.height) == (64, 48)
    stored = s3_media.stored(photo.file.name)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "public, max-age=3600"
    url = photo.file.url
    assert url == f"{s3_media.endpoint}/{s3_media.bucket}/{photo.file.name}"
    status, headers, body = fetch(url)
    assert (status, body) == (200, original)
    assert headers["Cache-Control"] == "public, max-age=3600"
    # Another upload of the same name gets a name of its own: a CDN may hold the first.
    again = Photo.objects.create(file=SimpleUploadedFile("harbour.jpg", jpeg(color=(0, 0, 0))))
    assert again.file.name != photo.file.name
    assert fetch(url)[2] == original
    # Nothing under /media/ on the app server: the bucket serves media.
    assert client.get(f"/media/{photo.file.name}").status_code == 404

    name = photo.file.name
    photo.file.delete(save=False)
    assert s3_media.stored(name) is None
    assert fetch(url)[0] == 404


@pytest.mark.django_db
def test_renditions_are_stored_to_be_kept_for_good(s3_media):
    name = default_storage.save("renditions/7/3x2-640.webp", ContentFile(b"RIFF....WEBP"))
    assert s3_media.stored(name)["CacheControl"] == "public, max-age=31536000, immutable"
    status, headers, body = fetch(default_storage.url(name))
    assert (status, body) == (200, b"RIFF....WEBP")
    assert headers["Content-Type"] == "image/webp"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.django_db
def test_a_story_shows_its_lead_image_from_the_bucket(s3_media, client):
    original = jpeg(size=(120, 80))
    story = make_article(
        lead_image=SimpleUploadedFile("lead.jpg", original), lead_image_alt="The harbour"
    )
    page = client.get(story.get_absolute_url()).content.decode()
    url = f"{s3_media.endpoint}/{s3_media.bucket}/{story.lead_image.name}"
    assert f'<img src="{url}" alt="The harbour">' in page
    assert fetch(url)[2] == original


def urls_in(srcset):
    return [candidate.rsplit(" ", 1)[0] for candidate in srcset.split(", ")]


@pytest.mark.django_db
def test_a_story_shows_its_lead_photo_as_renditions_from_the_bucket(
    s3_media, client, on_commit, run_tasks
):
    with on_commit():
        photo = make_photo(size=(800, 600))
    run_tasks()  # the standard renditions, made in the background into the bucket
    story = make_article(lead_photo=photo)
    page = client.get(story.get_absolute_url()).text
    figure = page[page.index('<figure class="lead-image">') :]
    img = Elements(figure).all("img")[0]
    sources = {s["type"]: urls_in(s["srcset"]) for s in Elements(figure).all("source")}
    bucket = f"{s3_media.endpoint}/{s3_media.bucket}/renditions/{photo.pk}/"
    addresses = [img["src"], *urls_in(img["srcset"]), *sum(sources.values(), [])]
    assert all(address.startswith(bucket) for address in addresses)
    status, headers, body = fetch(img["src"])
    assert (status, headers["Content-Type"]) == (200, "image/jpeg")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (
        Image.open(io.BytesIO(body)).size == (int(img["width"]), int(img["height"])) == (800, 600)
    )
    for kind, candidates in sources.items():
        assert fetch(candidates[0])[1]["Content-Type"] == kind

    # Deleting the photo deletes its renditions from the bucket.
    names = list(photo.renditions.values_list("name", flat=True))
    assert names and all(s3_media.stored(name) for name in names)
    story.lead_photo = None
    story.save()
    with on_commit():
        photo.delete()
    assert [name for name in names if s3_media.stored(name)] == []


@pytest.mark.django_db
def test_a_rendition_asked_for_first_is_made_into_the_bucket(s3_media, client):
    photo = make_photo(size=(800, 600))
    address = renditions.url(photo, "1:1", 320, "webp")
    assert not address.startswith("http")  # not made yet: the view that makes it
    made = client.get(address)
    assert made.status_code == 302
    assert made["Location"].startswith(f"{s3_media.endpoint}/{s3_media.bucket}/renditions/")
    status, headers, body = fetch(made["Location"])
    assert (status, headers["Content-Type"]) == (200, "image/webp")
    assert Image.open(io.BytesIO(body)).size == (320, 320)
