"""/sitemap.xml (an index when large), /news-sitemap.xml and /robots.txt, parsed as XML
and checked against the database."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Credit
from articles.sitemaps import NewsSitemap, StorySitemap
from photos import renditions
from tests.factories import make_article, make_person, make_section
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def newsroom(settings):
    settings.SITE_URL = SITE
    now = timezone.now()
    world = make_section(name="World", slug="world")
    make_section(name="Empty", slug="empty")
    pierson = make_person(name="David Pierson", slug="david-pierson")
    ghost = make_person(name="Only Drafts", slug="only-drafts")
    fresh = make_article(
        headline="Fresh & new <story>",
        section=world,
        tags=["China"],
        bylines=[pierson],
        published_at=now - timedelta(hours=5),
        updated_at=now - timedelta(hours=1),
    )
    old = make_article(headline="Old story", tags=["China"], published_at=now - timedelta(days=30))
    make_article(
        headline="Draft story",
        status=Article.Status.DRAFT,
        section=make_section(name="Drafts only", slug="drafts-only"),
        tags=["Secret tag"],
        bylines=[ghost],
    )
    scheduled = make_article(
        headline="Scheduled story", published_at=now + timedelta(hours=1), tags=["Embargoed"]
    )
    Credit.objects.create(article=scheduled, person=ghost, role=Credit.Role.REPORTING)
    syndicated = make_article(
        headline="Syndicated story",
        source_name="Wire",
        source_url="https://wire.example.org/story",
        published_at=now - timedelta(hours=2),
    )
    noindex = make_article(
        headline="Syndicated noindex story",
        source_url="https://wire.example.org/other",
        syndication=Article.Syndication.NOINDEX,
        published_at=now - timedelta(hours=2),
    )
    return {"fresh": fresh, "old": old, "syndicated": syndicated, "noindex": noindex}


def get_xml(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return parse_xml(response.content)


def parse_xml(content):
    return ElementTree.fromstring(content)  # noqa: S314  (our own server's output)


def url_entries(root):
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_lists_published_indexable_pages_with_lastmod(client, newsroom):
    fresh, old = newsroom["fresh"], newsroom["old"]

    entries = url_entries(get_xml(client, reverse("sitemap")))

    today = timezone.localdate(fresh.updated_at).isoformat()
    assert entries == {
        f"{SITE}{fresh.get_absolute_url()}": today,
        f"{SITE}{old.get_absolute_url()}": timezone.localdate(old.published_at).isoformat(),
        f"{SITE}/section/world/": today,
        f"{SITE}/tag/china/": today,
        f"{SITE}/author/david-pierson/": today,
    }


def test_syndicated_stories_are_left_to_their_original(client, newsroom):
    """A syndicated copy is canonical elsewhere or noindex: neither belongs in a sitemap."""
    xml = client.get(reverse("sitemap")).text + client.get(reverse("news-sitemap")).text

    assert newsroom["syndicated"].get_absolute_url() not in xml
    assert newsroom["noindex"].get_absolute_url() not in xml


def test_a_large_sitemap_becomes_an_index_of_pages(client, newsroom, monkeypatch):
    for _ in range(3):
        make_article()
    monkeypatch.setattr(StorySitemap, "limit", 2)  # five stories: three pages

    index = get_xml(client, reverse("sitemap"))

    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    locations = [s.findtext("sm:loc", namespaces=NS) for s in index.findall("sm:sitemap", NS)]
    assert locations == [
        f"{SITE}/sitemap-stories.xml",
        f"{SITE}/sitemap-stories.xml?p=2",
        f"{SITE}/sitemap-stories.xml?p=3",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-authors.xml",
    ]
    assert all(s.findtext("sm:lastmod", namespaces=NS) for s in index.findall("sm:sitemap", NS))
    stories = set()
    for page in (1, 2, 3):
        stories |= set(url_entries(get_xml(client, "/sitemap-stories.xml", p=page)))
    expected = Article.objects.published().filter(source_url="")
    assert stories == {f"{SITE}{a.get_absolute_url()}" for a in expected}
    assert len(stories) == 5
    assert client.get("/sitemap-stories.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_news_sitemap_has_the_last_two_days_in_google_news_format(client, newsroom, settings):
    fresh = newsroom["fresh"]
    make_article(headline="Three days old", published_at=timezone.now() - timedelta(days=3))

    root = get_xml(client, reverse("news-sitemap"))

    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"{SITE}{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new <story>"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == timezone.localtime(fresh.published_at).isoformat()


def test_sitemaps_never_show_drafts_scheduled_or_their_tags_and_people(client, newsroom):
    xml = "".join(
        client.get(url).text
        for url in [
            reverse("sitemap"),
            reverse("news-sitemap"),
            *(f"/sitemap-{name}.xml" for name in ("stories", "sections", "tags", "authors")),
        ]
    )

    for hidden in ("draft-story", "drafts-only", "secret-tag", "embargoed", "only-drafts"):
        assert hidden not in xml
    assert "/section/empty/" not in xml  # nothing published there yet


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out(client, settings):
    settings.SITE_URL = SITE

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines


def test_sitemap_queries_do_not_grow_with_urls(client, newsroom, django_assert_num_queries):
    for n in range(10):
        make_article(tags=[f"Topic {n}"], bylines=[make_person()])

    # The stories' count (one file or an index?) and rows; the rows of sections,
    # tags and authors (counted as read); the next scheduled publication, which
    # ends the page cache's copy.
    with django_assert_num_queries(6):
        response = client.get(reverse("sitemap"))
    assert len(url_entries(parse_xml(response.content))) == 2 + 10 + 1 + 11 + 11


@pytest.fixture
def photographed(newsroom, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = make_photo(size=(1600, 1000))
    Article.objects.filter(pk=newsroom["fresh"].pk).update(lead_photo=photo)
    return photo


def image_locations(root):
    image = "{http://www.google.com/schemas/sitemap-image/1.1}"
    return {
        url.findtext("sm:loc", namespaces=NS): [loc.text for loc in url.iter(f"{image}loc")]
        for url in root.findall("sm:url", NS)
    }


@pytest.mark.parametrize("address", ["sitemap", "news-sitemap"])
def test_a_story_names_its_lead_photo_as_image_image(client, newsroom, photographed, address):
    images = image_locations(get_xml(client, reverse(address)))
    fresh = f"{SITE}{newsroom['fresh'].get_absolute_url()}"
    # The whole photo, at most 1280 wide, as a rendition (no EXIF), never the upload.
    assert images[fresh] == [f"{SITE}/photos/{photographed.pk}/original/1280.jpeg"]
    assert all(found == [] for url, found in images.items() if url != fresh)


def test_a_stored_rendition_is_named_by_its_file(client, newsroom, photographed):
    made = renditions.Spec("original", 1280, "jpeg")
    renditions.generate(photographed, [made])
    images = image_locations(get_xml(client, reverse("sitemap")))
    stored = f"{SITE}/media/{renditions.name(photographed, made)}"
    assert images[f"{SITE}{newsroom['fresh'].get_absolute_url()}"] == [stored]


def test_the_section_files_of_an_index_name_photos_too(client, newsroom, photographed):
    root = get_xml(client, reverse("sitemap-section", kwargs={"section": "stories"}))
    assert f"/photos/{photographed.pk}/original/1280.jpeg" in str(image_locations(root))


def test_photos_cost_one_query_however_many(
    client, newsroom, photographed, django_assert_num_queries
):
    for _ in range(5):
        make_article(lead_photo=make_photo(size=(400, 300)))
    # As in test_sitemap_queries_do_not_grow_with_urls, and the photos' renditions.
    with django_assert_num_queries(7):
        response = client.get(reverse("sitemap"))
    assert response.text.count("<image:image>") == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_the_news_sitemap_reads_its_stories_not_every_story():
    """Its stories are the last two days' and the live ones still followed: asked as one
    OR, PostgreSQL went through every published story for them (71 ms at 100,000)."""
    long_ago = timezone.now() - timedelta(days=30)
    Article.objects.bulk_create(
        Article(headline=f"Old {i}", slug=f"old-{i}", status="published", published_at=long_ago)
        for i in range(400)
    )
    make_article(published_at=timezone.now() - timedelta(hours=1))
    make_article(kind=Article.Kind.LIVE, published_at=long_ago)
    connection.cursor().execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        assert len(NewsSitemap().items()) == 2
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {queries.captured_queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    passed_over = [int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)]
    assert "Seq Scan on articles_article" not in plan, plan
    assert max(passed_over, default=0) < 10, plan
