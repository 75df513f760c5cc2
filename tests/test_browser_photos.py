"""The story page's lead photo in Chromium at phone width (390 px, DPR 3): the browser
picks an AVIF or WebP rendition from the <picture>, made on its first request, and
downloads at most a third of the original JPEG's bytes for it."""

import pytest

from photos.models import Rendition
from tests.factories import make_article
from tests.photo_files import jpeg_bytes, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3}


def transferred(response):
    sizes = response.request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def test_a_phone_gets_a_small_modern_rendition_of_a_24_megapixel_lead_photo(open_tab, screenshot):
    original = jpeg_bytes((6000, 4000))
    photo = make_photo(data=original, caption="Dawn over the harbour.", credit="Staff")
    story = make_article(lead_photo=photo)
    tab = open_tab(**PHONE)
    images = []
    tab.on("requestfinished", lambda request: images.append(request))
    tab.goto(story.get_absolute_url())
    lead = tab.locator("figure.lead-image img")
    lead.evaluate("img => img.complete || new Promise(done => img.onload = done)")
    # What the page's load fetched: the full-page screenshot below lays the page out
    # again at another height, and Chromium may pick from the srcset again for it.
    loaded = list(images)
    current = lead.evaluate("img => img.currentSrc")
    screenshot(tab, "story-at-phone-width")

    [rendition] = Rendition.objects.filter(photo=photo, name__in=names_of(loaded))
    assert rendition.format in ("avif", "webp")
    # 390 CSS px less the page's margins, at DPR 3: the 1280 px rendition, asked for
    # at the address that makes it, which sends the browser on to the stored file.
    assert (rendition.crop, rendition.width) == ("original", 1280)
    assert current.endswith(f"/photos/{photo.pk}/original/1280.{rendition.format}")
    fetched = [r.response() for r in loaded if r.resource_type == "image"]
    assert [r.url.split("/media/")[-1] for r in fetched if r.status == 200] == [rendition.name]
    total = sum(transferred(response) for response in fetched if response)
    assert 0 < total <= len(original) / 3, (total, len(original))


def names_of(requests):
    """The stored files (their names under MEDIA_URL) that ``requests`` received."""
    return [r.response().url.split("/media/")[-1] for r in requests if r.response()]
