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

TEXT_EXTENSIONS = (".txt", ".text")
MARKDOWN_EXTENSIONS = (".md", ".markdown")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
DOCX_EXTENSIONS = (".docx",)
XLIFF_EXTENSIONS = (".xlf", ".xliff", ".sdlxliff", ".mqxliff")
TMX_EXTENSIONS = (".tmx",)
UPLOAD_TYPES = [
    e.lstrip(".")
    for e in TEXT_EXTENSIONS + MARKDOWN_EXTENSIONS + HTML_EXTENSIONS + DOCX_EXTENSIONS + XLIFF_EXTENSIONS + TMX_EXTENSIONS
]
MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024  # a zip bomb guard; real articles are far below

_UNSUPPORTED = {
    ".pdf": "PDF files are not supported; copy the text, or save the article as .txt, .html or .docx",
    ".doc": "old Word .doc files are not supported; save it as .docx",
    ".odt": "OpenDocument files are not supported; save it as .docx or .txt",
    ".rtf": "RTF files are not supported; save it as .docx or .txt",
}
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
        text = markdown_text(text)
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

_MD_RULES = [
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fence lines
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s{0,3}[-*+]\s+", re.M), ""),  # bullets
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])"), r"\1"),  # italics with *
    (re.compile(r"(?<!\w)_(\S(?:[^_]*?\S)?)_(?!\w)"), r"\1"),  # italics with _
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]


def markdown_text(text: str) -> str:
    """Markdown -> plain text: markup removed, the words and line structure kept."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


# ---------------------------------------------------------------- .docx


def docx_text(data: bytes, name: str = "document.docx") -> str:
    """The body paragraphs of a Word .docx file, one per line (table cells included, in order)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNCOMPRESSED:
                raise InputError(f"{name}: the document unpacks to more than {MAX_DOCX_UNCOMPRESSED // 2**20} MB")
            if "word/document.xml" not in archive.namelist():
                raise InputError(f"{name}: is not a Word .docx document")
    except zipfile.BadZipFile as exc:
        raise InputError(f"{name}: is not a valid .docx file (not a zip archive)") from exc
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}: is not a valid .docx file ({type(exc).__name__})") from exc
    except Exception as exc:  # lxml syntax errors and the like: a damaged document
        raise InputError(f"{name}: the .docx file is damaged and cannot be read") from exc
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph_text(block))
        elif tag == "tbl":
            for para in block.iter("{*}p"):
                lines.append(_docx_paragraph_text(para))
    text = "\n".join(line for line in lines if line.strip())
    return validate_text(text + "\n" if text else "", name)


def _docx_paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter("{*}t", "{*}tab", "{*}br"):
        local = node.tag.rsplit("}", 1)[-1]
        parts.append(node.text or "" if local == "t" else " ")
    return "".join(parts).strip()


# ---------------------------------------------------------------- XML (XLIFF, TMX)


def _parse_xml(data: bytes, name: str):
    from lxml import etree

    decode_text(data, name)  # binary / empty / oversized / undecodable input: a clear message first
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True)
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
        if _local(child.tag) not in _CODE_ELEMENTS:
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
        except zipfile.BadZipFile:
            pass
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
