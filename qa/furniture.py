"""News furniture: the headline, byline and dateline that every outlet rewrites in its own style.

A republication gets a new headline, "By Staff Reporter" for the agency's byline and a shorter
dateline ("UMEÅ, Nov. 20 –" for "UMEÅ, Sweden, November 20 –").  None of that is an error in the
story, and an editor does not want a name or number flag for it.  Two mechanisms, both from the
layout of agency copy rather than from any word list:

* the *masthead*: the paragraphs above the first body paragraph (one that ends like a sentence and
  is long enough to be one), i.e. headline, kicker and byline lines;
* the *dateline*: a lead that opens with a place in capitals and a dash before the first sentence.
"""

from __future__ import annotations

import re
import unicodedata

from qa.align import text_length
from qa.segment import Version

MIN_BODY_LENGTH = 40  # CJK-aware characters (qa.align.text_length) of the shortest body paragraph
_FINAL = ".!?。！？…"
_CLOSERS = "\"'”’»)]）」』"
# a dateline: up to ~60 characters on one line (abbreviation points allowed), then a dash between spaces
_DATELINE = re.compile(r"^\s*(?P<line>[^!?。\n]{2,60}?)\s+[–—-]{1,2}\s+(?=\S)")


def masthead(version: Version) -> set[int]:
    """Indices of the sentences above the first body paragraph (headline, byline, kicker lines)."""
    by_paragraph: dict[int, list[int]] = {}
    for s in version.sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s.index)
    out: set[int] = set()
    for paragraph in sorted(by_paragraph):
        idx = by_paragraph[paragraph]
        text = " ".join(version.sentences[i].text for i in idx).rstrip().rstrip(_CLOSERS)
        if text and text[-1] in _FINAL and text_length(text) >= MIN_BODY_LENGTH:
            return out
        out.update(idx)
    return set()  # no body paragraph at all: nothing is furniture


def dateline_end(text: str) -> int:
    """Length of the dateline that opens ``text`` ("UMEÅ, Sweden, Nov. 20 – "), 0 when there is none.

    A dateline starts with a word in capitals (a place as agencies print it) and ends at the first
    dash set between spaces.
    """
    match = _DATELINE.match(text)
    if not match:
        return 0
    first = re.split(r"[\s,(/]+", match.group("line").strip(), maxsplit=1)[0]
    letters = [ch for ch in first if ch.isalpha()]
    if len(letters) < 2 or not all(unicodedata.category(ch) == "Lu" for ch in letters):
        return 0
    return match.end()


def body(text: str) -> str:
    """``text`` without its dateline, in a form where quotation marks, dashes, case and spacing don't count."""
    text = text[dateline_end(text):]
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())
