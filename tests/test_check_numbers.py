"""The numbers check: locale-aware numbers, units, dates and times across aligned versions."""

from __future__ import annotations

import pytest

from qa.checks import numbers
from qa.checks.crosscheck import parallel_context


def flags_for(src: str, tgt: str, src_lang: str = "en", tgt_lang: str = "de"):
    ctx = parallel_context({"src": [src], "tgt": [tgt]}, {"src": src_lang, "tgt": tgt_lang}, embeddings={})
    return numbers.run(ctx)


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("About 30,000 people were evacuated.", "Rund 30.000 Menschen wurden evakuiert.", "de"),
        ("Kuryk is about 90km away.", "Kuryk se trouve à environ 90 km.", "fr"),
        ("The fire broke out at about 3:40 a.m. local time.", "Das Feuer brach gegen 3.40 Uhr Ortszeit aus.", "de"),
        ("Two sailors are missing.", "Zwei Seeleute werden vermisst.", "de"),
        ("Inflation rose to 4.2% in March.", "Die Inflation stieg im März auf 4,2 %.", "de"),
        ("Inflation rose to 4.2% in March.", "L'inflation a atteint 4,2 % en mars.", "fr"),
        ("Inflation rose to 4.2% in March.", "La inflación subió al 4,2 % en marzo.", "es"),
        ("Dozens of people were injured.", "Dutzende Menschen wurden verletzt.", "de"),
        ("The company lost 1.5 million dollars.", "Das Unternehmen verlor 1,5 Millionen Dollar.", "de"),
        ("The company lost 1.5 million dollars.", "La empresa perdió 1,5 millones de dólares.", "es"),
        ("The meeting is on 17 July 2020.", "Das Treffen ist am 17.07.2020.", "de"),
        ("He was born on 3 May.", "Il est né le 3 mai.", "fr"),
        ("The shares fell 12 percent.", "Las acciones cayeron un 12 por ciento.", "es"),
        ("The tanker of 12,000 tonnes was loading.", "Le pétrolier de 12 000 tonnes chargeait.", "fr"),
        ("Four crew members were killed and 17 people injured.",
         "Cuatro tripulantes murieron y 17 personas resultaron heridas.", "es"),
    ],
)
def test_faithful_numbers_pass(src, tgt, lang):
    assert flags_for(src, tgt, "en", lang) == []


@pytest.mark.parametrize(
    ("src", "tgt", "lang", "flagged"),
    [
        ("About 30,000 people were evacuated.", "Rund 3.000 Menschen wurden evakuiert.", "de", "3.000"),
        ("The tanker was built in 2004.", "Le pétrolier a été construit en 2014.", "fr", "2014"),
        ("Two sailors are missing.", "Drei Seeleute werden vermisst.", "de", "Drei"),
        ("Inflation rose to 4.2% in March.", "Die Inflation stieg im März auf 2,4 %.", "de", "2,4"),
        ("The port is 900 km away.", "El puerto está a 90 km.", "es", "90"),
    ],
)
def test_changed_numbers_are_flagged(src, tgt, lang, flagged):
    flags = flags_for(src, tgt, "en", lang)
    assert flags, "a changed number must be flagged"
    assert all(f.type == "number_mismatch" and f.version == "tgt" for f in flags)
    assert any(f.text.startswith(flagged) for f in flags)
    assert any(f.severity == "critical" for f in flags)


def test_unit_change_is_flagged_with_units_named():
    # CLDR's French for the mile is "miles"
    [flag] = flags_for("Kuryk is about 70 km away.", "Kuryk se trouve à environ 70 miles.", "en", "fr")
    assert flag.text == "70 miles" and "mile" in flag.message and "kilometer" in flag.message


def test_missing_number_is_flagged_on_the_sentence():
    flags = flags_for("Four sailors died and 17 people were hurt.", "Vier Seeleute starben, Menschen wurden verletzt.")
    assert [f.message for f in flags] == ["Number missing here: 17 in src (EN)"]
    assert flags[0].start == 0


def test_spans_point_into_the_version_text():
    src = "Water was measured every two hours. About 2,300 residents were evacuated."
    tgt = "Das Wasser wurde alle zwei Stunden gemessen. Rund 3.200 Anwohner wurden evakuiert."
    ctx = parallel_context({"src": src.split(". ", 1), "tgt": tgt.split(". ", 1)}, {"src": "en", "tgt": "de"},
                           embeddings={})
    [flag] = numbers.run(ctx)
    version = ctx.version("tgt")
    assert version.text[flag.start:flag.end] == flag.text == "3.200"
    assert flag.sentence == 1 and flag.row == 1
    assert flag.evidence[0].text.startswith("About 2,300")


def test_majority_decides_with_three_versions():
    texts = {"wire": ["The ship was built in 2004."], "de": ["Das Schiff wurde 2004 gebaut."],
             "fr": ["Le navire a été construit en 2014."]}
    ctx = parallel_context(texts, {"wire": "en", "de": "de", "fr": "fr"}, embeddings={})
    flags = numbers.run(ctx)
    assert {f.version for f in flags} == {"fr"}


def test_locale_reading():
    assert numbers.parse_digits("30.000", "de")[0] == 30000
    assert numbers.parse_digits("2,600", "en")[0] == 2600
    assert numbers.parse_digits("4,2", "fr")[0] == pytest.approx(4.2)
