"""Names of people, places and organisations that differ or vanish between aligned sentences.

Name candidates are capitalised words of scripts that have case (not sentence-initial unless
rare in the language; in German, where every noun is capitalised, only rare ones), joined
into multi-word names ("Oliver Dowden").  A name is *present* in a counterpart when

* its transliteration matches a word there: every script goes to Latin with ``anyascii``,
  language-specific spellings are folded (German "sch"/"j", French "ch"/"ou"), and two forms
  match when they are close (``rapidfuzz``) or share their consonant skeleton, so Pashinyan =
  Paschinjan = Pachinian and Terter = Tartar but not Tatar; Chinese and Japanese counterparts
  are searched as one pinyin/romaji string (陈光明 -> "chenguangming");
* or, failing that, the encoder's word vectors align it confidently with a word there (a name
  translated rather than transliterated: "Südostasien" / "Southeast Asia", "ОАЭ" / "UAE").

A name here that the counterpart lacks is a changed or added name ("Name differs: Aktobe
here, Aktau in Wire (EN)"); a counterpart's name absent here has vanished ("Name missing here").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex
from anyascii import anyascii
from rapidfuzz import fuzz

from qa import wordnet
from qa.checks import numbers, wordalign
from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import (
    Cell,
    Row,
    cell_evidence,
    counterparts,
    flagged_cells,
    prepare_word_vectors,
    rows,
    version_name,
)
from qa.checks.lexicon import COMPOUNDING_LANGS, word_script
from qa.languages import base_language
from qa.places import different_places, place_ids, same_place, writes_place
from qa.quantities import calendar_words

NAME = "names"
SKELETON_MIN = 3  # consonants a transliterated name must keep to be found by its skeleton alone
ALIGN_SUPPORT = 0.68  # align-layer cosine above which a name counts as translated (dev: 1% of replaced names pass)
COMMON_SUPPORT, COMMON_ZIPF = 0.5, 4.5  # translated common-word names: weaker vector match, zipf at least
WORD_ZIPF = 3.0  # a name's head this frequent is a word of the language, which translations translate
COMPOUND_HEAD_ZIPF = 4.4  # a name word this common may be the head of a compound there ("Notsituationen")
FUZZY_MATCH = 84  # rapidfuzz ratio of the folded forms
SKELETON_MATCH = 90
CONVENTION_ROWS = 2  # an abbreviation standing for a spelled-out name in this many rows is the version's convention

_WORD = regex.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")
_CONNECTORS = {"de", "da", "del", "der", "van", "von", "den", "al", "el", "bin", "ibn", "la", "le", "du", "di", "of"}
_CASELESS = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u10a0-\u10ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "herr", "frau", "monsieur", "madame", "m", "mme", "sr", "sra", "don"}



def caseless_script(text: str) -> bool:
    """Whether ``text`` is written in a script without capital letters (so names cannot be told by case)."""
    return bool(_CASELESS.search(text))


@dataclass(frozen=True)
class NameMention:
    """A name as written in a sentence."""

    text: str
    start: int  # offsets in the version text
    end: int
    parts: tuple[str, ...]  # the words that carry it (connectors and titles dropped)
    acronym: bool


def _zipf(word: str, lang: str) -> float:
    return wordalign.zipf(word.lower(), lang)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def extract(text: str, lang: str, offset: int = 0) -> list[NameMention]:
    """The names of one sentence of language ``lang`` (offsets shifted by ``offset``)."""
    lang = (lang or "").split("-")[0].lower()
    words = _words(text)
    spans: list[list[_W]] = []
    in_calendar = _calendar_runs(words, lang)
    for k, m in enumerate(words):
        word = m.group()
        if not _is_candidate(word, lang, first=k == 0 or _starts_sentence(text, m.start())) or _in_unit(text, lang, m) \
                or k in in_calendar:
            if (
                spans and spans[-1] and word.lower() in _CONNECTORS and k + 1 < len(words)
                and _capitalised(words[k + 1].group()) and spans[-1][-1] is words[k - 1]
            ):
                spans[-1].append(m)
            continue
        if spans and spans[-1] and spans[-1][-1] is words[k - 1] and k > 0 and _adjacent(text, words[k - 1], m):
            spans[-1].append(m)
        else:
            spans.append([m])
    out = []
    for span in spans:
        while span and span[-1].group().lower() in _CONNECTORS:
            span.pop()
        parts = tuple(_POSSESSIVE.sub("", m.group()) for m in span if m.group().lower() not in _CONNECTORS | _TITLES)
        if not parts:
            continue
        start, end = span[0].start(), span[-1].end()
        acronym = all(p.isupper() and len(p) <= 6 for p in parts)
        out.append(NameMention(text[start:end], offset + start, offset + end, parts, acronym))
    return out


UNIT_REACH = 24  # characters before a word within which a number may make the word its unit


def _in_unit(text: str, lang: str, word) -> bool:
    """Whether the number reader takes ``word`` as the unit of a number ("46 degrees Celsius": CLDR writes
    Celsius with a capital); asked only when a digit stands shortly before the word."""
    if not any(ch.isdigit() for ch in text[max(0, word.start() - UNIT_REACH):word.start()]):
        return False
    return any(a <= word.start() and word.end() <= b for a, b in _unit_spans(text, lang))


@lru_cache(maxsize=20_000)
def _unit_spans(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start, m.end) for m in numbers.extract(text, lang) if m.unit is not None)


@dataclass(frozen=True, eq=False)
class _W:
    """A word with its offsets (the interface of the ``re.Match`` objects it stands for)."""

    text: str
    a: int
    b: int

    def group(self) -> str:
        return self.text

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b


_POSSESSIVE = re.compile(r"(?<=[^\W\d_]{2})['’]s?$")  # the genitive clitic: "Bangkok's" names Bangkok
_ELISION = re.compile(r"(?:[ldjmnstc]|qu|dell|all|nell|sull|dall|dell)['’](?=[^\W\d_])", re.I)


def _words(text: str) -> list[_W]:
    """The words of ``text``; an elided article or preposition ("l’", "d’", "dell’") is a word of its own."""
    out = []
    for m in _WORD.finditer(text):
        elided = _ELISION.match(m.group())
        if elided:
            out.append(_W(elided.group(), m.start(), m.start() + elided.end()))
            out.append(_W(m.group()[elided.end():], m.start() + elided.end(), m.end()))
        else:
            out.append(_W(m.group(), m.start(), m.end()))
    return out


def _adjacent(text: str, left: _W, right: _W) -> bool:
    between = text[left.end():right.start()]
    return between.strip() in {"", "-"} and "\n" not in between


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'«»„“”‘’([")
    return not before or before[-1] in ".!?:;…"


def _is_candidate(word: str, lang: str, first: bool) -> bool:
    if not _capitalised(word) or _CASELESS.search(word) or len(word) < 2 or word[-1] in "'’":
        return False
    low = word.lower()
    if low in _TITLES or _calendar_name(low, lang):
        return False
    if word.isupper() and len(word) >= 2:
        return True  # acronym
    z = _zipf(low, lang)
    if lang in {"de", "lb"}:
        # every German noun is capitalised: only rare ones that are no compound of common words can be names
        return z < 2.5 and not is_compound(low, lang, RARE_HEAD_ZIPF) and not _inflected_common(low, lang)
    if first:  # a capital that opens a sentence says nothing, unless CLDR knows the word as a place
        return z < 3.0 or bool(place_ids(word, lang))
    return z < 6.0 or z == 0.0


_LINKERS = ("", "s", "es", "n", "en", "e")
_ENDINGS = ("ern", "en", "er", "es", "n", "s", "e")


def _calendar_name(word: str, lang: str) -> bool:
    """A weekday or month name (CLDR, via :func:`qa.quantities.calendar_words`) of ``lang`` or English: a date,
    which the numbers check compares, not a name ("Donnerstag", "Mercredi", "March")."""
    for code in {lang, "en"}:
        found = calendar_words(code).get(word) if code else None
        if found is not None and found.kind in ("w", "m") and not found.abbreviated:
            return True
    return False


def _calendar_runs(words: list[_W], lang: str) -> set[int]:
    """Indexes of words that, with a neighbour, make a weekday or month name of two words ("thứ Ba",
    "Chủ Nhật": Tuesday and Sunday in Vietnamese)."""
    out: set[int] = set()
    for k in range(len(words) - 1):
        if _calendar_name(f"{words[k].group()} {words[k + 1].group()}".lower(), lang):
            out |= {k, k + 1}
    return out


def _inflected_common(word: str, lang: str) -> bool:
    """An inflected form of a common word ("ermittlern" = ermittler + n)."""
    return any(word.endswith(e) and len(word) - len(e) >= 4 and _zipf(word[: -len(e)], lang) >= 3.0 for e in _ENDINGS)
COMPOUND_PART_ZIPF = 3.3
RARE_HEAD_ZIPF = 2.5  # a German noun's first part may be a rarer word ("Backbord|seite"): names are no such compounds


@lru_cache(maxsize=50_000)
def is_compound(word: str, lang: str, head_zipf: float = COMPOUND_PART_ZIPF) -> bool:
    """Whether ``word`` (lower case) is two or more common words of ``lang`` joined, as German nouns are
    ("rohöl" = roh + öl, "fortpflanzungsgebiet" = fortpflanzung + s + gebiet).

    ``head_zipf`` is the least frequency of the first part (the later ones must be common)."""
    return len(word) >= 8 and _splits(word, lang, 0, head_zipf)


def _part(word: str, lang: str, min_zipf: float = COMPOUND_PART_ZIPF) -> bool:
    """A common word of ``lang`` (not an English word that word lists of other languages carry)."""
    z = _zipf(word, lang)
    if z < min_zipf or (len(word) < 4 and z < 4.4):
        return False
    return lang == "en" or z >= wordalign.zipf(word, "en") - 1.0


def _splits(word: str, lang: str, depth: int, head_zipf: float = COMPOUND_PART_ZIPF) -> bool:
    if depth > 3 or len(word) < 4:
        return False
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if not _part(head, lang, head_zipf):
            continue
        for linker in _LINKERS:
            if not tail.startswith(linker) or len(tail) - len(linker) < 2:
                continue
            rest = tail[len(linker):]
            if _part(rest, lang) or _splits(rest, lang, depth + 1):
                return True
    return False


# --- matching ------------------------------------------------------------------------------------

_FOLD_RULES = {
    "de": [("tsch", "ch"), ("sch", "sh"), ("ch", "kh"), ("j", "y"), ("w", "v"), ("z", "ts"), ("ie", "i")],
    "fr": [("ch", "sh"), ("ou", "u"), ("gu", "g"), ("j", "zh"), ("qu", "k"), ("ï", "i")],
    "es": [("j", "kh"), ("ll", "y"), ("qu", "k")],
    "it": [("gli", "li"), ("ch", "k")],
    "nl": [("oe", "u"), ("j", "y")],
    "pl": [("sz", "sh"), ("cz", "ch"), ("w", "v")],
}


_KANA = re.compile(r"[\u3040-\u30ff]")


def romanise(text: str, lang: str = "") -> str:
    """Latin letters for any script: anyascii, except Japanese (kana or ``lang`` ja), whose kanji pykakasi reads
    the Japanese way (岸田 -> kishida, where anyascii gives the Chinese reading).

    Mandarin readings of Chinese characters come from anyascii (博纳奇尼 -> bonaqini)."""
    if (lang or "").split("-")[0] == "ja" or _KANA.search(text):
        return "".join(item["hepburn"] for item in _kakasi().convert(text))
    return anyascii(text)


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=100_000)
def fold(word: str, lang: str = "") -> str:
    """A Latin, lower-case, letters-only form with language-specific spellings made uniform."""
    ascii_form = romanise(unicodedata.normalize("NFC", word), lang).lower()
    # at each word's start, so a whole romanised text folds as its words do: Iessenov = Yesenov = Jessenow
    ascii_form = re.sub(r"(?<![a-z])[ij](?=[aeou])", "y", ascii_form)
    ascii_form = re.sub(r"[^a-z]", "", ascii_form)
    for old, new in _FOLD_RULES.get((lang or "").split("-")[0], []):
        ascii_form = ascii_form.replace(old, new)
    return ascii_form


@lru_cache(maxsize=100_000)
def skeleton(folded: str) -> str:
    """Consonants only, doubled letters collapsed: the part of a name transliterations agree on."""
    out = folded.replace("kh", "h").replace("ph", "f").replace("ck", "k").replace("x", "ks")
    out = out.translate(str.maketrans({"c": "k", "q": "k", "z": "s", "j": "y"}))
    out = re.sub(r"[aeiouyhw]", "", out)
    return re.sub(r"(.)\1+", r"\1", out)


def same_name(a: str, b: str, lang_a: str = "", lang_b: str = "") -> bool:
    """Whether two written forms name the same (transliteration-, spelling- and inflection-tolerant)."""
    a, b = _POSSESSIVE.sub("", a), _POSSESSIVE.sub("", b)  # "Kharkiv's" names Kharkiv
    plain_a, plain_b = fold(a), fold(b)
    if plain_a and plain_a == plain_b:
        return True  # written alike: a language's spelling rules must not set them apart ("Mujkić" in French)
    if lang_a != lang_b and same_place(a, lang_a, b, lang_b):
        return True  # CLDR's names of one country or city: Sweden / Suède, Vienna / Wien
    if different_places(a, lang_a, b, lang_b):
        return False  # two CLDR places, however alike they look: Niger / Nigeria
    fa, fb = fold(a, lang_a), fold(b, lang_b)
    if not fa or not fb:
        return False
    if fa == fb or _inflected(plain_a, plain_b) or _inflected(fa, fb):
        return True
    if min(len(fa), len(fb)) <= 3:
        return False
    if fuzz.ratio(fa, fb) >= FUZZY_MATCH:
        return True
    sa, sb = skeleton(fa), skeleton(fb)
    if len(sa) < 2 or len(sb) < 2:
        return False
    # the skeleton decides only between forms that begin alike and differ by vowels or doubled letters; across
    # languages "alike" is read on the skeleton's letters (Corinth / Κόρινθο: c and k)
    alike = fa[0] == fb[0] or (lang_a != lang_b and sa[0] == sb[0])
    return alike and (sa == sb or (len(sa) >= 4 and fuzz.ratio(sa, sb) >= SKELETON_MATCH))


MIN_STEM = 4  # letters a name keeps before an inflectional ending for the ending to be told apart
MIN_ENDING, MAX_ENDING = 2, 4  # letters a case ending adds ("Wrocławiem", "Suwałkach"); one is another name
# ("Maria" / "Mario", "Paris" / "Parisa")
_POSSESSIVE = re.compile(r"['’]s$")


def _inflected(x: str, y: str) -> bool:
    """Whether the longer folded form is the shorter one, less a final vowel, with a short ending: the same
    name in another grammatical case ("odesa" / "odeskoi", "wroclaw" / "wroclawiu")."""
    short, long_ = sorted((x, y), key=len)
    stem = short[:-1] if short[-1:] in "aeiouy" else short
    return len(stem) >= MIN_STEM and long_.startswith(stem) and MIN_ENDING <= len(long_) - len(stem) <= MAX_ENDING


MIN_LINK_LETTERS = 4  # a name spelled in fewer Latin letters is too short to find inside another script's word
LINKED_COSINE = 0.9  # the align-layer cosine a name spelled alike in two scripts counts as (a good counterpart)


def transliteration_links(src: wordalign.TextVectors, tgt: wordalign.TextVectors, src_lang: str,
                          tgt_lang: str) -> list[tuple[int, int]]:
    """(target word, source word) index pairs where a name written in Latin letters on one side is the same
    name in another script on the other ("Chen Guangming" / 陈 光明, "Putin" / Путин), found through
    romanisation (:func:`fold`, :func:`same_name`), not through the word vectors, which link names across
    scripts poorly. In Chinese or Japanese a name may span several tokens, or share one with other words."""
    src_scripts = [word_script(src.text[w.start:w.end]) for w in src.words]
    tgt_scripts = [word_script(tgt.text[w.start:w.end]) for w in tgt.words]
    if set(src_scripts) - {"OTHER"} == set(tgt_scripts) - {"OTHER"}:
        return _folded_links(src, tgt, src_lang, tgt_lang)  # one script: only spellings that marks set apart
    src_latin = [script in ("LATIN", "OTHER") for script in src_scripts]  # digits and signs are no other script
    tgt_latin = [script in ("LATIN", "OTHER") for script in tgt_scripts]
    forward = sum(tgt_latin) >= sum(src_latin)  # names in Latin letters are on the target side
    latin, other = (tgt, src) if forward else (src, tgt)
    latin_lang, other_lang = (tgt_lang, src_lang) if forward else (src_lang, tgt_lang)
    latin_flags, other_flags = (tgt_latin, src_latin) if forward else (src_latin, tgt_latin)
    spans = _foreign_spans(other, other_flags, other_lang)
    out: set[tuple[int, int]] = set()
    linked: set[int] = set()
    for run in sorted(_capitalised_runs(latin, latin_flags), key=len, reverse=True):
        if linked.issuperset(run):
            continue  # a longer name holding these words is linked already
        words = [latin.text[latin.words[i].start:latin.words[i].end] for i in run]
        spelled = "".join(fold(w, latin_lang) for w in words)
        if len(spelled) < MIN_LINK_LETTERS:
            continue
        best: tuple[float, int, list[int]] | None = None
        for members, written, folded, caseless in spans:
            if caseless:
                within = len(members) == 1 and len(written) > 1 and (folded.startswith(spelled) or folded.endswith(spelled))
                if spelled == folded or within:
                    score = 100.0  # 陈光明 -> chenguangming; 习近平总书记 -> xijinping + zongshuji
                elif len(spelled) >= 2 * MIN_LINK_LETTERS and abs(len(spelled) - len(folded)) <= 1:
                    score = fuzz.ratio(spelled, folded)  # another reading of one character: 重庆 zhongqing
                else:
                    continue
            elif len(run) == 1 and len(members) == 1 and same_name(words[0], written, latin_lang, other_lang):
                score = 100.0  # a word of an alphabet (Cyrillic, Greek, Devanagari): one name, one word
            else:
                continue
            if score >= FUZZY_MATCH and (best is None or (score, -len(members)) > (best[0], best[1])):
                best = (score, -len(members), members)
        if best is not None:
            linked.update(run)
            out.update((i, j) if forward else (j, i) for i in run for j in best[2])
    return sorted(out)


def _folded_links(src: wordalign.TextVectors, tgt: wordalign.TextVectors, src_lang: str,
                  tgt_lang: str) -> list[tuple[int, int]]:
    """(target word, source word) pairs of capitalised words spelled alike but for their marks ("Nguyễn" /
    "Nguyen", "Kraków" / "Krakow"): the subword vectors of the two spellings differ, the name does not."""
    def capitalised(vec: wordalign.TextVectors, lang: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for k, w in enumerate(vec.words):
            written = vec.text[w.start:w.end]
            if written[:1].isupper() and len(written) >= 3:
                out.setdefault(fold(written, lang), []).append(k)
        return out

    there = capitalised(src, src_lang)
    links = []
    for key, targets in capitalised(tgt, tgt_lang).items():
        for t in targets:
            links.extend((t, s) for s in there.get(key, ()) if tgt.text[tgt.words[t].start:tgt.words[t].end]
                         != src.text[src.words[s].start:src.words[s].end])
    return sorted(links)


def linked_match(src: wordalign.TextVectors, tgt: wordalign.TextVectors, src_lang: str,
                 tgt_lang: str) -> wordalign.WordMatch:
    """The word match of ``src`` and ``tgt`` with each name spelled alike in two scripts linked as a good
    counterpart (:func:`transliteration_links`)."""
    links = transliteration_links(src, tgt, src_lang, tgt_lang)
    return wordalign.with_links(wordalign.match(src, tgt), links, LINKED_COSINE)


MAX_SPAN_TOKENS = 6  # a name in Chinese or Japanese covers at most this many of the encoder's tokens


def _foreign_spans(vec: wordalign.TextVectors, latin: list[bool], lang: str) -> list[tuple[list[int], str, str, bool]]:
    """(word indices, written form, folded form, caseless) for each non-Latin word, and in caseless scripts
    for each run of up to MAX_SPAN_TOKENS adjacent tokens."""
    out: list[tuple[list[int], str, str, bool]] = []
    for j, w in enumerate(vec.words):
        if latin[j]:
            continue
        written = vec.text[w.start:w.end]
        caseless = bool(_CASELESS.search(written))
        members, folded = [j], fold(written, lang)
        out.append((members, written, folded, caseless))
        if not caseless:
            continue
        for k in range(j + 1, min(len(vec.words), j + MAX_SPAN_TOKENS)):
            nxt = vec.words[k]
            if latin[k] or vec.text[vec.words[k - 1].end:nxt.start].strip():
                break  # a name does not run across punctuation or Latin words
            members = members + [k]
            folded += fold(vec.text[nxt.start:nxt.end], lang)
            out.append((members, vec.text[w.start:nxt.end], folded, True))
    return out


def _capitalised_runs(vec: wordalign.TextVectors, latin: list[bool]) -> list[list[int]]:
    """Every stretch of consecutive capitalised Latin words ("General Secretary Xi Jinping", "Xi Jinping",
    "Jinping", ...): the name a word of another script spells may be any part of such a run."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, w in enumerate(vec.words + (None,)):
        if w is not None and latin[i] and vec.text[w.start:w.end][:1].isupper():
            current.append(i)
            continue
        runs += [current[a:b] for a in range(len(current)) for b in range(a + 1, min(len(current), a + 4) + 1)]
        current = []
    return runs


