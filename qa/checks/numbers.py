"""Numbers, units, percentages, dates and times that differ between aligned sentences.

Each sentence's numeric mentions are read locale-aware into a set of possible values, with the locale data
of :mod:`qa.quantities` (Babel/CLDR, pint, text2num, num2words, cn2an): "30.000" in German is 30000,
"1,5 Millionen" is 1.5 million, "四万五千" is 45000, "7月17日" gives the month 7 and the day 17, "11:35 pm"
is 23:35, "Donnerstag" the weekday 3, "gestern" the day before, "70 miles" 112.7 km.  Mentions of two
versions are matched one to one on any shared value (converted quantities within rounding); what stays
unmatched is a difference:

* a number here that no counterpart has, while the counterpart has an unmatched one of the same kind:
  "Number differs: 10 km here, 90 km in Wire (EN)", "Weekday differs: jeudi here, Wednesday in ..." (critical);
* a number here that the counterpart lacks: "Number not in Wire (EN): 2014" (major);
* a number of the counterpart missing here (major, on the word standing for it);
* the same value with a different unit of the same dimension: "500 centimètres here, 500 mm in ...";
* two plain quantities matched by value but in each other's place by the word alignment ("Numbers swapped").

Number words and calendar names alone never raise a flag (too many "one"s are pronouns), only as the other
half of a difference.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import regex

from qa import quantities
from qa.checks import lexicon, wordalign
from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import (
    Cell,
    Row,
    cell_evidence,
    counterparts,
    flagged_cells,
    rows,
    version_name,
)

NAME = "numbers"
ANCHOR_SIMILARITY = 0.5  # align-layer cosine of a mutual best word link used to project positions
SWAP_MARGIN = 2.0  # words by which the crossed assignment must fit the projected positions better
SWAP_RATIO = 0.5  # ... and at most this share of the straight assignment's distance

# Measure words after a single Chinese numeral (一, 两, 十 ...): only with one is it a quantity (一些 is "some").
_CJK_CLASSIFIER = set("个名位年月日号天次人家项种场条件台所座只头匹辆架艘本张部批份倍岁周届期例起户元吨米里度分秒点时小")

_DIGITS = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,'’]\d+)*"
# no letter of an alphabetic script (or a digit, dot, comma) right before a number; CJK may touch it
_LEFT = r"(?<![0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0530-\u058f_.,])"
_NUMBER = regex.compile(
    # a currency sign before the number, or letters glued to it that CLDR may name a currency symbol ("Rp16.200",
    # "R$5"; checked in :func:`extract`)
    r"(?:(?<![^\W\d_])(?P<sym>[A-Z][A-Za-z]{0,2}\$?)(?=\d)|(?P<pre>\p{Sc}|US\$)?\s?" + _LEFT + r")"
    r"(?P<num>" + _DIGITS + r")"
    r"(?P<ord>st|nd|rd|th|er|ère|e|ème|eme|-?го|-?й|-?я|-?е|-?х)?(?![\w]|[.,]\d)"
    r"|" + _LEFT + r"(?P<glued>\d+(?:[.,]\d+)?)(?=[^\W\d_])"
)
_TIME = re.compile(
    r"(?<![\w.:])(?P<h>[01]?\d|2[0-4])\s?(?:[:.]|\s?h\s?|\s?ч\.?\s?)(?P<m>[0-5]\d)(?![\d])"
    r"(?:\s?(?P<ampm>[ap])\.?\s?m\b\.?)?",
    re.I,
)
_HOUR_WORD = re.compile(
    r"(?<![\w.:])(?P<h>[01]?\d|2[0-4])\s?(?:h|Uhr|heures?|horas?|часов|часа|час)(?![\w])", re.I)
# a Chinese or Japanese clock time (点/時 "o'clock"; Japanese 時間 is a duration, "hours")
_ZH_TIME = re.compile(r"(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})(?:[时點点]|時(?!間))(?:(?P<m>\d{1,2})分|(?P<half>半))?")
_AMPM = re.compile(r"(?<![\w.:])(?P<h>1[0-2]|0?[1-9])\s?(?P<ampm>[ap])\.?\s?m\b\.?", re.I)
_DATE = re.compile(
    r"(?<![\w.])(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{2,4})"
    r"|(?P<d3>\d{1,2})/(?P<m3>\d{1,2})(?![/\d]))(?![\w])"
)  # y-m-d; d/m/y or m/d/y; a day and month without the year ("ngày 12/3"), in the language's order
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_PERCENT_ZH = re.compile(r"百分之")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_MIXED_CJK = re.compile(r"\d+(?:\.\d+)?[十百千万萬亿億兆]+(?:\d+[十百千万萬亿億兆]*)+")


@dataclass
class Mention:
    """A number as written in a sentence, with every value it may stand for."""

    text: str
    start: int  # offsets in the version text
    end: int
    values: frozenset[tuple[str, float]]  # ("n", number), ("t", minutes after midnight), ("m", month),
    # ("w", weekday), ("r:day", days from today), ("q:[length]", metres: the quantity in base units)
    strong: bool  # written with digits (a word number is weak evidence)
    unit: tuple[str, str] | None = None  # (dimension, CLDR unit id), e.g. ("length", "length-kilometer")

    def matches(self, other: Mention) -> bool:
        times, other_times = ({v for k, v in m.values if k == "t"} for m in (self, other))
        if times and other_times and not times & other_times:
            return False  # two clock times that cannot be the same ("下午3点" and "3 a.m."), whatever else they share
        if self.values & other.values:
            return True
        return any(quantities.same_quantity((ka, va), (kb, vb)) for ka, va in self.values if ka.startswith("q:")
                   for kb, vb in other.values if kb == ka)

    @property
    def family(self) -> str:
        """What the mention names: "w" a weekday, "r:day" a relative date, ..., else "n" a number or date."""
        kinds = {k for k, _ in self.values if k != "fragile"}
        return next(iter(kinds)) if len(kinds) == 1 and next(iter(kinds)).startswith(("w", "r:")) else "n"


def _round(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    digits = 6 - int(math.floor(math.log10(abs(value))))
    return round(value, max(0, digits))


def parse_digits(raw: str, lang: str) -> list[float]:
    """The values a digit group may mean in ``lang`` (locale's reading first)."""
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    comma_decimal = quantities.decimal_comma(lang)
    parts = re.split(r"([.,' ])", raw)
    numbers = parts[0::2]
    seps = parts[1::2]
    if not seps:
        return [float(raw)]
    if any(not p for p in numbers):
        return [float(numbers[0])] if numbers[0] else []
    kinds = set(seps)
    readings: list[float] = []

    def grouped(seps_as_thousands: set[str], decimal: str | None) -> float | None:
        # every thousands group after the first must be exactly three digits
        whole = numbers[0]
        if len(whole) > 3 and seps and seps[0] in seps_as_thousands:
            return None
        for sep, part in zip(seps, numbers[1:]):
            if sep in seps_as_thousands:
                if len(part) != 3:
                    return None
                whole += part
            elif sep == decimal:
                whole += "." + part
            else:
                return None
        return float(whole)

    if len(kinds) >= 2:
        last = seps[-1]
        value = grouped(kinds - {last}, last) if seps.count(last) == 1 else None
        if value is not None:
            readings.append(value)
    else:
        sep = seps[0]
        if sep in "' " or len(seps) > 1:
            value = grouped({sep}, None)
            if value is not None:
                readings.append(value)
        else:
            as_thousands = grouped({sep}, None)
            as_decimal = float(numbers[0] + "." + numbers[1])
            locale_decimal = sep == ("," if comma_decimal else ".")
            if as_thousands is not None and not locale_decimal:
                readings.append(as_thousands)
            elif as_thousands is not None:
                readings.extend([as_decimal, as_thousands])
            else:
                readings.append(as_decimal)
    if not readings and seps and all(s == " " for s in seps):
        return [float(numbers[0])]  # "2019 10" is two numbers; keep the first
    return readings


def _next_words(text: str, end: int, count: int = 2) -> list[tuple[str, int]]:
    """The next ``count`` words after ``end`` (lower case) with their end offsets."""
    out = []
    pos = end
    for _ in range(count):
        match = re.compile(r"\s*([^\s\d]+?)(?=[\s,;:!?)\]»”\"]|$|\.(?:\s|$))").match(text, pos)
        if not match:
            break
        out.append((match.group(1).lower().rstrip("."), match.end()))
        pos = match.end()
    return out


def _unit_after(text: str, pos: int, lang: str) -> tuple[quantities.Surface, int] | None:
    """A unit, currency or scale word right after a number ending at ``pos`` ("5 km", "5km", "3万")."""
    glued = pos < len(text) and not text[pos].isspace()
    skip = pos
    while skip < len(text) and skip - pos < 2 and text[skip] in " \u00a0\u202f":
        skip += 1
    found = quantities.surface_at(text, skip, lang, glued)
    if found is None and lang != "en":
        found = quantities.surface_at(text, skip, "en", glued)
    return found


def _physical(values: set[tuple[str, float]], unit_id: str) -> set[tuple[str, float]]:
    """The base-unit quantities (``("q:[length]", metres)``) a number with ``unit_id`` stands for."""
    out = set()
    for kind, value in values:
        if kind == "n":
            base = quantities.in_base_units(value, unit_id)
            if base is not None:
                out.add((f"q:{base[0]}", base[1]))
    return out


MIN_COMPOUND_REST_ZIPF = 2.0  # what follows a number word in a compound must be a word of the language


_RANGE_MARK = regex.compile(r"\s*[-~\p{Pd}〜～至到]\s*")


def _ranges_share_month(text: str, offset: int, mentions: list[Mention]) -> None:
    """A bare number before a month numeral across a range mark is a month too ("4~9月" is April to
    September, "3-5月" March to May)."""
    ordered = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    for i, j in zip(ordered, ordered[1:]):
        first, second = mentions[i], mentions[j]
        months = {v for k, v in second.values if k == "m"}
        numbers = [v for k, v in first.values if k == "n"]
        if not months or len(first.values) != 1 or not numbers or not (1 <= numbers[0] <= 12):
            continue
        if _RANGE_MARK.fullmatch(text[first.end - offset : second.start - offset]):
            mentions[i] = Mention(first.text, first.start, first.end, first.values | {("m", numbers[0])},
                                  first.strong, first.unit)


def _ranges_share_scale(text: str, offset: int, mentions: list[Mention], scaled: list) -> None:
    """A bare number one or two words before a scaled one is a range's first end and takes its scale and unit
    too ("2,5 à 4 millions de tonnes", "2.5 to 4 million tonnes", "zwischen 3 und 5 Milliarden"): the reading
    with the scale is added to the number's values."""
    for (i, values_f, scale, unit), (j, _, next_scale, next_unit) in zip(scaled, scaled[1:]):
        if scale != 1.0 or unit is not None or (next_scale == 1.0 and next_unit is None):
            continue
        first, second = mentions[i], mentions[j]
        between = text[first.end - offset : second.start - offset]
        if len(between.split()) > 2 or any(ch in between for ch in ".,;:()"):
            continue
        extra = {("n", _round(v * next_scale)) for v in values_f}
        if next_unit is not None:
            extra |= _physical(extra, next_unit[1])
        mentions[i] = Mention(first.text, first.start, first.end, first.values | frozenset(extra), first.strong,
                              first.unit or next_unit)


def extract(text: str, lang: str, offset: int = 0) -> list[Mention]:
    """Every numeric mention of ``text`` (a sentence of language ``lang``), offsets shifted by ``offset``."""
    lang = (lang or "en").split("-")[0].lower()
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, values: set[tuple[str, float]], strong: bool, unit=None) -> None:
        values = {(k, _round(v)) for k, v in values}
        mentions.append(Mention(text[a:b], offset + a, offset + b, frozenset(values), strong, unit))
        taken.append((a, b))

    scaled: list[tuple[int, list[float], float, tuple[str, str] | None]] = []  # digit numbers: scale and unit read
    _calendar(text, lang, free, add)
    for m in _DATE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("y1"):
            y, mo, d = m.group("y1"), m.group("m1"), m.group("d1")
        else:
            k = "2" if m.group("d2") else "3"
            y, d, mo = m.group(f"y{k}") if k == "2" else None, m.group(f"d{k}"), m.group(f"m{k}")
            if not quantities.day_before_month(lang):
                d, mo = mo, d  # 7/9/2024 is 9 July in English
        if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
            continue
        # the parts stand alone, so "17.07.2020" matches "17 July 2020" and "ngày 12/3" "on March 12"
        values = {("m", float(mo)), ("n", float(d))}
        if y is not None:
            values.add(("n", float(int(y) + (2000 if len(y) == 2 and int(y) < 50 else 1900 if len(y) == 2 else 0))))
        else:
            values.add(("n", float(mo)))  # a day and month may also be two numbers ("2/3 of the seats")
        add(m.start(), m.end(), values, True)
    for m in _TIME.finditer(text):
        if not free(m.start(), m.end()):
            continue
        sep = text[m.end("h"):m.start("m")].strip()
        if sep in {".", ""} and not m.group("ampm") and lang not in {"de", "ru", "da", "fi", "nb", "sv"}:
            continue  # "2.30" is a decimal outside languages that write times with a dot
        if sep == "." and not m.group("ampm") and len(m.group("m")) != 2:
            continue
        h, mi = int(m.group("h")), int(m.group("m"))
        values: set[tuple[str, float]] = set()
        ampm = (m.group("ampm") or "").lower()
        hours = [h % 12 + (12 if ampm == "p" else 0)] if ampm else [h, (h + 12) % 24] if h <= 12 else [h, h - 12]
        for hh in hours:
            values |= {("t", hh * 60 + mi), ("n", hh * 100 + mi)}
        if sep == ".":
            values.add(("n", float(f"{h}.{m.group('m')}")))
        add(m.start(), m.end(), values, True)
    for m in _ZH_TIME.finditer(text):
        if not free(m.start(), m.end()):
            continue
        h = int(m.group("h")) if m.group("h").isdigit() else quantities.cjk_number(m.group("h"))
        if h is None or h > 24:
            continue
        mi = 30 if m.group("half") else int(m.group("m") or 0)
        hours = [int(h), (int(h) + 12) % 24] if h <= 12 else [int(h), int(h) - 12]
        period = quantities.day_period_hours(text[max(0, m.start() - 4) : m.start()], lang)
        if period is not None and any(hh in period for hh in hours):
            hours = [hh for hh in hours if hh in period]  # 下午3点 is 15:00, not 3:00 (CLDR's parts of the day)
        values = {("n", float(h))}  # the hour alone too: "half past nine" for 9点半 (two clock times must agree)
        for hh in hours:
            values |= {("t", hh * 60 + mi), ("n", hh * 100 + mi)}
        add(m.start(), m.end(), values, True)
    for m in _HOUR_WORD.finditer(text):
        if not free(m.start(), m.end()):
            continue
        h = int(m.group("h"))
        hours = [h, (h + 12) % 24] if h <= 12 else [h, h - 12]
        values = {("n", float(h))}
        for hh in hours:
            values |= {("t", hh * 60), ("n", hh * 100.0)}
        add(m.start(), m.end(), values, True)
    for m in _AMPM.finditer(text):
        if not free(m.start(), m.end()):
            continue
        h = int(m.group("h")) % 12 + (12 if m.group("ampm").lower() == "p" else 0)
        add(m.start(), m.end(), {("t", h * 60), ("n", float(h)), ("n", h * 100.0)}, True)
    for m in _MIXED_CJK.finditer(text):
        # digits and CJK scale characters in one numeral: 1億2千万 is 120 million, not "1億" and "2"
        value = quantities.cjk_number(m.group())
        if value is None or not free(m.start(), m.end()):
            continue
        found = _unit_after(text, m.end(), lang)
        unit = (quantities.dimension(found[0].key), found[0].key) if found and found[0].key != "scale" else None
        values = {("n", float(value))} | (_physical({("n", float(value))}, unit[1]) if unit else set())
        add(m.start(), found[1] if unit else m.end(), values, True, unit)
    for m in _NUMBER.finditer(text):
        group = "num" if m.group("num") else "glued"
        a, b = m.start(group), m.end(group)
        if not free(a, b):
            continue
        raw = m.group(group)
        if re.search(r"[^\W\d_][-‐]$", text[max(0, a - 2):a]):
            continue  # part of a name: Covid-19, F-16, G-20
        if group == "glued" and _glued_letters(text, b) and not _unit_after(text, b, lang):
            continue  # part of a word or code: 3D, 5G, 2nd-hand
        values_f = parse_digits(raw.strip(), lang)
        if not values_f:
            continue
        end = m.end(group) if group == "glued" else m.end()
        unit = None
        sign = m.group("pre") or m.group("sym")
        if sign:
            a = m.start("pre") if m.group("pre") else m.start("sym")
            found_sign = quantities.surface_at(sign, 0, lang, True) or quantities.surface_at(sign, 0, "en", True)
            pre = found_sign[0] if found_sign and found_sign[1] == len(sign) else None
            if m.group("sym") and not (pre and pre.symbol and pre.key.startswith("money-")):
                continue  # letters glued to a number that are no currency: a code ("A380", "G7")
            unit = (quantities.dimension(pre.key), pre.key) if pre and pre.key != "scale" else None
        scale = 1.0
        pos = m.end() if group == "num" and m.group("ord") else m.end(group)  # "1st" is no stone
        for _ in range(2):  # a scale word, then a unit: "1,5 Millionen Euro", "3万公里", "5bn dollars"
            found = _unit_after(text, pos, lang)
            if found is None:
                break
            surface, surface_end = found
            if surface.key == "scale" and scale == 1.0:
                scale = surface.value
            elif surface.key != "scale" and unit is None:
                unit = (quantities.dimension(surface.key), surface.key)
            else:
                break
            pos = end = max(end, surface_end)
        if unit is None:
            # "5 millions de dollars", "3 miles of road": a unit one small word further on
            words = _next_words(text, end, 2)
            if len(words) == 2 and words[0][0].lower() not in quantities.per_words(lang):  # "16,200 per dollar"
                found = _unit_after(text, words[0][1], lang)
                if found and found[0].key != "scale" and not found[0].symbol:
                    unit = (quantities.dimension(found[0].key), found[0].key)
        if text[m.end(group):m.end(group) + 2].strip()[:1] == "%":
            unit = ("concentr", "concentr-percent")
            end = max(end, text.index("%", m.end(group)) + 1)
        values = {("n", v * scale) for v in values_f}
        tail = text[m.end(group):]
        if re.match(r"['’]?s\b|er\b|-х|х\b", tail) and values_f[0] % 10 == 0 and 1000 <= values_f[0] <= 2100:
            values.add(("n", values_f[0] % 100))  # the 1970s = the 70s
        if tail[:1] == "月" and values_f[0] == int(values_f[0]) and 1 <= values_f[0] <= 12:
            values.add(("m", values_f[0]))
        if unit is not None:
            values |= _physical(values, unit[1])
        add(a, end, values, True, unit)
        scaled.append((len(mentions) - 1, values_f, scale, unit))
    _ranges_share_scale(text, offset, mentions, scaled)
    _ranges_share_month(text, offset, mentions)
    if lang in {"zh", "ja"} or _CJK_CHAR.search(text):
        taken.extend((m.start(), m.end()) for m in _PERCENT_ZH.finditer(text))
        for m in quantities.CJK_NUMERAL.finditer(text):
            if not free(m.start(), m.end()):
                continue
            value = quantities.cjk_number(m.group())
            if value is None:
                continue
            after = text[m.end():m.end() + 1]
            before = text[max(0, m.start() - 3):m.start()]
            single = len(m.group()) == 1
            if single and after not in _CJK_CLASSIFIER:
                continue  # 三明治, 统一, 一些: a numeral inside a word is no quantity
            unit = ("concentr", "concentr-percent") if before.endswith("百分之") else None
            values = {("n", float(value))}
            if after == "月" and 1 <= value <= 12:
                values.add(("m", float(value)))
            add(m.start(), m.end(), values, not single, unit)
    _number_words(text, lang, free, add, mentions)
    _compound_numbers(text, lang, free, add, mentions)
    for m in _WORD.finditer(text):
        # a bare scale word ("thousands of", "millions") matches the same scale anywhere
        if not free(m.start(), m.end()):
            continue
        surface = next(iter(quantities.surfaces(lang).get(m.group().lower(), ())), None)
        if surface is not None and surface.key == "scale" and not surface.symbol:
            add(m.start(), m.end(), {("n", surface.value)}, False)
            mentions[-1].values = mentions[-1].values | {("fragile", 1.0)}
    mentions.sort(key=lambda x: x.start)
    return mentions


