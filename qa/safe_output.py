"""Untrusted text on its way out: CSV cells a spreadsheet will not run, XML a parser will accept, JSON that is JSON.

Article text, version labels and ids come from users and scraped pages, so every export passes them through here:

* :func:`csv_cell`: OWASP's CSV-injection guidance. A cell whose first character a spreadsheet reads as the
  start of a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return, or their full-width forms, which some
  spreadsheets fold to ASCII) gets a leading single quote, so it shows as text; :func:`csv_text` writes every
  field quoted, so separators and quotes inside a cell cannot start a new one.
* :func:`xml_text`: replaces what XML 1.0 cannot carry even escaped (C0 controls other than tab, newline and
  carriage return; lone surrogates; U+FFFE and U+FFFF) with U+FFFD, so a reader sees where something was.
  Applied to a whole serialised document it cleans every attribute and every text node at once, since markup
  itself never holds such characters.
* :func:`json_line`: one JSON value per line that strict parsers accept: no NaN or Infinity; lone surrogates
  (which UTF-8 cannot encode) and U+0085, U+2028, U+2029 (line breaks to some readers) written as ``\\uXXXX``
  escapes, so the value round-trips exactly and the line stays one line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

# first characters a spreadsheet treats as a formula (OWASP CSV injection), with their full-width forms
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# escaped in JSON lines: lone surrogates (UTF-8 cannot hold them) and the line separators that readers
# splitting on Unicode line breaks (Python's str.splitlines) would cut a line at
_LINE_UNSAFE = re.compile("[\ud800-\udfff\x85\u2028\u2029]")


def csv_cell(value: object) -> object:
    """``value`` made safe to open in a spreadsheet: text that would start a formula is prefixed with ``'``."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document: every field quoted, every text cell passed through :func:`csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(without_surrogates(v)) if isinstance(v, str) else v for v in row])
    return buf.getvalue()


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 forbids (it cannot be escaped) replaced by U+FFFD."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (unencodable in UTF-8) replaced by U+FFFD, one for one (offsets stay)."""
    return _SURROGATE.sub("\ufffd", text)


def json_line(value: object) -> str:
    """``value`` as one line of strict JSON; raises ``ValueError`` on NaN or Infinity (callers clean ids first)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _LINE_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["FORMULA_STARTS", "csv_cell", "csv_text", "json_line", "without_surrogates", "xml_text"]
