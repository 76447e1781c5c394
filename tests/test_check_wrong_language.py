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


# --- a sentence copied unchanged from a version in another language ------------------------------------


def _copy_flags(texts: dict[str, str], langs: dict[str, str]):
    versions = [make_version(label, text, langs[label]) for label, text in texts.items()]
    return wrong_language.CHECK.run(CheckContext(versions, None, {}))


@pytest.mark.parametrize(
    ("copy", "src_lang", "tgt_lang", "around"),
    [
        ("Nobody was hurt.", "en", "fr", "Le port est fermé. {} Les secours sont sur place."),
        ("Nobody was hurt.", "en", "zh", "港口已关闭。{}救援人员已到场。"),
        ("Niemand wurde verletzt.", "de", "en", "The port is closed. {} Rescuers are at the scene."),
        ("Никто не пострадал.", "ru", "de", "Der Hafen ist geschlossen. {} Die Retter sind vor Ort."),
        ("没有人受伤。", "zh", "en", "The port is closed. {} Rescuers are at the scene."),
        ("Personne n'a été blessé.", "fr", "es", "El puerto está cerrado. {} Los rescatistas están en el lugar."),
        ("कोई घायल नहीं हुआ।", "hi", "en", "The port is closed. {} Rescuers are at the scene."),
    ],
)
def test_a_short_sentence_copied_from_the_source_is_untranslated(copy, src_lang, tgt_lang, around):
    source = {"en": "The port is closed.", "de": "Der Hafen ist geschlossen.", "ru": "Порт закрыт.",
              "zh": "港口已关闭。", "fr": "Le port est fermé.", "hi": "बंदरगाह बंद है।"}[src_lang]
    flags = _copy_flags({"src": f"{source} {copy}", "tgt": around.format(copy)}, {"src": src_lang, "tgt": tgt_lang})
    assert [(f.version, f.text) for f in flags] == [("tgt", copy)]
    assert flags[0].type == "wrong_language" and "untranslated" in flags[0].message
    assert flags[0].evidence[0].version == "src" and flags[0].evidence[0].text == copy


@pytest.mark.parametrize(
    ("src", "tgt", "src_lang", "tgt_lang"),
    [
        ("Angela Merkel.", "Angela Merkel.", "en", "de"),  # names only: no language to leave it in
        ("BBC News, 12:30.", "BBC News, 12:30.", "en", "fr"),
        ("Reuters", "Reuters", "en", "zh"),
        ("Nobody was hurt.", "Personne n'a été blessé.", "en", "fr"),
        ("Nobody was hurt.", "没有人受伤。", "en", "zh"),
        ("Niemand wurde verletzt.", "Nobody was hurt.", "de", "en"),
    ],
)
def test_names_and_faithful_translations_are_no_copies(src, tgt, src_lang, tgt_lang):
    assert _copy_flags({"src": src, "tgt": tgt}, {"src": src_lang, "tgt": tgt_lang}) == []


def test_an_xliff_target_equal_to_its_source_is_untranslated():
    from qa.formats import read_upload
    from qa.pipeline import prepare_versions

    xliff = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="en" target-language="de" datatype="plaintext" original="story.txt"><body>
  <trans-unit id="1"><source>The port is closed.</source><target>Der Hafen ist geschlossen.</target></trans-unit>
  <trans-unit id="2"><source>Nobody was hurt.</source><target>Nobody was hurt.</target></trans-unit>
  <trans-unit id="3"><source>Reuters</source><target>Reuters</target></trans-unit>
 </body></file>
</xliff>"""
    versions = prepare_versions(read_upload("story.xlf", xliff.encode("utf-8")))
    flags = wrong_language.CHECK.run(CheckContext(versions, None, {}))
    assert [f.text for f in flags] == ["Nobody was hurt."]
    assert flags[0].version == versions[1].label
