"""The photo library in the admin: the upload and chooser endpoints, permissions,
metadata read on upload, GPS removed, what uses a photo, deleting a used photo, the
list's filters and queries, the publish rule on alt text, and the lead-image migration."""

import importlib
import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Article
from photos import usage
from photos.models import Photo
from tests import photo_files
from tests.factories import browser_form_data, make_article

UPLOAD = reverse("admin:photos_photo_upload")
CHOOSE = reverse("admin:photos_photo_choose")


@pytest.fixture
def media(db, settings, tmp_path):
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


# The library's list.

CHANGELIST = reverse("admin:photos_photo_changelist")


def test_the_list_shows_thumbnails_and_flags_missing_alt_text(editor, media):
    make_photo(media, title="Undescribed")
    make_photo(media, title="Texture", decorative=True)
    make_photo(media, title="Harbour", alt_text="Boats at dawn")
    page = editor.get(CHANGELIST).content.decode()
    assert page.count('class="photo-thumbnail"') == 3
    assert page.count('class="photo-missing-alt"') == 1
    assert page.index("Harbour") < page.index("Texture") < page.index("Undescribed")
    assert 'data-photo-upload data-upload-url="/admin/photos/photo/upload/"' in page


def test_the_lists_queries_do_not_grow_with_the_photos(
    editor, media, settings, django_assert_num_queries
):
    for n in range(5):
        make_article(lead_photo=make_photo(media, title=f"Used {n}", alt_text="x"))
    make_photo(media, title="Spare")
    # The session (read from the cache instead with Redis: cached_db), the user and
    # their two sets of permissions; the uploaders, for the filter; the paginator's
    # MAX(id) (core.paginators: exact below 50,000 rows) and COUNT; the page of
    # photos, each with whether it is used; their renditions, for the thumbnails.
    expected = 8 + (not settings.SESSION_ENGINE.endswith("cached_db"))
    with django_assert_num_queries(expected):
        assert editor.get(CHANGELIST).status_code == 200
    for n in range(10):
        make_photo(media, title=f"More {n}")
    with django_assert_num_queries(expected):
        assert editor.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize(
    "query, shown",
    [
        ({"alt": "missing"}, ["Bare"]),
        ({"alt": "described"}, ["Tall", "Wide"]),
        ({"used": "yes"}, ["Wide"]),
        ({"used": "no"}, ["Bare", "Tall"]),
        ({"orientation": "portrait"}, ["Tall"]),
        ({"orientation": "landscape"}, ["Bare", "Wide"]),
        ({"q": "harbour"}, ["Wide"]),
    ],
)
def test_the_list_filters_and_search(editor, media, query, shown):
    from photos import uploads

    wide = make_photo(media, title="Wide", alt_text="x", caption="The harbour")
    make_photo(media, title="Bare")
    tall = Photo(title="Tall", alt_text="y")
    uploads.take_in(tall, photo_files.upload(photo_files.jpeg((100, 300))))
    uploads.save(tall)
    make_article(lead_photo=wide)
    page = editor.get(CHANGELIST, query).content.decode()
    assert [t for t in ("Bare", "Tall", "Wide") if f">{t}</a>" in page] == shown


def test_the_uploaded_by_filter_lists_only_uploaders(editor, writer, media):
    post_upload(writer, photo_files.jpeg())
    page = editor.get(CHANGELIST).content.decode()
    assert f"uploaded_by__id__exact={writer.user.pk}" in page
    assert f"uploaded_by__id__exact={editor.user.pk}" not in page


# What uses a photo, and deleting it.


def test_uses_are_found_through_the_reverse_relations(media):
    photo = make_photo(media, alt_text="x")
    story = make_article(headline="Harbour reopens", lead_photo=photo)
    make_article(headline="Elsewhere")
    assert usage.uses_of(photo) == [story]
    assert list(Photo.objects.filter(usage.in_use())) == [photo]


def test_the_change_page_lists_what_uses_the_photo(editor, media):
    photo = make_photo(media, alt_text="x")
    story = make_article(headline="Harbour reopens", lead_photo=photo)
    page = editor.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    assert reverse("admin:articles_article_change", args=[story.pk]) in page
    assert "Harbour reopens" in page
    assert "data-focal-picker" in page and 'name="focal_x"' in page


