"""The cache's memory stays bounded whatever strangers send.

A cached page is keyed on its path and the query parameters apps registered: a
crawler's or an attacker's made-up parameters (``?x=0`` … ``?x=999``) are
answered from the page without them and store nothing. And everything stored
expires, so that Redis's ``volatile-lru`` can evict it (stamps alone never do).
"""

import random
import string

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.urls import path

from core import pagecache, rendering, stamp_stores, stamps
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys of every page the page cache stores during the test."""
    keys = set()
    real_store = stamps.store_tagged

    def recording(key, value, timeout, tags):
        if key.startswith(pagecache.KEY_PREFIX):
            keys.add(key)
        return real_store(key, value, timeout, tags)

    monkeypatch.setattr(stamps, "store_tagged", recording)
    return keys


def random_name():
    return "".join(random.choices(string.ascii_lowercase, k=random.randint(1, 12)))  # noqa: S311


def test_a_flood_of_made_up_parameters_stores_one_page(client, stored_pages):
    story = make_article()
    url = story.get_absolute_url()
    for n in range(1000):
        response = client.get(url, {random_name(): str(n)})
        assert response.status_code == 200
    assert len(stored_pages) <= 2


def test_made_up_parameters_are_answered_from_the_stored_page(client, django_assert_num_queries):
    story = make_article(headline="Harbour reopens")
    client.get(story.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(story.get_absolute_url(), {"x": "1", "utm_source": "mail"})
    assert "Harbour reopens" in response.text


def test_a_registered_parameter_the_page_does_not_read_stores_no_copy(client, stored_pages):
    story = make_article()
    client.get(story.get_absolute_url())
    for n in range(20):
        client.get(story.get_absolute_url(), {"q": f"query {n}"})  # search's, not the story's
    assert len(stored_pages) == 1


def test_parameters_a_page_reads_still_make_pages_of_their_own(client):
    for n in range(25):
        make_article(headline=f"Story {n}")
    first, second = client.get("/"), client.get("/", {"page": "2"})
    assert first.text != second.text
    assert client.get("/", {"page": "2", "x": "y"}).text == second.text


def reads_an_unregistered_parameter(request):
    rendering.shows("front")
    return HttpResponse(f"Hello {request.GET.get('name', 'reader')}")


urlpatterns = [path("hello/", reads_an_unregistered_parameter)]


@pytest.mark.urls(__name__)
def test_a_page_reading_a_parameter_nobody_registered_is_not_stored(client, stored_pages, caplog):
    assert client.get("/hello/", {"name": "Ann"}).text == "Hello Ann"
    assert client.get("/hello/", {"name": "Bo"}).text == "Hello Bo"
    assert stored_pages == set()
    assert "register_parameters" in caplog.text and "name" in caplog.text


def test_the_recorded_query_notes_what_was_read():
    query = pagecache.RecordingQueryDict("a=1&b=2&c=3")
    assert query.read == set()
    query.get("a")
    assert "b" in query
    query.getlist("z")
    assert query.read == {"a", "b", "z"}
    dict(query.items())
    assert query.read == {"a", "b", "c", "z"}


def test_old_wordpress_addresses_redirect_even_with_the_front_page_cached(client):
    from pages.models import Redirect

    story = make_article()
    Redirect.objects.create(old_path="/?p=41", new_path=story.get_absolute_url())
    client.get("/")
    response = client.get("/", {"p": "41"})
    assert (response.status_code, response["Location"]) == (301, story.get_absolute_url())


def test_everything_cached_expires(client, monkeypatch, settings):
    timeouts = {}
    real_store = stamps.store_tagged

    def recording(key, value, timeout, tags):
        timeouts[key] = timeout
        return real_store(key, value, timeout, tags)

    monkeypatch.setattr(stamps, "store_tagged", recording)
    story = make_article(tags=["ports"])
    for url in (story.get_absolute_url(), "/", "/tag/ports/", "/search/?q=story", "/sitemap.xml"):
        assert client.get(url).status_code == 200
    derived = {key: t for key, t in timeouts.items() if not key.startswith("tag:")}
    assert any(key.startswith("cached:") for key in derived)
    assert {
        key for key, t in derived.items() if t is None or t > settings.PAGE_CACHE_TIMEOUT
    } == set()


def test_a_cache_without_pipelines_adds_the_stamps_then_stores_the_value():
    local = LocMemCache("stamps-test", {})
    local.set("tag:old", 5.0)
    adds = {"tag:old": 1.0, "tag:new": 1.0}
    added = stamp_stores.set_after_adding(local, adds, {"k": ("v", 60)})
    assert added == {"tag:new"}
    assert (local.get("tag:old"), local.get("tag:new"), local.get("k")) == (5.0, 1.0, "v")
