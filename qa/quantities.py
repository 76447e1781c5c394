"""Locale data for reading numbers, dates and units in any language, taken from maintained sources.

Nothing here is a typed table; every list is built (once per language, cached) from a package:

* decimal and group separators: Babel's CLDR number symbols ("1.234,5" in German, "1 234,5" in French);
* weekday, month and relative-day names ("Donnerstag", "周三", "gestern", "послезавтра"): Babel's CLDR
  calendar data, every width and context, for the language's default locale;
* scale words ("Millionen", "млрд", "万", "5m"): CLDR's compact decimal formats;
* unit names ("centimètres", "км", "公里", "miles"): CLDR unit patterns; values convert to base units with
  pint, so "70 miles" and "113 km" are one quantity (within a rounding tolerance);
* currency names and symbols: CLDR currency data;
* the word for "or" ("ou", "oder", "или", "或"): CLDR's list pattern for alternatives;
* number words: text2num where it reads the language ("vingt-trois", "dreiundzwanzig"), elsewhere the
  spellings num2words writes for 0-100, hundreds and thousands, read backwards;
* Chinese and Japanese numerals with 十, 百, 千, 万, 亿: cn2an.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import regex
from babel import Locale, UnknownLocaleError
from babel.dates import get_period_id

from qa.languages import base_language

UNIT_CATEGORIES = frozenset({"length", "mass", "area", "volume", "speed", "temperature", "duration", "energy",
                             "power", "pressure", "digital", "consumption"})
RELATIVE_FIELDS = ("day", "week", "month", "year")  # CLDR date fields read as relative dates
CONVERSION_TOLERANCE = 0.03  # converted quantities this close (relative) are the same (rounding)
TEMPERATURE_TOLERANCE = 0.8  # kelvin: a temperature rounded to whole degrees Fahrenheit and then Celsius
COMMON_SYMBOL_ZIPF = 6.0  # an abbreviation this frequent as a word ("in", "a") counts only glued to its number


@cache
def locale(lang: str) -> Locale | None:
    """Babel's locale for a language code (``None`` when CLDR does not know it)."""
    code = (lang or "").replace("-", "_").split("_")[0].lower()
    if not code or code == "und":
        return None
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@cache
def separators(lang: str) -> tuple[str, str]:
    """(decimal, group) separators of ``lang`` (English's when unknown)."""
    loc = locale(lang)
    if loc is None:
        return ".", ","
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    decimal = symbols.get("decimal", ".")
    group = symbols.get("group", ",")
    return decimal, group


def decimal_comma(lang: str) -> bool:
    """Whether ``lang`` writes decimals with a comma."""
    return separators(lang)[0] == ","


@cache
def day_before_month(lang: str) -> bool:
    """Whether ``lang`` writes numeric dates day first ("7/9" is 7 September in Vietnamese and French, 9 July in
    English and Japanese): the order of CLDR's short date pattern (day first when unknown)."""
    loc = locale(lang)
    if loc is None:
        return True
    pattern = loc.date_formats["short"].pattern
    day, month = pattern.find("d"), pattern.find("M")
    return day < month if day >= 0 and month >= 0 else True


@cache
def _day_periods(lang: str) -> dict[str, frozenset[int]]:
    """CLDR's names of the parts of the day in ``lang`` ("上午", "下午", "晚上", "午後") -> the hours they cover,
    by CLDR's day-period rules (am and pm, and the finer periods such as evening or night)."""
    loc = locale(lang)
    if loc is None:
        return {}
    hours: dict[str, set[int]] = {}
    for h in range(24):
        for kind in ("format", "selection"):
            try:
                hours.setdefault(get_period_id(datetime.time(h), type=kind, locale=loc), set()).add(h)
            except (KeyError, ValueError):
                continue
    out: dict[str, set[int]] = {}
    for context in loc.day_periods.values():
        for names in context.values():
            for period, name in names.items():
                if period in hours and name:
                    out.setdefault(name.lower(), set()).update(hours[period])
    return {name: frozenset(h) for name, h in out.items()}


