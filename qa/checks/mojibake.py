"""Mojibake: text decoded with the wrong encoding ("Kazakhstanâ€™s", "CafÃ©", "Ð¡ÐµÑ€Ð³ÐµÐ¹"),
characters lost in decoding ("�") and HTML entities left in the text ("&amp;").

``ftfy`` repairs each line; every word the repair changes is flagged with its repaired form.
Words ftfy cannot repair but its badness heuristic marks as mojibake are flagged too, with
lower confidence. Curly quotes, ligatures, widths and Unicode normalisation are left alone:
they are typography, not damage.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.segment import Version

NAME = "mojibake"
_WORD = re.compile(r"\S+")
_EDGE = "\"'“”„«»‹›()[]{}.,;:!?"
_LINE = re.compile(r"[^\n]+")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_ENTITY_AT_END = re.compile(_ENTITY.pattern + "$")


def _config():
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=True, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=False,
    )


def find_mojibake(text: str) -> list[tuple[int, int, str, float]]:
    """(start, end, message, confidence) for every damaged word of ``text``."""
    from ftfy import fix_text
    from ftfy.badness import is_bad

    config = _config()
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for line in _LINE.finditer(text):
        original = line.group()
        fixed = fix_text(original, config)
        words = [(m.start(), m.end()) for m in _WORD.finditer(original)]
        starts = [w[0] for w in words]
        if fixed != original:
            matcher = difflib.SequenceMatcher(None, original, fixed, autojunk=False)
            for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
                if op == "equal" or i1 == i2:
                    continue
                for index in {bisect_right(starts, i) - 1 for i in range(i1, i2)}:
                    if index < 0:
                        continue
                    start, end = _trim(original, *words[index])
                    word = original[start:end]
                    repaired = fix_text(word, config)
                    if repaired == word:
                        continue
                    found[(line.start() + start, line.start() + end)] = _explain(word, repaired)
        for start, end in words:
            start, end = _trim(original, start, end)
            word = original[start:end]
            key = (line.start() + start, line.start() + end)
            if key in found or not word:
                continue
            if "\ufffd" in word:
                found[key] = (f"“{word}”: a character was lost when the text was decoded (�); restore it from the source",
                              0.9)
            elif is_bad(word):
                found[key] = (f"“{word}” looks like mojibake (text decoded with the wrong encoding)", 0.6)
    return sorted((s, e, m, c) for (s, e), (m, c) in found.items())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The word without surrounding quotes and punctuation (an HTML entity keeps its semicolon)."""
    while start < end and text[start] in _EDGE:
        start += 1
    last = end
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if end < last and text[end] == ";" and _ENTITY_AT_END.search(text[start : end + 1]):
        end += 1
    return start, end


def _explain(word: str, repaired: str) -> tuple[str, float]:
    if _ENTITY.search(word):
        return f"“{word}” holds an HTML entity; it should read “{repaired}”", 0.8
    return f"“{word}” is mojibake (text decoded with the wrong encoding); it should read “{repaired}”", 0.95


def run(ctx: CheckContext) -> list[Flag]:
    """Flag every mojibake word in every version."""
    flags: list[Flag] = []
    for version in ctx.versions:
        for start, end, message, confidence in find_mojibake(version.text):
            sentence = _sentence_at(version, start)
            if sentence is None:
                continue
            flags.append(sentence_flag(ctx, version, sentence, start, end, type="mojibake", severity="minor",
                                       message=message, confidence=confidence, check=NAME))
    return flags


def _sentence_at(version: Version, position: int):
    for sentence in version.sentences:
        if sentence.start <= position < sentence.end:
            return sentence
    return None


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="text decoded with the wrong encoding, characters lost in decoding, HTML entities",
)
