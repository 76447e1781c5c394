"""Segmentation: text -> paragraphs -> sentences, each with character offsets.

Every :class:`Sentence` keeps ``start``/``end`` offsets into the version's original
text, so any later flag can point at an exact span (``text[start:end] == sentence.text``).
Sentence boundaries come from ``sentencex`` (rule-based, many languages); paragraphs are
lines of text (a blank line or a single newline both end a paragraph, as in wire copy
and scraped pages). Language identification: :func:`qa.languages.identify_language`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UNKNOWN_LANGUAGE = "und"
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a version: its text and where it sits in the original."""

    index: int  # 0-based position in the version
    text: str  # exactly original[start:end]
    start: int
    end: int
    paragraph: int  # 0-based paragraph number


@dataclass
class Version:
    """One version of the report (an outlet's copy, a translation, ...), segmented."""

    label: str
    text: str
    lang: str  # ISO 639-1 code in use (detected or given by the user)
    sentences: list[Sentence] = field(default_factory=list)
    detected_lang: str = UNKNOWN_LANGUAGE
    path: str | None = None

    @property
    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language (deterministic), or ``"und"`` when unknown or unsure.

    See :func:`qa.languages.identify_language`: the script settles it where only one language uses it; an unsure
    statistical guess gives ``"und"``, so callers ask for the language instead of misfiling the text.
    """
    from qa.languages import identify_language

    found = identify_language(text)
    return found.lang if found.sure else UNKNOWN_LANGUAGE


def segment_text(text: str, lang: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; paragraphs are non-empty lines."""
    from sentencex import get_sentence_boundaries

    seg_lang = lang if lang and lang != UNKNOWN_LANGUAGE else "en"
    sentences: list[Sentence] = []
    paragraph = 0
    for line in _PARAGRAPH.finditer(text):
        if not line.group().strip():
            continue
        for piece in get_sentence_boundaries(seg_lang, line.group()):
            start, end = _strip_span(line.group(), piece["start_index"], piece["end_index"])
            if start < end:
                offset = line.start()
                sentences.append(
                    Sentence(len(sentences), text[offset + start : offset + end], offset + start, offset + end, paragraph)
                )
        paragraph += 1
    return sentences


def presegmented(text: str) -> list[Sentence]:
    """One sentence per line (blank lines kept as empty sentences so line numbers hold)."""
    sentences: list[Sentence] = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        stripped = line.rstrip("\r")
        sentences.append(Sentence(i, stripped, pos, pos + len(stripped), i))
        pos += len(line) + 1
    if sentences and text.endswith("\n"):
        sentences.pop()  # the empty string after the final newline is not a line
    return sentences


def make_version(label: str, text: str, lang: str | None = None, path: str | None = None) -> Version:
    """Detect the language (unless given) and segment ``text`` into a :class:`Version`."""
    detected = detect_language(text)
    use = (lang or "").strip().lower() or detected
    return Version(label, text, use, segment_text(text, use), detected, path)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
