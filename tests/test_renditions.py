import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from photos import renditions
from photos.models import Rendition
from tests.factories import make_article
from tests.photo_files import GPS, ORIENTATION, gps_exif, jpeg_bytes, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def opened(name):
    with default_storage.open(name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def test_a_new_focal_point_makes_new_names_for_the_crops_it_moves():
    photo = make_photo(size=(1200, 600))  # 2:1, wider than 3:2: the sides are cut
    spec = renditions.Spec("3:2", 480, "webp")
    whole = renditions.Spec("original", 480, "webp")
    before, before_whole = renditions.name(photo, spec), renditions.name(photo, whole)
    photo.focal_x = 0.1
    photo.save()
    assert renditions.name(photo, spec) != before
    assert renditions.name(photo, whole) == before_whole  # nothing of it moved
    assert renditions.crop_box(photo, "3:2") == (0.0, 0.0, 0.75, 1.0)


def test_names_change_with_the_width_format_and_crop():
    photo = make_photo()
    names = {
        renditions.name(photo, renditions.Spec(crop, width, fmt))
        for crop in ("original", "1:1")
        for width in (320, 640)
        for fmt in ("webp", "jpeg")
    }
    assert len(names) == 8


def test_renditions_carry_no_exif_or_gps(media):
    photo = make_photo(data=jpeg_bytes(exif=gps_exif()))
    assert Image.open(photo.file.path).getexif().get_ifd(GPS)  # the original has it
    made = renditions.generate(photo, renditions.standard_specs(photo))
    assert made == Rendition.objects.filter(photo=photo).count() > 10
    for rendition in Rendition.objects.filter(photo=photo):
        image = opened(rendition.name)
        assert not image.getexif(), rendition.name
        assert not {"exif", "xmp", "icc_profile"} & set(image.info), rendition.name
        raw = default_storage.open(rendition.name).read()
        assert b"Camera Maker" not in raw and b"Exif" not in raw


def test_the_exif_orientation_is_applied():
    # A square photo turned upside down by its EXIF: white at the top left of the file.
    image = Image.new("RGB", (400, 400), "black")
    image.paste("white", (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ORIENTATION] = 3
    photo = make_photo(data=jpeg_bytes(image=image, exif=exif))
    spec = renditions.Spec("original", 320, "jpeg")
    renditions.generate(photo, [spec])
    upright = opened(renditions.name(photo, spec))
    assert upright.getpixel((310, 310))[0] > 200  # now at the bottom right
    assert upright.getpixel((10, 10))[0] < 50


def test_sizes_never_upscale():
    photo = make_photo(size=(700, 350))
    assert renditions.widths(photo, "original") == [320, 480, 640, 700]
    assert renditions.widths(photo, "1:1") == [320, 350]
    assert renditions.widths(photo, "og") == [667]  # 1200x630 needs more than it has
    renditions.generate(photo, renditions.standard_specs(photo))
    for rendition in Rendition.objects.filter(photo=photo):
        assert rendition.width <= 700 and rendition.height <= 350
        image = opened(rendition.name)
        assert image.size == (rendition.width, rendition.height)
        assert rendition.size == default_storage.size(rendition.name)


def test_the_first_request_makes_the_rendition_then_redirects_to_it(client):
    photo = make_photo()
    address = renditions.url(photo, "3:2", 640, "webp")
    assert address == f"/photos/{photo.pk}/3x2/640.webp"
    response = client.get(address)
    assert response.status_code == 302
    rendition = Rendition.objects.get(photo=photo)
    assert (rendition.crop, rendition.width, rendition.height, rendition.format) == (
        "3:2",
        640,
        427,
        "webp",
    )
    assert response["Location"] == default_storage.url(rendition.name)
    assert opened(rendition.name).format == "WEBP"
    again = client.get(address)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Rendition.objects.filter(photo=photo).count() == 1
    assert default_storage.listdir(f"renditions/{photo.pk}")[1] == [rendition.name.rsplit("/")[-1]]
    photo = type(photo).objects.get(pk=photo.pk)
    assert renditions.url(photo, "3:2", 640, "webp") == response["Location"]


@pytest.mark.parametrize(
    "address",
    [
        "/photos/{pk}/3x2/333.webp",  # not one of the widths
        "/photos/{pk}/3x2/2048.webp",  # wider than the photo
        "/photos/{pk}/2x1/640.webp",  # no such crop
        "/photos/{pk}/3x2/640.gif",  # no such format
        "/photos/{pk}/3x2/640.png",  # a JPEG's fallback is JPEG
        "/photos/999999/3x2/640.webp",  # no such photo
    ],
)
def test_a_bad_rendition_address_is_not_found(client, address):
    photo = make_photo()
    response = client.get(address.format(pk=photo.pk))
    assert response.status_code == 404
    assert not Rendition.objects.exists()


def test_renditions_of_a_list_of_photos_cost_one_query(django_assert_num_queries):
    for _ in range(3):
        make_photo(size=(400, 300))
    photos = list(type(make_photo(size=(400, 300))).objects.prefetch_related("renditions"))
    with django_assert_num_queries(0):
        for photo in photos:
            renditions.picture_html(photo, crop="3:2")
            renditions.thumbnail_url(photo)


def test_a_rendition_is_the_same_bytes_made_alone_or_with_its_whole_set():
    # Encoders run in threads; two saving one image at once would mix their options.
    # (The largest width is resized from the decoded photo either way: same pixels.)
    data = jpeg_bytes((2400, 1600))
    together, alone = make_photo(data=data), make_photo(data=data)
    renditions.generate(together, renditions.standard_specs(together))
    for fmt in ("avif", "webp", "jpeg"):
        spec = renditions.Spec("original", 2048, fmt)
        renditions.generate(alone, [spec])
        with (
            default_storage.open(renditions.name(together, spec)) as one,
            default_storage.open(renditions.name(alone, spec)) as other,
        ):
            assert one.read() == other.read(), spec


def test_a_rendition_stored_by_a_concurrent_run_is_kept_once(media):
    photo = make_photo()
    spec = renditions.Spec("1:1", 320, "webp")
    renditions.generate(photo, [spec])
    # Another process stored the file but had not written its row yet.
    Rendition.objects.all().delete()
    renditions.forget_stored(photo)
    assert renditions.generate(photo, [spec]) == 1
    assert Rendition.objects.get().name == renditions.name(photo, spec)
    assert default_storage.listdir(f"renditions/{photo.pk}")[1] == [
        renditions.name(photo, spec).rsplit("/")[-1]
    ]


def test_an_upload_queues_its_standard_renditions(on_commit, run_tasks):
    with on_commit():
        photo = make_photo(size=(1600, 900))
    assert not Rendition.objects.exists()  # nothing made in the request
    run_tasks()
    made = {(r.crop, r.width, r.format) for r in Rendition.objects.filter(photo=photo)}
    assert made == {tuple(spec) for spec in renditions.standard_specs(photo)}
    assert ("og", 1200, "jpeg") in made and ("16:9", 1280, "jpeg") in made


def test_deleting_a_photo_deletes_its_renditions(on_commit):
    photo = make_photo()
    renditions.generate(photo, renditions.standard_specs(photo))
    names = list(Rendition.objects.values_list("name", flat=True))
    with on_commit():
        photo.delete()
    assert not Rendition.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_photo_taken_upright_is_measured_and_cut_upright():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored on its side: turn a quarter clockwise to show
    photo = make_photo(data=jpeg_bytes((400, 300), exif=exif))
    assert (photo.width, photo.height) == (300, 400)
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (300, 400)
    spec = renditions.Spec("original", 300, "jpeg")
    assert renditions.widths(photo, "original") == [300]
    renditions.generate(photo, [spec, renditions.Spec("1:1", 300, "webp")])
    assert opened(renditions.name(photo, spec)).size == (300, 400)
    square = Rendition.objects.get(crop="1:1")
    assert (square.width, square.height) == (300, 300)


def test_a_photo_whose_file_is_gone_or_broken_is_not_found(client, caplog):
    gone, broken = make_photo(), make_photo()
    default_storage.delete(gone.file.name)
    with default_storage.open(broken.file.name, "wb") as file:
        file.write(b"\xff\xd8\xff\xe0 not a JPEG after all")
    for photo in (gone, broken):
        response = client.get(renditions.url(photo, "original", 320, "webp"))
        assert response.status_code == 404
    assert not Rendition.objects.exists()
    assert "Could not make rendition" in caplog.text


def test_the_standard_set_holds_what_a_small_card_shows(client, on_commit):
    """The related block's square thumbnails link files from the start, never the view
    that makes a rendition on a reader's request."""
    with on_commit():
        story = make_article(tags=["harbours"])
        other = make_article(tags=["harbours"], lead_photo=make_photo())
    renditions.generate(other.lead_photo, renditions.standard_specs(other.lead_photo))
    html = client.get(story.get_absolute_url()).text
    assert 'class="related' in html and "<picture>" in html
    assert f"/photos/{other.lead_photo.pk}/" not in html
