"""Our own oEmbed provider: /oembed/?url=<story> answers other sites with a card they frame.

The spec (https://oembed.com/): a ``rich`` answer carries version, type, html, width
and height; thumbnails and the frame stay within maxwidth/maxheight; 404 for what
we will not embed, 501 for a format we do not serve. Ours adds the rule of what
readers see (``Article.objects.published()``) and the page cache.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import html5lib
import pytest
from django.utils import timezone

from articles import oembed
from articles.models import Article
from tests.factories import empty_caches, make_article, make_person, make_section
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db

# What every rich answer carries (the spec's required fields, and what we promise).
RICH_FIELDS = {
    "version",
    "type",
    "title",
    "author_name",
    "author_url",
    "provider_name",
    "provider_url",
    "cache_age",
    "thumbnail_url",
    "thumbnail_width",
    "thumbnail_height",
    "html",
    "width",
    "height",
}


@pytest.fixture
def story(on_commit):
    with on_commit():
        return make_article(
            headline="Ferries return to the harbour",
            dek="The first crossing in a month left at dawn.",
            bylines=[make_person(name="Olivia Wang", slug="olivia-wang"), make_person()],
            lead_photo=make_photo(size=(1200, 800)),
        )


def address(settings, article):
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def ask(client, url, **params):
    return client.get("/oembed/", {"url": url, **params})


def frame_of(answer):
    """The attributes of the answer's <iframe>, as a browser would read them."""
    document = html5lib.parse(answer["html"], namespaceHTMLElements=False)
    frames = document.findall(".//iframe")
    assert len(frames) == 1, answer["html"]
    return frames[0].attrib


def test_json_answer_describes_the_story(client, settings, story):
    response = ask(client, address(settings, story))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    answer = json.loads(response.content)
    assert set(answer) == RICH_FIELDS
    assert answer["version"] == "1.0"
    assert answer["type"] == "rich"
    assert answer["title"] == "Ferries return to the harbour"
    assert answer["author_name"] == "Olivia Wang"  # the first byline
    assert answer["author_url"] == f"{settings.SITE_URL}/author/olivia-wang/"
    assert answer["provider_name"] == settings.SITE_NAME
    assert answer["provider_url"] == f"{settings.SITE_URL}/"
    assert answer["cache_age"] == oembed.CACHE_AGE
    # The card at its width: the 3:2 photo (373 px) and the words under it.
    assert (answer["width"], answer["height"]) == (560, 373 + oembed.CARD_TEXT_HEIGHT)
    # The lead photo's largest 3:2 rendition, whose URL serves it.
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 800)
    thumbnail = urlsplit(answer["thumbnail_url"])
    assert client.get(thumbnail.path).status_code in (200, 302)
    frame = frame_of(answer)
    assert frame["src"] == f"{settings.SITE_URL}{story.get_card_url()}"
    assert (frame["width"], frame["height"]) == ("560", str(answer["height"]))
    assert frame["title"] == story.headline
    assert "allow-scripts" not in frame["sandbox"]  # the card runs none


