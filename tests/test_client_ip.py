"""X-Forwarded-For is believed only from DJANGO_TRUSTED_PROXIES (core/client_ip.py).

Without it, anyone who reaches the server directly could lock the editor out "from"
any address, or rotate addresses past the comment rate limit and the admin lockout.
"""

from ipaddress import ip_network

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse

from comments.models import Comment
from core.client_ip import client_ip
from tests.factories import comment_form_data, make_article

PASSWORD = "correct horse battery staple"
# The load balancer's network, and a second proxy in front of it (a CDN, say).
PROXIES = (ip_network("10.0.0.0/8"), ip_network("fd00::/8"), ip_network("192.0.2.50/32"))
STRANGER = "203.0.113.9"


def networks(*items):
    return tuple(ip_network(item) for item in items)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded_for", "expected"),
    [
        # No trusted proxy (the default): the header is never read.
        ((), "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        ((), "127.0.0.1", "198.51.100.1", "127.0.0.1"),
        # An untrusted peer's header is ignored, whatever it says.
        (PROXIES, STRANGER, "10.0.0.7", STRANGER),
        (PROXIES, STRANGER, "198.51.100.1, 10.0.0.7", STRANGER),
        # One trusted proxy: the entry it appended, and nothing the client wrote before it.
        (PROXIES, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (PROXIES, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # A chain of trusted proxies is walked back to the first address that is not one.
        (PROXIES, "10.0.0.2", "198.51.100.1, 192.0.2.50", "198.51.100.1"),
        (PROXIES, "10.0.0.2", "6.6.6.6, 198.51.100.1, 192.0.2.50, 10.1.1.1", "198.51.100.1"),
        # ...and stops there, even if the client wrote a trusted address further left.
        (PROXIES, "10.0.0.2", "10.9.9.9, 198.51.100.1", "198.51.100.1"),
        # IPv6 clients and proxies; a dual-stack socket's IPv4-mapped peer is its IPv4.
        (PROXIES, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        (PROXIES, "fd00::5", "2001:DB8:0:0::1", "2001:db8::1"),
        (PROXIES, "::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (networks("::/0"), "2001:db8::7", "198.51.100.1", "198.51.100.1"),
        # Missing or garbage: the last trusted proxy, never a forged value.
        (PROXIES, "10.0.0.2", None, "10.0.0.2"),
        (PROXIES, "10.0.0.2", "", "10.0.0.2"),
        (PROXIES, "10.0.0.2", "<script>", "10.0.0.2"),
        (PROXIES, "10.0.0.2", "1.2.3.4, ", "10.0.0.2"),
        (PROXIES, "10.0.0.2", "198.51.100.1, unknown, 192.0.2.50", "192.0.2.50"),
        # Every hop trusted: the leftmost is as far back as anyone can tell.
        (PROXIES, "10.0.0.2", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_client_ip(proxies, peer, forwarded_for, expected):
    meta = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_the_peer_is_returned_as_given_when_it_is_not_an_address():
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == ""


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        **extra,
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=PROXIES)
def test_a_forged_header_from_an_untrusted_peer_does_not_rotate_past_the_lockout(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "guess", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = log_in(client, PASSWORD, REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=PROXIES)
def test_a_forged_header_cannot_lock_the_editor_out_from_their_address(client, editor):
    office = "198.51.100.20"
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, "guess", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=office)
    # The editor, behind the load balancer, from the office.
    response = log_in(client, PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=office)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=PROXIES, COMMENT_RATE_LIMIT=2, COMMENT_RATE_WINDOW=60)
def test_a_forged_header_does_not_rotate_past_the_comment_rate_limit(
    client, django_capture_on_commit_callbacks
):
    article = make_article()
    url = reverse("comments:post", args=[article.pk])

    def post(n, **meta):
        data = comment_form_data(article, body=f"Comment number {n}")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **meta).status_code

    forged = [
        post(n, REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(4)
    ]
    assert forged == [303, 303, 429, 429]
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {STRANGER}
    # Behind the trusted proxy, the address it reports is the one counted and stored.
    assert post(9, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9") == 303
    assert Comment.objects.filter(ip_address="198.51.100.9").count() == 1