@dataclass
class _Side:
    """One cell prepared for name look-ups."""

    cell: Cell
    names: list[NameMention]
    words: list[str]  # every word of the cell
    romanised: str  # the whole text in Latin letters without spaces (for caseless scripts)
    caseless: bool
    skeleton: str = ""  # consonants of ``romanised`` in each word of the caseless script, joined by "|"

    @classmethod
    def of(cls, cell: Cell) -> _Side:
        names: list[NameMention] = []
        for text, offset in cell.pieces():
            names.extend(extract(text, cell.lang, offset))
        text = cell.text
        words = [w.group() for w in _words(text)]
        caseless = bool(_CASELESS.search(text))
        romanised = fold(text, cell.lang) if caseless else ""
        runs = text.split() if caseless else []
        return cls(cell, names, words, romanised, caseless, "|".join(skeleton(fold(r, cell.lang)) for r in runs))


def _present(part: str, lang: str, other: _Side, support: float) -> bool:
    """Whether a name part appears in the other side (string, romanised string, or word vectors).

    A part that is a common word of its language ("Germany", "Ministry") is often translated rather than
    transliterated, so a weaker word-vector match suffices for it."""
    if support >= ALIGN_SUPPORT or (support >= COMMON_SUPPORT and _zipf(part, lang) >= COMMON_ZIPF):
        return True
    for word in other.words:
        if same_name(part, word, lang, other.cell.lang):
            return True
    if _compound_holds(part, lang, other):
        return True
    if writes_place(part, lang, other.cell.text, other.cell.lang):
        return True  # CLDR's name of the place in the other language: Bangkok / กรุงเทพ, Amman / عمان
    if base_language(lang) == "en" and any(
            writes_place(place, "en", other.cell.text, other.cell.lang) for place in wordnet.places_named_by(part)):
        return True  # a demonym, its country written in the other language: "Thai" / ไทย, "Japanese" / Jepang
    if other.caseless:
        key = fold(part, lang)
        if len(key) >= 4 and (key in other.romanised or _fuzzy_in(key, other.romanised)):
            return True
        # transliterations agree on consonants: Bonacini / 博纳奇尼 (bonaqini), Berlin / बर्लिन (barlina)
        consonants = skeleton(key)
        if len(consonants) >= SKELETON_MIN and consonants in other.skeleton:
            return True
    return False


