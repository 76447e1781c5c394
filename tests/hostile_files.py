"""Hostile inputs built in the tests and the benchmark (never committed as blobs): each returns (name, bytes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

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


HOSTILE_UPLOADS = {
    "docx zip bomb, lying directory (300 MB)": docx_bomb_lying,
    "docx zip bomb, honest directory (200 MB)": docx_bomb_honest,
    "markdown 150 KB bold markers": lambda: markdown_crafted("bold", 150_000),
    "markdown 150 KB link openers": lambda: markdown_crafted("link", 150_000),
    "markdown 150 KB brackets": lambda: markdown_crafted("brackets", 150_000),
    "markdown 150 KB image openers": lambda: markdown_crafted("images", 150_000),
    "markdown 150 KB headings": lambda: markdown_crafted("heading", 150_000),
    "markdown 2 MB brackets (over the Markdown limit)": lambda: markdown_crafted("brackets", 2_000_000),
    "TMX billion laughs": xml_bomb,
    "XLIFF with comments": xliff_with_comments,
    "binary as .txt (16 MB of zeros)": lambda: ("zeros.txt", b"\0" * 16_000_000),
    "oversized text (17 MB)": lambda: ("big.txt", b"a " * 8_500_000),
}
