"""Pages are kept gzipped (core.page_entries) and sent so to clients that accept it."""

import gzip

import pytest
from django.core.cache import cache

from core import pagecache
from tests.factories import make_article

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_client_that_accepts_gzip_gets_the_page_gzipped_rendered_or_cached(client):
    story = make_article(headline="Harbour reopens", body="<p>The quay is busy. </p>" * 200)
    url = story.get_absolute_url()
    plain = client.get(url)
    for response in (client.get(url, **GZIP), client.get(f"{url}?cpage=2", **GZIP)):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        page = gzip.decompress(response.content)
        assert b"Harbour reopens" in page
        assert int(response["Content-Length"]) == len(response.content) < len(page) / 3
    assert page == plain.content


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(client):
    story = make_article(headline="Harbour reopens")
    url = story.get_absolute_url()
    client.get(url, **GZIP)  # stored for a gzip client first
    response = client.get(url)
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    assert b"Harbour reopens" in response.content
    assert int(response["Content-Length"]) == len(response.content)


def test_each_encoding_has_its_own_etag_and_revalidates_with_it(client):
    story = make_article()
    url = story.get_absolute_url()
    plain, zipped = client.get(url), client.get(url, **GZIP)
    assert plain["ETag"] != zipped["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"], **GZIP).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 200


def test_the_shared_cache_keeps_the_page_gzipped(client, rf):
    story = make_article(body="<p>The quay is busy. </p>" * 200)
    response = client.get(story.get_absolute_url())
    stored = cache.get(pagecache.page_key(rf.get(story.get_absolute_url()), read=set()))
    assert gzip.decompress(stored["gzipped"]) == response.content
    assert len(stored["gzipped"]) < len(response.content) / 3
    assert "content" not in stored


def test_another_process_serves_the_shared_gzipped_copy_to_either_kind_of_client():
    """A second server (another Client: another middleware, no pages of its own in
    memory) reads the gzipped copy from the shared cache and decompresses it only for
    a client that does not accept gzip."""
    from django.test import Client

    story = make_article(headline="Harbour reopens", body="<p>The quay is busy. </p>" * 200)
    url = story.get_absolute_url()
    first = Client().get(url)
    zipped, plain = Client().get(url, **GZIP), Client().get(url)
    assert gzip.decompress(zipped.content) == plain.content == first.content
    assert zipped["ETag"] != plain["ETag"] == first["ETag"]