def _compound_holds(part: str, lang: str, other: _Side) -> bool:
    """A common word of a name ("Situations") written as the last element of a compound in a language that
    joins its nouns ("Notsituationen"); rare words, which most names are, never match this way
    ("Sudan" is not "Südsudan")."""
    if (other.cell.lang or "").split("-")[0] not in COMPOUNDING_LANGS or _zipf(part, lang) < COMPOUND_HEAD_ZIPF:
        return False
    stem = fold(part, lang)
    stem = stem[:-1] if stem.endswith("s") and len(stem) > 5 else stem  # English plural
    if len(stem) < 5:
        return False
    for word in other.words:
        folded = fold(word, other.cell.lang)
        for ending in ("", *_ENDINGS):
            if folded.endswith(stem + ending) and len(folded) - len(stem) - len(ending) >= 3:
                return True
    return False


def _fuzzy_in(key: str, haystack: str) -> bool:
    if len(haystack) < len(key):
        return False
    return fuzz.partial_ratio(key, haystack) >= 88 and len(key) >= 5


def _name_present(name: NameMention, lang: str, other: _Side, supports: dict[str, float]) -> bool:
    """A name is present when its last part (the surname, the head of "Supreme Court") is. When that head is a
    word of the language, which a translation renders in its own words, the name's own part decides: its
    rarest other part ("Greater Amman Municipality" / أمانة عمّان الكبرى, "Lombok Strait" / "Selat Lombok"),
    or, for a name made of common words only ("National Roads Board"), that part or more than half of them."""
    if other.caseless and len(name.parts) > 1:
        whole = skeleton(fold("".join(name.parts), lang))
        if len(whole) >= SKELETON_MIN and whole in other.skeleton:
            return True  # a name of short parts transliterated as one run: Chiang Rai / เชียงราย (kngr)
    last = name.parts[-1]
    head_zipf = _zipf(last, lang)
    rarer = [p for p in name.parts[:-1] if not p.isupper() and _zipf(p, lang) < head_zipf]
    if head_zipf < WORD_ZIPF or not rarer:
        return _present(last, lang, other, supports.get(last, 0.0))  # a rare head is the name itself
    rarest = min(rarer, key=lambda p: _zipf(p, lang))
    if _present(rarest, lang, other, supports.get(rarest, 0.0)):
        return True
    if not _common_word(rarest, lang):
        return False
    parts = [p for p in name.parts if not p.isupper()]
    found = sum(_present(p, lang, other, supports.get(p, 0.0)) for p in parts if p != rarest)  # rarest: absent
    return 2 * found > len(parts)


