"""The Host header of a request the page cache answers: a bad one is refused with a 400
before anything is served, however often a good one was seen before, and a host the
settings no longer allow is refused from then on (core.pagecache.refuse_bad_host)."""

import pytest
from django.test import Client

from core import pagecache
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_page(client):
    story = make_article(headline="Harbour reopens")
    for _ in range(3):  # kept by the page cache
        client.get(story.get_absolute_url())
    return story.get_absolute_url()


def test_a_bad_host_is_refused_after_good_ones_were_served(story_page):
    good = Client(HTTP_HOST="127.0.0.1")
    for _ in range(3):
        assert "Harbour reopens" in good.get(story_page).text
    response = Client(HTTP_HOST="evil.example").get(story_page)
    assert response.status_code == 400
    assert b"Harbour reopens" not in response.content


def test_a_host_no_longer_allowed_is_refused(story_page, settings):
    allowed = Client(HTTP_HOST="news.example.org")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    assert allowed.get(story_page).status_code == 200
    assert "news.example.org" in pagecache._valid_hosts
    settings.ALLOWED_HOSTS = [h for h in settings.ALLOWED_HOSTS if h != "news.example.org"]
    assert allowed.get(story_page).status_code == 400


def test_a_forwarded_host_is_checked_every_time(story_page, settings):
    settings.USE_X_FORWARDED_HOST = True
    forwarded = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_HOST="evil.example")
    for _ in range(2):
        assert forwarded.get(story_page).status_code == 400


def test_only_so_many_hosts_are_remembered(story_page, settings, monkeypatch):
    monkeypatch.setattr(pagecache, "VALID_HOSTS_KEPT", 2)
    settings.ALLOWED_HOSTS = [".example.org"]
    for n in range(4):
        assert Client(HTTP_HOST=f"n{n}.example.org").get(story_page).status_code == 200
    assert len(pagecache._valid_hosts) == 2
