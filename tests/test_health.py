"""/healthz answers 200 only when the database and the cache both work."""

from unittest import mock

import pytest
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

pytestmark = pytest.mark.django_db


def test_healthy(client):
    # On the PostgreSQL + Redis run this talks to the real services.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "no-cache" in response.headers["Cache-Control"]


def test_database_down(client):
    with mock.patch("core.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "database unavailable: OperationalError"


def test_cache_down(client):
    with mock.patch("core.health.cache") as cache:
        cache.set.side_effect = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "cache unavailable: ConnectionError"


def test_cache_that_loses_what_it_is_given(client):
    with mock.patch("core.health.cache") as cache:
        cache.get.return_value = None
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text == "cache unavailable: a value written was not read back"


def test_both_down_names_both(client):
    with (
        mock.patch("core.health.connection") as connection,
        mock.patch("core.health.cache") as cache,
    ):
        connection.cursor.side_effect = OperationalError("gone")
        cache.set.side_effect = RedisConnectionError("gone")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text.splitlines() == [
        "database unavailable: OperationalError",
        "cache unavailable: ConnectionError",
    ]


def test_the_check_leaves_no_key_behind(client):
    from django.core.cache import cache as real_cache

    with mock.patch("core.health.cache", wraps=real_cache) as cache:
        assert client.get("/healthz").status_code == 200
    (key, _value), _ = cache.set.call_args
    cache.delete.assert_called_once_with(key)
    assert real_cache.get(key) is None


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
