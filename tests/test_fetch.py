"""URL import: the address guard (after DNS and on every redirect), caps, offline messages; no network needed."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from qa.errors import InputError
from qa.fetch import (
    Response,
    Target,
    check_url,
    fetch_url,
    http_transport,
    import_url,
    is_public_address,
)

PUBLIC = "93.184.216.34"
PAGE = (
    b"<html><body><nav>Home | World</nav><article><h1>Tanker fire</h1>"
    b"<p>A fire on a tanker in Aktau killed four crew members on Tuesday, the emergencies ministry said.</p>"
    b"<p>The blaze broke out at about 03:40 in the engine room and burned for more than nine hours.</p>"
    b"</article><div class='comments'><h3>Leave a Reply</h3><form><p>Please enter your comment!</p></form></div>"
    b"</body></html>"
)


def resolver(table: dict[str, list[str]]):
    calls = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


class FakeTransport:
    """Serves canned responses by URL and records every request (no sockets)."""

    def __init__(self, pages: dict[str, Response]):
        self.pages = pages
        self.requests: list[Target] = []

    def __call__(self, target: Target, timeout: float, max_bytes: int) -> Response:
        self.requests.append(target)
        return self.pages[target.url]


def html(body: bytes = PAGE, **headers) -> Response:
    return Response(200, {"content-type": "text/html; charset=utf-8", **headers}, body)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "169.254.1.1",
        "0.0.0.0", "100.64.0.1", "100.100.100.200", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1",
        "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "2002:7f00:1::1", "64:ff9b::a9fe:a9fe", "ff02::1", "2001:db8::1", "not an address",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/file.txt", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("gopher://example.com/", "only http:// and https://"),
        ("https://user:secret@example.com/", "user name or password"),
        ("http://localhost:8501/", "local network"),
        ("http://metadata.google.internal/computeMetadata/v1/", "local network"),
        ("http://printer.local/", "local network"),
        ("http://127.0.0.1/", "private, local or reserved"),
        ("http://[::1]:8080/", "private, local or reserved"),
        ("http://169.254.169.254/latest/meta-data/", "private, local or reserved"),
        ("https://", "no host name"),
        ("", "enter a URL"),
        ("http://example.com:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused_before_any_request(url, message):
    transport = FakeTransport({})
    with pytest.raises(InputError, match=message):
        fetch_url(url, resolver=resolver({"example.com": [PUBLIC]}), transport=transport)
    assert transport.requests == []


@pytest.mark.parametrize("answer", [["10.0.0.7"], [PUBLIC, "127.0.0.1"], ["::ffff:192.168.0.1"], ["169.254.169.254"]])
def test_host_resolving_to_a_private_address_is_refused(answer):
    transport = FakeTransport({})
    with pytest.raises(InputError, match="private, local or reserved"):
        fetch_url("https://news.example/story", resolver=resolver({"news.example": answer}), transport=transport)
    assert transport.requests == []


def test_fetch_extracts_the_main_text_and_connects_to_the_checked_address():
    transport = FakeTransport({"https://news.example/story?id=1": html()})
    page = fetch_url("https://news.example/story?id=1", resolver=resolver({"news.example": [PUBLIC]}), transport=transport)
    assert "killed four crew members" in page.text
    assert "Please enter your comment" not in page.text and "Home" not in page.text
    assert transport.requests[0].ip == PUBLIC and transport.requests[0].host == "news.example"
    assert page.final_url == "https://news.example/story?id=1" and page.content_type == "text/html"


def test_url_without_scheme_gets_https():
    target = check_url("news.example/a", resolver({"news.example": [PUBLIC]}))
    assert (target.scheme, target.host, target.port, target.path) == ("https", "news.example", 443, "/a")


def test_every_redirect_is_checked_again():
    resolve = resolver({"news.example": [PUBLIC], "evil.example": ["192.168.0.10"]})
    transport = FakeTransport(
        {
            "https://news.example/a": Response(302, {"location": "/b"}),
            "https://news.example/b": Response(301, {"location": "http://evil.example/admin"}),
        }
    )
    with pytest.raises(InputError, match="private, local or reserved"):
        fetch_url("https://news.example/a", resolver=resolve, transport=transport)
    assert [t.url for t in transport.requests] == ["https://news.example/a", "https://news.example/b"]
    assert resolve.calls == ["news.example", "news.example", "evil.example"]


def test_redirect_to_metadata_ip_and_to_other_schemes_is_refused():
    for location, message in (
        ("http://169.254.169.254/latest/meta-data/", "private, local or reserved"),
        ("file:///etc/passwd", "only http:// and https://"),
    ):
        transport = FakeTransport({"https://news.example/": Response(307, {"location": location})})
        with pytest.raises(InputError, match=message):
            fetch_url("https://news.example/", resolver=resolver({"news.example": [PUBLIC]}), transport=transport)
        assert len(transport.requests) == 1


def test_redirects_are_followed_to_a_public_page():
    transport = FakeTransport(
        {
            "http://news.example/old": Response(301, {"location": "https://www.news.example/new"}),
            "https://www.news.example/new": html(),
        }
    )
    resolve = resolver({"news.example": [PUBLIC], "www.news.example": [PUBLIC]})
    item = import_url("http://news.example/old", resolver=resolve, transport=transport)
    assert item.label == "news.example" and item.path == "https://www.news.example/new"
    assert "killed four crew members" in item.text


def test_redirect_loops_stop():
    transport = FakeTransport({"https://news.example/": Response(302, {"location": "/"})})
    with pytest.raises(InputError, match="too many redirects"):
        fetch_url("https://news.example/", resolver=resolver({"news.example": [PUBLIC]}), transport=transport)
    assert len(transport.requests) == 6


def test_size_cap():
    big = html(b"<html><body><p>" + b"word " * 3000 + b"</p></body></html>")
    transport = FakeTransport({"https://news.example/": big})
    with pytest.raises(InputError, match="larger than"):
        fetch_url("https://news.example/", resolver=resolver({"news.example": [PUBLIC]}), transport=transport,
                  max_bytes=10_000)
    declared = FakeTransport({"https://news.example/": html(**{"content-length": "999999999"})})
    with pytest.raises(InputError, match="larger than"):
        fetch_url("https://news.example/", resolver=resolver({"news.example": [PUBLIC]}), transport=declared)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (TimeoutError("timed out"), "did not answer within"),
        (ConnectionRefusedError(111, "refused"), "refused the connection"),
        (OSError(101, "Network is unreachable"), "offline"),
    ],
)
def test_network_failures_get_a_clear_message(error, message):
    def failing(target, timeout, max_bytes):
        raise error

    with pytest.raises(InputError, match=message):
        fetch_url("https://news.example/", resolver=resolver({"news.example": [PUBLIC]}), transport=failing)


def test_offline_dns_failure_says_so():
    def offline(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(InputError, match="no network connection"):
        fetch_url("https://news.example/", resolver=offline, transport=FakeTransport({}))
    with pytest.raises(InputError, match="may be offline"):
        fetch_url("https://unknown.example/", resolver=resolver({}), transport=FakeTransport({}))


def test_http_errors_and_non_text_content():
    transport = FakeTransport(
        {
            "https://news.example/missing": Response(404, {}, b"", "Not Found"),
            "https://news.example/photo": Response(200, {"content-type": "image/jpeg"}, b"\xff\xd8"),
            "https://news.example/plain": Response(200, {"content-type": "text/plain; charset=iso-8859-1"},
                                                   "Der Brand in Aktau war gelöscht.".encode("latin-1")),
        }
    )
    resolve = resolver({"news.example": [PUBLIC]})
    with pytest.raises(InputError, match="answered 404 Not Found"):
        fetch_url("https://news.example/missing", resolver=resolve, transport=transport)
    with pytest.raises(InputError, match="image/jpeg, not a web page"):
        fetch_url("https://news.example/photo", resolver=resolve, transport=transport)
    assert fetch_url("https://news.example/plain", resolver=resolve, transport=transport).text == (
        "Der Brand in Aktau war gelöscht."
    )


def test_real_fetch_of_a_loopback_address_is_refused_without_network():
    with pytest.raises(InputError, match="private, local or reserved"):
        fetch_url("http://127.0.0.1:9/")


class _Handler(http.server.BaseHTTPRequestHandler):
    seen_hosts: list[str] = []

    def do_GET(self):  # noqa: N802
        _Handler.seen_hosts.append(self.headers.get("Host", ""))
        body = PAGE if self.path == "/page" else b"x" * 200_000
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http_transport_connects_to_the_pinned_address_and_caps_the_body():
    """The real transport, against a local server: it dials the checked IP, sends the host name, stops reading."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        target = Target("http", "news.example", port, "/page", "127.0.0.1")
        response = http_transport(target, 10.0, 1_000_000)
        assert response.status == 200 and response.body == PAGE
        assert _Handler.seen_hosts[-1] == f"news.example:{port}"
        capped = http_transport(Target("http", "news.example", port, "/big", "127.0.0.1"), 10.0, 50_000)
        assert 50_000 < len(capped.body) < 200_000
    finally:
        server.shutdown()
        server.server_close()
