"""core.cache.read_ahead: the values a page is about to ask for, fetched in one round trip."""

import pytest
from django.core.cache import cache

from core import cache as core_cache
from core import stamps
from core.cache import cached, read_ahead, reading_ahead
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetches(monkeypatch):
    """The cache's reads: ("get", key) and ("get_many", [keys])."""
    seen, inside = [], []
    get, get_many = cache.get, cache.get_many

    def counting_get(key, *args, **kwargs):
        if not inside:  # the local memory cache's get_many() calls get() for each key
            seen.append(("get", key))
        return get(key, *args, **kwargs)

    def counting_get_many(keys, *args, **kwargs):
        seen.append(("get_many", list(keys)))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", counting_get)
    monkeypatch.setattr(cache, "get_many", counting_get_many)
    return seen


def kept_elsewhere():
    """As for another server process: the values are in the shared cache only."""
    core_cache._recent.values.clear()


def values_read(fetches):
    return [entry for entry in fetches if "cached:" in str(entry[1])]


def test_values_read_ahead_cost_one_round_trip_and_are_the_kept_ones(fetches):
    cached("one", ["harbour"], lambda: "first")
    cached("two", ["harbour"], lambda: "second")
    kept_elsewhere()
    fetches.clear()
    with reading_ahead():
        read_ahead("one", "two", "never-kept")
        assert cached("one", ["harbour"], lambda: "computed") == "first"
        assert cached("two", ["harbour"], lambda: "computed") == "second"
        assert cached("never-kept", ["harbour"], lambda: "computed") == "computed"
    reads = values_read(fetches)
    assert len(reads) == 1 and reads[0][0] == "get_many"
    assert {"one", "two", "never-kept"} <= {key.rpartition(":")[2] for key in reads[0][1]}


def test_a_value_whose_tag_changed_after_it_was_read_ahead_is_computed_again(fetches):
    cached("kept", ["harbour"], lambda: "old")
    with reading_ahead():
        read_ahead("kept")
        stamps.touch("harbour")
        assert cached("kept", ["harbour"], lambda: "new") == "new"


def test_a_name_is_fetched_once_and_each_value_serves_one_call(fetches):
    cached("kept", ["harbour"], lambda: ["old"])
    kept_elsewhere()
    fetches.clear()
    with reading_ahead():
        read_ahead("kept")
        read_ahead("kept")  # asked before: not fetched again
        first = cached("kept", ["harbour"], lambda: ["computed"])
        first.append("changed by its caller")
        assert cached("kept", ["harbour"], lambda: ["computed"]) == ["old"]  # a copy
    kinds = [kind for kind, _ in values_read(fetches)]
    assert kinds[0] == "get_many" and kinds.count("get_many") == 1


def test_outside_a_page_reading_ahead_does_nothing(fetches):
    read_ahead("anything")
    assert values_read(fetches) == []


def test_a_cold_story_page_reads_its_values_in_four_round_trips(client, fetches):
    article = make_article(tags=["harbour"])
    cache.clear()
    fetches.clear()
    assert client.get(article.get_absolute_url()).status_code == 200
    reads = values_read(fetches)
    # The story row with the deadlines; the story, its related posts and the menu; the
    # discussion's settings; the discussion's parts (threads, count, page, mentions, form).
    assert [kind for kind, _ in reads] == ["get_many", "get_many", "get", "get_many"]


def test_a_page_asked_for_by_anything_but_its_number_reads_the_first_page_ahead(client, fetches):
    article = make_article()
    client.get(article.get_absolute_url())
    for asked, read in (("2", "page:2:"), ("x" * 300, "page:1:"), ("²", "page:1:")):
        fetches.clear()
        core_cache._recent.values.clear()
        assert client.get(article.get_absolute_url(), {"cpage": asked}).status_code == 200
        names = [key for kind, keys in fetches if kind == "get_many" for key in keys]
        pages = [name for name in names if ":page:" in name]
        assert len(pages) == 1 and read in pages[0]
