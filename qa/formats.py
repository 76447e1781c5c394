"""Uploaded documents -> versions: .txt, .md, .html, .docx, and bilingual XLIFF / TMX files.

Plain text goes through :func:`qa.inputs.decode_text` (binary, undecodable, empty and oversized input are
refused with an :class:`~qa.errors.InputError`); HTML keeps only the article's main text (``trafilatura``
drops navigation, comment forms and ads); a .docx file gives its body paragraphs; XLIFF (1.2 and 2.x) and TMX
files are split into one version per language: the source and the target(s). Every unit of a bilingual file
becomes one paragraph line, so units stay separate sentences.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from qa.errors import InputError
from qa.inputs import MAX_BYTES, decode_text, validate_text
from qa.languages import LANGUAGE_NAMES
from qa.pipeline import VersionInput
from qa.zipguard import read_members

TEXT_EXTENSIONS = (".txt", ".text")
MARKDOWN_EXTENSIONS = (".md", ".markdown")
DOCX_MAIN_PART = "word/document.xml"
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
DOCX_EXTENSIONS = (".docx",)
XLIFF_EXTENSIONS = (".xlf", ".xliff", ".sdlxliff", ".mqxliff")
TMX_EXTENSIONS = (".tmx",)
UPLOAD_TYPES = [
    e.lstrip(".")
    for e in TEXT_EXTENSIONS + MARKDOWN_EXTENSIONS + HTML_EXTENSIONS + DOCX_EXTENSIONS + XLIFF_EXTENSIONS + TMX_EXTENSIONS
]

_UNSUPPORTED = {
    ".pdf": "PDF files are not supported; copy the text, or save the article as .txt, .html or .docx",
    ".doc": "old Word .doc files are not supported; save it as .docx",
    ".odt": "OpenDocument files are not supported; save it as .docx or .txt",
    ".rtf": "RTF files are not supported; save it as .docx or .txt",
}
# Markdown parsing runs at about 30-100 characters per millisecond on its worst inputs (runs of "[" or "!["),
# so this bounds a file's parse to about a second (a few on a loaded machine); a news article in Markdown is a
# few thousand characters
MAX_MARKDOWN_CHARS = 100_000
# inline elements of XLIFF/TMX that carry native markup codes, not text
_CODE_ELEMENTS = {"bpt", "ept", "ph", "it", "ut", "sub"}


def read_upload(name: str, data: bytes) -> list[VersionInput]:
    """Turn one uploaded file into one version (or one per language for XLIFF/TMX)."""
    suffix = PurePath(name).suffix.lower()
    stem = PurePath(name).stem or name
    if suffix in _UNSUPPORTED:
        raise InputError(f"{name}: {_UNSUPPORTED[suffix]}")
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is too large (limit {MAX_BYTES / 1e6:.0f} MB)")
    if suffix in DOCX_EXTENSIONS or (not suffix and data[:4] == b"PK\x03\x04"):
        return [VersionInput(stem, docx_text(data, name), None, name)]
    if suffix in XLIFF_EXTENSIONS:
        return xliff_versions(data, name)
    if suffix in TMX_EXTENSIONS:
        return tmx_versions(data, name)
    text = decode_text(data, name)
    head = text[:2000].lstrip().lower()
    plain = TEXT_EXTENSIONS + MARKDOWN_EXTENSIONS
    if suffix not in plain + HTML_EXTENSIONS:  # unknown extension: look at the content
        if "<xliff" in head:
            return xliff_versions(data, name)
        if "<tmx" in head:
            return tmx_versions(data, name)
    if suffix in HTML_EXTENSIONS or (suffix not in plain and _looks_like_html(head)):
        return [VersionInput(stem, html_main_text(text, name), None, name)]
    if suffix in MARKDOWN_EXTENSIONS:
        text = markdown_text(text, name)
    return [VersionInput(stem, validate_text(text, name), None, name)]


def _looks_like_html(head: str) -> bool:
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head


# ---------------------------------------------------------------- HTML


def html_main_text(html: str, name: str = "page") -> str:
    """The article's main text (paragraphs on their own lines), without navigation, comments or ads."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_links=False, include_images=False, deduplicate=True
    )
    if not text or not text.strip():
        _, text, _ = trafilatura.baseline(html)
    if not text or not text.strip():
        raise InputError(f"{name}: no readable article text found in the page")
    return validate_text(text.strip() + "\n", name)


# ---------------------------------------------------------------- Markdown