def test_xml_answer_parses_with_the_same_fields(client, settings, story):
    response = ask(client, address(settings, story), format="xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314  (our own output)
    assert root.tag == "oembed"
    fields = {element.tag: element.text for element in root}
    answer = json.loads(ask(client, address(settings, story)).content)
    assert fields == {name: str(value) for name, value in answer.items()}
    # The html is text in the XML (escaped), an <iframe> once read.
    assert fields["html"].startswith("<iframe ")


def test_a_headline_xml_cannot_carry_is_still_answered(client, settings, on_commit):
    with on_commit():
        article = make_article(headline="Tide\x0b tables & <times>")
    answer = ask(client, address(settings, article), format="xml")
    root = ET.fromstring(answer.content)  # noqa: S314  (our own output)
    assert root.find("title").text == "Tide tables & <times>"


@pytest.mark.parametrize(
    ("maxwidth", "maxheight", "frame", "thumbnail"),
    [
        # Narrower: the frame and the thumbnail (the widest rendition that fits) shrink.
        ("500", "", (500, 333 + oembed.CARD_TEXT_HEIGHT), (480, 320)),
        # Lower: the frame is cut to it, the thumbnail the widest rendition low enough.
        ("", "300", (560, 300), (320, 213)),
        # Smaller than any rendition: a frame that fits, no thumbnail.
        ("200", "200", (200, 200), None),
    ],
)
def test_maxwidth_and_maxheight_are_honoured(
    client, settings, story, maxwidth, maxheight, frame, thumbnail
):
    response = ask(client, address(settings, story), maxwidth=maxwidth, maxheight=maxheight)
    answer = json.loads(response.content)
    assert (answer["width"], answer["height"]) == frame
    assert (frame_of(answer)["width"], frame_of(answer)["height"]) == tuple(map(str, frame))
    if thumbnail is None:
        assert "thumbnail_url" not in answer and "thumbnail_width" not in answer
    else:
        assert (answer["thumbnail_width"], answer["thumbnail_height"]) == thumbnail


def test_a_story_without_photo_or_byline_has_neither_in_its_answer(client, settings, on_commit):
    with on_commit():
        article = make_article(headline="Council meets")
    answer = json.loads(ask(client, address(settings, article)).content)
    assert RICH_FIELDS - set(answer) == {
        "author_name",
        "author_url",
        "thumbnail_url",
        "thumbnail_width",
        "thumbnail_height",
    }
    assert answer["height"] == oembed.CARD_TEXT_HEIGHT


def not_for_readers():
    """Stories that exist but readers may not see, by what keeps them out."""
    later = timezone.now() + timedelta(days=2)
    return {
        "draft": make_article(status=Article.Status.DRAFT),
        "in review": make_article(status=Article.Status.REVIEW),
        "unpublished": make_article(
            status=Article.Status.UNPUBLISHED, published_at=timezone.now() - timedelta(days=1)
        ),
        "scheduled": make_article(published_at=later),
        "embargoed": make_article(published_at=later, embargo_until=later),
    }


def test_stories_readers_cannot_see_are_404(client, settings, on_commit):
    with on_commit():
        hidden = not_for_readers()
    for why, article in hidden.items():
        for params in ({}, {"format": "xml"}):
            response = ask(client, address(settings, article), **params)
            assert response.status_code == 404, why
            assert response["Content-Type"].startswith("text/plain")  # no JSON error body
        assert client.get(article.get_card_url()).status_code == 404, why


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/{path}",  # another site
        "http://127.0.0.1:8001/{path}",  # our host on another port
        "http://127.0.0.1:8000/2024/01/01/no-such-story/",  # no story by that slug
        "http://127.0.0.1:8000/section/world/",  # ours, not a story
        "http://127.0.0.1:8000/embed/{path}",  # a card is not a story's address
        "http://127.0.0.1:8000/",
    ],
)
def test_addresses_that_are_not_our_stories_are_404(client, settings, story, url):
    settings.SITE_URL = "http://127.0.0.1:8000"
    path = story.get_absolute_url().lstrip("/")
    assert ask(client, url.format(path=path)).status_code == 404


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({}, "Name the story to embed"),
        ({"url": ""}, "Name the story to embed"),
        ({"url": "not an address"}, "Not an http or https address"),
        ({"url": "javascript:alert(1)"}, "Not an http or https address"),
        ({"url": "ftp://127.0.0.1:8000/2024/01/01/a/"}, "Not an http or https address"),
        ({"url": "http://[::1/2024/"}, "Not a valid address"),
        ({"url": "http://127.0.0.1:99999/"}, "Not a valid address"),
        ({"url": "{story}", "maxwidth": "wide"}, "maxwidth must be a whole number"),
        ({"url": "{story}", "maxwidth": "0"}, "maxwidth must be a whole number"),
        ({"url": "{story}", "maxheight": "-40"}, "maxheight must be a whole number"),
        ({"url": "{story}", "maxheight": "1" * 40}, "maxheight must be a whole number"),
    ],
)
def test_a_missing_or_malformed_request_is_400_with_the_reason(
    client, settings, story, params, says
):
    params = {name: value.format(story=address(settings, story)) for name, value in params.items()}
    response = client.get("/oembed/", params)
    assert response.status_code == 400
    assert says in response.text


@pytest.mark.parametrize("fmt", ["yaml", "JSON", "html"])
def test_an_unsupported_format_is_501(client, settings, story, fmt):
    response = ask(client, address(settings, story), format=fmt)
    assert response.status_code == 501
    assert "ask for json or xml" in response.text


