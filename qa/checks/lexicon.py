"""Word-level helpers shared by the reference-free checks: tokens with offsets, word
frequencies (``wordfreq``, cached), scripts, compound splits and near-miss spellings.

Every lookup is memoised per process, so a check pays for a word once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

# Languages whose wordfreq list is large enough (down to zipf ~1) to call a missing token a non-word.
LEXICON_LANGS = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "ru", "pl", "sv", "cs", "uk", "ca", "nb", "fi"})
# Languages with rich inflection, where a missing form is often a rare but real word.
INFLECTED_LANGS = frozenset({"ru", "pl", "cs", "uk", "fi"})
# Languages that write compounds as one word (an unknown token made of two known words is fine there).
COMPOUNDING_LANGS = frozenset({"de", "nl", "sv", "nb", "da", "fi"})
# Candidate source languages for leaked words, most likely first.
FOREIGN_LANGS = ("en", "de", "fr", "es", "it", "nl", "pt", "ru", "pl", "sv")
# Languages whose words need no normalisation beyond case folding to be looked up in wordfreq's table.
_DIRECT_LANGS = LEXICON_LANGS | set(FOREIGN_LANGS) | {"da"}


_NEEDS_TOKENIZER = frozenset({"zh", "ja"})  # wordfreq needs jieba / MeCab for these

# The writing system each language is normally written in (Unicode script names as unicodedata spells them).
_CYRILLIC_LANGS = {"ru", "uk", "bg", "mk", "sr", "be", "kk", "ky", "mn", "tg"}
_SCRIPT_LANGS = {
    "CYRILLIC": _CYRILLIC_LANGS, "GREEK": {"el"}, "ARABIC": {"ar", "fa", "ur", "ps"}, "HEBREW": {"he", "yi"},
    "CJK": {"zh", "ja"}, "HIRAGANA": {"ja"}, "KATAKANA": {"ja"}, "HANGUL": {"ko"}, "DEVANAGARI": {"hi", "mr", "ne"},
    "ARMENIAN": {"hy"}, "GEORGIAN": {"ka"}, "THAI": {"th"}, "BENGALI": {"bn"}, "TAMIL": {"ta"},
}
SCRIPT_NAMES = {
    "LATIN": "Latin", "CYRILLIC": "Cyrillic", "GREEK": "Greek", "ARABIC": "Arabic", "HEBREW": "Hebrew",
    "CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
    "DEVANAGARI": "Devanagari", "ARMENIAN": "Armenian", "GEORGIAN": "Georgian", "THAI": "Thai",
    "BENGALI": "Bengali", "TAMIL": "Tamil",
}

# A word: letters, optionally joined by apostrophes or hyphens ("don't", "l'armée", "Nagorno-Karabakh").
_WORD = regex.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")
_WORD_OR_NUMBER = regex.compile(r"[^\W_]+(?:['’\-‐.,/:][^\W_]+)*")
_CHUNK = re.compile(r"\S+")
_URLISH = re.compile(r"[@#/\\_=]|www\.|\.[a-z]{2,}|\w\.\w")
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|un|all|dell|dall|nell|sull)['’]", re.I)


@dataclass(frozen=True)
class Token:
    """A word with its offsets in the text it came from, and the whitespace-free chunk around it."""

    text: str
    start: int
    end: int
    chunk: str  # the surrounding non-space run, e.g. "F-16," for the token "F"
    first: bool  # first word of its sentence

    @property
    def lower(self) -> str:
        return normalise(self.text)

    @property
    def capitalised(self) -> bool:
        """Written with a capital, also after an elided article or preposition ("d’Umeå", "l’Una")."""
        return self.text[elided_prefix(self.text):][:1].isupper()


MAX_ELIDED = 4  # letters of an elided article, pronoun or particle before its apostrophe ("dell’", "n’", "l’")


def elided_prefix(word: str) -> int:
    """Length of the elided word that opens ``word`` with its apostrophe ("l’Una" -> 2, "dell’Aquila" -> 5,
    "n’avons" -> 2), 0 when there is none ("didn't", "O'Brien" and "aujourd'hui" keep theirs: the part after
    the apostrophe is no word of its own, or the part before is capitalised)."""
    head, sep, rest = word.replace("’", "'").partition("'")
    if not sep or not 0 < len(head) <= MAX_ELIDED or not head.islower() or len(rest) < 2:
        return 0
    return len(head) + 1


def base_lang(code: str | None) -> str:
    """``"en-GB"`` -> ``"en"``; ``"no"`` -> ``"nb"`` (wordfreq's Norwegian)."""
    code = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return {"no": "nb", "iw": "he"}.get(code, code)


def normalise(word: str) -> str:
    """Lower-case form used for lookups (typographic apostrophes and hyphens made plain)."""
    return word.replace("’", "'").replace("‐", "-").lower()


def tokens(text: str, offset: int = 0, numbers: bool = False) -> list[Token]:
    """The words of ``text`` with offsets shifted by ``offset`` (so they index the version text).

    With ``numbers``, numbers and words with digits ("146,000", "F-16") are tokens too.
    """
    pattern = _WORD_OR_NUMBER if numbers else _WORD
    out: list[Token] = []
    for chunk in _CHUNK.finditer(text):
        for match in pattern.finditer(chunk.group()):
            out.append(
                Token(match.group(), offset + chunk.start() + match.start(), offset + chunk.start() + match.end(),
                      chunk.group(), not out)
            )
    return out


def is_technical(token: Token) -> bool:
    """Codes, URLs, handles, abbreviations and model numbers: never judged as words."""
    word = token.text
    core = token.chunk.strip("()[]{}\"'«»„“”‘’.,;:!?…")
    if any(ch.isdigit() for ch in core) or _URLISH.search(core):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return True  # NATO, AFP, SU
    # camelCase / McName / iPhone: an upper-case letter after the first within one hyphen-free part
    return any(any(ch.isupper() for ch in part[1:]) for part in re.split(r"[-'’‐]", word))


@cache
def char_script(ch: str) -> str:
    """Unicode script of a letter, e.g. ``"LATIN"``, ``"CYRILLIC"``, ``"CJK"``."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "OTHER"
    first = name.split(" ", 1)[0]
    return first if first in SCRIPT_NAMES else "OTHER"


def word_script(word: str) -> str:
    """Dominant script of the letters in ``word``."""
    counts: dict[str, int] = {}
    for ch in word:
        if ch.isalpha():
            script = char_script(ch)
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "OTHER"


def language_scripts(lang: str) -> set[str]:
    """The scripts a language is written in (Latin for anything not listed)."""
    lang = base_lang(lang)
    scripts = {script for script, langs in _SCRIPT_LANGS.items() if lang in langs}
    if lang == "ko":
        scripts.add("CJK")
    return scripts or {"LATIN"}


@cache
def _frequencies(lang: str) -> dict[str, float]:
    """wordfreq's own word -> frequency table for ``lang``.

    Called with the arguments ``zipf_frequency`` passes internally, so both share wordfreq's
    cache entry: the table (up to 0.7 million words) is built once, not twice.
    """
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, "best")


COMMON_ZIPF = 3.0  # asking "is this a common word of another language?" never needs rarer words


@cache
def _common_words(lang: str) -> dict[str, float]:
    """Zipf of the words of ``lang`` at least ``COMMON_ZIPF`` frequent (a few percent of the full table,
    so checking a token against ten other languages does not build ten full tables)."""
    from wordfreq import get_frequency_list

    table: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list(lang, "best")):  # bucket i holds words at -i centibels
        value = round(9 - index / 100, 2)
        if value < COMMON_ZIPF:
            break
        table.update(dict.fromkeys(bucket, value))
    return table


@lru_cache(maxsize=200_000)
def common_zipf(word: str, lang: str) -> float:
    """``zipf(word, lang)`` when that is at least ``COMMON_ZIPF``, else 0.0 (foreign-language lookups)."""
    key = word.casefold()
    if lang in _DIRECT_LANGS:
        common = _common_words(lang)
        if key.isalpha():
            return common.get(key, 0.0)
        from wordfreq import lossy_tokenize

        # wordfreq rates a multi-token word ("l'eau", "sud-est") by 1/f = 1/f1 + 1/f2 + ..., below its
        # rarest token: the common tokens' table settles it without building the full table
        parts = lossy_tokenize(word, lang)
        if parts and not any(ch.isdigit() for part in parts for ch in part):
            if any(part not in common for part in parts):
                return 0.0
            frequency = 1.0 / sum(10 ** (9 - common[part]) for part in parts)
            frequency = round(frequency, math.floor(-math.log10(frequency)) + 3)  # wordfreq keeps 3 digits
            value = round(math.log10(frequency) + 9, 2)
            return value if value >= COMMON_ZIPF else 0.0
    value = zipf(word, lang)
    return value if value >= COMMON_ZIPF else 0.0


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang``; 0 when unknown or unsupported.

    Plain alphabetic words are looked up directly in wordfreq's table (the figure
    ``zipf_frequency`` gives, many times faster); anything else goes through wordfreq.
    """
    key = word.casefold()
    if key.isalpha() and lang in _DIRECT_LANGS:
        frequency = _frequencies(lang).get(key)
        return round(math.log10(frequency) + 9, 2) if frequency else 0.0
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, lang)
    except (LookupError, ValueError, ImportError):  # unsupported language, or zh/ja without their tokenizer
        return 0.0


