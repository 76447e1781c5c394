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


def test_missing_number_is_flagged_on_the_word_standing_for_it():
    flags = flags_for("Four sailors died and 17 people were hurt.", "Vier Seeleute starben, Menschen wurden verletzt.")
    assert [f.message for f in flags] == ["Number missing here: 17 in src (EN)"]
    assert flags[0].text == "Menschen" and "17" in flags[0].reason  # "17 people": the counted word, aligned


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


# --- weekdays, relative dates, units and swaps (CLDR names, pint, word alignment) -----------------------


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang", "flagged"),
    [
        ("The council met on Wednesday.", "en", "Le conseil s'est réuni jeudi.", "fr", "jeudi"),
        ("Der Rat tagte am Freitag.", "de", "The council met on Thursday.", "en", "Thursday"),
        ("Совет собрался в понедельник.", "ru", "The council met on Tuesday.", "en", "Tuesday"),
        ("理事会周三开会。", "zh", "The council met on Friday.", "en", "Friday"),
        ("परिषद की बैठक मंगलवार को हुई।", "hi", "The council met on Sunday.", "en", "Sunday"),
        ("The council met yesterday.", "en", "Le conseil se réunira demain.", "fr", "demain"),
    ],
)
def test_changed_weekdays_and_relative_dates_are_flagged(src, src_lang, tgt, tgt_lang, flagged):
    flags = flags_for(src, tgt, src_lang, tgt_lang)
    assert [f.text for f in flags] == [flagged]
    assert flags[0].severity == "critical" and "differs" in flags[0].message


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang"),
    [
        ("The council met on Wednesday.", "en", "Le conseil s'est réuni mercredi.", "fr"),
        ("Der Rat tagte am Freitag.", "de", "The council met on Friday.", "en"),
        ("Совет собрался в понедельник.", "ru", "The council met on Monday.", "en"),
        ("周三，14名工人受伤。", "zh", "On Wednesday, 14 workers were injured.", "en"),  # 周三 is a day, not 3
        ("परिषद की बैठक मंगलवार को हुई।", "hi", "The council met on Tuesday.", "en"),
        ("The G7 met in Rome.", "en", "Le G7 s'est réuni à Rome.", "fr"),  # a number inside a name
        ("It may rain in May.", "en", "Il pourrait pleuvoir en mai.", "fr"),
        ("The road is 70 miles long.", "en", "La route mesure 113 km.", "fr"),  # converted, rounded
        ("共有四万五千人参加。", "zh", "A total of 45,000 people took part.", "en"),
        ("Die Kosten liegen bei 1,5 Millionen Euro.", "de", "The cost is 1.5 million euros.", "en"),
    ],
)
def test_faithful_dates_units_and_numerals_pass(src, src_lang, tgt, tgt_lang):
    assert flags_for(src, tgt, src_lang, tgt_lang) == []