def test_a_photo_in_use_cannot_be_deleted_one_or_in_bulk(editor, media):
    photo = make_photo(media, alt_text="x")
    make_article(headline="Harbour reopens", lead_photo=photo)
    delete = reverse("admin:photos_photo_delete", args=[photo.pk])
    page = editor.get(delete).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Harbour reopens" in page
    assert editor.post(delete, {"post": "yes"}).status_code == 200
    bulk = {"action": "delete_selected", "_selected_action": [photo.pk], "post": "yes"}
    answer = editor.post(CHANGELIST, bulk).content.decode()
    assert "protected related objects" in answer
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_an_unused_photo_is_deleted(editor, media):
    photo = make_photo(media, alt_text="x")
    delete = reverse("admin:photos_photo_delete", args=[photo.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert not Photo.objects.exists()


def test_a_writer_cannot_delete_photos(writer, media):
    photo = make_photo(media, alt_text="x")
    delete = reverse("admin:photos_photo_delete", args=[photo.pk])
    assert writer.post(delete, {"post": "yes"}).status_code == 403
    assert Photo.objects.exists()


# The add form.

ADD = reverse("admin:photos_photo_add")


def add_form(client, data, name="photo.jpg", **fields):
    return client.post(
        ADD,
        {
            "file": photo_files.upload(data, name=name),
            "focal_x": "0.5",
            "focal_y": "0.5",
            **fields,
        },
    )


def test_the_add_form_refuses_a_bad_file_with_its_message(editor, media):
    response = add_form(editor, photo_files.SVG, name="logo.svg")
    assert response.status_code == 200
    assert "SVG files are not accepted" in response.content.decode()
    assert not Photo.objects.exists() and stored(media) == []


def test_the_add_form_stores_a_photo_with_its_metadata(editor, media):
    data = photo_files.with_iptc(
        photo_files.jpeg(exif=photo_files.exif(gps=True)), {(2, 110): "Reuters"}
    )
    response = add_form(editor, data, alt_text="A square", focal_x="0.25", focal_y="0.75")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.credit, photo.uploaded_by, photo.focal_x) == ("Reuters", editor.user, 0.25)
    with Image.open(media / photo.file.name) as kept:
        assert 0x8825 not in kept.getexif()


def test_decorative_and_alt_text_together_are_refused(editor, media):
    response = add_form(editor, photo_files.jpeg(), alt_text="A square", decorative="on")
    assert "A decorative photo has no alt text" in response.content.decode()
    assert not Photo.objects.exists() and stored(media) == []


# The story form: the chooser, and no publishing with an undescribed lead photo.


def story_change(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def test_the_story_form_offers_the_chooser_with_the_photo_chosen(editor, media):
    photo = make_photo(media, title="Harbour")
    story = make_article(status=Article.Status.DRAFT, lead_photo=photo)
    page = editor.get(story_change(story)).content.decode()
    assert page.index('name="lead_photo"') < page.index('name="lead_image"')
    assert f'data-choose-url="{CHOOSE}"' in page
    assert "No alt text: describe it" in page


def test_publishing_with_an_undescribed_lead_photo_is_refused(editor, media):
    photo = make_photo(media, title="Harbour")
    story = make_article(status=Article.Status.DRAFT, lead_photo=photo)
    data = browser_form_data(editor.get(story_change(story)).text, "article_form")
    data["status"] = Article.Status.PUBLISHED
    response = editor.post(story_change(story), data)
    assert response.status_code == 200
    assert "The lead photo has no alt text" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    photo.decorative = True
    photo.save()
    data = browser_form_data(editor.get(story_change(story)).text, "article_form")
    data["status"] = Article.Status.PUBLISHED
    assert editor.post(story_change(story), data).status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


# The migration of uploaded lead images into the library.


def test_uploaded_lead_images_become_library_photos(media):
    from django.apps import apps
    from django.core.files.base import ContentFile

    migration = importlib.import_module("articles.migrations.0007_lead_images_into_the_library")
    story = make_article(
        lead_image_alt="The harbour", lead_image_caption="Dawn", lead_image_credit="Jo/AP"
    )
    story.lead_image.save("harbour.jpg", ContentFile(photo_files.jpeg((300, 200))))
    lost = make_article(lead_image="lead/2020/01/gone.jpg")
    untouched = make_article()
    migration.lead_images_into_the_library(apps, None)
    story.refresh_from_db()
    photo = story.lead_photo
    assert (photo.alt_text, photo.caption, photo.credit) == ("The harbour", "Dawn", "Jo/AP")
    assert (photo.file.name, photo.width, photo.height) == (story.lead_image.name, 300, 200)
    lost.refresh_from_db()
    untouched.refresh_from_db()
    assert lost.lead_photo is None and untouched.lead_photo is None
    migration.lead_photos_back_out(apps, None)
    story.refresh_from_db()
    assert story.lead_photo is None and not Photo.objects.exists()
    assert story.lead_image.name  # the old field, and its file, as they were


def test_a_row_that_cannot_be_written_leaves_no_file_behind(media, monkeypatch):
    from django.db import IntegrityError
    from django.db.models import Model

    from photos import uploads

    def refuse(*args, **kwargs):
        raise IntegrityError("the database refused the row")

    photo = Photo(alt_text="x")
    uploads.take_in(photo, photo_files.upload(photo_files.jpeg()))
    monkeypatch.setattr(Model, "_do_insert", refuse)
    with pytest.raises(IntegrityError):
        uploads.save(photo)
    assert stored(media) == []


def test_bulk_publishing_refuses_a_story_with_an_undescribed_lead_photo(editor, media):
    story = make_article(
        headline="Harbour reopens", status=Article.Status.REVIEW, lead_photo=make_photo(media)
    )
    fine = make_article(status=Article.Status.REVIEW)
    changelist = reverse("admin:articles_article_changelist")
    response = editor.post(
        changelist,
        {"action": "publish", "_selected_action": [story.pk, fine.pk]},
        follow=True,
    )
    assert "Not published: “Harbour reopens”: The lead photo has no alt text" in (
        response.content.decode()
    )
    story.refresh_from_db()
    fine.refresh_from_db()
    assert (story.status, fine.status) == (Article.Status.REVIEW, Article.Status.PUBLISHED)


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(editor, media, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    big = photo_files.jpeg((1200, 900), color=(1, 2, 3)) + b"\x00" * 100_000
    response = post_upload(editor, big)
    assert response.status_code == 400
    assert "bigger than the largest photo accepted (1000\xa0bytes)" in response.json()["error"]
    assert not Photo.objects.exists() and stored(media) == []