def day_period_hours(before: str, lang: str) -> frozenset[int] | None:
    """The hours a clock time may stand for when ``before`` (the text before it) ends with one of CLDR's names of
    a part of the day in ``lang`` ("下午3点": 12-23, so 15:00); None when it ends with none."""
    tail = before.rstrip().lower()
    periods = _day_periods(base_language(lang))
    named = [name for name in periods if tail.endswith(name)]
    return periods[max(named, key=len)] if named else None


@cache
def per_words(lang: str) -> frozenset[str]:
    """The words CLDR's compound units put between a quantity and its denominator ("per", "pro", "par", "por",
    "na"), lower case; "/" always."""
    loc = locale(lang)
    found = {"/"}
    if loc is not None:
        for forms in loc._data.get("compound_unit_patterns", {}).get("per", {}).values():
            pattern = forms.get("compound", "") if hasattr(forms, "get") else ""
            middle = pattern.split("{0}")[-1].split("{1}")[0].strip() if "{0}" in pattern and "{1}" in pattern \
                and pattern.index("{0}") < pattern.index("{1}") else ""
            if middle:
                found.add(middle.lower())
    return frozenset(found)


# --- calendar words ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarWord:
    """A weekday ("w", 0 = Monday), month ("m", 1-12) or relative date ("r:day", offset) named by a word."""

    kind: str
    value: int
    abbreviated: bool  # an abbreviation ("Do.", "mar."), trusted only next to a digit
    capitalised: bool  # CLDR writes it with a capital (English, German): lower case is another word ("may")


def _fold(word: str) -> str:
    return word.replace("’", "'").strip(" .\u00a0").lower()


@cache
def disjunction_words(lang: str) -> frozenset[str]:
    """The language's word(s) for "or", from CLDR's list pattern for alternatives ("{0} ou {1}"), lower case."""
    loc = locale(lang)
    if loc is None:
        return frozenset()
    words: set[str] = set()
    for key in ("2", "end"):
        pattern = loc.list_patterns.get("or", {}).get(key, "")
        middle = pattern.replace("{0}", " ").replace("{1}", " ")
        words.update(w.lower() for w in re.findall(r"[^\W\d_]+", middle))
    return frozenset(words)


@cache
def calendar_words(lang: str) -> dict[str, CalendarWord]:
    """Every CLDR name of a weekday, month or relative day/week/month/year in ``lang``, folded to lower case."""
    loc = locale(lang)
    out: dict[str, CalendarWord] = {}
    if loc is None:
        return out

    def add(name: str, kind: str, value: int, abbreviated: bool) -> None:
        key = _fold(name)
        if not key or (len(key) < 2 and not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", key)):
            return
        if key.isdigit():
            return
        if len(key) < 2:
            return  # 月, 火 alone: far too ambiguous
        word = CalendarWord(kind, value, abbreviated, name[:1].isupper())
        previous = out.get(key)
        if previous is None or (previous.abbreviated and not abbreviated):
            out[key] = word

    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for value, name in loc.days.get(context, {}).get(width, {}).items():
                add(name, "w", int(value), width != "wide")
            for value, name in loc.months.get(context, {}).get(width, {}).items():
                add(name, "m", int(value), width != "wide")
    fields = loc._data.get("date_fields", {})
    for field in RELATIVE_FIELDS:
        for offset, name in fields.get(field, {}).get("relative", {}).items():
            if -2 <= int(offset) <= 2:
                add(name, f"r:{field}", int(offset), False)
    return out


@cache
def _calendar_lengths(lang: str) -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in calendar_words(lang)}, reverse=True))


def calendar_at(text: str, start: int, lang: str) -> tuple[CalendarWord, int] | None:
    """The longest calendar name of ``lang`` starting at ``text[start]`` (on word boundaries), with its end."""
    words = calendar_words(lang)
    if not words:
        return None
    low = text.lower()
    for length in _calendar_lengths(lang):
        end = start + length
        if end > len(text):
            continue
        key = _fold(low[start:end])
        found = words.get(key)
        if found is None or _fold(low[start:end]) != low[start:end].replace("’", "'"):
            continue
        if _alphabetic_edge(text, start - 1) or _alphabetic_edge(text, end):
            continue
        return found, end
    return None


