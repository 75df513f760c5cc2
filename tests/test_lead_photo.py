"""The story page's lead photo: a <figure> from the library, og:image and JSON-LD from
its renditions, within the page's query budget and forgotten by the page cache
exactly when the photo changes."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from photos import renditions
from tests.factories import empty_caches, make_article
from tests.photo_files import make_photo
from tests.test_picture_tag import Elements
from tests.test_seo import SITE, head

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE


def lead_figure(page):
    start = page.index('<figure class="lead-image">')
    return page[start : page.index("</figure>", start)]


def test_the_story_shows_its_lead_photo_first_with_caption_and_credit(client):
    photo = make_photo(caption="Fishing boats return.", credit="Jane Doe/Reuters")
    story = make_article(lead_photo=photo)
    figure = lead_figure(client.get(story.get_absolute_url()).text)
    img = Elements(figure).all("img")[0]
    assert (img["fetchpriority"], img["loading"]) == ("high", "eager")
    assert (img["width"], img["height"]) == ("1200", "800")
    assert img["alt"] == "Boats in the harbour at dawn"
    assert [s["type"] for s in Elements(figure).all("source")] == ["image/avif", "image/webp"]
    assert "Fishing boats return." in figure
    assert '<span class="image-credit">Jane Doe/Reuters</span>' in figure


def test_a_story_from_before_the_library_keeps_its_lead_image(client):
    story = make_article(
        lead_image_url="https://images.example.com/old.jpg", lead_image_alt="The old one"
    )
    page = client.get(story.get_absolute_url()).text
    assert '<img src="https://images.example.com/old.jpg" alt="The old one">' in page
    assert head(client.get(story.get_absolute_url())).property("og:image") == [
        "https://images.example.com/old.jpg"
    ]


def test_og_image_is_the_1200x630_crop_and_json_ld_lists_three_shapes(client):
    photo = make_photo(size=(2400, 1600), focal_x=0.3)
    story = make_article(lead_photo=photo)
    page = head(client.get(story.get_absolute_url()))
    (og,) = page.property("og:image")
    assert og == f"{SITE}/photos/{photo.pk}/og/1200.jpeg"
    assert page.property("og:image:width") == ["1200"]
    assert page.property("og:image:height") == ["630"]
    assert page.property("og:image:alt") == ["Boats in the harbour at dawn"]
    assert page.property("twitter:card") == ["summary_large_image"]  # with og:image
    (block,) = page.json_ld
    assert json.loads(block)["image"] == [
        f"{SITE}/photos/{photo.pk}/16x9/1280.jpeg",
        f"{SITE}/photos/{photo.pk}/4x3/1280.jpeg",
        f"{SITE}/photos/{photo.pk}/1x1/1280.jpeg",
    ]


def queries(client, url):
    empty_caches()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lead_photo_costs_one_query_at_most(client):
    without = make_article()
    photographed = make_article(lead_photo=make_photo())
    # The photo comes with the story (select_related); its renditions are one query.
    assert (
        queries(client, photographed.get_absolute_url())
        <= queries(client, without.get_absolute_url()) + 1
    )


def test_a_new_focal_point_re_renders_exactly_the_pages_showing_the_photo(
    client, public_pages, clock, on_commit, run_tasks, django_assert_num_queries
):
    with on_commit():
        photo, elsewhere = make_photo(), make_photo()
        Article.objects.update(lead_photo=photo)  # no signals: nothing is stale yet
    run_tasks()  # the standard renditions, stored: the page links the files
    old_og = f"{SITE}{renditions.url(photo, 'og', 1200, 'jpeg')}"
    assert "/renditions/" in old_og
    clock(seconds=5)  # past the page cache's margin
    story = client.get(public_pages["article"]).text
    assert f'content="{old_og}"' in story
    client.get(public_pages["front"])
    clock(seconds=5)

    with on_commit():
        elsewhere.focal_y = 0.2
        elsewhere.save()
    clock(seconds=5)
    with django_assert_num_queries(0):  # a photo no page shows: every page still cached
        assert client.get(public_pages["article"]).text == story
        client.get(public_pages["front"])

    with on_commit():
        photo.focal_y = 0.2  # 1200x630 of 1200x800 cuts the top and bottom
        photo.save()
    clock(seconds=5)
    again = client.get(public_pages["article"]).text  # rendered again: new names
    assert old_og not in again and f"/photos/{photo.pk}/og/1200.jpeg" in again


def test_a_rendition_made_on_first_request_re_renders_the_pages_naming_its_view(
    client, public_pages, clock, on_commit
):
    """No queue ran: the cached page names the view that makes each rendition. Once
    the view has made one, the page is rendered again with the file's own address,
    so no later reader pays that redirect."""
    with on_commit():
        photo = make_photo()
        Article.objects.update(lead_photo=photo)
    clock(seconds=5)
    view = f"/photos/{photo.pk}/og/1200.jpeg"
    assert view in client.get(public_pages["article"]).text
    clock(seconds=5)
    with on_commit():
        stored = client.get(view)["Location"]
    clock(seconds=5)
    again = client.get(public_pages["article"]).text
    assert view not in again and f'content="{SITE}{stored}"' in again
