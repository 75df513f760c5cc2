"""Photos in a story's body, in a real browser (Debian's Chromium through Playwright).

An editor drops an image file onto the body editor: it is uploaded to the library and
shown in the text as its thumbnail; the story is saved and published, and the reader
page shows the photo as a <figure> with a responsive <picture>. The chooser inserts a
gallery from the library. Every step runs under the site's Content-Security-Policy,
without a script error, console error or failed request (tests/conftest.py).
"""

import base64
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, BodyPhoto
from photos.models import Photo
from tests.factories import make_article, make_staff
from tests.photo_files import jpeg_bytes, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"

# A file built from bytes in the page, dropped where the text is, as a person's drag would.
DROP_FILE = """([selector, data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const target = document.querySelector(selector);
  const box = target.getBoundingClientRect();
  const point = { clientX: box.left + 20, clientY: box.bottom - 10 };
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(
      new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer, ...point })
    );
  }
}"""


@pytest.fixture
def desk(newsroom_roles, open_tab):
    make_staff("Editors", username="photo-editor", password=PASSWORD)
    page = open_tab()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "photo-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_drop_a_photo_into_the_body_save_publish_and_read_it(desk, open_tab, screenshot):
    desk.goto("/admin/articles/article/add/")
    headline = "Cranes stand idle on the quay"
    desk.fill("#id_headline", headline)
    desk.locator("#id_headline").blur()
    desk.locator(".ql-editor").click()
    desk.keyboard.type("The port was silent on Tuesday.")

    data = base64.b64encode(jpeg_bytes((900, 600))).decode()
    desk.evaluate(DROP_FILE, [".ql-editor", data, "quay.jpg"])

    embed = desk.locator(".ql-editor figure.ql-photo")
    expect(embed).to_have_count(1)
    expect(embed.locator("img")).to_have_attribute("src", re.compile(r"/photos/\d+/"))
    photo = Photo.objects.get()
    body = desk.input_value("#id_body")
    assert f'<figure data-photo="{photo.pk}"></figure>' in body
    assert "<img" not in body and "The port was silent on Tuesday." in body
    screenshot(desk, "photo-dropped")

    # Shown wide, with a caption written for this story.
    embed.locator("[data-photo-width]").select_option("wide")
    embed = desk.locator(".ql-editor figure.ql-photo")  # the embed is made again
    embed.locator("[data-photo-caption]").fill("Cranes idle on the quay, Tuesday.")
    embed.locator("[data-photo-caption]").press("Enter")
    expect(desk.locator("#id_body")).to_have_value(
        re.compile(
            f'<figure data-photo="{photo.pk}" data-size="wide" '
            'data-caption="Cranes idle on the quay, Tuesday."></figure>'
        )
    )

    # A draft may hold an undescribed photo; publishing asks for its alt text.
    desk.click("input[name=_continue]")
    desk.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    story = Article.objects.get(headline=headline)
    assert list(BodyPhoto.objects.filter(article=story).values_list("photo", flat=True)) == [
        photo.pk
    ]
    expect(desk.locator(".ql-editor figure.ql-photo img")).to_have_count(1)  # reloaded

    Photo.objects.filter(pk=photo.pk).update(alt_text="Two cranes over an empty quay")
    desk.select_option("#id_status", Article.Status.PUBLISHED)
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.is_published
    screenshot(desk, "published")

    reader = open_tab()
    reader.goto(story.get_absolute_url())
    figure = reader.locator(".story-body figure.body-photo.body-photo-wide")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text("Cranes idle on the quay, Tuesday.")
    assert figure.locator("picture source[type='image/avif']").count() == 1
    assert figure.locator("picture source[type='image/webp']").count() == 1
    image = figure.locator("picture img")
    expect(image).to_have_attribute("alt", "Two cranes over an empty quay")
    expect(image).to_have_attribute("width", "900")
    image.scroll_into_view_if_needed()  # it loads lazily
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    screenshot(reader, "reader-page")


def test_the_chooser_inserts_a_gallery_from_the_library(desk, screenshot):
    photos = [
        make_photo(size=(480, 320), title=f"Harbour {n}", caption=f"Boat {n}") for n in range(3)
    ]
    story = make_article(status=Article.Status.DRAFT, body="<p>Before the gallery.</p>")
    desk.goto(f"/admin/articles/article/{story.pk}/change/")
    desk.locator(".ql-editor p").click()
    desk.keyboard.press("End")

    desk.click(".ql-toolbar button.ql-image")
    chooser = desk.locator("dialog.photo-chooser")
    expect(chooser).to_be_visible()
    expect(chooser.locator("[data-chooser-photo]")).to_have_count(3)
    chooser.locator(f"[data-chooser-photo='{photos[0].pk}']").click()
    chooser.locator(f"[data-chooser-photo='{photos[2].pk}']").click()
    expect(chooser.locator("[data-chooser-insert]")).to_have_text("Insert a gallery of 2")
    screenshot(desk, "chooser")
    chooser.locator("[data-chooser-insert]").click()
    expect(chooser).to_be_hidden()

    gallery = desk.locator(".ql-editor .ql-gallery figure")
    expect(gallery).to_have_count(2)
    expected = (
        f'<div data-gallery=""><figure data-photo="{photos[0].pk}"></figure>'
        f'<figure data-photo="{photos[2].pk}"></figure></div>'
    )
    assert expected in desk.input_value("#id_body")
    screenshot(desk, "gallery-in-the-text")

    desk.click("input[name=_continue]")
    desk.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    story.refresh_from_db()
    assert expected in story.body
    expect(desk.locator(".ql-editor .ql-gallery figure")).to_have_count(2)


# A paste as a browser makes it, with what the clipboard holds.
PASTE = """([data, html]) => {
  const transfer = new DataTransfer();
  transfer.setData("text/html", html);
  if (data) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], "pasted.jpg", { type: "image/jpeg" }));
  }
  const options = { clipboardData: transfer, bubbles: true, cancelable: true };
  document.querySelector(".ql-editor p").dispatchEvent(new ClipboardEvent("paste", options));
}"""


def test_a_pasted_image_goes_to_the_library_and_an_address_elsewhere_never_in(desk):
    story = make_article(status=Article.Status.DRAFT, body="<p>Pasted here.</p>")
    desk.goto(f"/admin/articles/article/{story.pk}/change/")
    desk.locator(".ql-editor p").click()
    desk.keyboard.press("End")

    elsewhere = '<p>Copied</p><img src="https://elsewhere.example/photo.jpg" alt="x">'
    desk.evaluate(PASTE, [None, elsewhere])
    expect(desk.locator(".ql-editor")).to_contain_text("Copied")
    assert "elsewhere.example" not in desk.input_value("#id_body")
    assert desk.locator(".ql-editor img").count() == 0

    # "Copy image" in a browser gives the file and HTML naming its address: the file wins.
    data = base64.b64encode(jpeg_bytes((600, 400))).decode()
    desk.evaluate(PASTE, [data, '<img src="https://elsewhere.example/photo.jpg">'])
    expect(desk.locator(".ql-editor figure.ql-photo img")).to_have_count(1)
    body = desk.input_value("#id_body")
    assert f'<figure data-photo="{Photo.objects.get().pk}"></figure>' in body
    assert "elsewhere.example" not in body