MIN_SUFFIX_LETTERS = 3  # lower-case letters glued to a number that make a word are its suffix, not a code


def _glued_letters(text: str, pos: int) -> bool:
    """Whether a number ending at ``pos`` is part of a code or name ("3D", "5G", "4Runner"): letters of an
    alphabetic script touch it. Chinese, Japanese and Korean glue their counters to numbers ("14일", "3万"), and
    a lower-case word glued to it is a suffix of the number ("45χρονο", "20jährige": 45-year-old, 20-year-old)."""
    ch = text[pos]
    if not ch.isalpha() or _CJK_CHAR.match(ch) or _HANGUL.match(ch):
        return False
    letters = regex.match(r"\p{L}+", text[pos:]).group()
    return not (len(letters) >= MIN_SUFFIX_LETTERS and letters.islower())


def _calendar(text: str, lang: str, free, add) -> None:
    """Weekdays, months and relative dates named in words (CLDR via :mod:`qa.quantities`)."""
    table = quantities.calendar_words(lang)
    if not table:
        return
    has_capitals = any(ch.isupper() for ch in text)
    starts = [m.start() for m in re.finditer(r"(?<![^\W\d_])[^\W\d_]", text)]
    starts += [k for k, ch in enumerate(text) if _CJK_CHAR.match(ch) and k not in set(starts)]
    for start in sorted(set(starts)):
        if not free(start, start + 1):
            continue
        found = quantities.calendar_at(text, start, lang)
        if found is None:
            continue
        word, end = found
        surface = text[start:end]
        cjk = bool(_CJK_CHAR.search(surface))
        if word.abbreviated and not cjk and not _near_digit(text, start, end):
            continue  # "mar.", "Do.": abbreviations only in dates
        if word.capitalised and has_capitals and not surface[:1].isupper():
            continue  # "may" is no month
        if not word.capitalised and surface[:1].isupper() and not _starts_sentence(text, start):
            continue  # "Mars" the planet, "am Morgen" (morning), a title
        if not free(start, end):
            continue
        kind = "m" if word.kind == "m" else word.kind
        add(start, end, {(kind, float(word.value))}, False)


