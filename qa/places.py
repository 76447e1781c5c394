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
    return _index(lang.split("-")[0].lower()).get(_key(name), frozenset())


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


def writes_place(name: str, lang: str, text: str, text_lang: str) -> bool:
    """Whether ``text`` (in ``text_lang``) contains CLDR's name, in its language, of the place ``name`` (in
    ``lang``) names: "Bangkok" in "…ในกรุงเทพฯ", "Amman" in "…في عمان", "Vienna" in "Wiens"."""
    ids = place_ids(name, lang)
    if not ids or not text_lang:
        return False
    folded = _folded_text(text)
    names = _names_by_id(text_lang.split("-")[0].lower())
    return any(len(local) >= MIN_WRITTEN and _written_in(local, folded) for place in ids for local in names.get(place, ()))


@lru_cache(maxsize=4096)
def _folded_text(text: str) -> str:
    return _key(text)  # a cell is searched once for each name part of the other version


# Unicode's line-breaking classes of scripts written without spaces between words (Thai, Lao, Khmer, Myanmar;
# Chinese and Japanese): there a name may sit anywhere inside a run of letters
_UNSPACED = regex.compile(r"[\p{Line_Break=Complex_Context}\p{Line_Break=Ideographic}]")


def _written_in(name: str, text: str) -> bool:
    """``name`` occurs in ``text``: anywhere in scripts without spaces, else as a word or one with a short
    ending ("Wiens", "Москве" for "Москва" is left to the word vectors)."""
    if _UNSPACED.match(name):
        return name in text
    return regex.search(r"(?<!\w)" + regex.escape(name) + rf"\w{{0,{MAX_ENDING}}}(?!\w)", text) is not None
