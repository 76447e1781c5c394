"""Place names across languages from CLDR (through Babel): Sweden / Suède / Schweden, Vienna / Wien / Viena.

CLDR names every territory in each locale, and the example city of every time zone (capitals and large
cities: "Europe/Vienna" is "Wien" in German, "Vienne" in French).  Two names are the same place when they
name the same territory or time-zone city in their languages.  Built once per language on first use.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import lru_cache

import regex
from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location

from qa.languages import base_language


def _key(name: str) -> str:
    """A place name folded for look-up: case and non-spacing marks dropped (CLDR writes "عمّان" with a
    shadda that running text leaves out; "Zürich" and "Zurich" meet)."""
    decomposed = unicodedata.normalize("NFD", name.casefold().strip())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


@lru_cache(maxsize=64)
def _index(lang: str) -> dict[str, frozenset[str]]:
    """Folded place name in ``lang`` -> CLDR ids ("SE", "Europe/Vienna") it names."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    out: dict[str, set[str]] = {}
    for code, name in locale.territories.items():
        if code.isalpha():  # "SE"; the numeric codes are regions ("150" Europe)
            out.setdefault(_key(name), set()).add(code)
    for zone in zoneinfo.available_timezones():
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/")):
            continue
        try:
            city = get_timezone_location(zone, locale=locale, return_city=True)
        except (LookupError, ValueError):
            continue
        if city:
            out.setdefault(_key(city), set()).add(zone)
    return {name: frozenset(ids) for name, ids in out.items()}


def place_ids(name: str, lang: str) -> frozenset[str]:
    """The CLDR territories and time-zone cities ``name`` names in ``lang`` (empty when it names none)."""
    if not lang:
        return frozenset()
    lang = base_language(lang)
    key = _key(name)
    return _index(lang).get(key) or _inflected_ids(key, lang)


@lru_cache(maxsize=100_000)
def _inflected_ids(word: str, lang: str) -> frozenset[str]:
    """The places ``word`` names as an inflected form of their CLDR name ("polsce" / "Polska", "αθηναίων" /
    "Αθήνα"): the name with a short ending, or its stem with one (see :func:`_inflects`)."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return frozenset()
    found: set[str] = set()
    for local, ids in _by_stem(lang).get(word[:MIN_STEM], ()):
        if _inflects(local, word):
            found |= ids
    return frozenset(found)


@lru_cache(maxsize=64)
def _by_stem(lang: str) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    out: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for local, ids in _index(lang).items():
        if len(local) >= MIN_STEM and local.isalpha():
            out.setdefault(local[:MIN_STEM], []).append((local, ids))
    return {stem: tuple(items) for stem, items in out.items()}


def _inflects(local: str, word: str) -> bool:
    """Whether ``word`` may be the one-word place name ``local`` inflected (both folded by :func:`_key`)."""
    if word.startswith(local) and len(word) - len(local) <= MAX_ENDING:
        return True
    stem = local[:max(MIN_STEM, len(local) - STEM_CHANGE)]
    return len(stem) < len(local) and word.startswith(stem) and \
        len(word) - len(stem) <= len(local) - len(stem) + STEM_ENDING


def same_place(a: str, lang_a: str, b: str, lang_b: str) -> bool:
    """Whether ``a`` (in ``lang_a``) and ``b`` (in ``lang_b``) are CLDR's names of one territory or city."""
    ids_a = place_ids(a, lang_a)
    return bool(ids_a) and bool(ids_a & place_ids(b, lang_b))


def different_places(a: str, lang_a: str, b: str, lang_b: str) -> bool:
    """Whether ``a`` and ``b`` both name CLDR places, and not the same one ("Slovénie" / "Croatia")."""
    ids_a, ids_b = place_ids(a, lang_a), place_ids(b, lang_b)
    return bool(ids_a) and bool(ids_b) and not ids_a & ids_b


@lru_cache(maxsize=64)
def _names_by_id(lang: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for name, ids in _index(lang).items():
        for place in ids:
            out.setdefault(place, set()).add(name)
    return {place: frozenset(names) for place, names in out.items()}


MIN_WRITTEN = 2  # a shorter CLDR name is no evidence inside running text
MAX_ENDING = 2  # letters an inflected place name may add ("Wiens", "Wiener")
# inflection may also change a name's last letters ("Polska" / "w Polsce", "Москва" / "в Москве", "Αθήνα" /
# "Αθηναίων"): its stem, all but STEM_CHANGE letters and at least MIN_STEM, followed by a short ending
STEM_CHANGE, MIN_STEM, STEM_ENDING = 2, 4, 3


def writes_place(name: str, lang: str, text: str, text_lang: str) -> bool:
    """Whether ``text`` (in ``text_lang``) contains CLDR's name, in its language, of the place ``name`` (in
    ``lang``) names: "Bangkok" in "…ในกรุงเทพฯ", "Amman" in "…في عمان", "Vienna" in "Wiens", "Poland" in
    "w Polsce"."""
    ids = place_ids(name, lang)
    if not ids or not text_lang:
        return False
    folded = _folded_text(text)
    text_lang = base_language(text_lang)
    names = _names_by_id(text_lang)
    return any(len(local) >= MIN_WRITTEN and _written_in(local, folded, ids, text_lang)
               for place in ids for local in names.get(place, ()))


@lru_cache(maxsize=4096)
def _folded_text(text: str) -> str:
    return _key(text)  # a cell is searched once for each name part of the other version


# Unicode's line-breaking classes of scripts written without spaces between words (Thai, Lao, Khmer, Myanmar;
# Chinese and Japanese): there a name may sit anywhere inside a run of letters
_UNSPACED = regex.compile(r"[\p{Line_Break=Complex_Context}\p{Line_Break=Ideographic}]")


def _written_in(name: str, text: str, ids: frozenset[str] = frozenset(), text_lang: str = "") -> bool:
    """``name`` occurs in ``text``: anywhere in scripts without spaces, else as a word, one with a short ending
    ("Wiens"), or one whose last letters inflection changed ("Polsce" for "Polska") unless that word is
    CLDR's name of another place ("Australia" is no inflected "Austria")."""
    if _UNSPACED.match(name):
        return name in text
    if regex.search(r"(?<!\w)" + regex.escape(name) + rf"\w{{0,{MAX_ENDING}}}(?!\w)", text):
        return True
    if not name.isalpha() or len(name) <= MIN_STEM:
        return False
    for found in regex.finditer(r"(?<!\w)" + regex.escape(name[:MIN_STEM]) + r"\w*", text):
        if _inflects(name, found.group()):
            other = place_ids(found.group(), text_lang) if text_lang else frozenset()
            if not other or other & ids:
                return True
    return False