def _starts_sentence(text: str, start: int) -> bool:
    return not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:;\"“„«—–-("


MAX_NUMBER_WORDS = 6


def _number_words(text: str, lang: str, free, add, mentions: list[Mention]) -> None:
    """Numbers written in words, the longest phrase that reads as one number ("twenty-three thousand")."""
    words = [m for m in _WORD.finditer(text)]
    k = 0
    while k < len(words):
        if not free(words[k].start(), words[k].end()):
            k += 1
            continue
        best = None
        for j in range(min(len(words), k + MAX_NUMBER_WORDS), k, -1):
            if any(not free(w.start(), w.end()) for w in words[k:j]):
                continue
            gaps = [text[words[i].end():words[i + 1].start()] for i in range(k, j - 1)]
            if any(g.strip(" -‐") for g in gaps):
                continue
            value = quantities.number_words(text[words[k].start():words[j - 1].end()], lang)
            if value is not None:
                best = (j, value)
                break
        if best is None:
            k += 1
            continue
        j, value = best
        a, b = words[k].start(), words[j - 1].end()
        unit = None
        found = _unit_after(text, b, lang)
        if found is not None and found[0].key != "scale" and not found[0].symbol:
            unit = (quantities.dimension(found[0].key), found[0].key)
        values = {("n", value)}
        if unit is not None:
            values |= _physical(values, unit[1])
        add(a, b, values, False, unit)
        if value <= 1:
            mentions[-1].values = mentions[-1].values | {("fragile", 1.0)}  # "un", "ein", "one": articles too
        k = j


