"""non_words check: leaked foreign words and compounds, non-words and misspellings; names and clean copy pass."""

from __future__ import annotations

import pytest

from qa.checks import non_words
from qa.checks.base import CheckContext
from qa.checks.non_words import judge_sentence
from qa.segment import make_version


def _found(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], f.type, f.message) for s, e, f in judge_sentence(text, lang)]


def _run(*versions: tuple[str, str, str]):
    built = [make_version(label, text, lang) for label, text, lang in versions]
    return non_words.CHECK.run(CheckContext(built, None, {}))


@pytest.mark.parametrize(
    ("sentence", "word", "kind"),
    [
        ("Around 140 firefighters battled the Flammenberg for more than nine hours.", "Flammenberg", "German compound"),
        ("Both leaders rejected talks, despite demanding a stop on Kampfberg.", "Kampfberg", "German compound"),
        ("The minister said the Verhandlungen would continue next week.", "Verhandlungen", "German word"),
        ("The talks were held in a very schwierig atmosphere, diplomats said.", "schwierig", "German word"),
        ("The ministry said the ущерб was limited to two warehouses.", "ущерб", "Cyrillic script"),
        ("Officials said the fire started becuase of a faulty cable.", "becuase", "because"),
        ("Residents said they did not recieve any warning before the blast.", "recieve", "receive"),
        ("The ambassador to Amercia was recalled on Friday.", "Amercia", "America"),
    ],
)
def test_catches_leaked_and_misspelt_words(sentence, word, kind):
    found = _found(sentence, "en")
    assert [w for w, _, _ in found] == [word], found
    [(_, flag_type, message)] = found
    assert flag_type in {"foreign_word", "non_word"}
    assert kind in message, message  # the message says what the word is, or what was meant


def test_kampfberg_is_explained_as_a_compound():
    [(_, flag_type, message)] = _found("Both leaders rejected talks, despite demanding a stop on Kampfberg.", "en")
    assert flag_type == "foreign_word" and "Kampf + Berg" in message


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents of Stepanakert, also known as Khankendi, heard explosions, and Terter and Martuni were shelled.",
        "Prime Minister Nikol Pashinyan and President Ilham Aliyev spoke to Le Monde about the Minsk Group.",
        "Spokeswoman Aigerim Tulegenova said Nurlan Zhaksylykov had ordered the evacuation of two microdistricts.",
        "The agreement was signed in the Kremlin (Кремль) on Tuesday.",
        "The coup d'état was condemned by the African Union, which suspended Niger's membership.",
        "The report captured the zeitgeist of a country gripped by angst.",
        "Kindergarten teachers in Nairobi went on strike over pay on Wednesday.",
        "The UN's humanitarian chief, Martin Griffiths, visited Khartoum and Port Sudan on Monday.",
        "A Turkish F-16 flying in support of Baku's forces shot down an Armenian SU-25, Yerevan said.",
    ],
)
def test_names_loanwords_and_glosses_pass_in_english(sentence):
    assert _found(sentence, "en") == []


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("de", "Die Bundesregierung will die Schuldenbremse im kommenden Jahr wieder einhalten, sagte Finanzminister "
               "Christian Lindner."),
        ("de", "Bei dem Brand in einer Lagerhalle in Duisburg wurden drei Feuerwehrleute leicht verletzt."),
        ("fr", "Le gouvernement a annoncé mardi une hausse de 4,6 % du salaire minimum à partir du 1er janvier."),
        ("fr", "Des milliers de manifestants ont défilé samedi à Marseille contre la réforme des retraites."),
        ("es", "El Banco de España rebajó su previsión de crecimiento para este año al 1,6 %."),
        ("es", "Los bomberos tardaron más de seis horas en controlar el incendio en la sierra de Guadarrama."),
        ("it", "Il governo ha approvato un decreto per accelerare la ricostruzione nelle zone colpite dall'alluvione."),
        ("ru", "Пожар на нефтяном танкере в порту Актау потушили через девять часов, сообщило МЧС Казахстана."),
        ("pl", "Rząd w Warszawie zapowiedział podwyżkę płacy minimalnej od przyszłego roku."),
        ("nl", "De Nederlandse regering heeft dinsdag haar begroting voor volgend jaar gepresenteerd."),
        ("pt", "O governo brasileiro anunciou um novo pacote de investimentos em infraestrutura nesta segunda-feira."),
    ],
)
def test_clean_news_in_other_languages_passes(lang, sentence):
    assert _found(sentence, lang) == []


def test_a_name_another_version_carries_is_a_name():
    en = "Deputy prosecutor Marat Yesenov said the Vorzhakov terminal had been closed."
    de = "Der stellvertretende Staatsanwalt Marat Jessenow sagte, das Vorschakow-Terminal sei geschlossen worden."
    alone = _run(("en", en, "en"))
    together = _run(("en", en, "en"), ("de", de, "de"))
    assert not [f for f in together if f.version == "en"], together
    assert all(f.text != "Yesenov" for f in alone)


def test_flags_carry_offsets_into_the_version_text_and_a_message():
    text = "The fire was out by noon.\n\nAround 140 firefighters battled the Flammenberg for nine hours."
    [flag] = _run(("spun", text, "en"))
    assert text[flag.start : flag.end] == flag.text == "Flammenberg"
    assert flag.sentence == 1 and flag.check == "non_words" and flag.severity == "major"
    assert 0.0 < flag.confidence <= 1.0 and flag.message


def test_a_whole_sentence_in_another_language_is_left_to_wrong_language():
    text = "The port reopened on Friday. Die Staatsanwaltschaft hat ein Ermittlungsverfahren wegen Brandstiftung eingeleitet."
    assert _run(("v", text, "en")) == []


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fr", "Le tribunal d’Umeå a rendu son jugement jeudi."),
        ("fr", "Les berges de l’Una ont cédé pendant la nuit."),
        ("it", "Il sindaco dell’Aquila ha parlato ai giornalisti."),
    ],
)
def test_a_name_after_an_elided_article_is_a_name(lang, sentence):
    assert _found(sentence, lang) == []
