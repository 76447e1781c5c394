"""The names check: transliteration-aware comparison of names across aligned versions."""

from __future__ import annotations

import pytest

from qa.checks import names
from qa.checks.crosscheck import parallel_context


def flags_for(src: str, tgt: str, tgt_lang: str, src_lang: str = "en"):
    ctx = parallel_context({"src": [src], "tgt": [tgt]}, {"src": src_lang, "tgt": tgt_lang})
    return names.run(ctx)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Pashinyan", "Paschinjan", True),
        ("Pashinyan", "Pachinian", True),
        ("Terter", "Tartar", True),
        ("Terter", "Tatar", False),
        ("Aliyev", "Alijew", True),
        ("Aktau", "Aktaou", True),
        ("Aktau", "Aktobe", False),
        ("Abenov", "Akhmetov", False),
        ("Zhaksylykov", "Schaksylykow", True),
    ],
)
def test_same_name(a, b, same):
    langs = {"Paschinjan": "de", "Alijew": "de", "Schaksylykow": "de", "Pachinian": "fr", "Aktaou": "fr"}
    assert names.same_name(a, b, "en", langs.get(b, "en")) is same


@pytest.mark.parametrize(
    ("tgt", "lang"),
    [
        ("Ministerpräsident Nikol Paschinjan traf Ilham Alijew in Minsk.", "de"),
        ("Le Premier ministre Nikol Pachinian a rencontré Ilham Aliev à Minsk.", "fr"),
        ("El primer ministro Nikol Pashinián se reunió con Ilham Aliyev en Minsk.", "es"),
    ],
)
def test_transliterated_names_pass(tgt, lang):
    assert flags_for("Prime Minister Nikol Pashinyan met Ilham Aliyev in Minsk.", tgt, lang) == []


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("Crude oil leaked near the berth, the port authority said.",
         "Rohöl sei in der Nähe des Liegeplatzes ausgelaufen, teilte die Hafenbehörde mit.", "de"),
        ("The crew had no chance to reach the lifeboats.", "L’équipage n’a eu aucune chance d’atteindre les canots.", "fr"),
        ("Le Monde reported that Stepanakert and Khankendi were shelled.",
         "Le Monde berichtete, Stepanakert und Chankendi seien beschossen worden.", "de"),
        ("Shelling was reported in Terter and Martuni.", "Des bombardements ont été signalés à Tartar et Martouni.", "fr"),
    ],
)
def test_common_nouns_and_spellings_pass(src, tgt, lang):
    assert flags_for(src, tgt, lang) == []


@pytest.mark.parametrize(
    ("src", "tgt", "lang", "flagged"),
    [
        ("The deputy prime minister flew to Aktau on Tuesday.", "Der Vizeregierungschef flog am Dienstag nach Aktobe.",
         "de", "Aktobe"),
        ("The commission is led by Serik Abenov.", "La commission est dirigée par Serik Akhmetov.", "fr", "Akhmetov"),
        ("Shelling was reported in Terter.", "Beschuss wurde aus Tatar gemeldet.", "de", "Tatar"),
        ("Prosecutors in the Mangystau region opened a case.",
         "Les procureurs de la région d’Atyraou ont ouvert une enquête.", "fr", "Atyraou"),
    ],
)
def test_changed_names_are_flagged(src, tgt, lang, flagged):
    flags = flags_for(src, tgt, lang)
    assert any(flagged in f.text for f in flags), [f.message for f in flags]
    assert all(f.type == "name_mismatch" and f.version == "tgt" for f in flags)
    for f in flags:
        assert tgt[f.start:f.end] == f.text


def test_vanished_name_is_flagged():
    flags = flags_for("Azerbaijan's president Ilham Aliyev said the talks failed.",
                      "Der Präsident sagte, die Gespräche seien gescheitert.", "de")
    assert flags and "Aliyev" in flags[0].message