def test_the_card_shows_the_story_and_may_be_framed_anywhere(client, settings, story):
    for attempt in ("rendered", "from the page cache"):
        response = client.get(story.get_card_url())
        assert response.status_code == 200, attempt
        assert "X-Frame-Options" not in response, attempt
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors *" in policy, attempt
        assert "script-src" not in policy and "default-src 'none'" in policy, attempt
        assert response["Cache-Control"].startswith("public"), attempt
    document = html5lib.parse(response.content, namespaceHTMLElements=False)
    assert document.findall(".//script") == []
    text = " ".join("".join(document.find("body").itertext()).split())
    assert "Ferries return to the harbour" in text
    assert "The first crossing in a month left at dawn." in text
    assert "By Olivia Wang and Reporter" in text
    assert timezone.localdate(story.published_at).strftime("%B") in text
    story_url = address(settings, story)
    links = document.findall(".//a[@href]")
    assert links and {link.get("href") for link in links} == {story_url}
    assert {link.get("target") for link in links} == {"_blank"}  # out of the frame
    assert document.find(".//picture") is not None
    # Story pages still refuse to be framed.
    page = client.get(story.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_a_card_at_another_date_redirects_to_the_story_card(client, story):
    response = client.get(f"/embed/2001/01/01/{story.slug}/")
    assert response.status_code == 301
    assert response["Location"] == story.get_card_url()


def discovery_links(html):
    return {
        kind: unescape(href)
        for kind, href in re.findall(
            r'<link rel="alternate" type="([a-z/]+\+oembed)" href="([^"]+)"', html
        )
    }


def test_story_pages_link_a_working_endpoint_for_each_format(client, settings, story):
    page = client.get(story.get_absolute_url()).text
    links = discovery_links(page)
    assert set(links) == {"application/json+oembed", "text/xml+oembed"}
    assert f'title="{story.headline}"' in page
    for kind, href in links.items():
        assert href.startswith(f"{settings.SITE_URL}/oembed/?")
        response = client.get(href.removeprefix(settings.SITE_URL))
        assert response.status_code == 200, kind
        assert (
            response["Content-Type"].split(";")[0]
            == {
                "application/json+oembed": "application/json",
                "text/xml+oembed": "text/xml",
            }[kind]
        )


def test_a_preview_has_no_discovery_links(client, on_commit, django_user_model):
    with on_commit():
        draft = make_article(status=Article.Status.DRAFT)
    editor = django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")
    client.force_login(editor)
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert discovery_links(page.text) == {}


def test_answers_are_cached_until_the_story_changes(client, settings, story, on_commit):
    url = address(settings, story)
    assert json.loads(ask(client, url).content)["title"] == story.headline
    response = ask(client, url)
    assert response["Cache-Control"].startswith("public")
    assert response.has_header("ETag")
    story.headline = "Ferries return, and so do the gulls"
    with on_commit():
        story.save()
    assert json.loads(ask(client, url).content)["title"] == "Ferries return, and so do the gulls"
    assert "Ferries return, and so do the gulls" in client.get(story.get_card_url()).text
    story.status = Article.Status.UNPUBLISHED
    with on_commit():
        story.save()
    assert ask(client, url).status_code == 404
    assert client.get(story.get_card_url()).status_code == 404


def test_refusals_are_not_kept(client, settings, story):
    response = ask(client, address(settings, story), format="yaml")
    assert "private" in response["Cache-Control"]


def test_answer_and_card_cost_three_queries_then_none(
    client, settings, story, django_assert_num_queries
):
    make_section()  # the menu's query is the card's business no more than the answer's
    for url in (f"/oembed/?url={address(settings, story)}", story.get_card_url()):
        empty_caches()
        # 1. The story with its lead photo and the names of its stored renditions;
        # 2. its bylines with their people; 3. the next scheduled publication (the
        # page cache's deadline).
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(0):  # the page cache answers
            assert client.get(url).status_code == 200


def test_a_hostile_headline_stays_text_in_the_answer(client, settings, on_commit):
    headline = '"><script>alert(1)</script><iframe src="//evil.example/">'
    with on_commit():
        article = make_article(headline=headline)
    answer = json.loads(ask(client, address(settings, article)).content)
    assert answer["title"] == headline
    document = html5lib.parse(answer["html"], namespaceHTMLElements=False)
    assert document.findall(".//script") == []
    assert frame_of(answer)["title"] == headline  # one frame, the headline its title