def _common_word(word: str, lang: str) -> bool:
    """A word of the language rather than a proper name: for English, WordNet's common words ("Board", not
    "Amman"); elsewhere, a frequent word."""
    if base_language(lang) == "en" and wordnet.available():
        return wordnet.common_word(word)
    return _zipf(word, lang) >= WORD_ZIPF


def _supports(ctx: CheckContext, here: _Side, other: _Side) -> dict[str, float]:
    """For each name word here, its best word-vector match in the other cell."""
    if not here.names or not wordalign.supported(ctx.model):
        return {}
    here_vec, other_vec = wordalign.vectors([here.cell.text, other.cell.text], ctx.model)
    if here_vec is None or other_vec is None or not len(here_vec) or not len(other_vec):
        return {}
    m = wordalign.match(other_vec, here_vec)  # rows: here words
    best = m.tgt_cover
    best_at = m.align.argmax(axis=1) if m.align.size else np.zeros(len(here_vec), int)
    back_at = m.align.argmax(axis=0) if m.align.size else np.zeros(len(other_vec), int)
    other_name_words = {p.lower() for n in other.names for p in n.parts}
    base = here.cell.start
    out: dict[str, float] = {}
    for name in here.names:
        for part in name.parts:
            pos = name.text.find(part)
            start = name.start + max(pos, 0) - base
            for k, word in enumerate(here_vec.words):
                # word offsets index the cell text, which joins sentences with one space
                if word.start <= start < word.end or start <= word.start < start + len(part):
                    counterpart = other_vec.words[int(best_at[k])].text if len(other_vec) else ""
                    if counterpart in other_name_words and not _alike(part, counterpart, here.cell.lang,
                                                                      other.cell.lang) \
                            and not _translated_word(part, here.cell.lang, counterpart, other.cell.lang):
                        continue  # aligned with another name spelled differently: a different name
                    if different_places(part, here.cell.lang, counterpart, other.cell.lang):
                        continue  # aligned with another country or city (CLDR): "Slovénie" for "Croatia"
                    support = float(best[k])
                    if support >= COMMON_SUPPORT and int(back_at[int(best_at[k])]) == k \
                            and _zipf(part, here.cell.lang) >= WORD_ZIPF \
                            and _translated_word(part, here.cell.lang, counterpart, other.cell.lang):
                        # a word of the language rendered by its own mutual best match, an English common
                        # word: a name translated word by word ("Hacienda" / "Finance", "Tesoro" / "Treasury")
                        support = max(support, ALIGN_SUPPORT)
                    out[part] = max(out.get(part, 0.0), support)
    return out


