"""The negation check: negations added or dropped, and meanings inverted, across aligned versions."""

from __future__ import annotations

import pytest

from qa.checks import negation
from qa.checks.crosscheck import parallel_context


def flags_for(src: str, tgt: str, tgt_lang: str, src_lang: str = "en"):
    ctx = parallel_context({"src": [src], "tgt": [tgt]}, {"src": src_lang, "tgt": tgt_lang})
    return negation.run(ctx)


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("There was no threat to the drinking water supply, he said.",
         "Es bestehe keine Gefahr für die Trinkwasserversorgung, sagte er.", "de"),
        ("There was no threat to the drinking water supply, he said.",
         "Il n’y avait aucune menace pour l’approvisionnement en eau potable, a-t-il dit.", "fr"),
        ("There was no threat to the drinking water supply, he said.",
         "No había ninguna amenaza para el suministro de agua potable, dijo.", "es"),
        ("The crew did not reach the lifeboats.", "Die Besatzung erreichte die Rettungsboote nicht.", "de"),
        ("Schools will remain closed until Thursday.", "Les écoles resteront fermées jusqu’à jeudi.", "fr"),
        ("The fire was brought under control shortly after 13:00.",
         "El incendio fue controlado poco después de las 13:00.", "es"),
    ],
)
def test_faithful_polarity_passes(src, tgt, lang):
    assert flags_for(src, tgt, lang) == []


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("There was no threat to the drinking water supply, he said.",
         "Es bestehe eine Gefahr für die Trinkwasserversorgung, sagte er.", "de"),
        ("Officials said they had found no oil slick outside the harbour.",
         "Les autorités ont indiqué avoir repéré une nappe de pétrole hors du port.", "fr"),
        ("The company confirmed the report.", "La empresa no confirmó el informe.", "es"),
        ("The port will reopen on Friday.", "Der Hafen wird am Freitag nicht wieder geöffnet.", "de"),
    ],
)
def test_flipped_polarity_is_flagged(src, tgt, lang):
    flags = flags_for(src, tgt, lang)
    assert flags and all(f.type == "negation_flip" and f.version == "tgt" for f in flags)
    assert all(tgt[f.start:f.end] == f.text for f in flags)


def test_meaning_inversion_between_english_versions():
    ctx = parallel_context(
        {"wire": ["The fire was brought under control shortly after 13:00."],
         "spun": ["The blaze was unleashed shortly after 13:00."]},
        {"wire": "en", "spun": "en"},
    )
    flags = negation.run(ctx)
    assert [f.text for f in flags] == ["unleashed"]
    assert flags[0].version == "spun"


def test_cues_per_language():
    assert [c.text for c in negation.cues("Er kam nicht.", "de")] == ["nicht"]
    assert len(negation.cues("Il ne viendra pas.", "fr")) == 1
    assert negation.cues("这个问题不断出现。", "zh") == []
    assert [c.text for c in negation.cues("他没有来。", "zh")] == ["没有"]


def test_negation_inside_an_omitted_clause_is_left_to_the_omission_check():
    # the French leaves out the whole "but ... no longer needed" clause: an omission, not a dropped negation
    src = ("Azerbaijan offered to send a fire-fighting vessel from Baku, some 400 km across the sea, "
           "but Kazakh officials said it was no longer needed.")
    tgt = ("L’Azerbaïdjan a proposé d’envoyer un navire de lutte contre les incendies depuis Bakou, "
           "à quelque 400 km de l’autre côté de la mer.")
    assert flags_for(src, tgt, "fr") == []


def test_dropped_negation_without_any_cue_left_is_flagged():
    flags = flags_for("The minister did not attend the meeting in Astana.", "Der Minister nahm an dem Treffen in Astana teil.", "de")
    assert flags and flags[0].version == "tgt" and "not" in flags[0].message


@pytest.mark.parametrize(
    ("src", "src_lang", "tgt", "tgt_lang", "word"),
    [
        ("The minister did not sign the treaty.", "en", "Der Minister unterzeichnete den Vertrag.", "de",
         "unterzeichnete"),
        ("The minister did not sign the treaty.", "en", "Le ministre a signé le traité.", "fr", "signé"),
        ("Министр не подписал договор.", "ru", "The minister signed the treaty.", "en", "signed"),
        ("部长没有签署条约。", "zh", "The minister signed the treaty.", "en", "signed"),
    ],
)
def test_a_dropped_negation_is_flagged_on_the_word_it_negated(src, src_lang, tgt, tgt_lang, word):
    ctx = parallel_context({"src": [src], "tgt": [tgt]}, {"src": src_lang, "tgt": tgt_lang}, embeddings={})
    [flag] = negation.run(ctx)
    assert flag.text == word and "Negation missing" in flag.message and "word alignment" in flag.reason


