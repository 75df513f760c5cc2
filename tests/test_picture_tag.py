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


@pytest.mark.parametrize(
    "sizes, widths",
    [
        # A thumbnail drawn 6rem (96px) wide: 320px is more than a 3x screen needs.
        ("6rem", [320]),
        ("100px", [320]),
        # The story's lead: at most 38rem (608px), 1824px at 3x, so up to 2048.
        ("(min-width: 40rem) 38rem, calc(100vw - 2rem)", [320, 480, 640, 960, 1280, 1600, 2048]),
        # A grid card: widest at 47vw of a screen just under 64rem (481px): up to 1600.
        (
            "(min-width: 72rem) 22rem, (min-width: 64rem) 31vw, (min-width: 48rem) 47vw, 8rem",
            [320, 480, 640, 960, 1280, 1600],
        ),
        # As wide as any screen, or not understood: every width.
        ("100vw", [320, 480, 640, 960, 1280, 1600, 2048]),
        ("(max-width: 30em) 100vw, 50vw", [320, 480, 640, 960, 1280, 1600, 2048]),
    ],
)
def test_srcset_lists_only_the_widths_a_browser_may_pick_for_sizes(sizes, widths):
    photo = make_photo(size=(2400, 2400))
    page = Elements(render("{% picture photo sizes=sizes %}", photo=photo, sizes=sizes))
    (img,) = page.all("img")
    if len(widths) == 1:  # named alone (see the next test)
        assert img["src"].endswith(f"/{widths[0]}.jpeg") and "srcset" not in img
        return
    assert srcset_widths(img["srcset"]) == widths
    for source in page.all("source"):
        assert srcset_widths(source["srcset"]) == widths


def test_a_thumbnail_of_one_width_names_it_without_srcset_descriptors_or_sizes():
    photo = make_photo(size=(2400, 1600))
    page = Elements(render('{% picture photo crop="1:1" sizes="6rem" %}', photo=photo))
    avif, webp = page.all("source")
    assert (avif["srcset"], webp["srcset"]) == (
        f"/photos/{photo.pk}/1x1/320.avif",
        f"/photos/{photo.pk}/1x1/320.webp",
    )
    (img,) = page.all("img")
    assert img["src"] == f"/photos/{photo.pk}/1x1/320.jpeg"
    assert "srcset" not in img and "sizes" not in img
    assert (img["width"], img["height"]) == ("320", "320")


def test_every_value_in_the_markup_is_escaped_as_django_escapes():
    photo = make_photo(alt_text='Ed\'s "boat" <b> & co')
    html = render(
        '{% picture photo class="a&b" sizes="(min-width: 1px) 10vw, 100vw" %}', photo=photo
    )
    assert 'alt="Ed&#x27;s &quot;boat&quot; &lt;b&gt; &amp; co"' in html
    assert ' class="a&amp;b"' in html and 'sizes="(min-width: 1px) 10vw, 100vw"' in html
    assert "<b>" not in html
