"""Fetching an address an editor gave us (an embed's oEmbed answer, its thumbnail), safely.

An address in a story must not make our server a proxy into its own network: a URL
naming ``127.0.0.1:6379`` (Redis), ``169.254.169.254`` (a cloud's metadata service) or
a host whose DNS answer points inside, directly or through a redirect, is refused
before anything connects. The host is resolved once, every address it resolves to
is checked, and the connection goes to the address that was checked, so a second DNS
answer (rebinding) cannot slip in between. Redirects are followed here, each hop
checked the same way; the whole fetch has one deadline, and the body is read in
chunks and refused past ``max_bytes``.

Built on http.client rather than urllib: urllib would resolve the host again when it
connects, and would go through whatever proxy the environment names.

``SAFE_FETCH_ALLOWED_ADDRESSES`` (a setting: addresses or networks) lets through
addresses the rule refuses; tests allow ``127.0.0.1`` for their providers on loopback.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """Why an address could not be fetched, in words an editor can act on."""

    transient = False  # trying again later will not help


class FetchRefused(FetchError):
    """The address is one we never fetch (a private address, a scheme other than HTTP)."""


class FetchFailed(FetchError):
    """The fetch was tried and did not work. ``transient``: trying again later may work
    (a timeout, a connection refused), as it will not for an answer that is too big."""

    def __init__(self, message, *, transient=False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str  # after redirects

    @property
    def content_type(self):
        return self.headers.get_content_type()


def allowed_networks():
    return [ipaddress.ip_network(item) for item in settings.SAFE_FETCH_ALLOWED_ADDRESSES]


def is_public(address):
    """Whether ``address`` (an ip_address) is somewhere on the internet, not in our own
    network: IPv4 inside IPv6 (mapped, 6to4) is judged as the IPv4 address it carries."""
    if address.version == 6:
        carried = address.ipv4_mapped or address.sixtofour
        if carried is not None:
            return is_public(carried)
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host, port):
    """Every address ``host`` resolves to (a literal address is its own answer)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchFailed(f"The host {host} could not be found (DNS).", transient=True) from None
    return list(dict.fromkeys(ipaddress.ip_address(answer[4][0]) for answer in answers))


def checked_address(host, port):
    """The address to connect to for ``host``: refused unless every address the host
    resolves to is public or explicitly allowed."""
    allowed = allowed_networks()
    addresses = resolve(host, port)
    for address in addresses:
        if not is_public(address) and not any(address in network for network in allowed):
            shown = host if host == str(address) else f"{host} ({address})"
            raise FetchRefused(
                f"{shown} is a private or reserved network address: addresses inside "
                "our own network are never fetched."
            )
    return str(addresses[0])


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query


def parse(url):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(f"{url} is not a valid address.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(f"Only http and https addresses are fetched, not {url}.")
    if not parts.hostname:
        raise FetchRefused(f"{url} names no host.")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("Addresses with a user name or password in them are not fetched.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], path)


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to ``address``, speaking to it as ``host`` (the Host header)."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = self.opened = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to ``address``; the certificate must be ``host``'s."""

    def __init__(self, host, port, *, address, timeout):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.opened = self.tls.wrap_socket(sock, server_hostname=self.host)


CONNECTIONS = {"http": PinnedHTTPConnection, "https": PinnedHTTPSConnection}


class Deadline:
    def __init__(self, seconds, url):
        self.seconds = seconds
        self.url = url
        self.ends = time.monotonic() + seconds

    def left(self):
        left = self.ends - time.monotonic()
        if left <= 0:
            raise self.passed()
        return left

    def passed(self):
        return FetchFailed(
            f"{self.url} did not answer within {self.seconds:g} seconds.", transient=True
        )


def read_body(conn, answer, url, max_bytes, deadline):
    too_big = FetchFailed(
        f"{url} sent more than {filesizeformat(max_bytes)}, the most we take from it."
    )
    length = answer.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise too_big
    chunks, size = [], 0
    while True:
        # The response holds the socket (conn.sock is None once the server said "close").
        conn.opened.settimeout(deadline.left())
        chunk = answer.read1(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)


def fetch_once(url, target, *, max_bytes, deadline, accept):
    address = checked_address(target.host, target.port)
    conn = CONNECTIONS[target.scheme](
        target.host, target.port, address=address, timeout=deadline.left()
    )
    headers = {
        "User-Agent": f"{settings.SITE_NAME} embeds (+{settings.SITE_URL})",
        "Accept-Encoding": "identity",
    }
    if accept:
        headers["Accept"] = accept
    try:
        conn.request("GET", target.path, headers=headers)
        answer = conn.getresponse()
        if answer.status in REDIRECTS:
            return answer.status, answer.headers, b""
        return answer.status, answer.headers, read_body(conn, answer, url, max_bytes, deadline)
    except TimeoutError:
        raise deadline.passed() from None
    except ssl.SSLError as problem:
        raise FetchFailed(f"{url} has no valid HTTPS certificate ({problem.reason}).") from None
    except (OSError, http.client.HTTPException) as problem:
        raise FetchFailed(f"{url} could not be reached ({problem}).", transient=True) from None
    finally:
        conn.close()


def fetch(url, *, max_bytes, timeout, accept=None):
    """GET ``url`` (following at most MAX_REDIRECTS redirects, each checked as the first
    address was) within ``timeout`` seconds in all, and return its Response, whatever
    its status. Raises FetchRefused or FetchFailed."""
    deadline = Deadline(timeout, url)
    for _ in range(MAX_REDIRECTS + 1):
        target = parse(url)
        status, headers, body = fetch_once(
            url, target, max_bytes=max_bytes, deadline=deadline, accept=accept
        )
        if status not in REDIRECTS:
            return Response(status, headers, body, url)
        location = headers.get("Location")
        if not location:
            raise FetchFailed(f"{url} redirects without saying where to.")
        url = urljoin(url, location.strip())
    raise FetchFailed(f"{url} redirects more than {MAX_REDIRECTS} times; we stopped following.")