@cache
def has_lexicon(lang: str) -> bool:
    from wordfreq import available_languages

    lang = base_lang(lang)
    return lang in available_languages() and lang not in _NEEDS_TOKENIZER


def word_zipf(word: str, lang: str) -> float:
    """Frequency of a written word, handling elision (``l'armée``) and hyphenated compounds.

    A hyphenated word counts as frequent as its rarest part, unless the whole is listed.
    """
    word = normalise(word)
    whole = zipf(word, lang)
    if whole > 0:
        return whole
    if "'" in word:
        if lang in {"fr", "it", "ca"} and _ELISION.match(word):
            return word_zipf(_ELISION.sub("", word), lang)
        if lang == "en" and (word.endswith("'s") or word.endswith("s'")):
            return word_zipf(word[:-2] if word.endswith("'s") else word[:-1], lang)
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1:
            return min(word_zipf(p, lang) for p in parts)
    return whole


_LINKS = {"de": ("s", "es", "n", "en", "e", "er"), "nl": ("s", "en", "e"), "sv": ("s",), "nb": ("s", "e"),
          "da": ("s", "e")}


@lru_cache(maxsize=4096)
def best_split(word: str, lang: str, min_part: int = 4, common: bool = False) -> tuple[float, tuple[str, ...]]:
    """The split of ``word`` into two known words of ``lang`` with the most frequent rarer part.

    Returns (zipf of the rarer part, parts); (0.0, ()) when no split exists. German-style
    linking letters ("Verhandlungs|partner") are allowed between the parts.  With ``common``
    only parts at least ``COMMON_ZIPF`` frequent count (enough when asking whether a word is
    a compound of *another* language, and far cheaper to load).
    """
    lookup = common_zipf if common else zipf
    word = normalise(word)
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    links = ("",) + _LINKS.get(lang, ())
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        tail_z = lookup(tail, lang)
        if tail_z <= best[0]:
            continue
        for link in links:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) < min_part:
                continue
            score = min(lookup(stem, lang), tail_z) - (0.3 if link else 0.0)
            if score > best[0]:
                best = (score, (stem, tail))
    return best