def _translated_word(a: str, lang_a: str, b: str, lang_b: str) -> bool:
    """Whether two name words spelled differently may be one word translated: the English one is a common
    word for WordNet ("Court" / "Audiencia", "Medical" / "Medycznego", "Old Town" / "Starego Miasta"), where a
    different person or place is a proper name ("Semarang", "Manuel"). Without English on either side (or
    without WordNet) nothing is assumed."""
    for word, lang in ((a, lang_a), (b, lang_b)):
        if base_language(lang) == "en" and regex.fullmatch(r"\p{L}+", word):
            return wordnet.common_word(word)
    return False


def _alike(a: str, b: str, lang_a: str, lang_b: str) -> bool:
    """Same name, or one holds the other (a translated compound: "Südostasien" / "Asia")."""
    if same_name(a, b, lang_a, lang_b):
        return True
    fa, fb = fold(a, lang_a), fold(b, lang_b)
    if min(len(fa), len(fb)) < 5:
        return a.isupper() and b.isupper()
    return fuzz.partial_ratio(fa, fb) >= 88


def run(ctx: CheckContext) -> list[Flag]:
    """Flag names that differ or vanish between the aligned sentences of the versions."""
    prepare_word_vectors(ctx)
    flags: list[Flag] = []
    found: list[tuple[Row, dict[tuple[str, str], list[NameMention]]]] = []  # rows and their unmatched names
    for row in rows(ctx):
        sides = {c.label: _Side.of(c) for c in row.cells}
        if not any(s.names for s in sides.values()):
            continue
        unmatched: dict[tuple[str, str], list[NameMention]] = {}
        for cell in row.cells:
            here = sides[cell.label]
            for other_cell in row.other(cell):
                other = sides[other_cell.label]
                if not here.names:
                    unmatched[(cell.label, other_cell.label)] = []
                    continue
                supports = _supports(ctx, here, other)
                unmatched[(cell.label, other_cell.label)] = [
                    n for n in here.names if not _name_present(n, cell.lang, other, supports)
                ]
        found.append((row, unmatched))
    conventions = _conventions(found)
    for row, unmatched in found:
        unmatched = {
            (a, b): [n for n in names if (a, b, _key(n)) not in conventions and (b, a, _key(n)) not in conventions]
            for (a, b), names in unmatched.items()
        }
        disagrees = {c.label: set() for c in row.cells}
        by_label = {c.label: c for c in row.cells}
        for (a, b), names in unmatched.items():
            if names and counterparts(ctx, by_label[a], by_label[b]):
                disagrees[a].add(b)
                disagrees[b].add(a)
        for cell, judge in flagged_cells(row, disagrees):
            flags.extend(_flags(ctx, row, cell, judge, unmatched[(cell.label, judge.label)],
                                unmatched[(judge.label, cell.label)]))
    return flags


