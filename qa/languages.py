"""Languages: one table of codes and names, user-given languages, and script-aware identification.

The table is the Unicode CLDR data that Babel ships (pinned in requirements.txt): every language with a
two-letter ISO 639-1 code and its English name (184 languages, a superset of the ~100 the multilingual encoder
was trained on), so a user can pick any of them by code (``kk``, ``pt-BR``, ISO 639-2/3 ``kaz``), English name
(``Kazakh``) or own name (``қазақ тілі``). CLDR's likely subtags give each language its usual script
(``ka`` -> ``Geor``); :func:`identify_language` uses them to settle a text written in a script only one language
uses (Georgian, Armenian, Greek, Korean…) before any statistical guess, and restricts ``langdetect``'s guesses to
the languages of the text's script otherwise. A guess that is unsure (a low probability, a short text, or letters
the guessed language's alphabet lacks, judged from ``wordfreq``'s word list) is reported as unknown, so the app
and the CLI ask for the language rather than misfile the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from qa.errors import InputError

UNKNOWN_LANGUAGE = "und"  # the same value as qa.segment.UNKNOWN_LANGUAGE
MIN_PROBABILITY = 0.80  # langdetect's probability below which a guess is unsure
MIN_LETTERS = 20  # a text with fewer letters is too short for a statistical guess
MAX_FOREIGN_LETTERS = 0.02  # share of letters outside the guessed language's alphabet that makes a guess unsure
ALPHABET_WORDS = 5000  # the most frequent words of a language whose letters make its alphabet
# ISO 15924 codes that name a union of Unicode scripts (the standard's own definitions)
_SCRIPT_UNIONS = {"Jpan": ("Hani", "Hira", "Kana"), "Kore": ("Hang", "Hani"), "Hans": ("Hani",), "Hant": ("Hani",)}


@cache
def _names() -> dict[str, str]:
    from babel import Locale

    return {code: name for code, name in Locale("en").languages.items() if len(code) == 2 and code.isalpha()}


LANGUAGE_NAMES: dict[str, str] = _names()  # code -> English name (CLDR; about 0.1 s to load)


def base_language(code: str | None) -> str:
    """The language part of a code, lower case ("en-GB", "pt_BR" -> "en", "pt"; "" for none)."""
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def language_name(code: str | None) -> str:
    """``"de"`` or ``"de-AT"`` -> ``"German"``; unknown codes are returned as given, ``"und"`` as ``"unknown"``."""
    if not code or code == UNKNOWN_LANGUAGE:
        return "unknown"
    return LANGUAGE_NAMES.get(_canonical_code(base_language(code)) or "", code)


def script_candidates(text: str) -> list[str]:
    """The languages usually written in ``text``'s main script (names, for a message that asks)."""
    counts = script_counts(text[:5000])
    if not counts:
        return []
    return sorted(language_name(c) for c in _script_languages()[max(counts, key=counts.__getitem__)])