def _alphabetic_edge(text: str, index: int) -> bool:
    """Whether ``text[index]`` is a letter of an alphabetic script (a word continues there)."""
    if index < 0 or index >= len(text):
        return False
    ch = text[index]
    return ch.isalpha() and not _is_cjk(ch) and not _UNSPACED.match(ch)


# scripts written without spaces between words (Thai, Lao, Khmer, Myanmar): a word may end at any letter
_UNSPACED = regex.compile(r"\p{Line_Break=Complex_Context}")


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or \
        "\uac00" <= ch <= "\ud7af"


# --- scales, units, currencies -------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """A word for a unit, a currency or a scale, as CLDR writes it in one language."""

    key: str  # CLDR unit id ("length-kilometer"), "money-EUR", or "scale"
    value: float  # scale multiplier (1 for units and currencies)
    symbol: bool  # an abbreviation or symbol (short/narrow width), trusted less when it is also a word
    form: str = ""  # as CLDR writes it: a symbol matches in this case only ("5G" is no gram, "3D" no day)


def _pattern_word(pattern: str) -> str:
    """``"{0} kilomètres"`` -> ``"kilomètres"``; ``"0 Mio'.'"`` -> ``"Mio."``."""
    word = pattern.replace("{0}", " ").replace("'", "").replace("\u00a0", " ").replace("\u202f", " ")
    word = re.sub(r"[0#]+(?:[.,][0#]+)?", " ", word)
    return " ".join(word.split())


@cache
def surfaces(lang: str) -> dict[str, tuple[Surface, ...]]:
    """Unit, currency and scale words of ``lang`` by lower-case spelling (several where spellings collide:
    "m" the metre, "M" the million), full names before abbreviations."""
    loc = locale(lang)
    candidates: dict[str, list[Surface]] = {}
    if loc is None:
        return {}

    def add(word: str, surface: Surface) -> None:
        word = word.strip()
        if not word or any(ch.isdigit() for ch in word) or len(word) > 40:
            return
        surface = replace(surface, form=word)
        key = word.lower()
        if any(c.form == word and c.symbol == surface.symbol for c in candidates.get(key, [])):
            return
        candidates.setdefault(key, []).append(surface)

    for unit_id, widths in loc._data.get("unit_patterns", {}).items():
        category = unit_id.split("-", 1)[0]
        if category not in UNIT_CATEGORIES and unit_id != "concentr-percent":
            continue
        if pint_unit(unit_id) is None and unit_id != "concentr-percent":
            continue
        for width, forms in widths.items():
            if not hasattr(forms, "items"):
                continue
            for plural, pattern in forms.items():
                if plural == "per" or not isinstance(pattern, str):
                    continue
                add(_pattern_word(pattern), Surface(unit_id, 1.0, width != "long"))
    for width, word, scale in _compact_scales(loc):
        add(word, Surface("scale", scale, width != "long"))
    for regional in _regional_locales(lang):
        # scale words of the language's regional variants, spelled out in full ("crore" and "lakh" from
        # English in India): news in the language uses them wherever it is written
        for width, word, scale in _compact_scales(regional):
            if width == "long" and word.lower() not in candidates:
                add(word, Surface("scale", scale, False))
    names: dict[str, set[str]] = {}
    for code, name in loc._data.get("currency_names", {}).items():
        names.setdefault(name.lower(), set()).add(code)
    for code, forms in loc._data.get("currency_names_plural", {}).items():
        for name in forms.values():
            names.setdefault(name.lower(), set()).add(code)
    heads: dict[str, set[str]] = {}
    for name, codes in names.items():
        for code in codes:
            add(name, Surface(f"money-{code}", 1.0, False))
        if " " in name:
            heads.setdefault(name.rsplit(" ", 1)[1], set()).update(codes)
    home = set(_territory_currencies(lang))
    for head, codes in heads.items():
        # "dollars" ends many currency names ("US dollars", "Canadian dollars"): it is the home country's
        # currency when that is one of them, else no currency in particular
        mine = codes & home if len(codes) > 1 else codes
        if len(mine) == 1 and head not in candidates:
            add(head, Surface(f"money-{next(iter(mine))}", 1.0, False))
    for code, symbol in loc._data.get("currency_symbols", {}).items():
        if symbol != code:  # "$", "€", "zł"; a bare ISO code ("CHF") is no symbol
            add(symbol, Surface(f"money-{code}", 1.0, True))
    return {key: tuple(sorted(found, key=lambda c: c.symbol)) for key, found in candidates.items()}