def test_changed_unit_is_flagged():
    [flag] = flags_for("Es fielen 500 mm Regen.", "Il est tombé 500 centimètres de pluie.", "de", "fr")
    assert flag.text == "500 centimètres" and "Unit differs" in flag.message


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang"),
    [
        ("10 people died and 20 were injured.", "en", "20 Menschen starben, 10 wurden verletzt.", "de"),
        ("The company hired 300 workers in 2019 and 500 in 2020.", "en",
         "L'entreprise a embauché 500 salariés en 2019 et 300 en 2020.", "fr"),
        ("去年有300人受伤，今年有500人受伤。", "zh", "Last year 500 people were injured, and this year 300.", "en"),
        ("В 2018 году погибли 12 человек, в 2019 году — 40.", "ru", "In 2018, 40 people died, and in 2019, 12.", "en"),
        ("Die Temperatur stieg von 15 auf 25 Grad.", "de", "The temperature rose from 25 to 15 degrees.", "en"),
    ],
)
def test_numbers_swapped_between_slots_are_flagged_on_each_number(src, src_lang, tgt, tgt_lang):
    flags = flags_for(src, tgt, src_lang, tgt_lang)
    assert len(flags) == 2 and all("swapped" in f.message for f in flags)
    assert all(f.text.isdigit() for f in flags) and "counterpart" in flags[0].reason


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang"),
    [
        ("10 people died and 20 were injured.", "en", "10 Menschen starben, 20 wurden verletzt.", "de"),
        ("The company hired 300 workers in 2019 and 500 in 2020.", "en",
         "L'entreprise a embauché 300 salariés en 2019 et 500 en 2020.", "fr"),
        ("去年有300人受伤，今年有500人受伤。", "zh", "Last year 300 people were injured, and this year 500.", "en"),
        ("В 2018 году погибли 12 человек, в 2019 году — 40.", "ru", "In 2018, 12 people died, and in 2019, 40.", "en"),
        ("Die Temperatur stieg von 15 auf 25 Grad.", "de", "The temperature rose from 15 to 25 degrees.", "en"),
        ("Le score final était de 3 à 1 après 90 minutes.", "fr", "The final score was 3-1 after 90 minutes.", "en"),
    ],
)
def test_numbers_in_their_slots_pass(src, src_lang, tgt, tgt_lang):
    assert flags_for(src, tgt, src_lang, tgt_lang) == []


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang", "swapped"),
    [
        # a unit written once covers both numbers of the slot pair
        ("Die Gewerkschaft fordert 38 Stunden statt 40.", "de", "The union wants 40 hours instead of 38.", "en", True),
        ("Die Gewerkschaft fordert 38 Stunden statt 40.", "de", "The union wants 38 hours instead of 40.", "en", False),
        # joined figures whose order is the meaning: a score written the other way round
        ("L'équipe a gagné 2-0 contre Lyon.", "fr", "Die Mannschaft gewann 0:2 gegen Lyon.", "de", True),
        ("L'équipe a gagné 2-0 contre Lyon.", "fr", "Die Mannschaft gewann 2:0 gegen Lyon.", "de", False),
        ("主队以3：1获胜。", "zh", "The home side won 1:3.", "en", True),
        ("主队以3：1获胜。", "zh", "The home side won 3:1.", "en", False),
        ("Die Seiten 10-12 fehlen.", "de", "Pages 10 to 12 are missing.", "en", False),
    ],
)
def test_swaps_with_one_unit_or_in_one_figure(src, src_lang, tgt, tgt_lang, swapped):
    flags = flags_for(src, tgt, src_lang, tgt_lang)
    if swapped:
        assert len(flags) == 2 and all("swapped" in f.message for f in flags)
    else:
        assert flags == []


@pytest.mark.parametrize(
    ("src", "tgt", "flagged"),
    [
        # CLDR's parts of the day fix a Chinese clock time: 下午 is after noon, 晚上 the evening, 凌晨 the small hours
        ("演出晚上8点开始。", "The show starts at 8 p.m.", []),
        ("演出晚上8点开始。", "The show starts at 20:00.", []),
        ("演出晚上8点开始。", "The show starts at 8 a.m.", ["8 a.m."]),
        ("地震发生在凌晨3点。", "The earthquake struck at 3 a.m.", []),
        ("地震发生在凌晨3点。", "The earthquake struck at 3 p.m.", ["3 p.m."]),
        ("会议上午10点半开始。", "The meeting starts at 10:30 p.m.", ["10:30 p.m."]),
        ("他下午3点到达。", "He arrived at three in the afternoon.", []),
        # without a part of the day the hour stays either
        ("会议10点开始。", "The meeting starts at 10 p.m.", []),
    ],
)
def test_a_part_of_the_day_fixes_a_clock_time(src, tgt, flagged):
    assert [f.text for f in flags_for(src, tgt, "zh", "en")] == flagged


@pytest.mark.parametrize(
    ("src", "tgt", "flagged"),
    [
        # Japanese 時 is o'clock (時間, hours, is a duration); 午後 and 午前 are CLDR's pm and am
        ("会議は午後3時に始まる。", "The meeting starts at 3 p.m.", []),
        ("会議は午後3時に始まる。", "The meeting starts at 3 a.m.", ["3 a.m."]),
        ("列車は午前9時30分に出発した。", "The train left at 9:30 p.m.", ["9:30 p.m."]),
        ("列車は9時半に出発した。", "The train left at half past nine.", []),
        ("会議は3時間続いた。", "The meeting lasted three hours.", []),
    ],
)
def test_japanese_clock_times(src, tgt, flagged):
    assert [f.text for f in flags_for(src, tgt, "ja", "en")] == flagged


def test_a_range_shares_its_scale_word_and_unit():
    from qa.checks.numbers import extract

    first = extract("La production passera de 2,5 à 4 millions de tonnes.", "fr")[0]
    assert ("n", 2_500_000.0) in first.values and ("n", 2.5) in first.values
    assert first.text == "2,5"
    lone = extract("Il en reste 2,5. Plus tard, 4 millions.", "fr")[0]
    assert ("n", 2_500_000.0) not in lone.values  # a sentence break between them: no range


