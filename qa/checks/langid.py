"""Sentence-level language identification for the reference-free checks.

``foreign_language(text, lang)`` answers "is this sentence confidently written in a language
other than ``lang``?", combining three signals so short sentences, names and quotes do not
fire: the writing system (Cyrillic in an English version), ``langdetect`` (fixed seed, profiles
loaded once per process) and a word-by-word vote of ``wordfreq`` frequencies in both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.checks.lexicon import (
    base_lang,
    char_script,
    has_lexicon,
    is_technical,
    language_scripts,
    tokens,
    zipf,
)

MIN_LETTERS = 20  # fewer letters than this: too short to judge
MIN_WORDS = 5  # same-script sentences need at least this many judgeable words
MIN_PROBABILITY = 0.90  # langdetect's probability for the other language
MIN_VOTE_SHARE = 0.6  # share of words more frequent in the other language than in the version's
MIN_LOWER_VOTES = 3  # a short German sentence needs this many lower-case words that are German, none of the version's
NOUN_CAPITALISING = frozenset({"de", "lb"})  # languages that capitalise common nouns
_QUOTED = re.compile(r"[\"“„«‹‘‚「『][^\"“”„«»‹›‘’‚「」『』]{3,}[\"”“»›’‘」』]")
_SCRIPT_DEFAULT_LANG = {"CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he", "CJK": "zh",
                        "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "DEVANAGARI": "hi", "ARMENIAN": "hy",
                        "GEORGIAN": "ka", "THAI": "th", "LATIN": "en"}
_LANGDETECT_ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}


@dataclass(frozen=True)
class ForeignLanguage:
    """A sentence's language when it is not the version's: code, confidence, and how it was told."""

    lang: str
    confidence: float
    by_script: bool  # True: told by the writing system alone


@lru_cache(maxsize=8192)
def foreign_language(text: str, lang: str) -> ForeignLanguage | None:
    """The language ``text`` is written in when that is confidently not ``lang``, else None.

    Quoted passages are set aside when enough unquoted words remain, so an English sentence
    quoting a French slogan stays English.
    """
    lang = base_lang(lang)
    if not lang or lang == "und":
        return None
    unquoted = _QUOTED.sub(" ", text)
    if len(_judgeable_words(unquoted)) >= MIN_WORDS:
        text = unquoted
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    scripts: dict[str, int] = {}
    for ch in letters:
        script = char_script(ch)
        scripts[script] = scripts.get(script, 0) + 1
    dominant = max(scripts, key=scripts.__getitem__)
    share = scripts[dominant] / len(letters)
    expected = language_scripts(lang)
    if dominant not in expected and dominant != "OTHER":
        if share < 0.6:
            return None
        detected = _detect(text)
        code = detected[0] if detected and dominant in language_scripts(detected[0]) else _SCRIPT_DEFAULT_LANG.get(
            dominant, "und")
        return ForeignLanguage(code, round(min(0.99, share), 2), True)
    if dominant not in expected:
        return None
    words = _judgeable_words(text)
    if len(words) < min(MIN_WORDS, MIN_LOWER_VOTES + 1):
        return None
    detected = _detect(text)
    if detected is None:
        return None
    other, probability = detected
    if other == lang or probability < MIN_PROBABILITY or not has_lexicon(other) or not has_lexicon(lang):
        return None
    if len(words) < MIN_WORDS:
        # A short sentence: German capitalises its nouns, so "Die Reporter wurden ins Krankenhaus gebracht." has
        # few lower-case words. Its capitalised words count too when the lower-case ones all point to German.
        if other not in NOUN_CAPITALISING:
            return None
        lower_for_other = sum(1 for w in words if zipf(w, other) > zipf(w, lang) + 0.2)
        lower_for_version = sum(1 for w in words if zipf(w, lang) > zipf(w, other) + 0.2)
        if lower_for_other < MIN_LOWER_VOTES or lower_for_version:
            return None
        words = _judgeable_words(text, capitalised=True)
        if len(words) < MIN_WORDS:
            return None
    for_other = sum(1 for w in words if zipf(w, other) > zipf(w, lang) + 0.2)
    for_version = sum(1 for w in words if zipf(w, lang) > zipf(w, other) + 0.2)
    vote = for_other / len(words)
    if vote < MIN_VOTE_SHARE or for_version > len(words) * 0.25:
        return None
    return ForeignLanguage(other, round(min(0.99, 0.5 * probability + 0.5 * vote), 2), False)


def _judgeable_words(text: str, capitalised: bool = False) -> list[str]:
    """Lower-case words (and the first word) that are no code; with ``capitalised``, capitalised words too."""
    return [t.lower for t in tokens(text) if not is_technical(t) and (capitalised or not t.capitalised or t.first)]


@lru_cache(maxsize=8192)
def _detect(text: str) -> tuple[str, float] | None:
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return None
    if not ranked:
        return None
    code = _LANGDETECT_ALIASES.get(ranked[0].lang, ranked[0].lang)
    return code, float(ranked[0].prob)


# --- a sentence copied unchanged from a version in another language ------------------------------------

COPY_LEAN = 0.5  # zipf by which a word must be more frequent in one language to lean towards it
MIN_COPY_SHARE = 0.5  # share of the copy's judgeable words that must lean towards the other language


def same_text(a: str, b: str) -> bool:
    """Whether two sentences say the same words (case, punctuation and spacing aside) and have a letter."""
    from qa.checks.wordalign import canonical

    ca, cb = canonical(a)[0], canonical(b)[0]
    return bool(ca) and ca == cb and any(ch.isalpha() for ch in ca)


def copied_language(text: str, lang: str, other_lang: str) -> ForeignLanguage | None:
    """``other_lang`` when ``text``, found unchanged in a version in ``other_lang``, is written in that language
    rather than in ``lang`` (the language of the version it sits in): left untranslated, whatever its length.

    Told by the writing system when the two languages use different ones, else by a word-by-word vote of
    word frequencies; names, numbers and codes lean nowhere, so a sentence of only those is no copy."""
    lang, other_lang = base_lang(lang), base_lang(other_lang)
    if not lang or not other_lang or lang == other_lang or "und" in (lang, other_lang):
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    scripts: dict[str, int] = {}
    for ch in letters:
        script = char_script(ch)
        scripts[script] = scripts.get(script, 0) + 1
    dominant = max(scripts, key=scripts.__getitem__)
    own, others = language_scripts(lang), language_scripts(other_lang)
    words = [t for t in tokens(text) if not is_technical(t)]
    if any(ch.isupper() for ch in letters) and not any(t.text[:1].islower() for t in words):
        return None  # a cased script with no lower-case word: names ("Angela Merkel.", "Reuters")
    if dominant in others and dominant not in own:
        return ForeignLanguage(other_lang, round(min(0.95, 0.6 + 0.35 * scripts[dominant] / len(letters)), 2), True)
    if dominant in own and dominant not in others:
        return None
    if not has_lexicon(lang) or not has_lexicon(other_lang):
        return None
    judged = [t for t in words if not t.capitalised or t.first or lang in NOUN_CAPITALISING
              or other_lang in NOUN_CAPITALISING]
    if not judged:
        return None
    towards_other = sum(1 for t in judged if zipf(t.lower, other_lang) > zipf(t.lower, lang) + COPY_LEAN)
    towards_own = sum(1 for t in judged if zipf(t.lower, lang) > zipf(t.lower, other_lang) + COPY_LEAN)
    share = towards_other / len(judged)
    if towards_other == 0 or share < MIN_COPY_SHARE or towards_own >= towards_other:
        return None
    return ForeignLanguage(other_lang, round(min(0.95, 0.5 + 0.45 * share), 2), False)


def untranslated_copy(text: str, lang: str, other_text: str, other_lang: str) -> ForeignLanguage | None:
    """The language ``text`` was left in when it is ``other_text`` (of a version in ``other_lang``) unchanged."""
    if not same_text(text, other_text):
        return None
    return copied_language(text, lang, other_lang)
