"""A reader who holds the stored page gets a 304 made for it (core.pagecache.not_modified):
the headers a 200 would have sent that a 304 must repeat, no SQL, and Django's rules of
which precondition wins."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def stored(client):
    """A story's address and its stored page as a gzip client got it."""
    url = make_article(headline="Harbour reopens").get_absolute_url()
    client.get(url, **GZIP)
    return url, client.get(url, **GZIP)


def test_the_304_repeats_what_caches_need_and_runs_no_sql(
    client, stored, django_assert_num_queries
):
    url, page = stored
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=page["ETag"], **GZIP)
    assert response.status_code == 304
    assert response.content == b""
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert response[name] == page[name]
    assert not response.has_header("Content-Encoding")
    assert not response.has_header("Content-Type")
    assert response["X-Content-Type-Options"] == "nosniff"  # the security headers still


@pytest.mark.parametrize(
    "held",
    ['"other", {etag}', "W/{etag}", "*"],
    ids=["in a list", "weak", "any"],
)
def test_etags_compare_as_django_compares_them(client, stored, held):
    url, page = stored
    header = held.format(etag=page["ETag"])
    assert client.get(url, HTTP_IF_NONE_MATCH=header, **GZIP).status_code == 304


def test_another_etag_or_the_other_encodings_gets_the_page(client, stored):
    url, page = stored
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"', **GZIP).status_code == 200
    plain = client.get(url, HTTP_IF_NONE_MATCH=page["ETag"])
    assert plain.status_code == 200 and b"Harbour reopens" in plain.content


def test_a_failed_if_match_is_a_412_even_for_a_held_etag(client, stored):
    url, page = stored
    response = client.get(url, HTTP_IF_NONE_MATCH=page["ETag"], HTTP_IF_MATCH='"other"', **GZIP)
    assert response.status_code == 412


def test_if_none_match_wins_over_if_modified_since(client, stored):
    url, page = stored
    response = client.get(
        url,
        HTTP_IF_NONE_MATCH='"other"',
        HTTP_IF_MODIFIED_SINCE=page["Last-Modified"],
        **GZIP,
    )
    assert response.status_code == 200
