"""Locale data for numbers, dates and units, built from Babel/CLDR, pint, text2num, num2words and cn2an."""

from __future__ import annotations

import pytest

from qa import quantities


@pytest.mark.parametrize(("lang", "decimal"), [("de", ","), ("fr", ","), ("ru", ","), ("en", "."), ("zh", "."),
                                               ("hi", ".")])
def test_separators_come_from_cldr(lang, decimal):
    assert quantities.separators(lang)[0] == decimal


@pytest.mark.parametrize(
    ("lang", "word", "kind", "value"),
    [
        ("en", "wednesday", "w", 2), ("fr", "jeudi", "w", 3), ("de", "freitag", "w", 4),
        ("ru", "понедельник", "w", 0), ("zh", "周三", "w", 2), ("zh", "星期五", "w", 4),
        ("hi", "मंगलवार", "w", 1), ("ar", "الخميس", "w", 3), ("ja", "水曜日", "w", 2),
        ("es", "marzo", "m", 3), ("ru", "июля", "m", 7), ("de", "gestern", "r:day", -1), ("zh", "昨天", "r:day", -1),
        ("fr", "demain", "r:day", 1),
    ],
)
def test_calendar_words_in_many_scripts(lang, word, kind, value):
    found = quantities.calendar_words(lang)[word]
    assert (found.kind, found.value) == (kind, value)


@pytest.mark.parametrize(
    ("text", "start", "lang", "glued", "key"),
    [
        ("500 centimètres", 4, "fr", False, "length-centimeter"),
        ("5 км", 2, "ru", False, "length-kilometer"),
        ("5公里", 1, "zh", True, "length-kilometer"),
        ("3万", 1, "zh", True, "scale"),
        ("1,5 Millionen", 4, "de", False, "scale"),
        ("5 miles", 2, "en", False, "length-mile"),
    ],
)
def test_unit_and_scale_words(text, start, lang, glued, key):
    found = quantities.surface_at(text, start, lang, glued)
    assert found is not None and found[0].key == key


def test_abbreviations_that_are_words_need_their_number_glued():
    assert quantities.surface_at("5 in Paris", 2, "en", False) is None
    assert quantities.surface_at("5 m", 2, "en", False) is None  # a letter alone: "5 m" may be anything


def test_conversions_tolerate_rounding():
    miles = quantities.in_base_units(70, "length-mile")
    assert quantities.same_quantity(miles, quantities.in_base_units(113, "length-kilometer"))
    assert not quantities.same_quantity(miles, quantities.in_base_units(70, "length-kilometer"))
    assert not quantities.same_quantity(quantities.in_base_units(500, "length-millimeter"),
                                        quantities.in_base_units(500, "length-centimeter"))


@pytest.mark.parametrize(
    ("phrase", "lang", "value"),
    [("vingt-trois", "fr", 23), ("dreiundzwanzig", "de", 23), ("twenty three", "en", 23), ("пять", "ru", 5),
     ("dos mil", "es", 2000), ("maison", "fr", None), ("house", "en", None)],
)
def test_number_words(phrase, lang, value):
    assert quantities.number_words(phrase, lang) == value


@pytest.mark.parametrize(("numeral", "value"), [("三", 3), ("十五", 15), ("两千三百", 2300), ("四万五千", 45000),
                                               ("一亿两千万", 120_000_000), ("三明治", None)])
def test_cjk_numerals(numeral, value):
    assert quantities.cjk_number(numeral) == value
