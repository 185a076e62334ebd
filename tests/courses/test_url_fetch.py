"""courses.url_fetch against a real local HTTP server: what it fetches, and every refusal
(scheme, private and metadata addresses on every hop, DNS rebinding, redirects, size,
time, content type). No database."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from courses.url_fetch import FetchRefused, fetch_url, is_public_address
from tests.courses.reading_server import ReadingServer

LOCAL = ("127.0.0.1/32",)  # the test server's address, exempted for these tests only
LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def server():
    with ReadingServer() as running:
        yield running


def fetch(url: str, **kwargs):
    options = {"max_bytes": LIMIT, "timeout": 2.0, "allowed_networks": LOCAL, **kwargs}
    return fetch_url(url, **options)


def refused(url: str, match: str, **kwargs) -> FetchRefused:
    with pytest.raises(FetchRefused, match=match) as caught:
        fetch(url, **kwargs)
    return caught.value


def test_an_article_page_is_fetched_with_its_type_and_a_matching_file_name(server):
    page = fetch(server.url("/article"))
    assert page.content_type == "text/html"
    assert page.filename == "article.html"
    assert b"The Bridges That Moved the Towns" in page.data
    assert page.url == server.url("/article")


def test_redirects_are_followed_up_to_the_limit_and_the_final_url_is_kept(server):
    page = fetch(server.url("/to/3"), max_redirects=3)
    assert page.url == server.url("/article")
    refused(server.url("/to/4"), "redirected more than 3 times", max_redirects=3)
    refused(server.url("/loop"), "redirected more than 5 times")


def test_loopback_is_refused_unless_the_test_allowance_names_it(server):
    refused(server.url("/article"), "not a public internet address", allowed_networks=())
    before = len(server.requests)
    refused(server.url("/article").replace("127.0.0.1", "localhost"), "not a public",
            allowed_networks=())
    assert len(server.requests) == before  # refused before connecting


@pytest.mark.parametrize("target", [
    "http://10.0.0.1/", "http://192.168.1.1/admin", "http://172.16.5.5/",
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/",
    "http://[::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://224.0.0.1/",
    "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://127.1.2.3:8080/",
    "http://240.0.0.1/",
])
def test_redirects_to_private_link_local_or_metadata_addresses_are_refused(server, target):
    before = len(server.requests)
    refused(server.url(f"/redirect?where={target}"), "not a public internet address")
    assert len(server.requests) == before + 1  # only the first hop reached anything


@pytest.mark.parametrize("url", [
    "ftp://example.org/a.txt", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/",
    "data:text/html,<p>hi</p>", "//example.org/", "example.org/page",
])
def test_only_http_and_https_are_fetched(url):
    refused(url, "Only http:// and https://|no host name")


def test_addresses_with_credentials_are_refused():
    refused("http://user:secret@example.org/", "user name or password")


def test_every_address_a_name_resolves_to_is_checked(monkeypatch):
    calls = []

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: calls.append(a))
    refused("http://mixed.example/", "10.0.0.5")
    assert calls == []


def test_the_connection_goes_to_the_checked_address_not_a_second_answer(server, monkeypatch):
    """DNS rebinding: the name resolves to the allowed address once, then to a private
    one. The fetch resolves once per hop and connects to the address it checked."""
    answers = iter(["127.0.0.1", "10.9.9.9", "10.9.9.9"])
    real_connect, real_resolve = socket.create_connection, socket.getaddrinfo
    connected, asked = [], []

    def resolve(host, port, *args, **kwargs):
        if host != "rebinding.example":
            return real_resolve(host, port, *args, **kwargs)
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    port = server.httpd.server_port
    page = fetch(f"http://rebinding.example:{port}/article")
    assert connected == ["127.0.0.1"] and asked == ["rebinding.example"]
    assert b"Bridges" in page.data


def test_bodies_over_the_size_limit_are_refused_declared_or_not(server):
    refused(server.url("/big"), "larger than the upload limit")
    refused(server.url("/big-undeclared"), "larger than the upload limit")


def test_a_page_slower_than_the_timeout_is_refused(server):
    refused(server.url("/slow?s=1.5"), "took too long", timeout=0.5)


@pytest.mark.parametrize(("path", "match"), [
    ("/image", "gives image/png, not a web page"),
    ("/json", "gives application/json"),
    ("/gzip", "compressed"),
    ("/missing", "answered 404"),
])
def test_unsupported_content_types_and_errors_are_refused(server, path, match):
    refused(server.url(path), match)


def test_plain_text_is_fetched_as_a_text_file(server):
    page = fetch(server.url("/text"))
    assert (page.content_type, page.filename) == ("text/plain", "text.txt")


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.1.1", False), ("169.254.169.254", False),
    ("fd00:ec2::254", False), ("::1", False), ("::ffff:10.0.0.1", False),
    ("2002:0a00:0001::", False),  # 6to4 wrapping 10.0.0.1
    ("100.64.0.1", False), ("224.0.0.251", False), ("255.255.255.255", False),
    ("192.0.2.1", False), ("198.18.0.1", False),
])
def test_public_address_rule(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


# ---------------------------------------------------------------- https


def _certificate(tmp_path, name: str):
    """A self-signed certificate for ``name`` (its own CA), as PEM files."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    import ssl

    cert, key = _certificate(tmp_path, "reading.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with ReadingServer(tls=context) as running:
        running.cert = cert
        yield running


@pytest.fixture
def reading_test_resolves_locally(monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in ("reading.test", "other.test"):
            host = "127.0.0.1"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _trust(monkeypatch, cert) -> None:
    import ssl

    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context",
                        lambda *a, **k: real(cafile=str(cert)))


def test_https_certificates_are_verified_against_the_host_name(
        tls_server, reading_test_resolves_locally, monkeypatch):
    refused(tls_server.url("/article", "reading.test"), "could not be verified")
    _trust(monkeypatch, tls_server.cert)
    page = fetch(tls_server.url("/article", "reading.test"))
    assert b"Bridges" in page.data
    # Connected to the checked address, yet the certificate must still name the host.
    refused(tls_server.url("/article", "other.test"), "could not be verified")
