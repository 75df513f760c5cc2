"""core.safe_fetch: an editor's address never makes our server fetch inside our network.

Refused addresses are refused before anything connects (socket.create_connection is
watched); the fake provider on loopback (tests/oembed_provider.py) answers the rest.
"""

import socket

import pytest

from core import safe_fetch
from core.safe_fetch import FetchFailed, FetchRefused, fetch
from tests.oembed_provider import MEGABYTE


@pytest.fixture
def connections(monkeypatch):
    """The addresses connected to, by every fetch of the test."""
    made = []
    connect = socket.create_connection

    def watched(address, *args, **kwargs):
        made.append(address)
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", watched)
    return made


@pytest.fixture
def dns(monkeypatch):
    """``dns["intranet.example"] = "127.0.0.1"``: what a host resolves to, for the test."""
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            family = socket.AF_INET6 if ":" in answers[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def fetched(url, **limits):
    return fetch(url, max_bytes=limits.get("max_bytes", MEGABYTE), timeout=limits.get("t", 5))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, mapped
        "http://[2002:7f00:1::]/",  # 6to4 carrying 127.0.0.1
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://224.0.0.1/",
        "http://239.255.255.250:1900/",
        "http://240.0.0.1/",
        "http://2130706433/",  # 127.0.0.1 as one number
    ],
)
def test_private_and_reserved_addresses_are_refused_without_connecting(url, connections):
    with pytest.raises(FetchRefused, match="private or reserved"):
        fetched(url)
    assert connections == []


def test_a_host_resolving_to_loopback_is_refused_without_connecting(dns, connections):
    dns["intranet.example"] = "127.0.0.1"
    with pytest.raises(FetchRefused) as refused:
        fetched("https://intranet.example/admin")
    assert str(refused.value) == (
        "intranet.example (127.0.0.1) is a private or reserved network address: "
        "addresses inside our own network are never fetched."
    )
    assert connections == []


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch, connections):
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    with pytest.raises(FetchRefused, match=r"10\.1\.2\.3"):
        fetched("http://mixed.example/")
    assert connections == []


def test_the_connection_goes_to_the_address_that_was_checked(oembed_provider, dns, connections):
    """A host is resolved once: the socket is opened to that address, and the request
    still names the host (no second lookup a rebinding DNS server could answer)."""
    dns["provider.example"] = "127.0.0.1"
    port = oembed_provider.base.rsplit(":", 1)[1]
    answer = fetched(f"http://provider.example:{port}/youtube/oembed")
    assert answer.status == 200
    assert connections == [("127.0.0.1", int(port))]
    assert oembed_provider.requests[0].headers["Host"] == f"provider.example:{port}"


def test_loopback_is_refused_unless_allowed(oembed_provider, settings, connections):
    settings.SAFE_FETCH_ALLOWED_ADDRESSES = []
    with pytest.raises(FetchRefused):
        fetched(oembed_provider.url("/youtube/oembed"))
    assert connections == [] and oembed_provider.requests == []


def test_an_allowed_address_is_fetched(oembed_provider):
    answer = fetched(oembed_provider.url("/youtube/oembed?url=x"))
    assert answer.status == 200
    assert answer.content_type == "application/json"
    assert b'"type": "video"' in answer.body
    assert answer.url == oembed_provider.url("/youtube/oembed?url=x")
    assert oembed_provider.requests[0].query == {"url": "x"}


def test_a_redirect_to_a_private_address_is_refused_without_connecting(
    oembed_provider, connections
):
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254"):
        fetched(oembed_provider.url("/hostile/to-private"))
    port = int(oembed_provider.base.rsplit(":", 1)[1])
    assert connections == [("127.0.0.1", port)]  # the allowed server, and nothing else


def test_redirects_are_followed_and_the_final_address_returned(oembed_provider):
    answer = fetched(oembed_provider.url("/redirect?to=/youtube/oembed"))
    assert answer.status == 200
    assert answer.url == oembed_provider.url("/youtube/oembed")
    assert oembed_provider.paths() == ["/redirect", "/youtube/oembed"]


def test_more_than_three_redirects_are_not_followed(oembed_provider):
    url = "/youtube/oembed"
    for _ in range(4):
        url = f"/redirect?to={url.replace('?', '%3F').replace('=', '%3D')}"
    with pytest.raises(FetchFailed, match="more than 3 times"):
        fetched(oembed_provider.url(url))
    assert oembed_provider.paths() == ["/redirect"] * 4


@pytest.mark.parametrize(
    "url, message",
    [
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "Only http and https"),
        ("ftp://example.com/", "Only http and https"),
        ("http:///nohost", "names no host"),
        ("http://user:secret@example.com/", "user name or password"),
        ("http://example.com:99999/", "not a valid address"),
    ],
)
def test_other_schemes_and_malformed_addresses_are_refused(url, message, connections):
    with pytest.raises(FetchRefused, match=message):
        fetched(url)
    assert connections == []


def test_a_body_past_the_limit_is_cut_off(oembed_provider):
    with pytest.raises(FetchFailed, match=r"more than 1\.0\sMB") as failed:
        fetched(oembed_provider.url(f"/bytes?size={3 * MEGABYTE}"))
    assert not failed.value.transient


def test_a_declared_length_past_the_limit_is_refused_before_reading(oembed_provider, monkeypatch):
    reads = []
    real = safe_fetch.http.client.HTTPResponse.read1
    monkeypatch.setattr(
        safe_fetch.http.client.HTTPResponse,
        "read1",
        lambda self, n=-1: reads.append(n) or real(self, n),
    )
    with pytest.raises(FetchFailed, match=r"more than 1\.0\sMB"):
        fetched(oembed_provider.url(f"/bytes?size={2 * MEGABYTE}&declared=yes"))
    assert reads == []


def test_a_body_within_the_limit_is_returned_whole(oembed_provider):
    answer = fetched(oembed_provider.url(f"/bytes?size={MEGABYTE}&declared=yes"))
    assert len(answer.body) == MEGABYTE


def test_a_slow_answer_times_out(oembed_provider):
    with pytest.raises(FetchFailed, match="did not answer within 0.5 seconds") as failed:
        fetched(oembed_provider.url("/slow?seconds=3"), t=0.5)
    assert failed.value.transient


def test_the_time_limit_is_for_the_whole_fetch_not_each_read(oembed_provider):
    """The trickle sends a byte every 0.2 s: no read waits long, the whole would take 8 s."""
    with pytest.raises(FetchFailed, match="did not answer within 1 seconds"):
        fetched(oembed_provider.url("/trickle"), t=1)


def test_a_closed_port_fails_as_transient(settings):
    settings.SAFE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.0/8"]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(FetchFailed, match="could not be reached") as failed:
        fetched(f"http://127.0.0.1:{port}/")
    assert failed.value.transient


def test_an_unknown_host_fails_clearly(dns, monkeypatch):
    def nowhere(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", nowhere)
    with pytest.raises(FetchFailed, match=r"The host nowhere\.example could not be found"):
        fetched("https://nowhere.example/")