def _compound_numbers(text: str, lang: str, free, add, mentions: list[Mention]) -> None:
    """A number word opening a compound ("Fünfprozenthürde", "tweejarig"): a fragile mention, which may stand for
    the counterpart's number but is never reported itself ("Dreieck" is a triangle)."""
    if lang not in lexicon.COMPOUNDING_LANGS:
        return
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < 8 or not free(m.start(), m.end()):
            continue
        for cut in range(len(word) - 4, 2, -1):
            rest = word[cut:]
            value = quantities.number_words(word[:cut], lang)
            known = max(lexicon.word_zipf(rest, lang), lexicon.best_split(rest, lang)[0])
            if value is not None and value > 1 and known >= MIN_COMPOUND_REST_ZIPF:
                add(m.start(), m.end(), {("n", float(value))}, False)
                mentions[-1].values = mentions[-1].values | {("fragile", 1.0)}
                break


def _near_digit(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d\s*\.?\s*$", text[max(0, start - 4):start]) or re.match(r"\s*\d", text[end:end + 3]))


# --- matching ------------------------------------------------------------------------------------


def _matching(left: list[Mention], right: list[Mention]) -> dict[int, int]:
    """Maximum one-to-one matching on shared values: right index -> left index."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, other in enumerate(right):
            if j in seen or not left[i].matches(other):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    # digits first, so a word number never takes the partner of a digit number
    for i in sorted(range(len(left)), key=lambda k: not left[k].strong):
        augment(i, set())
    return owner


def _match(left: list[Mention], right: list[Mention]) -> tuple[set[int], set[int]]:
    """The matched indices on each side of :func:`_matching`."""
    owner = _matching(left, right)
    return set(owner.values()), set(owner)


def _families(mentions: list[Mention]) -> set[str]:
    return {m.family for m in mentions}


@dataclass
class Difference:
    """What one cell has that its counterpart lacks, against one counterpart."""

    extra: list[Mention]  # unmatched strong mentions here
    weak_extra: list[Mention]
    missing: list[Mention]  # unmatched strong mentions of the counterpart
    weak_missing: list[Mention]
    unit_changes: list[tuple[Mention, Mention]]

    swaps: list[tuple[Mention, Mention]] = field(default_factory=list)  # (here, its word-aligned counterpart)

    @property
    def any(self) -> bool:
        weak_here, weak_there = _families(self.weak_extra), _families(self.weak_missing)
        return bool(self.extra or self.missing or self.unit_changes or self.swaps or weak_here & weak_there
                    or ("n" in weak_here and self.missing) or (self.extra and "n" in weak_there))


def compare(here: list[Mention], there: list[Mention]) -> Difference:
    """How the mentions of one cell differ from those of a counterpart cell."""
    owner = _matching(here, there)
    matched_here, matched_there = set(owner.values()), set(owner)
    unit_changes = []
    for j, i in owner.items():
        a, b = here[i], there[j]
        if not (a.unit and b.unit and a.unit[0] == b.unit[0] and a.unit[1] != b.unit[1]):
            continue
        if _converted(a, b):
            continue  # 70 miles = 113 km
        if a.unit[0] == "money" and (_currency_symbol(a.text) or _currency_symbol(b.text)):
            continue  # "$" and "¥" name several currencies
        unit_changes.append((a, b))

    def fragile(m: Mention) -> bool:
        return ("fragile", 1.0) in m.values

    # a written-out date ("17.07.2020") stands for several mentions of the other side ("17 July 2020")
    matched_here |= {k for k, m in enumerate(here) if k not in matched_here and _in_date(m, there)}
    matched_there |= {k for k, m in enumerate(there) if k not in matched_there and _in_date(m, here)}
    extra = [m for k, m in enumerate(here) if k not in matched_here and m.strong]
    weak_extra = [m for k, m in enumerate(here) if k not in matched_here and not m.strong and not fragile(m)]
    missing = [m for k, m in enumerate(there) if k not in matched_there and m.strong]
    weak_missing = [m for k, m in enumerate(there) if k not in matched_there and not m.strong and not fragile(m)]
    # a month name unmatched is only a difference when it stands in for a number
    weak_extra = [m for m in weak_extra if not all(k == "m" for k, _ in m.values) or missing]
    weak_missing = [m for m in weak_missing if not all(k == "m" for k, _ in m.values) or extra]
    return Difference(extra, weak_extra, missing, weak_missing, unit_changes)


def _converted(a: Mention, b: Mention) -> bool:
    """Whether two mentions name the same physical quantity in different units (within rounding)."""
    return any(quantities.same_quantity((ka, va), (kb, vb)) for ka, va in a.values if ka.startswith("q:")
               for kb, vb in b.values if kb == ka)


def _currency_symbol(text: str) -> bool:
    return any(unicodedata.category(ch) == "Sc" for ch in text)


def _in_date(mention: Mention, others: list[Mention]) -> bool:
    """Whether ``mention`` shares a value with a date of ``others`` (a mention with a month and a number)."""
    for other in others:
        kinds = {k for k, _ in other.values}
        if "m" in kinds and "n" in kinds and len(other.values) >= 3 and mention.values & other.values:
            return True
    return False


def _mentions(cell: Cell) -> list[Mention]:
    out = []
    for text, offset in cell.pieces():
        out.extend(extract(text, cell.lang, offset))
    return out


def _cell_offsets(cell: Cell) -> list[tuple[int, int]]:
    """(version offset, cell-text offset) of each sentence of the cell (the cell text joins them by a space)."""
    out, pos = [], 0
    for text, offset in cell.pieces():
        out.append((offset, pos))
        pos += len(text) + 1
    return out


def _to_cell(cell_offsets: list[tuple[int, int]], version_offset: int) -> int:
    base = cell_offsets[0]
    for item in cell_offsets:
        if item[0] <= version_offset:
            base = item
    return version_offset - base[0] + base[1]


def _word_spans(vec: wordalign.TextVectors, cell: Cell, mentions: list[Mention]) -> list[list[int]]:
    """For each mention, the indices of ``vec``'s words inside it."""
    offsets = _cell_offsets(cell)
    out = []
    for m in mentions:
        a, b = _to_cell(offsets, m.start), _to_cell(offsets, m.end)
        out.append([k for k, w in enumerate(vec.words) if w.start < b and w.end > a])
    return out


def _anchors(sims: np.ndarray, spans_here: list[list[int]], spans_there: list[list[int]],
             owner: dict[int, int], here: list[Mention]) -> list[tuple[float, float]]:
    """Word positions (here, there) known to correspond: mutual best word links outside the mentions, and
    mentions whose value occurs once on each side (a year, a weekday)."""
    inside_here = {k for span in spans_here for k in span}
    inside_there = {k for span in spans_there for k in span}
    out: list[tuple[float, float]] = []
    if sims.size:
        best_there = sims.argmax(axis=1)
        best_here = sims.argmax(axis=0)
        for i, j in enumerate(best_there):
            if best_here[j] == i and sims[i, j] >= ANCHOR_SIMILARITY and i not in inside_here and j not in inside_there:
                out.append((float(i), float(j)))
    values = [here[i].values for i in owner.values()]
    for j, i in owner.items():
        if values.count(here[i].values) == 1 and spans_here[i] and spans_there[j]:
            out.append((float(np.mean(spans_here[i])), float(np.mean(spans_there[j]))))
    return out


def _project(position: float, anchors: list[tuple[float, float]], skip: set[tuple[float, float]]) -> float | None:
    """Where a word position here lands there, by its nearest anchors on each side."""
    left = [a for a in anchors if a[0] < position and a not in skip]
    right = [a for a in anchors if a[0] > position and a not in skip]
    guesses = []
    if left:
        a = max(left)
        guesses.append((position - a[0], a[1] + (position - a[0])))
    if right:
        a = min(right)
        guesses.append((a[0] - position, a[1] - (a[0] - position)))
    if not guesses:
        return None
    weights = [1.0 / d for d, _ in guesses]
    return sum(w * g for w, (_, g) in zip(weights, guesses)) / sum(weights)


def _swappable(a: Mention, b: Mention) -> bool:
    """Two plain quantities of one kind (same unit or none): the only numbers that can trade places."""
    def kinds(m: Mention) -> set[str]:
        return {k for k, _ in m.values if not k.startswith("q:")}

    if kinds(a) != {"n"} or kinds(b) != {"n"} or (a.unit != b.unit and a.unit and b.unit):
        return False  # a unit written once covers both ("35 hours instead of 17")
    return not any(_year_like(m) for m in (a, b))


def _year_like(m: Mention) -> bool:
    return any(k == "n" and v == int(v) and 1000 <= v <= 2100 for k, v in m.values) and m.unit is None and \
        m.text.strip().isdigit()


def swapped(here: list[Mention], there: list[Mention], owner: dict[int, int], cell: Cell, other: Cell,
            model: str | None) -> list[tuple[Mention, Mention]]:
    """Mentions matched by value that the word alignment puts in each other's place: "10 killed, 20 hurt"
    against "20 killed, 10 hurt".  Each number is compared with the one at its aligned position, not as a bag:
    its position is projected through the nearest word links (and numbers that occur once) on each side."""
    pairs = [(i, j) for j, i in owner.items() if here[i].strong and there[j].strong]
    if len(pairs) < 2:
        return []
    reversed_pairs = _reversed_joins(here, there, owner, cell, other)
    if reversed_pairs or not wordalign.supported(model):
        return reversed_pairs
    vh, vt = wordalign.vectors([cell.text, other.text], model)
    if vh is None or vt is None or not len(vh) or not len(vt):
        return []
    spans_here = _word_spans(vh, cell, here)
    spans_there = _word_spans(vt, other, there)
    sims = np.asarray(vh.align, np.float32) @ np.asarray(vt.align, np.float32).T
    anchors = _anchors(sims, spans_here, spans_there, owner, here)
    found: list[tuple[float, int, int, int, int]] = []
    for x in range(len(pairs)):
        for y in range(x + 1, len(pairs)):
            (ia, ja), (ib, jb) = pairs[x], pairs[y]
            if here[ia].values & here[ib].values or not all((spans_here[ia], spans_here[ib], spans_there[ja],
                                                              spans_there[jb])):
                continue
            if not _swappable(here[ia], here[ib]):
                continue  # a time and a day, a year and a count: different slots, not a swap
            pa, pb = float(np.mean(spans_here[ia])), float(np.mean(spans_here[ib]))
            qa, qb = float(np.mean(spans_there[ja])), float(np.mean(spans_there[jb]))
            skip = {(pa, qa), (pb, qb)}
            ta, tb = _project(pa, anchors, skip), _project(pb, anchors, skip)
            if ta is None or tb is None:
                continue
            straight = abs(ta - qa) + abs(tb - qb)
            crossed = abs(ta - qb) + abs(tb - qa)
            if straight - crossed >= SWAP_MARGIN and crossed <= SWAP_RATIO * straight:
                found.append((straight - crossed, ia, ib, ja, jb))
    out: list[tuple[Mention, Mention]] = []
    used: set[int] = set()
    for _, ia, ib, ja, jb in sorted(found, reverse=True):  # the clearest swap first; each number in one swap
        if ia in used or ib in used:
            continue
        used |= {ia, ib}
        out += [(here[ia], there[jb]), (here[ib], there[ja])]
    return out


def _joins(mentions: list[Mention], cell: Cell) -> set[tuple[int, int]]:
    """Index pairs of numbers written as one figure joined by a sign ("2:0", "3-1", "21：36"), where the
    order is the meaning (a score, a ratio, a time)."""
    out = set()
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if not (a.strong and b.strong):
            continue
        for text, offset in cell.pieces():
            if offset <= a.end and b.start <= offset + len(text):
                between = text[a.end - offset : b.start - offset]
                if len(between) == 1 and not between.isspace() and not between.isalnum():
                    out.add((i, i + 1))
    return out


def _reversed_joins(here: list[Mention], there: list[Mention], owner: dict[int, int], cell: Cell,
                    other: Cell) -> list[tuple[Mention, Mention]]:
    """Joined figures written the other way round ("2:0" against "0:2"): each number matched with the other
    one's counterpart."""
    partner = {i: j for j, i in owner.items()}
    joins_there = _joins(there, other)
    out: list[tuple[Mention, Mention]] = []
    for ia, ib in sorted(_joins(here, cell)):
        ja, jb = partner.get(ia), partner.get(ib)
        if ja is None or jb is None or (jb, ja) not in joins_there or here[ia].values & here[ib].values:
            continue
        if _swappable(here[ia], here[ib]):
            out += [(here[ia], there[jb]), (here[ib], there[ja])]
    return out


def run(ctx: CheckContext) -> list[Flag]:
    """Flag numbers that differ between the aligned sentences of the versions."""
    flags: list[Flag] = []
    for row in rows(ctx):
        mentions = {cell.label: _mentions(cell) for cell in row.cells}
        if not any(mentions.values()):
            continue
        diffs: dict[tuple[str, str], Difference] = {}
        disagrees: dict[str, set[str]] = {c.label: set() for c in row.cells}
        for cell in row.cells:
            for other in row.other(cell):
                diff = compare(mentions[cell.label], mentions[other.label])
                mirror = diffs.get((other.label, cell.label))
                if not diff.any and mirror is not None:
                    diff.swaps = [(b, a) for a, b in mirror.swaps]  # one judgement per pair of versions
                elif not diff.any:
                    owner = _matching(mentions[cell.label], mentions[other.label])
                    diff.swaps = swapped(mentions[cell.label], mentions[other.label], owner, cell, other, ctx.model)
                diffs[(cell.label, other.label)] = diff
                if diff.any and counterparts(ctx, cell, other):
                    disagrees[cell.label].add(other.label)
        for cell, judge in flagged_cells(row, disagrees):
            flags.extend(_flags(ctx, row, cell, judge, diffs[(cell.label, judge.label)]))
    return flags


def _unit_name(unit: tuple[str, str]) -> str:
    return unit[1].split("-", 1)[1]  # "length-kilometer" -> "kilometer", "money-EUR" -> "EUR"


def _describe(m: Mention, with_unit: bool = False) -> str:
    text = " ".join(m.text.split())
    if with_unit and m.unit:
        return f"{text} ({_unit_name(m.unit)})"
    return text


def _what(m: Mention) -> str:
    """What kind of value differs, for the message."""
    kinds = {k for k, _ in m.values if k != "fragile"}
    if m.family == "w":
        return "Weekday"
    if m.family.startswith("r:"):
        return "Date"
    if kinds == {"m"}:
        return "Month"
    if "t" in kinds:
        return "Time"
    return "Number"


def _flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell, diff: Difference) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    evidence = cell_evidence(row, cell, ctx)
    out: list[Flag] = []

    def flag(start: int, end: int, severity: str, message: str, confidence: float, reason: str = "") -> None:
        sentence = cell.sentence_at(start)
        out.append(
            sentence_flag(ctx, cell.version, sentence, start, end, type="number_mismatch", severity=severity,
                          message=message, confidence=confidence, check=NAME, evidence=evidence, reason=reason)
        )

    theirs = diff.missing + diff.weak_missing
    used: set[int] = set()

    def partner(mention: Mention) -> Mention | None:
        """The counterpart's unmatched mention of the same kind, in order (each used once while any is left)."""
        same = [k for k, m in enumerate(theirs) if m.family == mention.family]
        if not same:
            return None
        fresh = [k for k in same if k not in used]
        k = (fresh or same)[0] if fresh else same[-1]
        used.add(k)
        return theirs[k]

    for mention in diff.extra:
        other = partner(mention)
        if other is not None:
            flag(mention.start, mention.end, "critical",
                 f"{_what(mention)} differs: {_describe(mention)} here, {_describe(other)} in {where}", 0.9,
                 f"counterpart: \"{other.text}\"")
        else:
            flag(mention.start, mention.end, "major", f"{_what(mention)} not in {where}: {_describe(mention)}", 0.7)
    for mention in diff.weak_extra:
        other = partner(mention)
        if other is not None:
            flag(mention.start, mention.end, "critical",
                 f"{_what(mention)} differs: {_describe(mention)} here, {_describe(other)} in {where}", 0.75,
                 f"counterpart: \"{other.text}\"")
    surplus = [m for k, m in enumerate(theirs) if k not in used and m.strong]
    if surplus:
        shown = ", ".join(_describe(m) for m in surplus[:3])
        at = wordalign.counterpart_span(ctx.model, cell, judge, surplus[0].start, surplus[0].end, after=True)
        start, end = at or (cell.start, cell.end)
        flag(start, end, "major", f"Number missing here: {shown} in {where}", 0.6,
             f"\"{surplus[0].text}\" corresponds to \"{cell.version.text[start:end]}\" here (word alignment)"
             if at else "")
    for mine, other in diff.unit_changes:
        flag(mine.start, mine.end, "critical",
             f"Unit differs: {_describe(mine, True)} here, {_describe(other, True)} in {where}", 0.85,
             f"counterpart: \"{other.text}\"")
    for mine, other in diff.swaps:
        flag(mine.start, mine.end, "critical",
             f"Numbers swapped: {_describe(mine)} here stands where {where} has {_describe(other)}", 0.8,
             f"counterpart: \"{other.text}\" (word alignment)")
    return out


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="numbers, units, percentages, dates and times that differ between aligned sentences",
)