@cache
def _aliases() -> dict[str, str]:
    """Every accepted spelling (lower case) -> two-letter code: codes, ISO 639-2/3 aliases, English and own names."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    out: dict[str, str] = {}
    for code, name in LANGUAGE_NAMES.items():
        out[name.lower()] = code
        try:
            own = Locale.parse(code).get_display_name(code)
        except (UnknownLocaleError, ValueError):
            own = None
        if own:
            out.setdefault(own.lower(), code)
    for alias, target in get_global("language_aliases").items():
        base = base_language(target)
        if base in LANGUAGE_NAMES and len(alias) in (2, 3) and alias.isalpha() and alias not in LANGUAGE_NAMES:
            out.setdefault(alias.lower(), base)
    out.update({code: code for code in LANGUAGE_NAMES})
    return out


def _canonical_code(base: str) -> str | None:
    if base in LANGUAGE_NAMES:
        return base
    return _aliases().get(base) if len(base) in (2, 3) else None


def normalise_language(value: str | None, label: str = "input") -> str | None:
    """A user-given language (code, region variant, ISO 639-2/3 code, English or own name) -> its two-letter
    code; ``None`` or ``""`` means "detect". Raises :class:`InputError` for anything else."""
    if value is None or not value.strip():
        return None
    clean = " ".join(value.split()).lower()
    code = _canonical_code(base_language(clean)) or _aliases().get(clean)
    if code:
        return code
    raise InputError(
        f"{label}: unknown language code '{value.strip()}'; use a code such as en, de or kk, or a name such as German"
    )


def language_options() -> list[str]:
    """Every selectable code, ordered by English name (for the app's language menus)."""
    return sorted(LANGUAGE_NAMES, key=lambda c: LANGUAGE_NAMES[c].lower())


# ---------------------------------------------------------------- identification


@cache
def _script_languages() -> dict[str, frozenset[str]]:
    """Unicode script (ISO 15924) -> the table's languages usually written in it (CLDR likely subtags)."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    out: dict[str, set[str]] = {}
    for code in LANGUAGE_NAMES:
        parts = likely.get(code, "").split("_")
        if len(parts) < 2 or len(parts[1]) != 4:
            continue
        for script in _SCRIPT_UNIONS.get(parts[1], (parts[1],)):
            out.setdefault(script, set()).add(code)
    return {script: frozenset(langs) for script, langs in out.items()}


@cache
def _script_pattern(script: str):
    import regex

    try:
        return regex.compile(rf"\p{{sc={script}}}")
    except regex.error:
        return None


def script_counts(text: str) -> dict[str, int]:
    """Letters of ``text`` per Unicode script (ISO 15924 code), for the scripts the table's languages use."""
    counts = {}
    for script in _script_languages():
        pattern = _script_pattern(script)
        if pattern is not None:
            n = len(pattern.findall(text))
            if n:
                counts[script] = n
    return counts


@lru_cache(maxsize=64)
def _alphabet(lang: str) -> frozenset[str] | None:
    """The letters of ``lang``'s most frequent words (wordfreq), or ``None`` when wordfreq lacks the language."""
    from wordfreq import available_languages, top_n_list

    wf = {"no": "nb"}.get(lang, lang)
    if wf not in available_languages():
        return None
    return frozenset(ch for word in top_n_list(wf, ALPHABET_WORDS) for ch in word.lower() if ch.isalpha())


@dataclass(frozen=True)
class Identification:
    """A language guess: the code (``"und"`` when unknown), whether it can be trusted, and how it was made."""

    lang: str
    sure: bool
    how: str  # "script", "statistics" or a reason it is unsure


def identify_language(text: str) -> Identification:
    """The language of ``text``: settled by its script where only one language uses it, else by ``langdetect``
    among the script's languages; unsure guesses say so (``sure=False``)."""
    sample = text[:5000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return Identification(UNKNOWN_LANGUAGE, False, "no letters")
    counts = script_counts(sample)
    if not counts:
        return Identification(UNKNOWN_LANGUAGE, False, "a script none of the table's languages uses")
    script = max(counts, key=counts.__getitem__)
    candidates = _script_languages()[script]
    if len(candidates) == 1:
        return Identification(next(iter(candidates)), True, "script")
    guesses = [(code, p) for code, p in _langdetect(sample) if code in candidates]
    if not guesses:
        return Identification(UNKNOWN_LANGUAGE, False, f"no language of the {script} script recognised")
    code, probability = guesses[0]
    if probability < MIN_PROBABILITY:
        return Identification(code, False, f"unsure ({probability:.2f})")
    if len(letters) < MIN_LETTERS:
        return Identification(code, False, "too short")
    alphabet = _alphabet(code)
    if alphabet is not None:
        own = _script_pattern(script).findall(sample)  # letters of other scripts are quotes or names, not evidence
        foreign = sum(1 for ch in own if ch.lower() not in alphabet)
        if own and foreign / len(own) > MAX_FOREIGN_LETTERS:
            return Identification(code, False, "letters the guessed language does not use")
    return Identification(code, True, "statistics")


def _langdetect(text: str) -> list[tuple[str, float]]:
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return []
    out = []
    for item in ranked:
        code = base_language(item.lang)
        code = {"iw": "he", "jw": "jv"}.get(code, code)
        out.append((code, float(item.prob)))
    return out
