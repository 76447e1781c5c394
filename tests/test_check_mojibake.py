"""mojibake check (ftfy): wrongly decoded words with their repair, lost characters and HTML entities; correct
accents, typography and other scripts pass."""

from __future__ import annotations

import pytest

from qa.checks import mojibake
from qa.checks.base import CheckContext
from qa.checks.mojibake import find_mojibake
from qa.segment import make_version


@pytest.mark.parametrize(
    ("text", "word", "repaired"),
    [
        ("Kazakhstanâ€™s largest port handled 4.2 million tonnes.", "Kazakhstanâ€™s", "Kazakhstan’s"),
        ("The CafÃ© in the old town reopened.", "CafÃ©", "Café"),
        ("Die Polizei in MÃ¼nchen teilte mit, es gebe keine Verletzten.", "MÃ¼nchen", "München"),
        ("Ð¡ÐµÑ€Ð³ÐµÐ¹ Lavrov arrived on Monday.", "Ð¡ÐµÑ€Ð³ÐµÐ¹", "Сергей"),
        ("Smith &amp; Sons said the plant would close.", "&amp;", "&"),
    ],
)
def test_damaged_words_are_found_with_their_repair(text, word, repaired):
    found = find_mojibake(text)
    assert [text[s:e] for s, e, _, _ in found] == [word], found
    [(_, _, message, confidence)] = found
    assert f"“{repaired}”" in message and 0.5 <= confidence <= 1.0


def test_a_lost_character_is_flagged():
    text = "The port of Aktau is Kazakhstan\ufffds largest."
    [(start, end, message, _)] = find_mojibake(text)
    assert "\ufffd" in text[start:end] and "lost" in message


@pytest.mark.parametrize(
    "text",
    [
        "Müller said the café in Zürich would reopen – “soon”.",
        "Sergei Lavrov met Ahmet Davutoğlu in Ankara on Wednesday.",
        "Le président a rencontré les élèves de l’école à Besançon.",
        "El niño pidió ayuda a la policía de Logroño.",
        "Пожар в порту Актау потушили через девять часов.",
        "港口周五重新开放。",
        "أعيد فتح الميناء يوم الجمعة.",
        "Naïve façades, œuvres, ½ of the votes, 30 °C and 5 €.",
        "The ﬁre was out by noon.",  # a ligature is typography, not damage
    ],
)
def test_correct_text_passes(text):
    assert find_mojibake(text) == []


def test_flags_point_into_the_version_text():
    text = "The fire was out by noon.\n\nKazakhstanâ€™s ministry said two sailors were missing."
    version = make_version("spun", text, "en")
    [flag] = mojibake.CHECK.run(CheckContext([version], None, {}))
    assert text[flag.start : flag.end] == flag.text == "Kazakhstanâ€™s"
    assert flag.type == "mojibake" and flag.sentence == 1 and flag.check == "mojibake"