def test_a_sentence_left_untranslated_is_no_negation_flip():
    ctx = parallel_context({"src": ["Nobody was hurt."], "tgt": ["Nobody was hurt."]}, {"src": "en", "tgt": "zh"},
                           embeddings={})
    assert negation.run(ctx) == []


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("The new plant will make fossil-free steel.", "La nueva planta fabricará acero sin combustibles fósiles.", "es"),
        # long sentences: the cue's effect on the whole embedding is small, the clause around it shows it
        ("Farmers in the valley, where the river burst its banks twice this spring, have been told to plant "
         "drought-tolerant, pesticide-free crops from next season, the ministry said in a statement.",
         "Les agriculteurs de la vallée, où la rivière est sortie de son lit deux fois ce printemps, devront "
         "planter dès la saison prochaine des cultures résistantes à la sécheresse et sans pesticides, a indiqué "
         "le ministère dans un communiqué.", "fr"),
    ],
)
def test_the_same_polarity_said_in_other_words_is_no_flip(src, tgt, lang):
    # a cue on one side only, but the encoder finds the counterpart closer to the sentence with its cue
    assert flags_for(src, tgt, lang) == []


def test_a_negation_added_to_a_long_sentence_is_still_flagged():
    src = ("The port authority said on Monday that the terminal, which handles most of the region's grain exports "
           "and employs about 900 people, would reopen by the end of next week.")
    tgt = ("Die Hafenbehörde teilte am Montag mit, das Terminal, über das der größte Teil der Getreideexporte der "
           "Region läuft und das rund 900 Menschen beschäftigt, werde bis Ende nächster Woche nicht wieder öffnen.")
    assert [f.text for f in flags_for(src, tgt, "de")] == ["nicht"]


def test_the_local_window_is_the_clause_around_the_edit_and_its_counterpart():
    from qa import probe

    text = "After a long night of talks in the capital, the two parties did not reach a deal on the budget."
    start = text.index("not")
    window = probe.aligned_window(text, start, start + 3, "Nach langen Gesprächen einigten sich die Parteien "
                                  "nicht auf den Haushalt.")
    assert window is not None
    w0, w1, there = window
    assert w0 <= start < w1 and len(text[w0:w1].split()) <= 2 * probe.WINDOW_REACH + 1
    assert "nicht" in there and there != "Nach langen Gesprächen einigten sich die Parteien nicht auf den Haushalt."


def test_the_removal_probe_tells_a_flip_from_a_paraphrase():
    from qa import probe

    flip = "La empresa no confirmó el informe."
    gain = probe.relative_deletion_gain(flip, [(11, 13, "")], "The company confirmed the report.")
    same = "Nous n’avons vu que deux bateaux."
    kept = probe.relative_deletion_gain(same, [(5, 7, "")], "We saw only two boats.")
    assert gain > 0.01 and kept < gain
    assert probe.apply_edits("a  b c", [(2, 4, "")]) == "a c"


@pytest.mark.parametrize(
    ("src", "tgt", "lang"),
    [
        ("The court gave the ministry a week to decide whether to appeal.",
         "Le tribunal a donné une semaine au ministère pour décider de faire appel ou non.", "fr"),
        ("It is unclear whether the ferry will sail on Monday.",
         "Ob die Fähre am Montag ausläuft oder nicht, ist unklar.", "de"),
        ("The union will vote on whether to accept the offer.",
         "El sindicato votará si acepta la oferta o no.", "es"),
    ],
)
def test_or_not_offers_an_alternative_and_is_no_added_negation(src, tgt, lang):
    assert flags_for(src, tgt, lang) == []


def test_the_word_for_or_comes_from_cldr_for_any_language():
    assert negation.cues("Решение, подавать апелляцию или нет, за министерством.", "ru") == []
    assert [c.text for c in negation.cues("Министерство не будет подавать апелляцию.", "ru")] == ["не"]
    assert [c.text for c in negation.cues("The ministry will not appeal.", "en")] == ["not"]