def _compact_scales(loc: Locale) -> list[tuple[str, str, float]]:
    """(width, word, scale) of each scale word in the locale's compact number formats ("million", 1e6)."""
    out = []
    for width, plurals in loc._data.get("compact_decimal_formats", {}).items():
        for forms in plurals.values():
            for magnitude, number_pattern in forms.items():
                pattern = getattr(number_pattern, "pattern", str(number_pattern))
                zeros = pattern.count("0")
                if not zeros or not str(magnitude).isdigit():
                    continue
                scale = int(magnitude) / 10 ** (zeros - 1)
                if scale < 1000:
                    continue
                word = _pattern_word(pattern)
                out.extend((width, form, float(scale)) for form in {word, word.rstrip(".")})
    return out


def _regional_locales(lang: str) -> list[Locale]:
    """CLDR's regional variants of a language ("en_IN", "en_GB" for "en"), without the language itself."""
    from babel.localedata import locale_identifiers

    code = base_language(lang)
    found = []
    for identifier in locale_identifiers():
        if identifier.startswith(code + "_"):
            with contextlib.suppress(UnknownLocaleError, ValueError):
                regional = Locale.parse(identifier)
                if regional.script is None:  # a country's variant, not another script ("en_Shaw", "sr_Latn")
                    found.append(regional)
    return found


