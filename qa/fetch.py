"""Import a version from a URL: a safe HTTP(S) fetch and main-text extraction.

The fetch refuses anything but http and https, and any host that resolves to a loopback, private, link-local,
shared, multicast, reserved or cloud-metadata address. The check runs after DNS resolution, on every address
the name resolves to, and again on every redirect (redirects are followed by hand); the connection then goes
to the address that was checked (the name is not resolved a second time), so a DNS answer that changes between
check and connect cannot slip through. Bodies are capped in size, the whole fetch in time, and a machine
without network gets a message saying so.

``resolver`` and ``transport`` can be injected, so the guard is testable without any network.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from qa.errors import InputError
from qa.formats import html_main_text
from qa.inputs import decode_text, validate_text
from qa.pipeline import VersionInput

MAX_BYTES = 5_000_000
TIMEOUT_S = 15.0
DNS_TIMEOUT_S = 5.0
MAX_REDIRECTS = 5
USER_AGENT = "Parallax/0.1 (news version checker)"
ALLOWED_SCHEMES = {"http": 80, "https": 443}
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
BLOCKED_NAMES = ("localhost", "localhost.localdomain", "metadata", "metadata.google.internal", "instance-data")
BLOCKED_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
# addresses cloud providers serve instance metadata on (most also fall in the ranges refused below)
METADATA_ADDRESSES = {
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?")  # after IDNA: letters, digits, - _ .

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class Target:
    """One request: where to connect (``ip``) and what to ask for (``host``, ``path``)."""

    scheme: str
    host: str
    port: int
    path: str
    ip: str

    @property
    def url(self) -> str:
        default = ALLOWED_SCHEMES[self.scheme]
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}{port}{self.path}"


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    reason: str = ""


Transport = Callable[[Target, float, int], Response]


@dataclass(frozen=True)
class FetchedPage:
    url: str  # as given
    final_url: str  # after redirects
    content_type: str
    text: str  # main text, paragraphs on their own lines


# ---------------------------------------------------------------- the guard


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4 inside IPv6 forms checked too)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip in METADATA_ADDRESSES:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d reaches the IPv4 address itself
            return is_public_address(str(ip.ipv4_mapped))
        embedded = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return bool(
        ip.is_global
        and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast)
        and not (ip.is_reserved or ip.is_unspecified)
    )


def system_resolver(host: str, port: int, timeout: float = DNS_TIMEOUT_S) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), within ``timeout`` seconds.

    ``getaddrinfo`` has no timeout of its own (a slow name server holds it for its retries), so it runs in a
    daemon thread that the fetch stops waiting for at the deadline."""
    answer: list = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as exc:  # handed to the caller below
            answer.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(timeout)
    if not answer:
        raise TimeoutError(f"no answer from the name server within {timeout:.0f} s")
    if isinstance(answer[0], Exception):
        raise answer[0]
    return list(dict.fromkeys(info[4][0] for info in answer[0]))


def check_url(url: str, resolver: Resolver | None = None) -> Target:
    """Validate ``url`` and resolve its host; raise :class:`InputError` unless every address is public."""
    url = (url or "").strip()
    if not url:
        raise InputError("enter a URL starting with http:// or https://")
    if "://" not in url and not url.lower().startswith(("javascript:", "data:", "file:", "mailto:")):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"{url}: not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InputError(f"{url}: only http:// and https:// addresses can be imported")
    if parts.username or parts.password:
        raise InputError(f"{url}: addresses with a user name or password are not accepted")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise InputError(f"{url}: the address has no host name")
    try:
        host = host.encode("idna").decode("ascii") if not _is_ip_literal(host) else host
    except UnicodeError as exc:
        raise InputError(f"{url}: invalid host name") from exc
    if not _is_ip_literal(host) and not _HOST_NAME.fullmatch(host):
        raise InputError(f"{url}: invalid host name")
    if host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES):
        raise InputError(f"{url}: addresses on this machine or the local network cannot be imported")
    port = port or ALLOWED_SCHEMES[scheme]
    path = _request_path(parts.path, parts.query)
    resolve = resolver or system_resolver
    try:
        addresses = [host] if _is_ip_literal(host) else resolve(host, port)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            raise InputError(
                f"cannot find {host}: check the address; if it is right, this machine may be offline "
                "(paste the text or upload the saved page instead)"
            ) from exc
        raise InputError(
            f"cannot look up {host}: no network connection? Paste the text or upload the saved page instead"
        ) from exc
    except TimeoutError as exc:
        raise InputError(f"cannot look up {host}: {exc}; paste the text or upload the saved page instead") from exc
    except OSError as exc:
        raise InputError(f"cannot look up {host}: {exc.strerror or exc}") from exc
    except (UnicodeError, ValueError) as exc:  # a name the resolver cannot take (too long a label, ...)
        raise InputError(f"{url}: invalid host name") from exc
    if not addresses:
        raise InputError(f"cannot find {host}: the name has no addresses")
    blocked = [a for a in addresses if not is_public_address(a)]
    if blocked:
        raise InputError(
            f"{url}: {host} points to a private, local or reserved address ({blocked[0]}); only public web pages "
            "can be imported"
        )
    return Target(scheme, host, port, path, addresses[0])


# characters left as they are in a path or query: RFC 3986's unreserved and sub-delims, ":" "@" "/", and "%"
# so that an address already percent-encoded is not encoded twice
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def _request_path(path: str, query: str) -> str:
    """The request target in ASCII: non-ASCII characters (``/über``), spaces and controls percent-encoded as
    UTF-8, so the guard, the request line and the redirect that follows all see one form of the address."""
    out = quote(path or "/", safe=_PATH_SAFE, errors="surrogatepass")
    if query:
        out += "?" + quote(query, safe=_QUERY_SAFE, errors="surrogatepass")
    return out


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- transport