def markdown_text(text: str, name: str = "document.md") -> str:
    """Markdown -> plain text: markup removed, one line per block (paragraph, heading, list item, quote).

    Parsed with markdown-it-py (a CommonMark parser whose cost grows linearly with the input, unlike
    hand-written regular expressions on crafted emphasis or link runs); inline HTML tags are dropped, an
    image keeps its alt text, code keeps its content.
    """
    from markdown_it import MarkdownIt

    if len(text) > MAX_MARKDOWN_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters is too long for a Markdown file (limit {MAX_MARKDOWN_CHARS:,}); "
            "save it as .txt to analyse it as plain text"
        )
    lines: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            lines.append(_markdown_inline(token.children or []))
        elif token.type in ("fence", "code_block", "html_block"):
            lines.extend(token.content.splitlines())
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _markdown_inline(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(child.content)  # the alt text
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


# ---------------------------------------------------------------- .docx


def docx_text(data: bytes, name: str = "document.docx") -> str:
    """The body paragraphs of a Word .docx file, one per line (table cells included, in order).

    Every member is inflated in chunks against a byte counter (:mod:`qa.zipguard`); the document part is then
    parsed as a stream of events (:class:`_DocxParagraphs`), so memory stays that of the text."""
    from lxml import etree

    xml = read_members(data, name, {DOCX_MAIN_PART})[DOCX_MAIN_PART]
    try:
        lines = _docx_lines(xml)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: the .docx file is damaged and cannot be read ({exc.msg})") from exc
    text = "\n".join(line for line in lines if line.strip())
    return validate_text(text + "\n" if text else "", name)


def _docx_lines(xml: bytes) -> list[str]:
    """One line per paragraph that is a body block or inside a body-level table; tabs and breaks are spaces."""
    from lxml import etree

    collector = _DocxParagraphs()
    parser = etree.XMLParser(target=collector, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    etree.fromstring(xml, parser)
    return collector.lines


class _DocxParagraphs:
    """An lxml parser target: sees the document as a stream of tags and text and keeps only the paragraphs'
    text, so no tree is built however much markup the file holds (a tree of 30 MB of empty runs took 700 MB)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.path: list[str] = []  # local names of the open elements
        self.paragraph: list[str] | None = None  # text of the open outermost paragraph
        self.opened_at = 0
        self.in_text = False

    def start(self, tag: str, attrib) -> None:
        local = _local(tag)
        self.path.append(local)
        if self.paragraph is not None:
            if local == "t":
                self.in_text = True
            elif local in ("tab", "br"):
                self.paragraph.append(" ")
        elif local == "p" and _docx_body_block(self.path):
            self.paragraph, self.opened_at = [], len(self.path)

    def data(self, text: str) -> None:
        if self.in_text and self.paragraph is not None:
            self.paragraph.append(text)

    def end(self, tag: str) -> None:
        local = self.path.pop() if self.path else ""
        if local == "t":
            self.in_text = False
        elif local == "p" and self.paragraph is not None and len(self.path) + 1 == self.opened_at:
            self.lines.append("".join(self.paragraph).strip())
            self.paragraph = None

    def close(self) -> list[str]:
        return self.lines


def _docx_body_block(path: list[str]) -> bool:
    """Whether an element at ``path`` sits in a paragraph or a table directly under the document body."""
    if "body" not in path:
        return False
    below = path[path.index("body") + 1 :]
    return bool(below) and below[0] in ("p", "tbl")


# ---------------------------------------------------------------- XML (XLIFF, TMX)


def _parse_xml(data: bytes, name: str):
    from lxml import etree

    decode_text(data, name)  # binary / empty / oversized / undecodable input: a clear message first
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: is not well-formed XML ({exc.msg})") from exc


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _inline_text(element) -> str:
    """Text of a segment element, skipping native-code inline elements (placeholders, tags)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) not in _CODE_ELEMENTS:  # comments, PIs: no text
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _file_lang(code: str | None) -> str | None:
    """A language code from a file attribute: the base code when the tool knows it, else None (detect)."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGE_NAMES else None


def _versions_by_language(
    name: str, columns: dict[str, list[str]], order: list[str], roles: dict[str, str]
) -> list[VersionInput]:
    stem = PurePath(name).stem or name
    out = []
    for key in order:
        lines = [line for line in columns[key] if line.strip()]
        if not lines:
            continue
        lang_code = key.split(":", 1)[1] if ":" in key else ""
        label = f"{stem} ({lang_code or roles.get(key, key)})"
        out.append(VersionInput(label, validate_text("\n".join(lines) + "\n", label), _file_lang(lang_code), name))
    if not out:
        raise InputError(f"{name}: holds no text segments")
    return out


def xliff_versions(data: bytes, name: str = "file.xlf") -> list[VersionInput]:
    """An XLIFF 1.2 or 2.x file -> the source version and the target version (one per target language)."""
    root = _parse_xml(data, name)
    if _local(root.tag) != "xliff":
        raise InputError(f"{name}: is not an XLIFF file (root element <{_local(root.tag)}>)")
    columns: dict[str, list[str]] = {}
    order: list[str] = []
    roles: dict[str, str] = {}

    def add(key: str, role: str, text: str) -> None:
        if key not in columns:
            columns[key], roles[key] = [], role
            order.append(key)
        columns[key].append(text)

    files = [el for el in root.iter() if _local(el.tag) == "file"] or [root]
    for file_el in files:
        src_lang = file_el.get("source-language") or root.get("srcLang") or ""
        tgt_lang = file_el.get("target-language") or root.get("trgLang") or ""
        src_key, tgt_key = f"source:{src_lang}", f"target:{tgt_lang}"
        for unit in file_el.iter():
            kind = _local(unit.tag)
            if kind == "trans-unit" and unit.get("translate", "yes") != "no":  # XLIFF 1.2
                source = next((c for c in unit if _local(c.tag) == "source"), None)
                target = next((c for c in unit if _local(c.tag) == "target"), None)
                if source is not None:
                    add(src_key, "source", _inline_text(source))
                    add(tgt_key, "target", _inline_text(target) if target is not None else "")
            elif kind == "unit" and unit.get("translate", "yes") != "no":  # XLIFF 2.x: segments in order
                src_parts, tgt_parts = [], []
                for seg in unit:
                    if _local(seg.tag) not in ("segment", "ignorable"):
                        continue
                    for c in seg:
                        if _local(c.tag) == "source":
                            src_parts.append(_inline_text(c))
                        elif _local(c.tag) == "target":
                            tgt_parts.append(_inline_text(c))
                add(src_key, "source", " ".join(p for p in src_parts if p))
                add(tgt_key, "target", " ".join(p for p in tgt_parts if p))
    return _versions_by_language(name, columns, order, roles)


def tmx_versions(data: bytes, name: str = "memory.tmx") -> list[VersionInput]:
    """A TMX file -> one version per language, the header's source language first."""
    root = _parse_xml(data, name)
    if _local(root.tag) != "tmx":
        raise InputError(f"{name}: is not a TMX file (root element <{_local(root.tag)}>)")
    header = next((el for el in root if _local(el.tag) == "header"), None)
    srclang = (header.get("srclang") if header is not None else "") or ""
    columns: dict[str, list[str]] = {}
    order: list[str] = []
    tus = [el for el in root.iter() if _local(el.tag) == "tu"]
    for tu in tus:
        for tuv in tu:
            if _local(tuv.tag) != "tuv":
                continue
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang") or "und"
            key = f"tmx:{lang.strip().lower()}"
            if key not in columns:
                columns[key] = []
                order.append(key)
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            columns[key].append(_inline_text(seg) if seg is not None else "")
    if srclang and srclang != "*all*":
        order.sort(key=lambda k: k.split(":", 1)[1].lower() != srclang.lower())
    return _versions_by_language(name, columns, order, {})


# ---------------------------------------------------------------- files by content (the CLI)

FORMATS = ("text", "markdown", "html", "docx", "xliff", "tmx")


def sniff_format(name: str, data: bytes) -> str:
    """Which of :data:`FORMATS` ``data`` is, judged by its content first and its extension second.

    A zip holding ``word/document.xml`` is a .docx, an XML document whose root is ``<xliff>`` or ``<tmx>`` is
    XLIFF or TMX, a page with an HTML doctype, ``<html>`` or ``<body>`` is HTML, whatever the file is called;
    Markdown cannot be told from plain text by content, so it is recognised by its extension.
    """
    suffix = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            pass  # a damaged archive: the extension decides, and the reader refuses it with a clear message
        return "docx" if suffix in DOCX_EXTENSIONS else "text"  # text: refused as binary with a clear message
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head_text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
    root = re.search(r"<(?![?!])([\w:.-]+)", re.sub(r"<!--.*?-->", "", head_text, flags=re.S))
    root_name = root.group(1).rsplit(":", 1)[-1] if root else ""
    if root_name in ("xliff", "tmx"):
        return root_name
    if _looks_like_html(head_text) or root_name == "html":
        return "html"
    if suffix in MARKDOWN_EXTENSIONS:
        return "markdown"
    if suffix in HTML_EXTENSIONS and head_text.startswith("<"):
        return "html"
    return "text"


def read_document(path: str) -> list[VersionInput]:
    """The version(s) in the file at ``path`` (see :func:`read_document_bytes`)."""
    from qa.inputs import read_file_bytes

    data = read_file_bytes(path, MAX_BYTES)
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: more than {MAX_BYTES / 1e6:.0f} MB is too large for a news report")
    return read_document_bytes(path, data)


def read_document_bytes(name: str, data: bytes) -> list[VersionInput]:
    """The version(s) in a file's bytes, its format found by :func:`sniff_format` (one per language for XLIFF and
    TMX); raises :class:`InputError` with a one-line reason. The app's uploads and the CLI both read this way."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _UNSUPPORTED:
        raise InputError(f"{name}: {_UNSUPPORTED[suffix]}")
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is too large (limit {MAX_BYTES / 1e6:.0f} MB)")
    kind = sniff_format(name, data)
    stem = PurePath(name).stem or name
    if kind == "docx":
        return [VersionInput(stem, docx_text(data, name), None, name)]
    if kind == "xliff":
        return xliff_versions(data, name)
    if kind == "tmx":
        return tmx_versions(data, name)
    text = decode_text(data, name)
    if kind == "html":
        text = html_main_text(text, name)
    elif kind == "markdown":
        text = validate_text(markdown_text(text), name)
    return [VersionInput(stem, text, None, name)]
