"""Requests no browser sends: each gets a 4xx (or a normal page), never a 500.

Search, feeds and the comment form are covered where they are built; this file holds
the reader pages and the admin login that exist now.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE_PAGE_NUMBERS = [
    "99999999999999999999",
    "9" * 5000,  # past Python's int() digit limit
    "0",
    "-1",
    "-99999999999999999999",
    "1.5",
    "1e10",
    "nan",
    "inf",
    "abc",
    "%ff%fe",  # broken UTF-8
    "%00",
    "<script>alert(1)</script>",
    "1%27%20OR%20%271%27=%271",
    "1&page=%ff",  # the last value wins
]

HOSTILE_SLUGS = [
    "%ff%fe",  # broken UTF-8
    "caf%C3%A9",  # non-ASCII
    "%E2%80%AEevil",  # right-to-left override
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "a" * 2000,
    "-",
    "_",
    "%20",
]


LISTINGS = ["front", "section", "tag", "author"]


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("page", HOSTILE_PAGE_NUMBERS)
def test_hostile_page_numbers_are_404(client, public_pages, listing, page):
    response = client.get(f"{public_pages[listing]}?page={page}")
    assert response.status_code == 404


@pytest.mark.parametrize("listing", LISTINGS)
def test_real_page_numbers_still_work(client, public_pages, listing):
    assert client.get(f"{public_pages[listing]}?page=1").status_code == 200
    assert client.get(f"{public_pages[listing]}?page=last").status_code == 200


@pytest.mark.parametrize("prefix", ["section", "tag", "author"])
@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_hostile_archive_slugs_are_404(client, public_pages, prefix, slug):
    assert client.get(f"/{prefix}/{slug}/").status_code == 404


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_hostile_article_slugs_are_404(client, public_pages, slug):
    assert client.get(f"/2024/06/20/{slug}/").status_code == 404


@pytest.mark.parametrize(
    "date", ["2024/13/45", "0000/00/00", "9999/99/99", "2024/02/30", "2024/6/20"]
)
def test_impossible_dates_in_article_urls(client, public_pages, date):
    """The slug finds the story; a wrong or impossible date redirects or is not found."""
    slug = public_pages["article"].rstrip("/").rsplit("/", 1)[-1]
    response = client.get(f"/{date}/{slug}/")
    assert response.status_code in (301, 404)
    if response.status_code == 301:
        assert response.headers["Location"] == public_pages["article"]


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=%ff%fe",
        "%ff=%fe",
        "%00=%00",
        "a=" + "x" * 8000,
        # WordPress-style legacy links (/?p=123) are looked up as old addresses.
        "p=%00",
        "page_id=%ff%fe",
        "cat=" + "%E2%80%AE" * 50,
    ],
)
@pytest.mark.parametrize("target", ["front", "article"])
def test_garbage_query_strings_are_ignored(client, public_pages, target, query):
    # A post's number on the front page that leads to no post is a 404 (as WordPress).
    no_such_post = target == "front" and query.startswith(("p=", "page_id="))
    expected = 404 if no_such_post else 200
    assert client.get(f"{public_pages[target]}?{query}").status_code == expected


def test_too_many_query_parameters_is_400(client, public_pages):
    # Past DATA_UPLOAD_MAX_NUMBER_FIELDS: refused as soon as the view reads ?page.
    query = "&".join(f"k{n}=v" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert client.get(f"/?{query}").status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("target", ["front", "section", "article"])
def test_reader_pages_refuse_writes(client, public_pages, method, target):
    response = getattr(client, method)(
        public_pages[target], data="<x/>", content_type="application/xml"
    )
    assert response.status_code == 405


def test_oversized_form_body_is_400(client):
    body = "username=editor&password=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        reverse("admin:login"), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_too_many_form_fields_is_400(client):
    body = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(
        reverse("admin:login"), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_broken_multipart_body_is_400(client):
    response = client.post(
        reverse("admin:login"),
        data=b"--boundary\r\nContent-Disposition: form-data; name=\r\n\r\nunterminated",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"username": "editor", "password": "correct horse"}', "application/json"),
        ("<login><username>editor</username></login>", "text/xml"),
        (b"username=\xff\xfe&password=\xc3", "application/x-www-form-urlencoded"),
        ("username=editor&password=correct horse", "text/plain"),
    ],
)
def test_wrong_content_types_do_not_log_in_or_crash(client, body, content_type):
    get_user_model().objects.create_user("editor", password="correct horse", is_staff=True)
    response = client.post(reverse("admin:login"), data=body, content_type=content_type)
    # The login form comes back with its errors: the body was not a form post.
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password"),
    [("ed\x00itor", "correct horse"), ("editor", "correct\x00horse"), ("é" * 500, "x" * 10_000)],
)
def test_hostile_credentials_are_a_failed_login_not_a_crash(client, username, password):
    """PostgreSQL cannot store NUL: nothing may reach the database (axes records failed
    attempts) before the form has refused it."""
    get_user_model().objects.create_user("editor", password="correct horse", is_staff=True)
    with override_settings(AXES_ENABLED=True):
        response = client.post(reverse("admin:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
