"""Archives and feeds of a section, tag or person exist once a published story is in
them: before that every public URL of one is a 404, as an unknown slug is, so that
guessing slugs tells nobody what drafts and embargoed stories are about."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db

Status = Article.Status

# Each kind of collection: its URL names' prefix, and how a story joins one.
KINDS = ["section", "tag", "author"]
# Stories no reader sees, as the workflow leaves them.
HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "in-review": {"status": Status.REVIEW},
    "scheduled": {"published_at": timedelta(days=2)},
    "embargoed": {"status": Status.REVIEW, "embargo_until": timedelta(days=1)},
    "unpublished": {"status": Status.UNPUBLISHED, "published_at": -timedelta(days=3)},
}


def urls(kind, slug):
    """Every public URL of a collection: its pages and its two feeds."""
    page = reverse(f"articles:{kind}", kwargs={"slug": slug})
    return [
        page,
        f"{page}?page=1",
        f"{page}?page=2",
        f"{page}?page=last",
        reverse(f"articles:{kind}-feed", kwargs={"slug": slug}),
        reverse(f"articles:{kind}-feed-atom", kwargs={"slug": slug}),
    ]


def story_in(kind, slug, **fields):
    """A story in the collection ``kind`` named "Secret merger" (made if need be)."""
    now = timezone.now()
    fields = {k: now + v if isinstance(v, timedelta) else v for k, v in fields.items()}
    if kind == "section":
        return make_article(section=make_section(name="Secret merger", slug=slug), **fields)
    if kind == "tag":
        return make_article(tags=["Secret merger"], **fields)
    return make_article(bylines=[make_person(name="Secret merger", slug=slug)], **fields)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_collection_only_unpublished_stories_are_in_is_a_404_everywhere(client, kind, hidden):
    story_in(kind, "secret-merger", headline="Acme buys Globex", **hidden)

    for url in urls(kind, "secret-merger"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret merger" not in response.text, url
        assert "Acme" not in response.text, url


@pytest.mark.parametrize("kind", KINDS)
def test_a_collection_with_nothing_in_it_is_a_404(client, kind):
    if kind == "section":
        make_section(name="Opinion", slug="secret-merger")
    elif kind == "tag":
        make_article(status=Status.DRAFT, tags=["Secret merger"]).tags.clear()
    else:
        make_person(name="Secret merger", slug="secret-merger")

    for url in urls(kind, "secret-merger"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("kind", KINDS)
def test_one_published_story_opens_the_collection(client, kind):
    story_in(kind, "secret-merger", headline="Acme buys Globex")

    page, first, second, last, rss, atom = urls(kind, "secret-merger")
    for url in (page, first, last, rss, atom):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Acme buys Globex" in response.text, url
    assert client.get(second).status_code == 404  # one page of stories, as before


@pytest.mark.parametrize("kind", KINDS)
def test_the_collection_opens_when_its_scheduled_story_goes_live(client, clock, kind):
    story_in(kind, "secret-merger", headline="Acme buys Globex", published_at=timedelta(hours=1))
    page, *_, rss, atom = urls(kind, "secret-merger")
    assert [client.get(url).status_code for url in (page, rss, atom)] == [404, 404, 404]

    clock(hours=2)  # the cached count (zero) ends when the story goes live

    assert [client.get(url).status_code for url in (page, rss, atom)] == [200, 200, 200]
    assert "Acme buys Globex" in client.get(page).text


def test_a_story_withdrawn_closes_its_tag_again(client, on_commit):
    story = story_in("tag", "secret-merger", headline="Acme buys Globex")
    assert client.get("/tag/secret-merger/").status_code == 200

    with on_commit():
        story.status = Status.UNPUBLISHED
        story.save()

    assert client.get("/tag/secret-merger/").status_code == 404
    assert client.get("/tag/secret-merger/feed/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_collection_costs_one_counted_query_more_than_an_unknown_one(client, kind):
    """What tells the two apart is the listing's count, which its page reads anyway and
    keeps: the first request counts, the next ones cost what an unknown slug costs."""
    story_in(kind, "secret-merger", status=Status.DRAFT)

    def queries(slug):
        with CaptureQueriesContext(connection) as done:
            assert client.get(reverse(f"articles:{kind}", kwargs={"slug": slug})).status_code == 404
        return [query["sql"] for query in done]

    queries("no-such-slug")  # fills the caches of the menu and the next deadline
    unknown = queries("no-such-slug")
    first, again = queries("secret-merger"), queries("secret-merger")

    [count] = [sql for sql in first if sql not in unknown and "COUNT(" in sql]
    assert len(first) == len(unknown) + 1
    assert len(again) == len(unknown)


# The menu of sections on every page lists only sections a reader can open.


def menu(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.text.split('<nav class="sections"', 1)[1].split("</nav>", 1)[0]


def test_the_menu_lists_a_section_once_a_story_in_it_is_live(client, on_commit):
    harbour = make_section(name="Harbour", slug="harbour")
    make_article(section=make_section(name="World"))
    draft = make_article(section=harbour, status=Status.DRAFT)
    assert "Harbour" not in menu(client)
    assert "World" in menu(client)

    with on_commit():
        draft.status = Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
    assert "Harbour" in menu(client)  # the stored front page is stale at once

    with on_commit():
        draft.status = Status.UNPUBLISHED
        draft.save()
    assert "Harbour" not in menu(client)


def test_a_scheduled_story_brings_its_section_into_the_menu_when_it_goes_live(client, clock):
    make_article(
        section=make_section(name="Harbour"), published_at=timezone.now() + timedelta(hours=1)
    )
    assert "Harbour" not in menu(client)

    clock(hours=2)

    assert "Harbour" in menu(client)


def test_moving_the_last_story_out_of_a_section_takes_it_out_of_the_menu(client, on_commit):
    harbour, world = make_section(name="Harbour"), make_section(name="World")
    story = make_article(section=harbour)
    assert "Harbour" in menu(client)

    with on_commit():
        story.section = world
        story.save()

    assert "Harbour" not in menu(client)
    assert "World" in menu(client)


def test_publishing_in_a_section_already_listed_leaves_other_pages_cached(
    client, on_commit, django_assert_num_queries
):
    harbour = make_section(name="Harbour")
    old = make_article(section=harbour, headline="Old story")
    client.get(old.get_absolute_url())  # stored

    with on_commit():
        make_article(section=harbour, headline="New story")

    with django_assert_num_queries(0):
        assert "Old story" in client.get(old.get_absolute_url()).text
