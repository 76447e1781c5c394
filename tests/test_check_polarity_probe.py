"""The polarity probe: negations in languages without a cue list, found by the encoder's deletion probe."""

from __future__ import annotations

import pytest

from qa.checks import polarity_probe
from qa.checks.crosscheck import parallel_context


def flags_for(src: str, tgt: str, src_lang: str, tgt_lang: str):
    ctx = parallel_context({"src": [src], "tgt": [tgt]}, {"src": src_lang, "tgt": tgt_lang})
    return polarity_probe.run(ctx)


@pytest.mark.parametrize(
    ("src", "tgt", "tgt_lang", "word"),
    [
        ("The council will build two new bridges over the river next year.",
         "Dewan kota tidak akan membangun dua jembatan baru di atas sungai tahun depan.", "id", "tidak"),
        ("Police arrested three men after the robbery on Friday.",
         "Cảnh sát đã không bắt giữ ba người đàn ông sau vụ cướp hôm thứ Sáu.", "vi", "không"),
        # a word with vowel signs and a nasal mark (combining characters) is a word like any other
        ("The city will open three new schools in March.", "नगर निगम मार्च में तीन नए स्कूल नहीं खोलेगा।", "hi", "नहीं"),
    ],
)
def test_a_negation_added_in_a_language_without_cues_is_flagged_on_its_word(src, tgt, tgt_lang, word):
    [flag] = flags_for(src, tgt, "en", tgt_lang)
    assert flag.version == "tgt" and flag.text == word and flag.type == "negation_flip"


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt"),
    [
        ("Pemerintah tidak akan menaikkan harga bahan bakar bulan ini.", "id",
         "The government will raise fuel prices this month."),
        ("Chính phủ không tăng giá xăng trong tháng này.", "vi", "The government raised fuel prices this month."),
    ],
)
def test_a_negation_of_the_source_dropped_in_translation_is_flagged(src, src_lang, tgt):
    [flag] = flags_for(src, tgt, src_lang, "en")
    assert flag.version == "tgt" and "Negation missing here" in flag.message


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang"),
    [
        ("The council will build two new bridges over the river next year.", "en",
         "Dewan kota akan membangun dua jembatan baru di atas sungai tahun depan.", "id"),
        ("Police arrested three men after the robbery on Friday.", "en",
         "Cảnh sát đã bắt giữ ba người đàn ông sau vụ cướp hôm thứ Sáu.", "vi"),
        ("The city will open three new schools in March.", "en", "नगर निगम मार्च में तीन नए स्कूल खोलेगा।", "hi"),
        ("Pemerintah tidak akan menaikkan harga bahan bakar bulan ini.", "id",
         "The government will not raise fuel prices this month.", "en"),
    ],
)
def test_faithful_translations_pass(src, src_lang, tgt, tgt_lang):
    assert flags_for(src, tgt, src_lang, tgt_lang) == []


def test_languages_with_a_cue_list_are_left_to_the_negation_check():
    assert flags_for("The council will build two bridges.", "Der Rat wird keine zwei Brücken bauen.", "en", "de") == []
