"""wrong_language check: sentences left untranslated or written in another language than their version; names,
quotations and short sentences pass."""

from __future__ import annotations

import pytest

from qa.checks import wrong_language
from qa.checks.base import CheckContext
from qa.checks.langid import foreign_language
from qa.segment import make_version


@pytest.mark.parametrize(
    ("version_lang", "sentence", "found_lang"),
    [
        ("de", "Prosecutors in the Mangystau region have opened a criminal case over suspected violations of "
               "fire safety rules.", "en"),
        ("en", "Le gouvernement a annoncé mardi une hausse du salaire minimum à partir du mois de janvier.", "fr"),
        ("fr", "The government announced on Tuesday that the minimum wage would rise from January.", "en"),
        ("en", "Правительство объявило во вторник о повышении минимальной зарплаты.", "ru"),
        ("es", "Die Regierung hat am Dienstag eine Erhöhung des Mindestlohns angekündigt.", "de"),
        ("en", "Die Reporter wurden ins Krankenhaus gebracht.", "de"),  # short: its capitalised nouns count
        ("fr", "Der Hafen bleibt bis Freitag geschlossen.", "de"),
        ("de", "Schools will remain closed until Thursday.", "en"),
    ],
)
def test_untranslated_sentences_are_recognised(version_lang, sentence, found_lang):
    found = foreign_language(sentence, version_lang)
    assert found is not None and found.lang == found_lang, found
    assert 0.5 <= found.confidence <= 1.0


@pytest.mark.parametrize(
    ("version_lang", "sentence"),
    [
        ("en", "Al Jazeera’s Bernard Smith, reporting from the Armenian capital, said there were fears."),
        ("en", "Protesters chanted “On ne lâchera rien, on ne lâchera rien” outside the ministry in Paris on Saturday."),
        ("en", "Angela Merkel met Emmanuel Macron."),
        ("en", "Frank-Walter Steinmeier met Olaf Scholz in Berlin."),
        ("en", "The Bundestag voted on the Heizungsgesetz on Friday."),
        ("en", "Die Linke and the AfD lost seats."),
        ("de", "Der Film „The Day After Tomorrow“ lief am Sonntag im ZDF."),
        ("de", "Nach Angaben der Polizei wurden bei dem Unfall auf der A7 bei Hamburg zwei Menschen verletzt."),
        ("fr", "Le président a rencontré Olaf Scholz à Berlin lundi pour évoquer la guerre en Ukraine."),
        ("es", "El Real Madrid ganó 3-1 al Bayern München en el Santiago Bernabéu."),
        ("it", "Il presidente del Consiglio ha incontrato a Roma il cancelliere tedesco per discutere di energia."),
        ("ru", "Министр иностранных дел России Сергей Лавров прибыл в Анкару в среду."),
        ("pl", "Premier spotkał się w środę w Brukseli z przewodniczącą Komisji Europejskiej."),
    ],
)
def test_names_quotes_and_clean_sentences_pass(version_lang, sentence):
    assert foreign_language(sentence, version_lang) is None


def _flags(text: str, lang: str):
    version = make_version("v", text, lang)
    return wrong_language.CHECK.run(CheckContext([version], None, {}))


def test_an_untranslated_sentence_is_flagged_whole_with_a_message():
    text = (
        "Die Staatsanwaltschaft ermittelt wegen fahrlässiger Brandstiftung.\n\n"
        "Prosecutors in the Mangystau region have opened a criminal case over suspected violations of fire safety "
        "rules.\n\nDer Hafen soll frühestens am Freitag wieder öffnen."
    )
    [flag] = _flags(text, "de")
    assert flag.text.startswith("Prosecutors") and flag.text.endswith("rules.")
    assert text[flag.start : flag.end] == flag.text
    assert flag.type == "wrong_language" and flag.severity == "major" and "English" in flag.message


def test_web_residue_in_another_language_is_left_to_boilerplate():
    text = "Der Hafen bleibt bis Freitag geschlossen, teilte die Behörde mit.\n\nPlease enter your comment here!"
    assert _flags(text, "de") == []


def test_a_clean_translation_has_no_flags():
    text = (
        "Un incendio en un petrolero amarrado en el puerto de Aktau mató a cuatro tripulantes el martes.\n\n"
        "«La tripulación no tuvo ninguna posibilidad de llegar a los botes salvavidas», dijo la portavoz.\n\n"
        "El puerto no volverá a abrir antes del viernes, según las autoridades."
    )
    assert _flags(text, "es") == []
