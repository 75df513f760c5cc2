"""Listings show the stories' lead photos, and the front pages lead with one story, large."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import RelatedLink
from tests.factories import empty_caches, make_article, make_person, make_section
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo(alt="Boats in the harbour at dawn", **fields):
    fields.setdefault("credit", "Ana Ruiz/Harbour Press")
    return make_photo(size=(600, 400), alt_text=alt, **fields)


@pytest.fixture
def listed(on_commit):
    """Three stories in a section, by a person, under a tag, each with its photo
    (the oldest pinned), and one without a photo (the newest)."""
    section = make_section(name="Harbour", slug="harbour")
    person = make_person(slug="ana-ruiz")
    now = timezone.now()
    with on_commit():  # the search index
        stories = [
            make_article(
                headline=f"Harbour story {i}",
                section=section,
                bylines=[person],
                tags=["Boats"],
                lead_photo=photo(alt=f"Photo {i} of the harbour"),
                published_at=now - timedelta(hours=10 - i),
                is_sticky=i == 0,
            )
            for i in range(3)
        ]
        bare = make_article(
            headline="Harbour story without a photo",
            section=section,
            bylines=[person],
            tags=["Boats"],
            published_at=now - timedelta(minutes=5),
        )
    return {"stories": stories, "bare": bare, "section": section, "person": person}


def items(html):
    """The listing's items, in order: the markup of each <li> of the story list."""
    listing = html.split('<ol class="story-list', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<li[^>]*>.*?</li>", listing, flags=re.S)


def item_of(html, headline):
    return next(item for item in items(html) if f">{headline}</a>" in item)


def imgs(markup):
    return re.findall(r"<img [^>]*>", markup)


def month_of(story):
    return timezone.localdate(story.published_at)


LISTINGS = {
    "front": lambda data: "/",
    "section": lambda data: data["section"].get_absolute_url(),
    "tag": lambda data: reverse("articles:tag", kwargs={"slug": "boats"}),
    "author": lambda data: data["person"].get_absolute_url(),
    "month": lambda data: reverse(
        "articles:archive-month",
        kwargs={
            "year": month_of(data["stories"][2]).year,
            "month": month_of(data["stories"][2]).month,
        },
    ),
    "search": lambda data: "/search/?q=harbour",
}


@pytest.mark.parametrize("kind", LISTINGS)
def test_every_listing_shows_each_lead_photo_with_its_alt(client, listed, kind):
    html = client.get(LISTINGS[kind](listed)).text
    for i, story in enumerate(listed["stories"]):
        if kind == "month" and month_of(story).month != month_of(listed["stories"][2]).month:
            continue  # the test runs on the first of a month
        card = item_of(html, story.headline) if kind != "search" else html
        assert f'alt="Photo {i} of the harbour"' in card
        assert "<picture><source" in card
    crop = "1x1" if kind == "search" else "3x2"  # search results are rows with a thumbnail
    assert f"/photos/{listed['stories'][2].lead_photo.pk}/{crop}/" in html


def test_a_card_without_a_photo_has_no_picture_box(client, listed):
    card = item_of(client.get("/").text, "Harbour story without a photo")
    assert "card-photo" not in card and "<picture" not in card
    assert 'class="card-excerpt"' in card


def test_the_pinned_story_leads_the_front_page_large_and_first(client, listed):
    html = client.get("/").text
    first, *rest = items(html)
    pinned = listed["stories"][0]
    assert first.startswith('<li class="story-lead">')
    assert f">{pinned.headline}</a>" in first
    assert 'class="card card-lead' in first
    (lead_img,) = imgs(first)
    # The lead's photo is fetched first; the others wait until a reader scrolls near.
    assert 'loading="eager"' in lead_img and 'fetchpriority="high"' in lead_img
    assert "46rem" in lead_img  # drawn across two thirds of the page
    assert "Photo: Ana Ruiz/Harbour Press" in first  # its credit line
    assert all('class="story-lead"' not in item for item in rest)
    assert all('loading="lazy"' in img for item in rest for img in imgs(item))


def test_without_a_pinned_story_the_newest_leads(client, listed):
    listed["stories"][0].__class__.objects.update(is_sticky=False)
    first = items(client.get("/").text)[0]
    assert ">Harbour story without a photo</a>" in first  # the newest: a lead without a photo
    assert "<picture" not in first and "card-photo" not in first


def test_the_newest_pinned_story_leads_when_several_are(client, listed):
    listed["stories"][2].__class__.objects.filter(pk=listed["stories"][2].pk).update(is_sticky=True)
    first = items(client.get("/").text)[0]
    assert f">{listed['stories'][2].headline}</a>" in first


def test_only_the_first_page_of_a_front_has_a_lead(client, listed, settings, monkeypatch):
    monkeypatch.setattr("articles.views.FrontPageView.paginate_by", 2)
    assert 'class="story-lead"' in client.get("/").text
    second = client.get("/?page=2").text
    assert 'class="story-lead"' not in second and 'fetchpriority="high"' not in second


def test_a_section_front_leads_with_its_newest_story(client, listed):
    listed["bare"].delete()
    first = items(client.get(listed["section"].get_absolute_url()).text)[0]
    assert first.startswith('<li class="story-lead">')
    assert f">{listed['stories'][2].headline}</a>" in first


def test_tag_and_author_archives_have_no_lead_and_load_the_first_row_at_once(client, listed):
    for url in (LISTINGS["tag"](listed), LISTINGS["author"](listed)):
        html = client.get(url).text
        assert 'class="story-lead"' not in html and 'fetchpriority="high"' not in html
        loading = [re.search(r'loading="(\w+)"', img)[1] for img in imgs("".join(items(html)))]
        # Newest first: no photo, then stories 2 and 1 (the first row), then story 0.
        assert loading == ["eager", "eager", "lazy"]


def test_related_posts_are_rows_with_square_thumbnails(client, listed):
    story = listed["bare"]
    for position, other in enumerate(listed["stories"]):
        RelatedLink.objects.create(from_article=story, to_article=other, position=position)
    html = client.get(story.get_absolute_url()).text
    related = html.split('<aside class="related"', 1)[1].split("</aside>", 1)[0]
    assert related.count('class="card card-small') == 3
    assert related.count("<picture>") == 3
    assert f"/photos/{listed['stories'][0].lead_photo.pk}/1x1/" in related
    assert 'alt="Photo 1 of the harbour"' in related
    # Drawn 6rem (96px) wide: 320px covers a 3x screen, and is all that is offered.
    photo = listed["stories"][0].lead_photo.pk
    assert f'<source type="image/webp" srcset="/photos/{photo}/1x1/320.webp">' in related
    assert "sizes=" not in related and "/1x1/480." not in related


def test_a_decorative_photo_has_an_empty_alt(client, listed):
    story = listed["stories"][1]
    type(story.lead_photo).objects.filter(pk=story.lead_photo_id).update(
        alt_text="", decorative=True
    )
    card = item_of(client.get("/").text, story.headline)
    assert 'alt=""' in card


def listing_queries(client, url):
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# What a listing of stories with photos reads, cold (tests/test_queries.py's budget
# is eight): the listing's count; the next scheduled publication (the page cache's
# deadline); the stories with their sections and lead photos (joined); the photos'
# stored renditions (one prefetch for the lot: photos.renditions.stored); the bylines
# with their people; the navigation's sections. An archive first finds its section or
# tag; search reads its ranking and snippets instead of the count.
LISTING_QUERIES = {"/": 6, "/section/harbour/": 7, "/tag/boats/": 7, "/search/?q=story": 7}


def test_photos_cost_one_query_per_listing_however_many(client, on_commit):
    section = make_section(slug="harbour")
    with on_commit():
        make_article(section=section, tags=["Boats"], bylines=[make_person()])
    # No photo, no renditions to read: the prefetch makes no query.
    without = {url: listing_queries(client, url) for url in LISTING_QUERIES}
    assert without == {url: n - 1 for url, n in LISTING_QUERIES.items()}
    with on_commit():
        make_article(section=section, tags=["Boats"], lead_photo=photo())
    assert {url: listing_queries(client, url) for url in LISTING_QUERIES} == LISTING_QUERIES
    with on_commit():
        for _ in range(19):
            make_article(
                section=section, tags=["Boats"], bylines=[make_person()], lead_photo=photo()
            )
    assert {url: listing_queries(client, url) for url in LISTING_QUERIES} == LISTING_QUERIES


def test_picture_markup_stays_small(client, on_commit):
    """HTML weight matters (the performance issue): a card's picture, its three
    srcsets and sizes, stays under 3 KB, so a page of twenty cards under 60 KB."""
    section = make_section(slug="harbour")
    with on_commit():
        for _ in range(20):
            make_article(section=section, lead_photo=make_photo(size=(2400, 1600)))
    html = client.get("/").text
    pictures = re.findall(r"<picture>.*?</picture>", html, flags=re.S)
    assert len(pictures) == 20
    assert max(len(p) for p in pictures) < 3000
