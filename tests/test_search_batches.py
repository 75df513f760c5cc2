"""Search at a bounded cost: batches of the newest matches, and rankings kept in the cache.

A search ranks the newest ``SEARCH_CANDIDATES`` matching stories and links to the
next older batch; the ranking is kept until a story is reindexed, published or
withdrawn, and never shows a story that is not published.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core import cache as core_cache
from core import stamps
from search import query
from search.query import rank
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def headlines(response):
    return [story.headline for story in response.context["results"]]


@pytest.fixture
def kept(settings):
    """Rankings are trusted from the moment they are computed (no margin)."""
    settings.PAGE_CACHE_MARGIN = 0


@pytest.fixture
def five_walrus_stories(on_commit, settings):
    settings.SEARCH_CANDIDATES = 3
    with on_commit():
        stories = [make_article(headline=f"Walrus sighting {n}") for n in range(5)]
    return stories


def test_a_search_ranks_the_newest_batch_and_links_to_older_ones(client, five_walrus_stories):
    stories = five_walrus_stories

    first = client.get(SEARCH, {"q": "walrus"})
    assert sorted(headlines(first)) == [f"Walrus sighting {n}" for n in (2, 3, 4)]
    assert "3 most recent results for “walrus”, best match first" in first.text
    older = f"?q=walrus&amp;before={stories[2].pk}"
    assert f'<a href="{older}">Older stories for “walrus”</a>' in first.text

    second = client.get(SEARCH, {"q": "walrus", "before": stories[2].pk})
    assert sorted(headlines(second)) == ["Walrus sighting 0", "Walrus sighting 1"]
    assert "2 older results for “walrus”" in second.text
    assert "Older stories for" not in second.text  # nothing older is left
    assert '<a href="?q=walrus">Most recent stories for “walrus”</a>' in second.text


def test_pages_of_an_older_batch_keep_their_place(client, five_walrus_stories, monkeypatch):
    from search.views import SearchView

    monkeypatch.setattr(SearchView, "paginate_by", 1)
    before = five_walrus_stories[2].pk

    page = client.get(SEARCH, {"q": "walrus", "before": before})

    assert f'href="?q=walrus&amp;before={before}&amp;page=2">More results &rarr;</a>' in page.text
    assert f"/search/?q=walrus&amp;before={before}&amp;page=2" in page.text  # rel="next"


def test_unpublished_stories_take_no_place_in_the_count(client, on_commit, settings):
    settings.SEARCH_CANDIDATES = 3
    with on_commit():
        make_article(headline="Narwhal one")
        make_article(headline="Narwhal draft", status=Article.Status.DRAFT)
        make_article(headline="Narwhal two")

    response = client.get(SEARCH, {"q": "narwhal"})

    # The batch was cut at three documents, one of them a draft: two are shown,
    # and the older-stories link is offered although nothing older matches.
    assert sorted(headlines(response)) == ["Narwhal one", "Narwhal two"]
    assert response.context["paginator"].count == 2
    assert "Narwhal draft" not in response.text
    assert "Older stories for “narwhal”" in response.text


def test_within_a_batch_the_best_match_comes_first(on_commit):
    with on_commit():
        body = make_article(headline="Harbour news", body="<p>An otter was seen.</p>")
        headline = make_article(headline="Otter returns", body="<p>Good news.</p>")
        make_article(headline="Unrelated")

    assert rank("otter").ids == (headline.pk, body.pk)


@pytest.mark.parametrize("before", ["", "abc", "-3", "1.5", "٣", "9" * 40, "0x10"])
def test_a_strange_before_is_ignored_or_finds_nothing(client, on_commit, before):
    with on_commit():
        make_article(headline="Puffin colony")

    response = client.get(SEARCH, {"q": "puffin", "before": before})

    assert response.status_code == 200
    assert response.context["before"] is None
    assert headlines(response) == ["Puffin colony"]


def test_the_ranking_is_kept_for_the_next_reader(client, on_commit, kept, monkeypatch):
    with on_commit():
        make_article(headline="Beluga song")
    client.get(SEARCH, {"q": "beluga"})

    def no_ranking(*args):
        raise AssertionError("the ranking was computed again")

    monkeypatch.setattr(query, "_rank", no_ranking)
    assert headlines(client.get(SEARCH, {"q": "beluga"})) == ["Beluga song"]


def test_a_kept_ranking_follows_edits(client, on_commit, kept):
    with on_commit():
        story = make_article(headline="Manatee count")
        other = make_article(headline="Seal count")
    assert headlines(client.get(SEARCH, {"q": "manatee"})) == ["Manatee count"]

    with on_commit():
        other.headline = "Manatee and seal count"
        other.save()

    assert sorted(headlines(client.get(SEARCH, {"q": "manatee"}))) == [
        "Manatee and seal count",
        "Manatee count",
    ]
    with on_commit():
        story.delete()
    assert headlines(client.get(SEARCH, {"q": "manatee"})) == ["Manatee and seal count"]


def test_a_kept_ranking_follows_publication(client, on_commit, kept):
    with on_commit():
        make_article(headline="Dugong report")
        draft = make_article(headline="Dugong draft", status=Article.Status.DRAFT)
    assert headlines(client.get(SEARCH, {"q": "dugong"})) == ["Dugong report"]

    with on_commit():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now() - timedelta(minutes=1)
        draft.save()
    assert len(headlines(client.get(SEARCH, {"q": "dugong"}))) == 2

    with on_commit():
        draft.status = Article.Status.UNPUBLISHED
        draft.save()
    assert headlines(client.get(SEARCH, {"q": "dugong"})) == ["Dugong report"]


def test_a_withdrawn_story_never_shows_even_from_a_kept_ranking(client, on_commit, kept):
    with on_commit():
        make_article(headline="Orca pod")
        pulled = make_article(headline="Orca calf")
    client.get(SEARCH, {"q": "orca"})

    # Withdrawn by a bulk update that tells no cache: the page still reads its
    # stories through published().
    Article.objects.filter(pk=pulled.pk).update(status=Article.Status.UNPUBLISHED)

    assert headlines(client.get(SEARCH, {"q": "orca"})) == ["Orca pod"]


def test_a_scheduled_story_is_found_when_its_time_comes(client, on_commit, kept, clock):
    with on_commit():
        make_article(headline="Sturgeon season")
        make_article(
            headline="Sturgeon scheduled", published_at=timezone.now() + timedelta(minutes=5)
        )
    assert headlines(client.get(SEARCH, {"q": "sturgeon"})) == ["Sturgeon season"]

    clock(minutes=6)

    assert len(headlines(client.get(SEARCH, {"q": "sturgeon"}))) == 2


def test_rankings_leave_the_cache_on_their_own(on_commit, settings, monkeypatch):
    """Queries are typed by strangers: their rankings must expire, not pile up."""
    settings.SEARCH_CACHE_SECONDS = 600
    stored = []
    real_store = stamps.store_tagged
    monkeypatch.setattr(
        stamps,
        "store_tagged",
        lambda key, value, timeout, tags: (
            stored.append((key, timeout)) or real_store(key, value, timeout, tags)
        ),
    )
    with on_commit():
        make_article(headline="Lamprey")

    rank("lamprey")

    assert [
        timeout for key, timeout in stored if key.startswith(f"{core_cache.KEY_PREFIX}search:")
    ] == [600]