def _key(name: NameMention) -> str:
    return name.text.casefold()


def _conventions(found: list[tuple[Row, dict[tuple[str, str], list[NameMention]]]]) -> set[tuple[str, str, str]]:
    """Abbreviations one version uses for a name the other spells out: (version, other version, name key)
    for an abbreviation of one side unmatched in ``CONVENTION_ROWS`` rows or more, and each spelled-out name
    of the other side unmatched beside it in one of those rows.

    A translation that writes "SPÖ" where the original says "Social Democrats" follows a convention of its
    language; the pairing is read off the document itself, no list.  Only abbreviations: a name changed
    throughout ("Aktobe" for every "Aktau") stays a finding in every row.
    """
    together: set[tuple[str, str, str, str]] = set()
    alone: dict[tuple[str, str, str], int] = {}
    for _row, unmatched in found:
        for (a, b), names in unmatched.items():
            theirs = {_key(n) for n in unmatched.get((b, a), []) if not n.acronym}
            for key in {_key(n) for n in names if n.acronym}:
                alone[(a, b, key)] = alone.get((a, b, key), 0) + 1
                for other in theirs:
                    together.add((a, b, key, other))
    out: set[tuple[str, str, str]] = set()
    for (a, b, key, other) in together:
        if alone[(a, b, key)] >= CONVENTION_ROWS:
            out.update({(a, b, key), (b, a, other)})
    return out