def test_a_number_word_opening_a_compound_may_stand_for_the_counterparts_number():
    from qa.checks.numbers import extract

    (hurdle,) = extract("Beide Parteien übersprangen die Fünfprozenthürde.", "de")
    assert ("n", 5.0) in hurdle.values and ("fragile", 1.0) in hurdle.values  # never reported on its own
    assert extract("Sie kauften ein Dreieckstuch.", "de")[-1].values >= {("fragile", 1.0)}
    assert [m.text for m in extract("The five percent threshold.", "en")] == ["five"]  # English writes it apart


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("투자자 150여 명에게서 약 40억 원을 가로챘다.", "ko", 4_000_000_000.0),  # Korean glues counters and 억
        ("경기는 14일 열렸다.", "ko", 14.0),
        ("Το δικαστήριο καταδίκασε 45χρονο άνδρα.", "el", 45.0),  # 45-year-old: a suffix, not a code
        ("Der 20jährige Fahrer wurde verletzt.", "de", 20.0),
        ("会社の資金約1億2千万円を着服した。", "ja", 120_000_000.0),  # digits and scale characters in one numeral
    ],
)
def test_numbers_with_glued_counters_suffixes_and_scales_are_read(text, lang, value):
    assert value in {v for m in numbers.extract(text, lang) for kind, v in m.values if kind == "n"}


def test_letters_glued_to_a_number_as_a_code_are_no_quantity():
    assert numbers.extract("The 3D printer runs on the 5G network of 4Runner owners.", "en") == []


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang"),
    [
        # a day and month without the year, in the order CLDR's short date pattern gives the language
        ("Phiên tòa mở ngày 14/2 tại Đà Nẵng.", "vi", "The trial opened on February 14 in Da Nang.", "en"),
        ("Sidang digelar pada 5/11 di Medan.", "id", "The hearing was held on November 5 in Medan.", "en"),
        # a month range written once with the month sign
        ("3~5月の輸出は減少した。", "ja", "Exports fell in March-May.", "en"),
        # a scale word glued to its unit in a script without spaces
        ("โครงการนี้ใช้งบประมาณ 12 ล้านบาท", "th", "The project has a budget of 12 million baht.", "en"),
        # scale words of the language's regional variants (CLDR's English in India)
        ("The state will spend 2,300 crore rupees on roads.", "en", "राज्य सड़कों पर 2,300 करोड़ रुपये खर्च करेगा।", "hi"),
        # a currency symbol glued to the number
        ("Harga beras naik menjadi Rp14.500 per kilogram.", "id", "The price of rice rose to 14,500 rupiah per kilogram.",
         "en"),
    ],
)
def test_numbers_written_the_way_each_language_writes_them_match(src, src_lang, tgt, tgt_lang):
    assert flags_for(src, tgt, src_lang, tgt_lang) == []


def test_a_day_and_month_in_another_order_is_another_date():
    assert flags_for("Phiên tòa mở ngày 14/2 tại Đà Nẵng.", "The trial opened on February 12 in Da Nang.", "vi", "en")
    # English writes the month first: 2/14 is 14 February
    assert flags_for("The trial opened on 2/14 in Denver.", "Le procès s'est ouvert le 14 février à Denver.", "en",
                     "fr") == []


def test_a_rate_per_unit_does_not_take_the_denominator_as_its_unit():
    from qa.checks.numbers import extract

    [rate] = extract("The rupiah weakened to 15,900 per US dollar.", "en")
    assert rate.unit is None
    [price] = extract("Le litre coûte 2 euros.", "fr")[-1:]
    assert price.unit == ("money", "money-EUR")


def test_letters_glued_to_a_number_are_a_currency_only_when_cldr_says_so():
    from qa.checks.numbers import extract

    assert [m.unit for m in extract("Harganya Rp14.500.", "id")] == [("money", "money-IDR")]
    assert extract("The A320 and the G7.", "en") == []


def test_temperatures_are_compared_in_degrees_not_as_a_share_of_absolute_zero():
    # 46 °C and 44 °C are 0.6 % apart in kelvin, within a relative rounding tolerance, yet another reading
    assert flags_for("Mercury touched 46 degrees Celsius in Jaipur.", "In Jaipur wurden 44 Grad Celsius gemessen.")
    assert flags_for("It reached 100 degrees Fahrenheit.", "Es wurden 38 Grad Celsius erreicht.") == []  # converted