@cache
def _territory_currencies(lang: str) -> tuple[str, ...]:
    """Currencies in use in the territory CLDR takes as ``lang``'s most likely one (en -> US -> USD)."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    likely = get_global("likely_subtags").get((lang or "").lower())
    territory = likely.split("_")[-1] if likely else None
    if not territory:
        return ()
    try:
        return tuple(get_territory_currencies(territory))
    except (KeyError, ValueError):
        return ()


@cache
def _surface_lengths(lang: str) -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in surfaces(lang)}, reverse=True))


def surface_at(text: str, start: int, lang: str, glued: bool) -> tuple[Surface, int] | None:
    """The longest unit/currency/scale word of ``lang`` at ``text[start]`` with its end.

    ``glued``: it touches its number ("5km", "3万"); an abbreviation that is also a common word of the
    language ("in", "m", "t") counts only then."""
    table = surfaces(lang)
    if not table:
        return None
    low = text.lower()
    for length in _surface_lengths(lang):
        end = start + length
        if end > len(text):
            continue
        written = text[start:end]
        found = next((c for c in table.get(low[start:end], ()) if not c.symbol or written == c.form), None)
        if found is None:
            continue
        if _alphabetic_edge(text, end) and text[end - 1].isalpha() or _alphabetic_edge(text, start - 1):
            continue  # inside a longer word
        if found.symbol and not glued and (end - start == 1 or _common_word(low[start:end], lang)):
            continue  # "5 m" (a letter alone), "5 in": only "5m", "5in"
        return found, end
    return None


@lru_cache(maxsize=50_000)
def _common_word(word: str, lang: str) -> bool:
    from qa.checks.lexicon import zipf

    return any(ch.isalpha() for ch in word) and zipf(word, lang) >= COMMON_SYMBOL_ZIPF


@cache
def _registry():
    import pint

    return pint.UnitRegistry()


@cache
def pint_unit(unit_id: str) -> str | None:
    """The pint unit expression of a CLDR unit id (``"speed-kilometer-per-hour"`` -> ``"kilometer / hour"``)."""
    if unit_id.startswith(("money-", "scale")) or "-" not in unit_id:
        return None
    name = unit_id.split("-", 1)[1]
    name = name.replace("-per-", " / ").replace("square-", "square ").replace("cubic-", "cubic ")
    name = name.replace("-", "_")
    try:
        _registry().Unit(name)
    except Exception:  # noqa: BLE001 - pint raises several kinds for unknown names
        return None
    return name


@lru_cache(maxsize=20_000)
def in_base_units(value: float, unit_id: str) -> tuple[str, float] | None:
    """(dimensionality, magnitude in base units) of ``value`` ``unit_id``; ``None`` for no physical unit."""
    name = pint_unit(unit_id)
    if name is None:
        return None
    try:
        quantity = _registry().Quantity(value, name).to_base_units()
    except Exception:  # noqa: BLE001
        return None
    return str(quantity.dimensionality), float(quantity.magnitude)


def same_quantity(a: tuple[str, float], b: tuple[str, float]) -> bool:
    """Two base-unit quantities of one dimension within the rounding tolerance."""
    if a[0] != b[0]:
        return False
    if a[0].endswith("[temperature]"):  # a scale with an offset: 46 °C and 44 °C are 0.6 % apart in kelvin
        return abs(a[1] - b[1]) <= TEMPERATURE_TOLERANCE
    top = max(abs(a[1]), abs(b[1]))
    return top == 0 or abs(a[1] - b[1]) / top <= CONVERSION_TOLERANCE


def dimension(unit_id: str) -> str:
    """The kind of a unit: its CLDR category ("length"), or "money"."""
    return unit_id.split("-", 1)[0]


# --- number words -------------------------------------------------------------------------------------


@cache
def _spelled(lang: str) -> dict[str, float]:
    """num2words' spellings of 0-100, the hundreds and the thousands in ``lang``, read backwards."""
    try:
        from num2words import num2words

        num2words(2, lang=lang)
    except (NotImplementedError, ImportError, OverflowError, KeyError, TypeError, ValueError):
        return {}
    out: dict[str, float] = {}
    for value in list(range(0, 101)) + list(range(200, 1000, 100)) + [1000, 10**6, 10**9]:
        try:
            word = num2words(value, lang=lang).lower()
        except (NotImplementedError, OverflowError, TypeError, ValueError):
            continue
        if " " not in word:
            out.setdefault(word, float(value))
    return out


@lru_cache(maxsize=100_000)
def number_words(phrase: str, lang: str) -> float | None:
    """The value of a number written in words ("vingt-trois", "twenty three", "пять") or ``None``."""
    phrase = phrase.strip().lower()
    if not phrase or any(ch.isdigit() for ch in phrase):
        return None
    code = (lang or "").split("-")[0].lower()
    if _text2num_reads(code):
        from text_to_num import text2num

        try:
            value = float(text2num(phrase, code))
        except (ValueError, TypeError, OverflowError):
            return None
        return value if math.isfinite(value) else None
    return _spelled(code).get(phrase)


@lru_cache(maxsize=256)
def _text2num_reads(code: str) -> bool:
    """Whether text2num has a grammar for the language: asked of text2num itself, which answers "unsupported
    language" for the others (its language list is not exposed)."""
    from text_to_num import text2num

    try:
        text2num("-", code)
    except ValueError as exc:
        return "unsupported language" not in str(exc)
    except Exception:  # noqa: BLE001 - any other refusal: not a language it reads
        return False
    return True


# --- CJK numerals --------------------------------------------------------------------------------------

CJK_NUMERAL = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")


@lru_cache(maxsize=50_000)
def cjk_number(numeral: str) -> float | None:
    """Value of a Chinese/Japanese numeral (三, 十五, 两千三百, 四万五千, 1.5万) or ``None``."""
    import cn2an

    try:
        value = cn2an.cn2an(numeral.replace("兩", "两").replace("萬", "万").replace("億", "亿"), "smart")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


__all__ = [
    "CJK_NUMERAL", "CalendarWord", "Surface", "calendar_at", "calendar_words", "cjk_number", "decimal_comma",
    "dimension", "in_base_units", "locale", "number_words", "pint_unit", "same_quantity", "separators",
    "surface_at", "surfaces",
]
