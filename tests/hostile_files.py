"""Hostile inputs built in the tests and the benchmark (never committed as blobs): each returns (name, bytes)."""

from __future__ import annotations

import io
import json
import resource
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_document(paragraphs: list[str]) -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def honest_docx(paragraphs: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in DOCX_PARTS.items():
            z.writestr(name, text)
        z.writestr("word/document.xml", docx_document(paragraphs))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _deflate_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes, and its CRC-32."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    parts, crc, left = [], 0, size
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        parts.append(comp.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(comp.flush())
    return b"".join(parts), crc


def lying_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, raw deflate data, declared CRC, declared size, method) per member.

    Nothing forces the declared size or CRC to match the data: that is the point."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size, method in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0))
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(data), size,
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size_cd = out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size_cd, start, 0))
    return out.getvalue()


def docx_bomb_lying(inflated: int = 300 << 20) -> tuple[str, bytes]:
    """A .docx whose document part inflates to ``inflated`` bytes while the directory claims 2 KB."""
    members = []
    for name, text in DOCX_PARTS.items():
        raw = text.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, comp.compress(raw) + comp.flush(), zlib.crc32(raw), len(raw), 8))
    data, crc = _deflate_zeros(inflated)
    members.append(("word/document.xml", data, crc, 2048, 8))
    return "bomb.docx", lying_zip(members)


def docx_bomb_honest(inflated: int = 200 << 20) -> tuple[str, bytes]:
    """A .docx that honestly declares a document part of ``inflated`` bytes of markup-looking whitespace."""
    data, crc = _deflate_zeros(inflated)
    members = []
    for name, text in DOCX_PARTS.items():
        raw = text.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, comp.compress(raw) + comp.flush(), zlib.crc32(raw), len(raw), 8))
    members.append(("word/document.xml", data, crc, inflated, 8))
    return "honest-bomb.docx", lying_zip(members)


def docx_dense_markup(runs: int = 5_000_000) -> tuple[str, bytes]:
    """An honest .docx whose document part is 30 MB of empty runs around one sentence (a parse-tree bomb)."""
    body = "<w:p>" + "<w:r/>" * runs + "<w:r><w:t>Four crew members died.</w:t></w:r></w:p>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in DOCX_PARTS.items():
            z.writestr(name, text)
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    return "dense.docx", buf.getvalue()