class _Deadline:
    """A wall-clock limit over one whole request: connect, TLS handshake, headers and body.

    A socket timeout bounds each wait for data, not the request: a server that sends one byte a second
    never trips it. At the deadline a timer thread shuts the connection's socket down, which ends whatever
    read is blocked on it; the request then raises :class:`TimeoutError`.
    """

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shutdown(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed, already checked address; the Host header still names the host."""

    def __init__(self, target: Target, timeout: float, deadline: _Deadline):
        super().__init__(target.host, target.port, timeout=timeout)
        self._ip = target.ip
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = self._deadline.watch(socket.create_connection((self._ip, self.port), self.timeout))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address, with the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float, deadline: _Deadline):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._ip = target.ip
        self._deadline = deadline

    def connect(self) -> None:
        sock = self._deadline.watch(socket.create_connection((self._ip, self.port), self.timeout))
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def http_transport(target: Target, timeout: float, max_bytes: int) -> Response:
    """One GET request to ``target.ip`` (no redirects followed); the body is read up to ``max_bytes + 1``.

    ``timeout`` bounds the whole request in wall-clock time (:class:`_Deadline`), not only each read.
    """
    deadline = _Deadline(timeout)
    try:
        response = _get(target, timeout, max_bytes, deadline)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired:
            raise TimeoutError from exc
        raise
    finally:
        deadline.cancel()
    if deadline.expired:  # the socket was cut mid-body: what arrived is not the page
        raise TimeoutError
    return response


def _get(target: Target, timeout: float, max_bytes: int, deadline: _Deadline) -> Response:
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = cls(target, timeout, deadline)
    try:
        conn.request(
            "GET",
            target.path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",
            },
        )
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        chunks, size = [], 0
        if 200 <= resp.status < 300:
            while size <= max_bytes:
                if deadline.expired:
                    raise TimeoutError
                chunk = resp.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        return Response(resp.status, headers, b"".join(chunks), resp.reason or "")
    finally:
        conn.close()


# ---------------------------------------------------------------- fetch


def fetch_url(
    url: str,
    *,
    resolver: Resolver | None = None,
    transport: Transport | None = None,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> FetchedPage:
    """Fetch ``url`` safely and extract its main text. Raises :class:`InputError` with a one-line reason."""
    send = transport or http_transport
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(max_redirects + 1):
        target = check_url(current, resolver)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InputError(f"{target.host} did not answer within {timeout:.0f} s")
        response = _send(send, target, remaining, max_bytes, timeout)
        if response.status in (301, 302, 303, 307, 308):
            location = _header_text(response.headers.get("location", "")).strip()
            if not location:
                raise InputError(f"{target.url}: redirect without a destination")
            current = urljoin(target.url, location)
            continue
        if not 200 <= response.status < 300:
            reason = f" {response.reason}" if response.reason else ""
            raise InputError(f"{target.url}: the server answered {response.status}{reason}")
        return _page(url, target, response, max_bytes)
    raise InputError(f"{url}: too many redirects (more than {max_redirects})")


def _header_text(value: str) -> str:
    """A header as sent: http.client reads headers as Latin-1, servers mostly send UTF-8 (``/über``)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _send(send: Transport, target: Target, remaining: float, max_bytes: int, timeout: float) -> Response:
    host = target.host
    try:
        return send(target, remaining, max_bytes)
    except TimeoutError as exc:
        raise InputError(f"{host} did not answer within {timeout:.0f} s; try again or paste the text") from exc
    except ConnectionRefusedError as exc:
        raise InputError(f"{host} refused the connection") from exc
    except ssl.SSLError as exc:
        raise InputError(f"{host}: the secure connection failed ({exc.reason or exc})") from exc
    except ssl.CertificateError as exc:
        raise InputError(f"{host}: the site's certificate is not valid ({exc})") from exc
    except http.client.HTTPException as exc:
        raise InputError(f"{host}: the server sent an invalid answer ({type(exc).__name__})") from exc
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
            raise InputError(
                f"cannot reach {host}: no network connection (this machine seems offline); paste the text or "
                "upload the saved page instead"
            ) from exc
        raise InputError(f"cannot reach {host}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # UnicodeError included: a request http.client cannot put on the wire
        raise InputError(f"{target.url}: the address cannot be requested ({type(exc).__name__})") from exc


def _page(url: str, target: Target, response: Response, max_bytes: int) -> FetchedPage:
    length = response.headers.get("content-length", "")
    if (length.isdigit() and int(length) > max_bytes) or len(response.body) > max_bytes:
        raise InputError(f"{target.url}: the page is larger than {max_bytes / 1e6:.0f} MB")
    content_type = response.headers.get("content-type", "text/html")
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower() or "text/html"
    if mime not in TEXT_TYPES:
        raise InputError(f"{target.url}: is {mime}, not a web page or text")
    text = _decode(response.body, params, target.url)
    main = validate_text(text, target.url) if mime == "text/plain" else html_main_text(text, target.url)
    return FetchedPage(url, target.url, mime, main)


def _decode(body: bytes, params: str, name: str) -> str:
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset and charset not in ("utf-8", "utf8"):
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return decode_text(body, name)
        return validate_text(text.replace("\r\n", "\n").replace("\r", "\n"), name)
    return decode_text(body, name)


def import_url(url: str, label: str | None = None, **options) -> VersionInput:
    """Fetch ``url`` and return its main text as a version labelled with the site's name."""
    page = fetch_url(url, **options)
    host = urlsplit(page.final_url).hostname or "web"
    host = host[4:] if host.startswith("www.") else host
    return VersionInput(label or host, page.text, None, page.final_url)
