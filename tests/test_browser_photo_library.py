"""The photo library in a real browser (Debian's Chromium): photos uploaded by the file
input and by dropping a file on the library, a focal point set by clicking the photo
(the stored values match the click), and a lead photo chosen from the library on the
story form. Under the site's CSP, with no script or console error (tests/conftest.py).
"""

import base64

import pytest
from playwright.sync_api import expect

from articles.models import Article
from photos.models import Photo
from tests.factories import make_article, make_staff
from tests.photo_files import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
DESKTOP = {"width": 1366, "height": 900}
LIBRARY = "/admin/photos/photo/"


@pytest.fixture
def editor_login(newsroom_roles, browser_media):
    user = make_staff("Editors", username="picture-editor")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", "picture-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


DROP = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const zone = document.querySelector("[data-photo-upload]");
  zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true }));
}"""


def test_upload_by_input_and_drop_then_set_the_focal_point_by_clicking(
    open_tab, screenshot, editor_login
):
    page = open_tab(viewport=DESKTOP)
    log_in(page, LIBRARY)
    page.set_input_files(
        "[data-photo-files]",
        files=[{"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": jpeg((900, 600))}],
    )
    done = page.locator(".photo-upload-done")
    # One at a time here: the test database (SQLite in memory) takes one writer at a
    # time, and showing a thumbnail makes its rendition (a write) on first request.
    expect(done).to_have_count(1)
    expect(done.locator("img")).to_have_js_property("complete", True)
    dropped = base64.b64encode(jpeg((600, 900), color=(20, 90, 160))).decode()
    page.evaluate(DROP, ["tower.jpg", dropped])
    expect(done).to_have_count(2)
    expect(done.locator("img").nth(1)).to_have_js_property("complete", True)
    expect(page.get_by_role("link", name="Show the new photos in the list")).to_be_visible()
    screenshot(page, "uploaded")
    assert sorted(Photo.objects.values_list("width", "height")) == [(600, 900), (900, 600)]
    assert Photo.objects.filter(uploaded_by=editor_login).count() == 2

    page.get_by_role("link", name="Uploaded: add its alt text").first.click()
    page.wait_for_selector("[data-focal-image]")
    photo = Photo.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    image = page.locator("[data-focal-image]")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.7})
    expect(page.locator("[data-focal-marker]")).to_be_visible()
    page.fill("#id_alt_text", "Fishing boats in the harbour")
    screenshot(page, "focal-point")
    page.click("input[name=_save]")
    page.wait_for_url(f"**{LIBRARY}")
    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.25, abs=0.02)
    assert photo.focal_y == pytest.approx(0.7, abs=0.02)
    assert photo.alt_text == "Fishing boats in the harbour"


def test_choosing_a_lead_photo_on_the_story_form(open_tab, screenshot, editor_login):
    from photos import uploads
    from tests.photo_files import upload

    photo = Photo(title="Harbour at dawn", alt_text="Boats at dawn")
    uploads.take_in(photo, upload(jpeg((900, 600))))
    uploads.save(photo)
    story = make_article(headline="The harbour reopens", status=Article.Status.DRAFT)
    change = f"/admin/articles/article/{story.pk}/change/"
    page = open_tab(viewport=DESKTOP)
    log_in(page, change)
    page.click("[data-photo-open]")
    page.click(f"[data-photo-choice='{photo.pk}']")
    expect(page.locator("#id_lead_photo")).to_have_value(str(photo.pk))
    expect(page.locator("[data-photo-current] a")).to_have_text("Harbour at dawn")
    screenshot(page, "chosen")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    # The saved form shows the photo's thumbnail, stored by now.
    thumbnail = page.locator("[data-photo-current] img")
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("image => image.naturalWidth") > 0
    story.refresh_from_db()
    assert story.lead_photo == photo
