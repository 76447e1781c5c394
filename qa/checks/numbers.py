"""Numbers, units, percentages, dates and times that differ between aligned sentences.

Each sentence's numeric mentions are read locale-aware into a set of possible values
("30.000" in German is 30000, "2,600" in English is 2600, "1,5 Millionen" is 1.5 million,
"7月17日" gives the month 7 and the day 17, "11:35 pm" is 23:35), number words count where
they are unambiguous ("zwei", "deux", "три", "dozens", "三"), and month names give their
month number so "July 17" matches "17 июля".  Mentions of two versions are matched one to one
on any shared value; what stays unmatched is a difference:

* a number here that no counterpart has, while the counterpart has an unmatched one too:
  "Number differs: 10 km here, 90 km in Wire (EN)" (critical);
* a number here that the counterpart lacks: "Number not in Wire (EN): 2014" (major);
* a number of the counterpart missing here (major, on the sentence);
* the same value with a different unit of the same kind: "70 miles here, 70 km in Wire (EN)".

Number words alone never raise a flag (too many "one"s are pronouns), only as the other half
of a difference.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

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

# Languages writing "1.234,5" (thousands dot or space, decimal comma); the rest write "1,234.5".
DECIMAL_COMMA = frozenset(
    ["de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "cs", "sk", "sl", "hr", "sr", "bg", "mk", "ro", "hu", "tr", "sv", "da", "nb", "no", "fi", "et", "lv", "lt", "el", "az", "hy", "ka", "kk", "be", "id", "ca", "gl", "eu"]
)

_SCALES = {
    # word (lower case) -> multiplier
    **dict.fromkeys(["thousand", "thousands", "tausend", "mille", "milliers", "mil", "тысяча", "тысячи", "тысяч",
                     "тыс", "k"], 1e3),
    **dict.fromkeys(["million", "millions", "mio", "mln", "m", "millionen", "millón", "millones", "milione", "milioni",
                     "миллион", "миллиона", "миллионов", "млн", "mn"], 1e6),
    **dict.fromkeys(["billion", "billions", "bn", "milliarde", "milliarden", "mrd", "milliard", "milliards",
                     "miliardo", "miliardi", "миллиард", "миллиарда", "миллиардов", "млрд"], 1e9),
    **dict.fromkeys(["trillion", "trillions", "billionen", "billón", "billones", "триллион", "триллиона",
                     "триллионов", "трлн"], 1e12),
}
_CJK_SCALES = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "百万": 1e6, "千万": 1e7, "万亿": 1e12}

_UNITS: dict[str, tuple[str, str]] = {}  # surface form (lower) -> (dimension, canonical unit)


def _units(dimension: str, unit: str, *forms: str) -> None:
    for form in forms:
        _UNITS[form] = (dimension, unit)


_units("length", "km", "km", "км", "公里", "千米", "kilometre", "kilometres", "kilometer", "kilometers", "kilometern",
       "kilomètre", "kilomètres", "kilómetro", "kilómetros", "километр", "километра", "километров", "километрах")
_units("length", "m", "metre", "metres", "meter", "meters", "metern", "mètre", "mètres", "metro", "metros", "метр",
       "метра", "метров", "米")
_units("length", "mile", "mile", "miles", "meile", "meilen", "mille", "milles", "milla", "millas", "миля", "мили",
       "миль", "英里")
_units("length", "cm", "cm", "см", "厘米")
_units("mass", "kg", "kg", "кг", "公斤", "千克", "kilogram", "kilograms", "kilogramm", "kilogramme", "kilogrammes",
       "kilo", "kilos", "килограмм", "килограммов")
_units("mass", "t", "tonne", "tonnes", "ton", "tons", "tonnen", "tonelada", "toneladas", "тонна", "тонны", "тонн", "吨")
_units("mass", "lb", "pound", "pounds", "lb", "lbs", "фунт", "фунтов", "磅")
_units("time", "year", "year", "years", "jahr", "jahre", "jahren", "jahres", "an", "ans", "année", "années", "año",
       "años", "год", "года", "лет", "年")
_units("time", "month", "month", "months", "monat", "monate", "monaten", "mois", "mes", "meses", "месяц", "месяца",
       "месяцев", "个月")
_units("time", "week", "week", "weeks", "woche", "wochen", "semaine", "semaines", "semana", "semanas", "неделя",
       "недели", "недель", "周")
_units("time", "day", "day", "days", "tag", "tage", "tagen", "jour", "jours", "día", "días", "день", "дня", "дней",
       "天")
_units("time", "hour", "hour", "hours", "stunde", "stunden", "heure", "heures", "hora", "horas", "час", "часа",
       "часов", "小时")
_units("time", "minute", "minute", "minutes", "minuten", "minuto", "minutos", "минута", "минуты", "минут", "分钟")
_units("ratio", "%", "%", "percent", "per cent", "prozent", "pour cent", "por ciento", "процент", "процента",
       "процентов", "%-", "pct")
_units("temperature", "°c", "°c", "°", "grad", "degrés", "degré", "grados", "градус", "градуса", "градусов", "度")
_units("temperature", "°f", "°f", "fahrenheit")
_units("money", "usd", "$", "us$", "dollar", "dollars", "dólar", "dólares", "доллар", "доллара", "долларов",
       "美元", "usd")
_units("money", "eur", "€", "euro", "euros", "евро", "欧元", "eur")
_units("money", "gbp", "£", "pound sterling", "pounds sterling", "фунтов стерлингов", "英镑", "gbp")
_units("money", "rub", "рубль", "рубля", "рублей", "руб", "rouble", "roubles", "ruble", "rubles", "rubel", "卢布")
_units("money", "cny", "yuan", "元", "юаней", "юань", "rmb")
_units("money", "jpy", "yen", "¥", "円", "日元", "иен")

_MONTHS: dict[str, int] = {}
for _number, _forms in enumerate(
    [
        "january jan januar janvier enero январь января янв",
        "february feb februar février febrero февраль февраля фев",
        "march mar märz mars marzo март марта",
        "april apr avril abril апрель апреля апр",
        "may mai mayo май мая",
        "june jun juni juin junio июнь июня",
        "july jul juli juillet julio июль июля",
        "august aug août agosto август августа авг",
        "september sep sept septembre septiembre сентябрь сентября сен",
        "october oct oktober octobre octubre октябрь октября окт",
        "november nov novembre noviembre ноябрь ноября ноя",
        "december dec dezember décembre diciembre декабрь декабря дек",
    ],
    start=1,
):
    for _form in _forms.split():
        _MONTHS[_form] = _number
_AMBIGUOUS_MONTHS = {"mar", "may", "mai", "jun", "jan", "an", "dec", "sept", "mars", "march"}  # also words

_WORD_NUMBERS: dict[str, float] = {}
for _lang_words in [
    # en
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty",
    # de
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn "
    "siebzehn achtzehn neunzehn zwanzig",
    # fr
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
    "dix-huit dix-neuf vingt",
    # es
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte",
]:
    for _value, _word in enumerate(_lang_words.split()):
        _WORD_NUMBERS.setdefault(_word, _value)
_WORD_NUMBERS.update(
    {
        "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
        "hundred": 100, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100, "trente": 30, "quarante": 40,
        "cinquante": 50, "cent": 100, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "ciento": 100,
        "zwei": 2, "zwo": 2, "une": 1, "una": 1, "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1,
        "zweier": 2, "dreier": 3, "beiden": 2, "both": 2, "deux": 2, "ambos": 2, "ambas": 2,
        # ru (main case forms)
        "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "двум": 2,
        "двумя": 2, "три": 3, "трех": 3, "трёх": 3, "трем": 3, "тремя": 3, "четыре": 4, "четырех": 4,
        "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8,
        "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "двадцать": 20, "тридцать": 30,
        "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
        "сто": 100, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
        "soixante": 60, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
        "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "vierte": 4, "vierten": 4, "fünfte": 5,
        "fünften": 5, "sechste": 6, "sechsten": 6, "siebte": 7, "siebten": 7, "achte": 8, "achten": 8,
        "neunte": 9, "neunten": 9, "zehnte": 10, "zehnten": 10, "quatrième": 4, "cinquième": 5, "sixième": 6,
        "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "оба": 2, "обе": 2, "обоих": 2,
        "dozen": 12, "dozens": 12, "dutzend": 12, "dutzende": 12, "dutzenden": 12, "douzaine": 12,
        "douzaines": 12, "docena": 12, "docenas": 12, "дюжина": 12, "дюжины": 12, "десятки": 12, "десятков": 12,
        "twice": 2, "doppelt": 2, "double": 2, "triple": 3, "half": 0.5, "halb": 0.5, "halbe": 0.5,
        "moitié": 0.5, "mitad": 0.5, "половина": 0.5, "половину": 0.5,
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "erste": 1, "ersten": 1, "erster": 1,
        "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3, "premier": 1, "première": 1, "deuxième": 2,
        "troisième": 3, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
        "первый": 1, "первая": 1, "первого": 1, "первой": 1, "второй": 2, "второго": 2, "третий": 3, "третьего": 3,
    }
)
# Words that also mean something else: they match digits but never count as unmatched.
_FRAGILE_WORDS = {"one", "un", "une", "uno", "una", "ein", "eine", "einen", "einem", "einer", "один", "одна",
                  "одно", "одного", "одной", "second", "segundo", "segunda", "both", "beiden", "ambos", "ambas",
                  "оба", "обе", "обоих", "half", "halb", "halbe", "double", "doppelt", "triple", "first", "premier",
                  "première", "primero", "primera", "первый", "первая", "первого", "первой", "cent", "mil",
                  "neuf", "an", "dos", "zero", "null", "twice", "moitié", "mitad", "erste", "ersten",
                  "erster", "dozen", "dutzend", "douzaine", "docena", "десятки", "десятков", "dozens", "dutzende",
                  "dutzenden", "douzaines", "docenas", "дюжина", "дюжины", "sechs"}

_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
_CJK_NUMERAL = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")
_CJK_CLASSIFIER = set("个名位年月日号天次人家项种场条件台所座只头匹辆架艘本张部批份倍岁周届期例起户元吨米里度分秒点时小")

_DIGITS = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,'’]\d+)*"
# no letter of an alphabetic script (or a digit, dot, comma) right before a number; CJK may touch it
_LEFT = r"(?<![0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0530-\u058f_.,])"
_NUMBER = re.compile(
    r"(?P<pre>[$€£¥]|US\$)?\s?"
    + _LEFT + r"(?P<num>" + _DIGITS + r")"
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
_ZH_TIME = re.compile(r"(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})[时點点](?:(?P<m>\d{1,2})分|(?P<half>半))?")
_AMPM = re.compile(r"(?<![\w.:])(?P<h>1[0-2]|0?[1-9])\s?(?P<ampm>[ap])\.?\s?m\b\.?", re.I)
_DATE = re.compile(
    r"(?<![\w.])(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{2,4}))(?![\w])"
)
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_PERCENT_ZH = re.compile(r"百分之")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Mention:
    """A number as written in a sentence, with every value it may stand for."""

    text: str
    start: int  # offsets in the version text
    end: int
    values: frozenset[tuple[str, float]]  # ("n", number) / ("t", minutes after midnight) / ("m", month)
    strong: bool  # written with digits (a word number is weak evidence)
    unit: tuple[str, str] | None = None  # (dimension, canonical unit)

    def matches(self, other: Mention) -> bool:
        return bool(self.values & other.values)


def _round(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    digits = 6 - int(math.floor(math.log10(abs(value))))
    return round(value, max(0, digits))


def parse_digits(raw: str, lang: str) -> list[float]:
    """The values a digit group may mean in ``lang`` (locale's reading first)."""
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    comma_decimal = lang.split("-")[0] in DECIMAL_COMMA
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

    for m in _DATE.finditer(text):
        y, mo, d = (m.group("y1"), m.group("m1"), m.group("d1")) if m.group("y1") else (
            m.group("y2"), m.group("m2"), m.group("d2"))
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            year = int(y) + (2000 if len(y) == 2 and int(y) < 50 else 1900 if len(y) == 2 else 0)
            # the parts stand alone, so "17.07.2020" matches "17 July 2020"
            add(m.start(), m.end(), {("n", float(year)), ("m", float(mo)), ("n", float(d))}, True)
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
        h = int(m.group("h")) if m.group("h").isdigit() else _cjk_value(m.group("h"))
        if h is None or h > 24:
            continue
        mi = 30 if m.group("half") else int(m.group("m") or 0)
        hours = [int(h), (int(h) + 12) % 24] if h <= 12 else [int(h), int(h) - 12]
        values = {("n", float(h))} if not mi else set()
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
    for m in _NUMBER.finditer(text):
        group = "num" if m.group("num") else "glued"
        a, b = m.start(group), m.end(group)
        if not free(a, b):
            continue
        raw = m.group(group)
        if re.search(r"[^\W\d_][-‐]$", text[max(0, a - 2):a]):
            continue  # part of a name: Covid-19, F-16, G-20
        values_f = parse_digits(raw.strip(), lang)
        if not values_f:
            continue
        end = m.end()
        if m.group("pre"):
            a = m.start("pre")
        unit = _UNITS.get((m.group("pre") or "").lower()) if m.group("pre") else None
        scale = 1.0
        tail = text[m.end(group):]
        glued = re.match(r"[^\W\d_]+", tail)
        if glued and group == "glued":
            word = glued.group().lower()
            if word in _SCALES:
                scale = _SCALES[word]
                end = m.end(group) + glued.end()
            elif word in _UNITS:
                unit = unit or _UNITS[word]
                end = m.end(group) + glued.end()
        words = _next_words(text, m.end(group) if group == "glued" else end, 3)
        if words and scale == 1.0 and words[0][0] in _SCALES and words[0][0] != "m":
            scale = _SCALES[words[0][0]]
            end = words[0][1]
            words = words[1:]
        for form in ([words[0][0]] if words else []) + ([f"{words[0][0]} {words[1][0]}"] if len(words) > 1 else []):
            if unit is None and form in _UNITS:
                unit = _UNITS[form]
        cjk_scale = re.match(r"(百万|千万|万亿|[十百千万萬亿億])", tail)
        if cjk_scale and scale == 1.0:
            scale = _CJK_SCALES[cjk_scale.group(1)]
            end = max(end, m.end(group) + cjk_scale.end())
        if tail[:1] == "%" or text[m.end(group):m.end(group) + 2].strip() == "%":
            unit = _UNITS["%"]
        values = {("n", v * scale) for v in values_f}
        if re.match(r"['’]?s\b|er\b|-х|х\b", tail) and values_f[0] % 10 == 0 and 1000 <= values_f[0] <= 2100:
            values.add(("n", values_f[0] % 100))  # the 1970s = the 70s
        if tail[:1] == "月" and values_f[0] == int(values_f[0]) and 1 <= values_f[0] <= 12:
            values.add(("m", values_f[0]))
        add(a, end, values, True, unit)
    if lang in {"zh", "ja"} or _CJK_CHAR.search(text):
        taken.extend((m.start(), m.end()) for m in _PERCENT_ZH.finditer(text))
        for m in _CJK_NUMERAL.finditer(text):
            if not free(m.start(), m.end()):
                continue
            value = _cjk_value(m.group())
            if value is None:
                continue
            after = text[m.end():m.end() + 1]
            before = text[max(0, m.start() - 3):m.start()]
            single_one = m.group() in {"一", "两", "十", "百", "千", "万", "亿"}
            if single_one and after not in _CJK_CLASSIFIER:
                continue
            unit = _UNITS["%"] if before.endswith("百分之") else None
            values = {("n", float(value))}
            if after == "月" and 1 <= value <= 12:
                values.add(("m", float(value)))
            add(m.start(), m.end(), values, not single_one and len(m.group()) > 1, unit)
    for m in _WORD.finditer(text):
        if not free(m.start(), m.end()):
            continue
        word = m.group().lower()
        if word in _MONTHS and (word not in _AMBIGUOUS_MONTHS or _near_digit(text, m.start(), m.end())):
            add(m.start(), m.end(), {("m", float(_MONTHS[word]))}, False)
            continue
        value = _word_number(word)
        if value is None:
            continue
        words = _next_words(text, m.end(), 2)
        scale = 1.0
        end = m.end()
        if words and words[0][0] in _SCALES and words[0][0] not in {"m", "k"}:
            scale = _SCALES[words[0][0]]
            end = words[0][1]
        unit = None
        for form in [w for w, _ in words[:2]]:
            if form in _UNITS and form not in {"an", "m"}:
                unit = _UNITS[form]
                break
        add(m.start(), end, {("n", value * scale)}, False, unit)
        if word in _FRAGILE_WORDS:
            mentions[-1].values = mentions[-1].values | {("fragile", 1.0)}
    for m in re.finditer(r"(?<![\w])(" + "|".join(sorted((w for w in _SCALES if len(w) > 2), key=len, reverse=True))
                         + r")(?![\w])", text, re.I):
        # a bare scale word ("thousands of", "millions") matches the same scale anywhere
        if free(m.start(), m.end()):
            add(m.start(), m.end(), {("n", _SCALES[m.group(1).lower()])}, False)
            mentions[-1].values = mentions[-1].values | {("fragile", 1.0)}
    mentions.sort(key=lambda x: x.start)
    return mentions


def _near_digit(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d\s*\.?\s*$", text[max(0, start - 4):start]) or re.match(r"\s*\d", text[end:end + 3]))


def _word_number(word: str) -> float | None:
    if word in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[word])
    parts = re.split(r"[-‐]", word)
    if len(parts) == 2 and parts[0] in _WORD_NUMBERS and parts[1] in _WORD_NUMBERS:
        tens, ones = _WORD_NUMBERS[parts[0]], _WORD_NUMBERS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 1 <= ones <= 9:
            return float(tens + ones)
    return None


def _cjk_value(numeral: str) -> float | None:
    """Value of a Chinese numeral such as 三, 十五, 两千三百, 四万五千."""
    total = section = digit = 0.0
    seen = False
    for ch in numeral:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
            seen = True
        elif ch in ("十", "百", "千"):
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            section += (digit or 1) * unit
            digit = 0
            seen = True
        elif ch in ("万", "萬", "亿", "億"):
            unit = 1e4 if ch in "万萬" else 1e8
            total = (total + section + digit) * unit if ch in "亿億" else total + (section + digit) * unit
            section = digit = 0
            seen = True
    if not seen:
        return None
    return total + section + digit


# --- matching ------------------------------------------------------------------------------------


def _match(left: list[Mention], right: list[Mention]) -> tuple[set[int], set[int]]:
    """Maximum one-to-one matching on shared values; returns the matched indices on each side."""
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
    return set(owner.values()), set(owner)


@dataclass
class Difference:
    """What one cell has that its counterpart lacks, against one counterpart."""

    extra: list[Mention]  # unmatched strong mentions here
    weak_extra: list[Mention]
    missing: list[Mention]  # unmatched strong mentions of the counterpart
    weak_missing: list[Mention]
    unit_changes: list[tuple[Mention, Mention]]

    @property
    def any(self) -> bool:
        return bool(self.extra or self.missing or self.unit_changes or (self.weak_extra and self.weak_missing)
                    or (self.weak_extra and self.missing) or (self.extra and self.weak_missing))


def compare(here: list[Mention], there: list[Mention]) -> Difference:
    """How the mentions of one cell differ from those of a counterpart cell."""
    matched_here, matched_there = _match(here, there)
    unit_changes = []
    for i in matched_here:
        for j in matched_there:
            a, b = here[i], there[j]
            if a.matches(b) and a.unit and b.unit and a.unit[0] == b.unit[0] and a.unit[1] != b.unit[1]:
                if a.unit[0] != "money" or a.unit[1] in {"usd", "eur", "gbp"} and b.unit[1] in {"usd", "eur", "gbp"}:
                    unit_changes.append((a, b))
                break

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
                diffs[(cell.label, other.label)] = diff
                if diff.any and counterparts(ctx, cell, other):
                    disagrees[cell.label].add(other.label)
        for cell, judge in flagged_cells(row, disagrees):
            flags.extend(_flags(ctx, row, cell, judge, diffs[(cell.label, judge.label)]))
    return flags


def _describe(m: Mention, with_unit: bool = False) -> str:
    text = " ".join(m.text.split())
    if with_unit and m.unit and m.unit[1] not in text.lower():
        return f"{text} ({m.unit[1]})"
    return text


def _flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell, diff: Difference) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    evidence = cell_evidence(row, cell, ctx)
    out: list[Flag] = []

    def flag(start: int, end: int, severity: str, message: str, confidence: float) -> None:
        sentence = cell.sentence_at(start)
        out.append(
            sentence_flag(ctx, cell.version, sentence, start, end, type="number_mismatch", severity=severity,
                          message=message, confidence=confidence, check=NAME, evidence=evidence)
        )

    theirs = diff.missing + diff.weak_missing
    for k, mention in enumerate(diff.extra):
        if theirs:
            other = theirs[min(k, len(theirs) - 1)]
            flag(mention.start, mention.end, "critical",
                 f"Number differs: {_describe(mention)} here, {_describe(other)} in {where}", 0.9)
        else:
            flag(mention.start, mention.end, "major", f"Number not in {where}: {_describe(mention)}", 0.7)
    if theirs:
        for k, mention in enumerate(diff.weak_extra):
            other = theirs[min(len(diff.extra) + k, len(theirs) - 1)]
            flag(mention.start, mention.end, "critical",
                 f"Number differs: {_describe(mention)} here, {_describe(other)} in {where}", 0.75)
    surplus = diff.missing[len(diff.extra) + len(diff.weak_extra):]
    if surplus:
        shown = ", ".join(_describe(m) for m in surplus[:3])
        flag(cell.start, cell.end, "major", f"Number missing here: {shown} in {where}", 0.6)
    for mine, other in diff.unit_changes:
        flag(mine.start, mine.end, "critical",
             f"Unit differs: {_describe(mine, True)} here, {_describe(other, True)} in {where}", 0.85)
    return out


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="numbers, units, percentages, dates and times that differ between aligned sentences",
)
