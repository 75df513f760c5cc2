"""RSS and Atom feeds, read back with feedparser and checked against the database."""

import calendar
import html
from datetime import timedelta

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Credit
from tests.factories import make_article, make_person, make_section
from tests.html_safety import feed_problems
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


@pytest.fixture
def newsroom(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    world = make_section(name="World", slug="world")
    business = make_section(name="Business", slug="business")
    pierson = make_person(name="David Pierson", slug="david-pierson")
    wang = make_person(name="Olivia Wang", slug="olivia-wang")
    now = timezone.now()
    lead = make_article(
        headline="Pact signed: Russia & North Korea <agree>",
        dek="Beijing watches \u201cclosely\u201d & quietly.",
        body='<p>Full <em>body</em> with <a href="https://example.org/">a link</a>.</p>',
        section=world,
        tags=["China", "Russia"],
        bylines=[pierson],
        lead_image_url="https://images.example.org/pact.jpg",
        published_at=now - timedelta(hours=3),
        updated_at=now - timedelta(hours=1),
    )
    Credit.objects.create(
        article=lead, person=wang, role=Credit.Role.REPORTING, note="from Hong Kong"
    )
    second = make_article(
        headline="Markets slide",
        section=business,
        tags=["China"],
        bylines=[pierson, wang],
        published_at=now - timedelta(days=1),
    )
    second.lead_image.save("chart.png", ContentFile(b"\x89PNG fake image bytes"), save=True)
    hidden = [
        make_article(
            headline="Draft story", status=Article.Status.DRAFT, section=world, tags=["China"]
        ),
        make_article(
            headline="Scheduled story",
            published_at=now + timedelta(hours=1),
            section=world,
            tags=["China"],
            bylines=[pierson],
        ),
        make_article(
            headline="Pulled story",
            status=Article.Status.UNPUBLISHED,
            published_at=now - timedelta(hours=2),
            section=world,
            bylines=[pierson],
        ),
    ]
    for article in hidden[1:]:
        Credit.objects.create(article=article, person=pierson, role=Credit.Role.PHOTOGRAPHY)
    return {"lead": lead, "second": second, "world": world, "pierson": pierson, "wang": wang}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def entry_for(parsed, article):
    link = f"{SITE}{article.get_absolute_url()}"
    return next(entry for entry in parsed.entries if entry.link == link)


ALL_FEEDS = [
    ("articles:feed", None, ["lead", "second"]),
    ("articles:feed-atom", None, ["lead", "second"]),
    ("articles:section-feed", "world", ["lead"]),
    ("articles:section-feed-atom", "world", ["lead"]),
    ("articles:tag-feed", "china", ["lead", "second"]),
    ("articles:tag-feed-atom", "china", ["lead", "second"]),
    ("articles:author-feed", "david-pierson", ["lead", "second"]),
    ("articles:author-feed-atom", "olivia-wang", ["lead", "second"]),
]


@pytest.mark.parametrize(("route", "slug", "expected"), ALL_FEEDS)
def test_each_feed_parses_and_lists_only_published_stories_newest_first(
    client, newsroom, route, slug, expected
):
    url = reverse(route, kwargs={"slug": slug} if slug else {})

    response, parsed = parse(client, url)

    assert [entry.link for entry in parsed.entries] == [
        f"{SITE}{newsroom[key].get_absolute_url()}" for key in expected
    ]
    assert parsed.feed.link.startswith(SITE)
    assert "Draft" not in response.text
    assert "Scheduled" not in response.text
    assert "Pulled" not in response.text


@pytest.mark.parametrize("route", ["articles:feed", "articles:feed-atom"])
def test_an_entry_carries_the_story(client, newsroom, route):
    lead = newsroom["lead"]

    _, parsed = parse(client, reverse(route))
    entry = entry_for(parsed, lead)

    assert entry.title == lead.headline
    assert html.unescape(entry.summary) == lead.dek  # HTML, as readers expect
    assert entry.content[0].value == lead.body
    assert [author.name for author in entry.authors] == ["David Pierson"]
    assert sorted(tag.term for tag in entry.tags) == ["China", "Russia"]
    assert calendar.timegm(entry.published_parsed) == int(lead.published_at.timestamp())
    assert calendar.timegm(entry.updated_parsed) == int(lead.updated_at.timestamp())
    assert entry.media_content == [{"url": lead.lead_image_url, "medium": "image"}]


@pytest.mark.parametrize("route", ["articles:feed", "articles:feed-atom"])
def test_an_uploaded_lead_image_is_an_enclosure_with_its_length(client, newsroom, route):
    second = newsroom["second"]

    _, parsed = parse(client, reverse(route))
    entry = entry_for(parsed, second)

    [enclosure] = entry.enclosures
    assert enclosure.href == f"{SITE}{second.lead_image.url}"
    assert enclosure.length == str(second.lead_image.size)
    assert enclosure.type == "image/png"
    assert [author.name for author in entry.authors] == ["David Pierson", "Olivia Wang"]
    # A story never updated is as new as its publication.
    assert calendar.timegm(entry.updated_parsed) == int(second.published_at.timestamp())


def test_feed_metadata_names_the_site_and_its_own_address(client, newsroom, settings):
    _, rss = parse(client, reverse("articles:feed"))
    assert rss.feed.title == settings.SITE_NAME
    assert rss.feed.link == f"{SITE}/"
    assert rss.feed.language == settings.SITE_LANGUAGE
    assert any(link.rel == "self" and link.href == f"{SITE}/feed/" for link in rss.feed.links)

    _, atom = parse(client, reverse("articles:section-feed-atom", kwargs={"slug": "world"}))
    assert atom.feed.title == f"World · {settings.SITE_NAME}"
    assert atom.feed.id == f"{SITE}/section/world/"
    assert any(
        link.rel == "self" and link.href == f"{SITE}/section/world/feed/atom/"
        for link in atom.feed.links
    )


HOSTILE = '<img src=x onerror="alert(1)"> & <b>co</b>'


@pytest.fixture
def hostile_collections(settings):
    """A section, a tag and a person named with markup, each holding a published story."""
    settings.SITE_URL = SITE
    section = make_section(name=HOSTILE, slug="hostile", description=f"About {HOSTILE}")
    person = make_person(name=HOSTILE, slug="hostile")
    make_article(section=section, tags=[HOSTILE], bylines=[person])
    tag = Article.objects.get().tags.get()
    return {
        "section": ("hostile", f"About {HOSTILE}"),
        "tag": (tag.slug, None),
        "author": ("hostile", None),
    }


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_channel_text_is_text_in_rss_and_atom_alike(client, hostile_collections, kind, settings):
    slug, description = hostile_collections[kind]
    about = {
        "section": description,
        "tag": f"The latest stories about {HOSTILE} from {settings.SITE_NAME}.",
        "author": f"The latest stories by {HOSTILE} from {settings.SITE_NAME}.",
    }[kind]

    rss_response, rss = parse(client, reverse(f"articles:{kind}-feed", kwargs={"slug": slug}))
    atom_response, atom = parse(
        client, reverse(f"articles:{kind}-feed-atom", kwargs={"slug": slug})
    )

    # Readers take an RSS channel's description for HTML: it holds the text, escaped.
    assert rss.feed.description_detail.type == "text/html"
    assert html.unescape(rss.feed.description) == about
    assert feed_problems(rss_response.content) == []
    # Atom's subtitle and titles are text constructs: the text as typed.
    assert atom.feed.subtitle_detail.type == "text/plain"
    assert atom.feed.subtitle == about
    assert atom.feed.title == f"{HOSTILE} · {settings.SITE_NAME}"
    assert feed_problems(atom_response.content) == []


def test_the_checker_reads_channel_level_html():
    """What the fields above would be unescaped: caught, so the test above could fail."""
    rss = (
        b"<rss version='2.0'><channel><title>t</title><link>https://a.example/</link>"
        b"<description>&lt;img src=x onerror=alert(1)&gt;</description></channel></rss>"
    )
    atom = (
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
        b"<subtitle type='html'>&lt;img src=x onerror=alert(1)&gt;</subtitle></feed>"
    )
    assert feed_problems(rss)
    assert feed_problems(atom)


def test_an_atom_feed_names_an_author_for_stories_without_a_byline(client, settings):
    # RFC 4287: an entry without an author is valid only if its feed has one.
    make_article(headline="No byline")

    _, parsed = parse(client, reverse("articles:feed-atom"))

    assert parsed.feed.author == settings.SITE_NAME
    [entry] = parsed.entries
    assert "authors" not in entry


@pytest.mark.parametrize(
    "route", ["articles:section-feed", "articles:tag-feed", "articles:author-feed"]
)
def test_unknown_slugs_are_404(client, db, route):
    assert client.get(reverse(route, kwargs={"slug": "nope"})).status_code == 404


def test_empty_feed_is_still_valid(client, db):
    _, parsed = parse(client, reverse("articles:feed"))
    assert parsed.entries == []


@pytest.mark.parametrize(
    ("route", "slug", "queries"),
    [
        # Stories, their bylines (with people), their tags; the next scheduled
        # publication, which ends the page cache's copy (core/pagecache.py).
        ("articles:feed", None, 4),
        ("articles:feed-atom", None, 4),
        # The same plus the section, tag or person named in the URL; for a tag, how
        # many stories carry it (ArticleQuerySet.with_tag picks the cheaper query).
        ("articles:section-feed", "world", 5),
        ("articles:tag-feed", "china", 6),
        ("articles:author-feed", "david-pierson", 5),
    ],
)
def test_feed_queries_do_not_grow_with_items(
    client, newsroom, django_assert_num_queries, route, slug, queries
):
    for n in range(5):
        make_article(
            section=newsroom["world"],
            tags=["China", f"Extra {n}"],
            bylines=[newsroom["pierson"], newsroom["wang"]],
        )
    url = reverse(route, kwargs={"slug": slug} if slug else {})

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(feedparser.parse(response.content).entries) >= 5


@pytest.fixture
def photographed(newsroom, settings):
    photo = make_photo(
        size=(1600, 1000),
        alt_text="Delegates in the hall",
        caption="The signing in Pyongyang & Moscow's delegation.",
        credit="Ana Ruiz/Harbour Press",
    )
    Article.objects.filter(pk=newsroom["lead"].pk).update(lead_photo=photo)
    return photo


@pytest.mark.parametrize("route", ["articles:feed", "articles:feed-atom"])
def test_the_lead_photo_is_media_content_with_its_credit(client, newsroom, photographed, route):
    response, parsed = parse(client, reverse(route))
    entry = entry_for(parsed, newsroom["lead"])

    [media] = entry.media_content
    # A rendition readers may download (no EXIF), at most 1280 wide, never the original.
    assert media["url"].startswith(f"{SITE}/photos/{photographed.pk}/original/1280.")
    assert photographed.file.url not in response.text
    assert media["medium"] == "image" and media["type"] == "image/jpeg"
    assert (media["width"], media["height"]) == ("1280", "800")
    assert entry.media_credit == [{"role": "photographer", "content": "Ana Ruiz/Harbour Press"}]
    assert '<media:description type="plain">The signing in Pyongyang &amp; Moscow\'s' in (
        response.text.replace("&#x27;", "'")
    )
    assert 'xmlns:media="http://search.yahoo.com/mrss/"' in response.text


def test_a_photo_without_a_caption_is_described_by_its_alt_text(client, newsroom, photographed):
    type(photographed).objects.filter(pk=photographed.pk).update(caption="", credit="")
    response, parsed = parse(client, reverse("articles:feed"))
    assert '<media:description type="plain">Delegates in the hall</media:description>' in (
        response.text
    )
    assert "media:credit" not in response.text


def test_lead_photos_cost_one_query_per_feed(
    client, newsroom, photographed, django_assert_num_queries
):
    for _ in range(5):
        make_article(
            tags=["China"], bylines=[newsroom["pierson"]], lead_photo=make_photo(size=(400, 300))
        )
    # Stories (with photos); the photos' stored renditions; bylines; tags; the next
    # scheduled publication (the page cache's deadline).
    with django_assert_num_queries(5):
        response = client.get(reverse("articles:feed"))
    assert response.text.count("<media:content") == 7  # and the uploaded lead image