def _alphabet(lang: str) -> str:
    if base_lang(lang) in _CYRILLIC_LANGS:
        return "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"
    extra = {"de": "äöüß", "fr": "éèêëàâçîïôûùœ", "es": "áéíóúñü", "it": "àèéìòù", "pt": "áâãàçéêíóôõú",
             "nl": "éë", "sv": "åäö", "nb": "æøå", "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "ca": "àçèéíïòóúü",
             "fi": "äö"}
    return "abcdefghijklmnopqrstuvwxyz" + extra.get(base_lang(lang), "")


@lru_cache(maxsize=4096)
def nearest_word(word: str, lang: str) -> tuple[str, float]:
    """The most frequent word of ``lang`` one edit away (insert, delete, substitute, swap).

    Returns ("", 0.0) when none is listed.
    """
    word = normalise(word)
    letters = _alphabet(lang)
    candidates = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            candidates.add(head + tail[1:])
            if len(tail) > 1:
                candidates.add(head + tail[1] + tail[0] + tail[2:])
        for ch in letters:
            candidates.add(head + ch + tail)
            if tail:
                candidates.add(head + ch + tail[1:])
    candidates.discard(word)
    best = ("", 0.0)
    for cand in candidates:
        if len(cand) < 2:
            continue
        z = zipf(cand, lang)
        if z > best[1]:
            best = (cand, z)
    return best


@lru_cache(maxsize=4096)
def swapped_word(word: str, lang: str) -> tuple[str, float]:
    """The most frequent word of ``lang`` that ``word`` becomes when two neighbouring letters swap."""
    word = normalise(word)
    best = ("", 0.0)
    for i in range(len(word) - 1):
        if word[i] == word[i + 1] or not (word[i].isalpha() and word[i + 1].isalpha()):
            continue
        candidate = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        z = zipf(candidate, lang)
        if z > best[1]:
            best = (candidate, z)
    return best


_EN_PREFIXES = ("un", "re", "pre", "non", "anti", "over", "under", "mis", "dis", "counter", "co", "post", "pro",
                "semi", "sub", "super", "inter", "multi", "mid", "out", "de", "ex", "self", "micro", "macro", "mini",
                "mega", "ultra", "hyper", "neo", "pseudo", "quasi", "vice", "cyber", "eco", "geo", "bio", "tele",
                "auto", "trans", "cross", "infra", "intra", "extra", "mono", "poly", "tri", "bi")
_EN_SUFFIXES = ("ingly", "edly", "ness", "ment", "ments", "ings", "ing", "ers", "er", "est", "ed", "es", "s", "ly",
                "ist", "ists", "ism", "able", "ful", "less", "ity", "ize", "ise", "ized", "ised", "d")


@lru_cache(maxsize=4096)
def english_derivation(word: str) -> bool:
    """True when ``word`` is a known English word plus a common prefix or suffix ("humphed", "uncalculating")."""
    word = normalise(word)
    for prefix in _EN_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4 and zipf(word[len(prefix):], "en") >= 2.5:
            return True
    for suffix in _EN_SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        stems = {stem, stem + "e"}
        if stem.endswith("i"):
            stems.add(stem[:-1] + "y")
        if len(stem) > 3 and stem[-1] == stem[-2]:
            stems.add(stem[:-1])
        if any(zipf(s, "en") >= 2.0 for s in stems):
            return True
    return False
