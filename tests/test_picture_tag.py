import io
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from core import rendering
from photos import renditions
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Elements(HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for name, attrs in self.found if name == tag]


def render(source, **context):
    return Template("{% load photos %}" + source).render(Context(context))


def srcset_widths(srcset):
    return [int(candidate.rsplit(" ", 1)[1].rstrip("w")) for candidate in srcset.split(", ")]


def test_a_card_picture_has_avif_and_webp_sources_and_a_jpeg_img():
    photo = make_photo(size=(2400, 1200))
    markup = render(
        '{% picture photo crop="3:2" sizes="(min-width: 60rem) 20rem, 100vw" class="card-img" %}',
        photo=photo,
    )
    page = Elements(markup)
    assert [tag for tag, _ in page.found] == ["picture", "source", "source", "img"]
    avif, webp = page.all("source")
    assert (avif["type"], webp["type"]) == ("image/avif", "image/webp")
    # 3:2 of a 2:1 photo keeps 1800x1200: the widths up to that, none upscaled.
    widths = [320, 480, 640, 960, 1280, 1600, 1800]
    for source in (avif, webp):
        assert srcset_widths(source["srcset"]) == widths
        assert source["sizes"] == "(min-width: 60rem) 20rem, 100vw"
    assert ".avif" in avif["srcset"] and ".webp" in webp["srcset"]
    (img,) = page.all("img")
    assert srcset_widths(img["srcset"]) == widths
    assert img["srcset"].count(".jpeg") == 7  # not made yet: the view that makes them
    assert img["src"] == f"/photos/{photo.pk}/3x2/960.jpeg"
    assert (img["width"], img["height"]) == ("1800", "1200")
    assert img["alt"] == "Boats in the harbour at dawn"
    assert (img["loading"], img["decoding"], img["class"]) == ("lazy", "async", "card-img")
    assert "fetchpriority" not in img


def test_the_lead_photo_is_eager_with_high_priority():
    photo = make_photo(size=(800, 600))
    img = Elements(
        render('{% picture photo loading="eager" fetchpriority="high" %}', photo=photo)
    ).all("img")[0]
    assert (img["loading"], img["fetchpriority"]) == ("eager", "high")
    assert (img["width"], img["height"], img["sizes"]) == ("800", "600", "100vw")
    assert srcset_widths(img["srcset"]) == [320, 480, 640, 800]


def test_a_decorative_photo_has_an_empty_alt():
    photo = make_photo(alt_text="", decorative=True)
    img = Elements(render("{% picture photo %}", photo=photo)).all("img")[0]
    assert img["alt"] == ""


def test_stored_renditions_are_linked_directly():
    photo = make_photo(size=(1000, 1000))
    renditions.generate(photo, renditions.standard_specs(photo))
    photo = type(photo).objects.get(pk=photo.pk)
    markup = render('{% picture photo crop="1:1" %}', photo=photo)
    # 1:1 is not in the standard set: made on first request. The square photo's whole
    # shape ("original") is, so its addresses are the stored files'.
    assert "/photos/" in markup
    original = Elements(render("{% picture photo %}", photo=photo)).all("source")[0]
    for candidate in original["srcset"].split(", "):
        assert candidate.startswith(default_storage.url("renditions/"))


def test_a_transparent_original_falls_back_to_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (640, 480), (200, 30, 30, 0)).save(buffer, "PNG")
    photo = make_photo(name="logo.png", data=buffer.getvalue())
    img = Elements(render("{% picture photo %}", photo=photo)).all("img")[0]
    assert img["src"].endswith(".png")
    spec = renditions.Spec("original", 640, "png")
    renditions.generate(photo, [spec])
    with default_storage.open(renditions.name(photo, spec)) as stored:
        assert Image.open(stored).mode == "RGBA"


def test_the_page_depends_on_the_photo_it_shows():
    photo = make_photo()
    with rendering.collecting() as seen:
        render("{% picture photo %}", photo=photo)
    assert seen.tags == {f"photo:{photo.pk}"}
    assert render("{% picture photo %}", photo=None) == ""
