"""photos.validation (what the library accepts) and photos.metadata (what it reads
from a file, and the location it removes), on files built with Pillow."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos import metadata
from photos.models import Photo
from photos.validation import validate_image
from tests import photo_files as files


def refusal(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as refused:
        validate_image(files.upload(data, name=name))
    return refused.value


def noisy_jpeg(size=(400, 300)):
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "format, mode",
    [
        ("JPEG", "RGB"),
        ("PNG", "RGBA"),
        ("WEBP", "RGB"),
        ("AVIF", "RGB"),
        ("GIF", "P"),
        ("TIFF", "RGB"),
    ],
)
def test_the_formats_the_library_accepts(format, mode):
    uploaded = files.upload(files.encoded(format, mode=mode), name=f"photo.{format.lower()}")
    assert validate_image(uploaded) == format
    assert uploaded.tell() == 0  # ready to be stored


def test_an_animated_gif_is_accepted_by_its_first_frame():
    buffer = io.BytesIO()
    frames = [Image.new("P", (40, 30), n) for n in range(3)]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    assert validate_image(files.upload(buffer.getvalue(), name="a.gif")) == "GIF"


def test_not_an_image():
    assert refusal(b"%PDF-1.7 a document").code == "not_an_image"


def test_svg_is_refused_for_its_scripts():
    assert refusal(files.SVG, name="logo.svg").code == "svg"
    bare = b"<!-- drawn by hand --><svg xmlns='http://www.w3.org/2000/svg'></svg>"
    assert refusal(bare, name="logo.png").code == "svg"


def test_a_format_outside_the_list_is_refused():
    problem = refusal(files.encoded("BMP"), name="old.bmp")
    assert problem.code == "format"
    assert "BMP images are not accepted" in problem.messages[0]


def test_a_decompression_bomb_is_refused_before_decoding():
    assert refusal(files.claiming(20_000, 20_000), name="bomb.png").code == "bomb"


def test_pillows_bomb_warning_refuses_even_under_a_higher_limit(settings):
    settings.PHOTO_MAX_PIXELS = 10**9
    assert refusal(files.claiming(10_000, 10_000), name="bomb.png").code == "bomb"


def test_a_100_megapixel_image_is_refused_with_its_size():
    problem = refusal(files.claiming(10_000, 10_000), name="poster.png")
    assert problem.code == "too_many_pixels"
    assert "10000×10000 pixels (100 megapixels)" in problem.messages[0]
    assert "50 megapixels" in problem.messages[0]


def test_the_pixel_limit_comes_from_the_settings(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    assert refusal(files.encoded("PNG", size=(101, 100)), name="a.png").code == "too_many_pixels"
    assert validate_image(files.upload(files.encoded("PNG", size=(100, 100)), name="a.png"))


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_truncated_jpeg_is_refused(keep):
    data = noisy_jpeg()
    assert refusal(data[: int(len(data) * keep)]).code == "corrupt"


def test_the_size_limit_comes_from_the_settings(settings):
    data = files.jpeg()
    settings.PHOTO_MAX_UPLOAD_BYTES = len(data) - 1
    assert refusal(data).code == "too_big"
    settings.PHOTO_MAX_UPLOAD_BYTES = len(data)
    assert validate_image(files.upload(data)) == "JPEG"


# Metadata.


def read(data):
    with Image.open(io.BytesIO(data)) as image:
        return metadata.read(image)


def test_iptc_fills_caption_credit_copyright_and_title():
    data = files.with_iptc(
        files.jpeg(),
        {
            (2, 5): "Harbour at dawn",
            (2, 80): "Jane Doe",
            (2, 110): "Reuters",
            (2, 116): "© 2026 Reuters",
            (2, 120): "Fishing boats leave the harbour.",
        },
    )
    assert read(data) == {
        "title": "Harbour at dawn",
        "credit": "Jane Doe/Reuters",
        "copyright": "© 2026 Reuters",
        "caption": "Fishing boats leave the harbour.",
    }


def test_xmp_fills_what_iptc_lacks():
    packet = files.xmp_packet("Crowds in the square", "Ann Lee", "AFP", "AFP, all rights")
    for data in (files.jpeg(xmp=packet), files.encoded("WEBP", xmp=packet)):
        assert read(data) == {
            "caption": "Crowds in the square",
            "credit": "Ann Lee/AFP",
            "copyright": "AFP, all rights",
        }


def test_exif_comes_last():
    tags = files.exif(description="A street", artist="Bo Kim", copyright="Bo Kim 2026")
    data = files.with_iptc(files.jpeg(exif=tags), {(2, 120): "The IPTC caption"})
    assert read(data) == {
        "caption": "The IPTC caption",
        "credit": "Bo Kim",
        "copyright": "Bo Kim 2026",
    }


def test_metadata_fills_only_empty_fields():
    photo = Photo(caption="Typed by the editor", credit="")
    metadata.fill_empty(photo, {"caption": "From the file", "credit": "x" * 300})
    assert photo.caption == "Typed by the editor"
    assert photo.credit == "x" * 200  # cut to the field's length


def without_location(data, name="photo.jpg"):
    uploaded = files.upload(data, name=name)
    with Image.open(uploaded) as image:
        cleaned = metadata.without_location(uploaded, image)
    return cleaned.read() if cleaned else None


def test_gps_is_removed_from_a_jpeg_without_re_encoding_it():
    packet = files.xmp_packet("Caption", gps=True)
    data = files.jpeg((300, 200), exif=files.exif(artist="Jo", gps=True), xmp=packet)
    cleaned = without_location(data)
    with Image.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert 0x8825 not in exif and exif[0x013B] == "Jo"
        assert b"GPSLatitude" not in cleaned
        assert image.getxmp()  # the rest of the XMP is kept
    start = data.index(b"\xff\xda")
    assert cleaned[cleaned.index(b"\xff\xda") :] == data[start:]  # the same compressed image


@pytest.mark.parametrize("format", ["PNG", "WEBP", "TIFF"])
def test_gps_is_removed_from_other_formats(format):
    data = files.encoded(format, exif=files.exif(artist="Jo", gps=True))
    cleaned = without_location(data, name=f"photo.{format.lower()}")
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == format
        assert 0x8825 not in image.getexif()
        assert image.getexif()[0x013B] == "Jo"


def test_a_file_without_gps_is_stored_as_it_came():
    assert without_location(files.jpeg(exif=files.exif(artist="Jo"))) is None


def test_a_photo_whose_metadata_mentions_svg_is_still_a_photo():
    packet = files.xmp_packet("A <svg> logo on a shop front")
    assert b"<svg" in packet  # Pillow's xmp= writes the packet as given
    assert validate_image(files.upload(files.jpeg(xmp=packet))) == "JPEG"
