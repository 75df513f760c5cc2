"""Titles, descriptions, canonical and robots, OpenGraph and Twitter tags, NewsArticle
JSON-LD, and rel prev/next: read from the rendered pages and checked against the data."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from articles.models import Article, Credit
from articles.views import ArticleListView
from embeds.models import Embed
from tests.factories import make_article, make_comment, make_person, make_section

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = [], [], [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title":
            self._in = tag
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = tag
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld[-1] += data

    def property(self, name):
        return [m["content"] for m in self.meta if name in (m.get("property"), m.get("name"))]

    def link(self, rel):
        return [link["href"] for link in self.links if link.get("rel") == rel]


def head(response):
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.text)
    return parser


@pytest.fixture
def story(settings):
    settings.SITE_URL = SITE
    pierson = make_person(name="David Pierson", slug="david-pierson")
    wang = make_person(name="Olivia Wang", slug="olivia-wang")
    article = make_article(
        headline="Russia and North Korea sign a pact",
        dek="Beijing is watching closely.",
        section=make_section(name="World", slug="world"),
        tags=["China", "Russia"],
        bylines=[pierson],
        dateline="SEOUL, South Korea",
        lead_image_url="https://images.example.org/pact.jpg",
        lead_image_alt="Leaders shake hands",
        updated_at=timezone.now() - timedelta(minutes=5),
    )
    Credit.objects.create(
        article=article, person=wang, role=Credit.Role.REPORTING, note="from Hong Kong"
    )
    return article


def test_article_page_title_description_canonical(client, story):
    page = head(client.get(story.get_absolute_url()))

    assert page.title == f"{story.headline} · The Newsroom"
    assert page.property("description") == [story.dek]
    assert page.link("canonical") == [f"{SITE}{story.get_absolute_url()}"]
    assert page.property("robots") == []


def test_article_opengraph_and_twitter_tags(client, story):
    page = head(client.get(story.get_absolute_url()))

    assert page.property("og:type") == ["article"]
    assert page.property("og:title") == [story.headline]
    assert page.property("og:description") == [story.dek]
    assert page.property("og:url") == [f"{SITE}{story.get_absolute_url()}"]
    assert page.property("og:image") == ["https://images.example.org/pact.jpg"]
    assert page.property("og:image:alt") == ["Leaders shake hands"]
    assert page.property("article:published_time") == [
        timezone.localtime(story.published_at).isoformat()
    ]
    assert page.property("article:modified_time") == [
        timezone.localtime(story.updated_at).isoformat()
    ]
    assert page.property("article:author") == [f"{SITE}/author/david-pierson/"]
    assert page.property("article:section") == ["World"]
    assert sorted(page.property("article:tag")) == ["China", "Russia"]
    assert page.property("twitter:card") == ["summary_large_image"]
    # X reads the title, description and image from the og: tags: no second copy.
    assert page.property("twitter:title") == page.property("twitter:description") == []
    assert page.property("twitter:image") == []


def test_article_json_ld_describes_the_news_article(client, story):
    page = head(client.get(story.get_absolute_url()))

    [block] = page.json_ld
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.dek
    assert data["url"] == data["mainEntityOfPage"]["@id"] == f"{SITE}{story.get_absolute_url()}"
    assert data["image"] == ["https://images.example.org/pact.jpg"]
    assert data["datePublished"] == timezone.localtime(story.published_at).isoformat()
    assert data["dateModified"] == timezone.localtime(story.updated_at).isoformat()
    assert data["author"] == [
        {"@type": "Person", "name": "David Pierson", "url": f"{SITE}/author/david-pierson/"}
    ]
    assert data["contributor"] == [
        {"@type": "Person", "name": "Olivia Wang", "url": f"{SITE}/author/olivia-wang/"}
    ]
    assert data["publisher"]["name"] == "The Newsroom"
    assert sorted(data["keywords"]) == ["China", "Russia"]
    assert data["articleSection"] == "World"
    assert data["dateline"] == "SEOUL, South Korea"
    assert data["isAccessibleForFree"] is True
    assert "video" not in data


def test_json_ld_cannot_be_broken_out_of(client, settings):
    settings.SITE_URL = SITE
    nasty = 'Break </script><script>alert("x")</script> & <!-- out'
    article = make_article(headline=nasty, dek=nasty)

    response = client.get(article.get_absolute_url())

    [block] = head(response).json_ld
    assert json.loads(block)["headline"] == nasty
    assert json.loads(block)["description"] == nasty
    assert "<script>alert" not in response.text
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert all("alert" not in tag for tag in scripts)


def test_commenter_emails_never_reach_the_page(client, story):
    make_comment(story, author_email="private.reader@example.com")

    response = client.get(story.get_absolute_url())

    assert "private.reader@example.com" not in response.text
    assert "private.reader" not in "".join(head(response).json_ld)


def test_video_story_carries_a_video_object_with_transcript(client, settings):
    settings.SITE_URL = SITE
    player = Embed.objects.create(
        url="https://video.example.org/watch/123",
        status=Embed.Status.READY,
        kind=Embed.Kind.VIDEO,
        player_url="https://player.example.org/embed/123",
    )
    video = make_article(
        headline="Inside the summit",
        kind=Article.Kind.VIDEO,
        video_url=player.url,
        duration=754,
        transcript="Good evening. The leaders met today.",
        lead_image_url="https://images.example.org/still.jpg",
    )

    data = json.loads(head(client.get(video.get_absolute_url())).json_ld[0])

    assert data["video"] == {
        "@type": "VideoObject",
        "name": "Inside the summit",
        "description": video.excerpt,
        "uploadDate": timezone.localtime(video.published_at).isoformat(),
        "duration": "PT12M34S",
        "thumbnailUrl": ["https://images.example.org/still.jpg"],
        "transcript": "Good evening. The leaders met today.",
        "embedUrl": "https://player.example.org/embed/123",
    }


def test_syndicated_story_may_point_its_canonical_at_the_original(client, settings):
    settings.SITE_URL = SITE
    article = make_article(
        source_name="Wire Service",
        source_url="https://wire.example.org/original",
        syndication=Article.Syndication.CANONICAL,
    )

    page = head(client.get(article.get_absolute_url()))

    assert page.link("canonical") == ["https://wire.example.org/original"]
    assert page.property("robots") == []
    assert json.loads(page.json_ld[0])["isBasedOn"] == "https://wire.example.org/original"


def test_syndicated_story_may_be_kept_out_of_search_engines(client, settings):
    settings.SITE_URL = SITE
    article = make_article(
        source_name="Wire Service",
        source_url="https://wire.example.org/original",
        syndication=Article.Syndication.NOINDEX,
    )

    response = client.get(article.get_absolute_url())
    page = head(response)

    assert page.property("robots") == ["noindex"]
    assert page.link("canonical") == [f"{SITE}{article.get_absolute_url()}"]
    assert 'href="https://wire.example.org/original"' in response.text  # credited on the page


def test_own_stories_are_indexable_even_with_a_source_name_only(client, settings):
    settings.SITE_URL = SITE
    article = make_article(source_name="Wire Service")

    page = head(client.get(article.get_absolute_url()))

    assert page.property("robots") == []
    assert page.link("canonical") == [f"{SITE}{article.get_absolute_url()}"]


def test_listing_pages_have_canonical_description_and_feeds(client, story):
    section = head(client.get("/section/world/"))
    assert section.link("canonical") == [f"{SITE}/section/world/"]
    assert section.property("og:type") == ["website"]
    assert section.property("og:title") == ["World"]
    assert f"{SITE}/section/world/feed/" in section.link("alternate")
    assert f"{SITE}/feed/" in section.link("alternate")

    tag = head(client.get("/tag/china/"))
    assert tag.property("description") == ["Stories about China."]
    assert f"{SITE}/tag/china/feed/" in tag.link("alternate")

    author = head(client.get("/author/david-pierson/"))
    assert f"{SITE}/author/david-pierson/feed/" in author.link("alternate")

    front = head(client.get("/", {"utm_source": "newsletter"}))
    assert front.title == "The Newsroom"
    assert front.link("canonical") == [f"{SITE}/"]  # tracking parameters dropped
    assert front.property("description") == ["Latest news from The Newsroom."]
    assert front.property("twitter:card") == ["summary"]


def test_pagination_has_rel_prev_and_next_in_the_head(client, settings, monkeypatch):
    settings.SITE_URL = SITE
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    for _ in range(5):
        make_article()

    first = head(client.get("/"))
    assert first.link("prev") == []
    assert first.link("next") == [f"{SITE}/?page=2"]

    middle = head(client.get("/", {"page": 2}))
    assert middle.link("canonical") == [f"{SITE}/?page=2"]
    assert middle.link("prev") == [f"{SITE}/"]
    assert middle.link("next") == [f"{SITE}/?page=3"]

    last = head(client.get("/", {"page": 3}))
    assert last.link("prev") == [f"{SITE}/?page=2"]
    assert last.link("next") == []


def test_previews_are_never_indexed(admin_client, settings):
    settings.SITE_URL = SITE
    draft = make_article(status=Article.Status.DRAFT)

    page = head(admin_client.get(draft.get_absolute_url()))

    assert page.property("robots") == ["noindex"]


def test_article_page_stays_within_its_query_budget(client, story, django_assert_max_num_queries):
    for _ in range(3):
        make_comment(story)
    # The whole story page, cache empty: SEO tags and JSON-LD read prefetched data only
    # (the ninth query is the discussion settings, tests/test_queries.py).
    with django_assert_max_num_queries(9):
        client.get(story.get_absolute_url())


def test_absolute_urls_come_from_site_url_not_the_host_header(client, story):
    response = client.get(story.get_absolute_url(), HTTP_HOST="localhost")

    assert "http://localhost" not in response.text
    assert f'<link rel="canonical" href="{SITE}{story.get_absolute_url()}">' in response.text