def markdown_crafted(kind: str, size: int) -> tuple[str, bytes]:
    """Markdown made of one construct repeated: the inputs that made regex-based stripping quadratic."""
    unit = {
        "bold": "**a ",
        "link": "[a](",
        "brackets": "[",
        "italic": "*a _b ",
        "heading": "# " + " " * 40 + "a#",
        "images": "![a](",
        "backticks": "`a ``",
    }[kind]
    text = (unit * (size // len(unit) + 1))[:size]
    return f"{kind}.md", text.encode()


def xml_bomb() -> tuple[str, bytes]:
    """Billion laughs: entities expanding to gigabytes if the parser resolved them."""
    ents = '<!ENTITY a0 "lol lol lol lol lol lol lol lol lol lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE tmx [{ents}]><tmx version="1.4"><header srclang="en"/><body>' \
          '<tu><tuv xml:lang="en"><seg>&a9;</seg></tuv><tuv xml:lang="de"><seg>Hallo Welt.</seg></tuv></tu></body></tmx>'
    return "laughs.tmx", doc.encode()


def xliff_with_comments() -> tuple[str, bytes]:
    doc = (
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="en" target-language="de" datatype="plaintext" original="x"><body>'
        '<trans-unit id="1"><source>The fire <!-- TODO check the casualty figure --> killed four people.</source>'
        '<target>Das Feuer <!-- noch prüfen --> tötete vier Menschen.</target></trans-unit>'
        "</body></file></xliff>"
    )
    return "comments.xlf", doc.encode()


def tmx_with_comments() -> tuple[str, bytes]:
    doc = (
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" segtype="sentence"/><body>'
        '<tu><tuv xml:lang="en"><seg>Four <!-- secret reviewer note --> crew members died.</seg></tuv>'
        '<tuv xml:lang="de"><seg>Vier <!-- geheime Notiz --> Besatzungsmitglieder starben.</seg></tuv></tu>'
        "</body></tmx>"
    )
    return "comments.tmx", doc.encode()


def many_short_sentences(n: int) -> str:
    """``n`` distinct short sentences (for size limits and cost)."""
    return " ".join(f"Item {i} was counted on day {i % 28 + 1}." for i in range(n)) + "\n"


def _md_limit() -> int:
    from qa.formats import MAX_MARKDOWN_CHARS

    return MAX_MARKDOWN_CHARS


HOSTILE_UPLOADS = {
    "docx zip bomb, lying directory (300 MB)": docx_bomb_lying,
    "docx zip bomb, honest directory (200 MB)": docx_bomb_honest,
    "docx with 30 MB of empty runs (parse-tree bomb)": docx_dense_markup,
    "docx with 7 MB of empty runs (under the limit)": lambda: docx_dense_markup(1_150_000),
    "markdown bold markers at the Markdown limit": lambda: markdown_crafted("bold", _md_limit()),
    "markdown link openers at the Markdown limit": lambda: markdown_crafted("link", _md_limit()),
    "markdown brackets at the Markdown limit": lambda: markdown_crafted("brackets", _md_limit()),
    "markdown image openers at the Markdown limit": lambda: markdown_crafted("images", _md_limit()),
    "markdown headings at the Markdown limit": lambda: markdown_crafted("heading", _md_limit()),
    "markdown 2 MB brackets (over the Markdown limit)": lambda: markdown_crafted("brackets", 2_000_000),
    "TMX billion laughs": xml_bomb,
    "XLIFF with comments": xliff_with_comments,
    "binary as .txt (16 MB of zeros)": lambda: ("zeros.txt", b"\0" * 16_000_000),
    "oversized text (17 MB)": lambda: ("big.txt", b"a " * 8_500_000),
}


# --- hostile cases that are not uploads: each a callable doing the whole operation ---------------------------


def dripping_url_fetch() -> str:
    """Import a URL from a local server that sends one header byte every 50 ms (deadline 3 s)."""
    from dataclasses import replace

    from qa.fetch import fetch_url, http_transport

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    stop = threading.Event()

    def drip() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
            if stop.is_set():
                break
            try:
                conn.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    try:
        page = fetch_url(
            "http://news.example/über?q=ü", resolver=lambda h, p: ["93.184.216.34"], timeout=3.0,
            transport=lambda t, timeout, mb: http_transport(replace(t, ip="127.0.0.1", port=port), timeout, mb),
        )
        return f"ok: {len(page.text)} chars"
    finally:
        stop.set()
        server.close()


def endless_pairs() -> str:
    from qa.score_pairs import read_pairs

    return f"ok: {len(read_pairs('/dev/zero'))} pairs"


def huge_id_pairs() -> str:
    import tempfile

    from qa.score_pairs import read_pairs

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        for k in range(2000):
            fh.write('{"id": ' + "9" * 5000 + f', "src": "Pair {k}.", "tgt": "Paar {k}."}}\n')
    return f"ok: {len(read_pairs(fh.name))} pairs"


HOSTILE_OTHER = {
    "URL import from a dripping server (deadline 3 s)": dripping_url_fetch,
    "score-pairs input /dev/zero": endless_pairs,
    "score-pairs 2,000 pairs with 5,000-digit ids (10 MB)": huge_id_pairs,
}

_CHILD = """
import json, sys, time

def peak_mb():
    # VmHWM: this process's own peak resident set (ru_maxrss would carry the forking parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

from tests.hostile_files import HOSTILE_OTHER, HOSTILE_UPLOADS
from qa.errors import InputError
from qa.formats import read_upload
case = sys.argv[1]
if case in HOSTILE_UPLOADS:
    name, data = HOSTILE_UPLOADS[case]()
    run = lambda: "ok: " + ", ".join(f"{v.label} {len(v.text):,} chars" for v in read_upload(name, data))
else:
    run = HOSTILE_OTHER[case]
base = peak_mb()
start = time.perf_counter()
try:
    outcome = run()
except InputError as exc:
    outcome = "refused: " + str(exc)
print(json.dumps({"outcome": outcome, "seconds": round(time.perf_counter() - start, 3),
                  "peak_rss_mb": round(peak_mb(), 1), "rss_before_mb": round(base, 1)}))
"""


def run_case(case: str, timeout: float = 120.0, address_space: int = 1 << 30) -> dict:
    """Run one hostile case in a fresh process (address space capped); its outcome, time and peak memory."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    proc = subprocess.run([sys.executable, "-c", _CHILD, case], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap)
    if proc.returncode != 0:
        return {"outcome": f"crashed (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}",
                "seconds": None, "peak_rss_mb": None}
    return json.loads(proc.stdout.strip().splitlines()[-1])


ALL_CASES = [*HOSTILE_UPLOADS, *HOSTILE_OTHER]
