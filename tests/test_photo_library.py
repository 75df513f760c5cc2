"""The photo library in the admin: the upload and chooser endpoints, permissions,
metadata read on upload, GPS removed, what uses a photo, deleting a used photo, the
list's filters and queries, the publish rule on alt text, and the lead-image migration."""

import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from PIL import Image

from photos.models import Photo
from tests import photo_files

UPLOAD = reverse("admin:photos_photo_upload")
CHOOSE = reverse("admin:photos_photo_choose")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def make_photo(media, **fields):
    from photos import uploads

    photo = Photo(**fields)
    uploads.take_in(photo, photo_files.upload(photo_files.jpeg((300, 200))))
    uploads.save(photo)
    return photo


def post_upload(client, data, name="photo.jpg", **fields):
    return client.post(UPLOAD, {"file": photo_files.upload(data, name=name), **fields})


# Upload.


def test_an_upload_stores_the_photo_and_answers_with_it(editor, media):
    response = post_upload(editor, photo_files.jpeg((300, 200)), alt_text="A red square")
    assert response.status_code == 201
    answer = response.json()
    photo = Photo.objects.get()
    assert answer["id"] == photo.pk
    assert (answer["width"], answer["height"]) == (300, 200)
    assert answer["alt_text"] == "A red square"
    assert answer["thumbnail"]
    assert set(answer) >= {"id", "thumbnail", "width", "height", "alt_text", "caption", "credit"}
    assert photo.uploaded_by == editor.user
    assert stored(media) == [photo.file.name]


@pytest.mark.parametrize(
    "data, name, says",
    [
        (b"just some text, really", "notes.jpg", "not an image"),
        (photo_files.SVG, "logo.svg", "SVG files are not accepted"),
        (photo_files.claiming(20_000, 20_000), "bomb.png", "decompression bomb"),
        (photo_files.claiming(10_000, 10_000), "poster.png", "100 megapixels"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_stored(editor, media, data, name, says):
    response = post_upload(editor, data, name=name)
    assert response.status_code == 400
    assert says in response.json()["error"]
    assert not Photo.objects.exists()
    assert stored(media) == []


def test_a_file_over_the_size_limit_is_refused(editor, media, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    response = post_upload(editor, photo_files.jpeg((300, 200)))
    assert response.status_code == 400
    assert "the largest photo accepted is 1000" in response.json()["error"]
    assert not Photo.objects.exists() and stored(media) == []


def test_an_upload_needs_a_file(editor, media):
    response = editor.post(UPLOAD, {"alt_text": "Nothing"})
    assert response.status_code == 400
    assert "required" in response.json()["error"]


def test_upload_fills_empty_words_from_the_files_metadata(editor, media):
    data = photo_files.with_iptc(
        photo_files.jpeg(exif=photo_files.exif(copyright="(c) Exif Owner")),
        {(2, 120): "Crowds in the square", (2, 80): "Jane Doe", (2, 110): "Reuters"},
    )
    response = post_upload(editor, data, credit="Staff")
    assert response.status_code == 201
    photo = Photo.objects.get()
    assert photo.caption == "Crowds in the square"
    assert photo.credit == "Staff"  # typed by the uploader: kept
    assert photo.copyright == "(c) Exif Owner"


def test_upload_removes_the_gps_location_from_the_stored_original(editor, media):
    data = photo_files.jpeg((300, 200), exif=photo_files.exif(artist="Jo Lens", gps=True))
    assert 0x8825 in Image.open(io.BytesIO(data)).getexif()
    assert post_upload(editor, data).status_code == 201
    photo = Photo.objects.get()
    with Image.open(media / photo.file.name) as kept:
        assert 0x8825 not in kept.getexif()
        assert kept.getexif()[0x013B] == "Jo Lens"
        assert kept.size == (300, 200)
    assert photo.credit == "Jo Lens"


# Who may upload and choose.


def test_writers_upload_and_choose_moderators_do_neither(writer, moderator, media):
    assert post_upload(writer, photo_files.jpeg()).status_code == 201
    assert writer.get(CHOOSE).status_code == 200
    refused = post_upload(moderator, photo_files.jpeg())
    assert refused.status_code == 403
    assert "may not add photos" in refused.json()["error"]
    assert moderator.get(CHOOSE).status_code == 403
    assert Photo.objects.count() == 1


def test_the_endpoints_are_staff_only_and_csrf_protected(client, editor, media):
    assert client.get(CHOOSE).status_code == 302  # to the admin's login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor.user)
    response = strict.post(UPLOAD, {"file": photo_files.upload(photo_files.jpeg())})
    assert response.status_code == 403
    assert not Photo.objects.exists()


def test_the_roles_get_the_librarys_permissions(newsroom_roles):
    editors = Group.objects.get(name="Editors").permissions.filter(content_type__app_label="photos")
    writers = Group.objects.get(name="Writers").permissions.filter(content_type__app_label="photos")
    assert set(editors.values_list("codename", flat=True)) == {
        "add_photo",
        "change_photo",
        "delete_photo",
        "view_photo",
    }
    assert set(writers.values_list("codename", flat=True)) == {
        "add_photo",
        "change_photo",
        "view_photo",
    }


# Choose.


def test_the_chooser_searches_and_pages(editor, media, django_assert_max_num_queries):
    for n in range(30):
        make_photo(media, title=f"Harbour {n}", credit="AP" if n % 2 else "Staff")
    make_photo(media, title="Mountain", alt_text="Snow on the peak")
    first = editor.get(CHOOSE).json()
    assert len(first["results"]) == 24 and first["more"] is True
    assert first["results"][0]["title"] == "Mountain"  # newest first
    second = editor.get(CHOOSE, {"page": 2}).json()
    assert len(second["results"]) == 7 and second["more"] is False
    found = editor.get(CHOOSE, {"q": "snow"}).json()["results"]
    assert [r["title"] for r in found] == ["Mountain"]
    assert set(found[0]) >= {"id", "thumbnail", "title", "alt_text", "caption", "credit"}
    assert editor.get(CHOOSE, {"page": "x"}).status_code == 400