def _flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell, extra: list[NameMention],
           missing: list[NameMention]) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    evidence = cell_evidence(row, cell, ctx)
    out: list[Flag] = []

    def flag(start: int, end: int, severity: str, message: str, confidence: float) -> None:
        out.append(
            sentence_flag(ctx, cell.version, cell.sentence_at(start), start, end, type="name_mismatch",
                          severity=severity, message=message, confidence=confidence, check=NAME, evidence=evidence)
        )

    real_missing = [m for m in missing if not m.acronym]
    for k, name in enumerate(extra):
        if name.acronym:
            flag(name.start, name.end, "minor", f"Abbreviation not in {where}: {name.text}", 0.35)
        elif real_missing:
            other = real_missing[min(k, len(real_missing) - 1)]
            flag(name.start, name.end, "major", f"Name differs: {name.text} here, {other.text} in {where}", 0.8)
        else:
            flag(name.start, name.end, "major", f"Name not in {where}: {name.text}", 0.6)
    vanished = real_missing[len([n for n in extra if not n.acronym]):]
    if vanished:
        shown = ", ".join(n.text for n in vanished[:3])
        at = wordalign.counterpart_span(ctx.model, cell, judge, vanished[0].start, vanished[0].end)
        start, end = at or (cell.start, cell.end)
        flag(start, end, "major", f"Name missing here: {shown} (in {where})", 0.6)
        if at:
            out[-1].reason = f"\"{vanished[0].text}\" corresponds to \"{out[-1].text}\" here (word alignment)"
    return out


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="names of people, places and organisations that differ or vanish (transliteration-aware)",
)
