"""Fetch a reading from a URL an admin typed, without letting the URL reach inside our
network.

Only http and https; every hop's host name is resolved and *every* address it resolves to
must be public (not loopback, private, link-local, unique-local, multicast, reserved,
shared or a cloud metadata address), and the connection is then made to the address that
was checked, so a second DNS answer cannot swap in another one (DNS rebinding). Redirects
are followed by hand, each hop checked the same way, up to a limit. The body is read in
chunks up to a byte limit, under a per-operation timeout and an overall deadline.

Standard library only (http.client, socket, ssl, ipaddress). No Django: limits and the
test-only address allowance are passed in by the caller.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

USER_AGENT = "Lectio reading import (an admin asked for this page)"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
# What a reading can be; everything else (images, scripts, JSON, archives) is refused.
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchRefused(Exception):
    """A URL we will not fetch, or a response we will not use; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    """The body of the final response, the URL it came from, and a file name whose
    extension matches its content type (a hint for ingest)."""

    url: str
    data: bytes
    content_type: str
    filename: str


def is_public_address(address: IPAddress) -> bool:
    """True only for addresses on the public internet."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (
            address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_loopback
        or address.is_link_local or address.is_private or address.is_unspecified
    )


def _check_address(address: IPAddress, allowed: Iterable[Network]) -> None:
    if any(address in network for network in allowed):
        return
    if not is_public_address(address):
        raise FetchRefused(
            f"Lectio does not fetch pages from {address}: it is not a public internet "
            "address (local, private, link-local or reserved addresses are refused).")


def _resolve(host: str, port: int, allowed: Iterable[Network]) -> IPAddress:
    """Every address the name resolves to must pass; the first is the one we connect to."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchRefused(f"The address {host} could not be found.") from exc
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FetchRefused(f"The address {host} could not be found.")
    for address in addresses:
        _check_address(address, allowed)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate verified for the host name."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = str(address)

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path-with-query) of a URL we may fetch."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("This is not a valid web address.") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchRefused("Only http:// and https:// addresses can be imported.")
    if not parts.hostname:
        raise FetchRefused("This web address has no host name.")
    if parts.username or parts.password:
        raise FetchRefused("Web addresses with a user name or password are not fetched.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def _read_body(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(max_bytes)
        if time.monotonic() > deadline:
            raise FetchRefused("The page took too long to arrive. Try again later, or save "
                               "the page and upload the file.")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(max_bytes: int) -> FetchRefused:
    return FetchRefused(f"The page is larger than the upload limit "
                        f"({max_bytes / (1024 * 1024):g} MB), so it was not imported.")


def _content_type(response: http.client.HTTPResponse) -> str:
    message = Message()
    message["content-type"] = response.getheader("Content-Type") or ""
    return message.get_content_type().lower() if response.getheader("Content-Type") else ""


def fetch_url(
    url: str, *, max_bytes: int, timeout: float = 10.0, max_redirects: int = 5,
    allowed_networks: Iterable[str] = (),
) -> Fetched:
    """GET ``url`` for import as a reading; raise FetchRefused with a message for the
    admin on any refusal. ``timeout`` bounds each network operation and, times three, the
    whole fetch. ``allowed_networks`` exempts networks from the public-address rule (for
    tests against a local server only; production passes none)."""
    allowed = [ipaddress.ip_network(net) for net in allowed_networks]
    deadline = time.monotonic() + 3 * timeout
    current = url.strip()
    for _hop in range(max_redirects + 1):
        if time.monotonic() > deadline:
            raise FetchRefused("The page took too long to arrive. Try again later, or save "
                               "the page and upload the file.")
        scheme, host, port, path = _target(current)
        address = _resolve(host, port, allowed)
        kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        try:
            connection.request("GET", path, headers={
                "User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                "Accept": "text/html,application/xhtml+xml,text/plain,application/pdf;q=0.9,"
                          "*/*;q=0.1",
            })
            response = connection.getresponse()
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchRefused("The page redirected without saying where to.")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The page answered {response.status} "
                                   f"({response.reason or 'error'}); nothing was imported.")
            encoding = (response.getheader("Content-Encoding") or "identity").lower()
            if encoding not in ("identity", ""):
                raise FetchRefused("The page was sent compressed in a way Lectio does not "
                                   "unpack; save the page and upload the file instead.")
            content_type = _content_type(response)
            if content_type not in CONTENT_TYPES:
                raise FetchRefused(
                    f"This address gives {content_type or 'an unnamed kind of file'}, not a "
                    "web page, text, PDF or Word file, so it cannot be a reading.")
            data = _read_body(response, max_bytes, deadline)
        except TimeoutError as exc:
            raise FetchRefused("The page took too long to answer. Try again later, or save "
                               "the page and upload the file.") from exc
        except ssl.SSLError as exc:
            raise FetchRefused("The page's secure connection could not be verified.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchRefused(f"The page could not be fetched ({type(exc).__name__}).") \
                from exc
        finally:
            connection.close()
        name = urlsplit(current).path.rsplit("/", 1)[-1] or "page"
        return Fetched(url=current, data=data, content_type=content_type,
                       filename=name.rsplit(".", 1)[0][:80] + CONTENT_TYPES[content_type])
    raise FetchRefused(f"The page redirected more than {max_redirects} times; nothing was "
                       "imported.")
