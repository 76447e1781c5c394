"""Place names across languages from CLDR (through Babel): Sweden / Suède / Schweden, Vienna / Wien / Viena.

CLDR names every territory in each locale, and the example city of every time zone (capitals and large
cities: "Europe/Vienna" is "Wien" in German, "Vienne" in French).  Two names are the same place when they
name the same territory or time-zone city in their languages.  Built once per language on first use.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


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
