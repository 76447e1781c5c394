"""The omission check: sentences and clauses missing from a version or found in no other version."""

from __future__ import annotations

from qa.checks import omission, structure
from qa.checks.crosscheck import parallel_context
from qa.nway import AlignmentRow
from qa.structure import find_structure

WIRE = [
    "A fire on board a tanker moored in the port of Aktau killed four crew members on Tuesday.",
    "Some 140 firefighters battled the blaze for more than nine hours.",
    "Schools in the two neighbourhoods will remain closed until Thursday.",
    "Azerbaijan offered to send a fireboat from Baku, but Kazakh officials said it was no longer needed.",
]
DE = [
    "Ein Brand auf einem im Hafen von Aktau liegenden Tanker hat am Dienstag vier Besatzungsmitglieder getötet.",
    "Rund 140 Feuerwehrleute kämpften mehr als neun Stunden gegen das Feuer.",
    "Die Schulen in den beiden Vierteln bleiben bis Donnerstag geschlossen.",
    "Aserbaidschan bot an, ein Löschschiff aus Baku zu schicken, doch kasachische Behörden erklärten, "
    "es werde nicht mehr gebraucht.",
]
FR = [
    "Un incendie à bord d’un pétrolier amarré dans le port d’Aktaou a tué quatre membres d’équipage mardi.",
    "Quelque 140 pompiers ont lutté pendant plus de neuf heures contre l’incendie.",
    "Les écoles des deux quartiers resteront fermées jusqu’à jeudi.",
    "L’Azerbaïdjan a proposé d’envoyer un bateau-pompe depuis Bakou, mais les autorités kazakhes ont dit "
    "qu’il n’était plus nécessaire.",
]
LANGS = {"wire": "en", "de": "de", "fr": "fr"}


def test_faithful_translations_pass():
    ctx = parallel_context({"wire": WIRE, "de": DE, "fr": FR}, LANGS)
    assert omission.run(ctx) == []


def test_missing_sentence_is_flagged_before_the_gap():
    de = DE[:2] + [""] + DE[3:]
    ctx = parallel_context({"wire": WIRE, "de": de, "fr": FR}, LANGS)
    flags = omission.run(ctx)
    assert [(f.version, f.type) for f in flags] == [("de", "omission")]
    assert flags[0].text == DE[1]
    assert "Schools" in flags[0].message


def test_added_sentence_is_flagged():
    texts = {"wire": WIRE[:2] + [""] + WIRE[2:], "de": DE[:2] + [
        "Nach Angaben von Hafenarbeitern war die Löschanlage des Schiffes seit Wochen defekt."] + DE[2:],
        "fr": FR[:2] + [""] + FR[2:]}
    ctx = parallel_context(texts, LANGS)
    flags = omission.run(ctx)
    assert [(f.version, f.type) for f in flags] == [("de", "addition")]
    assert flags[0].text.startswith("Nach Angaben von Hafenarbeitern")


def test_a_moved_sentence_counts_as_present_and_its_mover_is_never_flagged():
    # fr carries the sentence at another place (moved), de lacks it altogether: only de omitted it
    de = DE[:2] + [""] + DE[3:]
    ctx = parallel_context({"wire": WIRE, "de": de, "fr": FR}, LANGS)
    row = ctx.alignment.rows[2]
    ctx.alignment.rows[2] = AlignmentRow(row.index, row.cells, row.similarity, frozenset({"fr"}))
    flags = [f for f in omission.run(ctx) if f.type in {"omission", "addition"}]
    assert [(f.version, f.type) for f in flags] == [("de", "omission")]


def test_a_sentence_only_the_mover_has_is_no_addition():
    fr = FR + ["Le port restera fermé jusqu’à nouvel ordre."]
    ctx = parallel_context({"wire": WIRE + [""], "de": DE + [""], "fr": fr}, LANGS)
    last = ctx.alignment.rows[-1]
    ctx.alignment.rows[-1] = AlignmentRow(last.index, last.cells, last.similarity, frozenset({"fr"}))
    assert [f for f in omission.run(ctx) if f.version == "fr" and f.type == "addition"] == []


def test_moved_cell_is_flagged_once_by_the_structure_check_not_here():
    ctx = parallel_context({"wire": WIRE, "de": DE, "fr": FR}, LANGS)
    row = ctx.alignment.rows[1]
    ctx.alignment.rows[1] = AlignmentRow(row.index, row.cells, row.similarity, frozenset({"de"}))
    ctx.structure = find_structure(ctx.versions, ctx.alignment)
    assert [f for f in omission.run(ctx) if f.version == "de"] == []
    flags = structure.run(ctx)
    assert [(f.version, f.type, f.severity, f.text) for f in flags] == [("de", "moved", "minor", DE[1])]


def test_sentence_carried_elsewhere_is_not_an_omission():
    # the German version has the schools sentence, but at the end (moved, unmarked by the aligner)
    de = DE[:2] + [""] + DE[3:] + [DE[2]]
    wire = WIRE + [""]
    fr = FR + [""]
    ctx = parallel_context({"wire": wire, "de": de, "fr": fr}, LANGS)
    assert [f for f in omission.run(ctx) if f.type == "omission"] == []


def test_dropped_clause_is_flagged():
    fr = FR[:3] + ["L’Azerbaïdjan a proposé d’envoyer un bateau-pompe depuis Bakou."]
    ctx = parallel_context({"wire": WIRE, "de": DE, "fr": fr}, LANGS)
    flags = omission.run(ctx)
    assert [(f.version, f.type, f.sentence) for f in flags] == [("fr", "omission", 3)]
    assert "no longer needed" in flags[0].message or "Kazakh officials" in flags[0].message


def test_added_clause_is_flagged():
    fr = FR[:1] + ["Quelque 140 pompiers ont lutté pendant plus de neuf heures contre l’incendie, tout en "
                   "dénonçant le manque chronique d’équipements de protection dans le port."] + FR[2:]
    ctx = parallel_context({"wire": WIRE, "de": DE, "fr": fr}, LANGS)
    flags = omission.run(ctx)
    assert [(f.version, f.type) for f in flags] == [("fr", "addition")]
    assert "équipements" in flags[0].text
    version = ctx.version("fr")
    assert version.text[flags[0].start:flags[0].end] == flags[0].text


def test_pair_of_versions_flags_the_translation():
    ctx = parallel_context({"src": [WIRE[3]], "tgt": ["Azerbaijan offered to send a fireboat from Baku."]},
                           {"src": "en", "tgt": "en"})
    flags = omission.run(ctx)
    assert [(f.version, f.type) for f in flags] == [("tgt", "omission")]


def test_headline_rows_are_left_out_of_clause_comparisons():
    from qa.checks.crosscheck import rows
    from qa.pipeline import VersionInput, prepare_versions

    wire = "Crews fight Aktau tanker blaze for nine hours as Kazakh officials turn down fireboat\n\n" + "\n\n".join(WIRE)
    fr = "Quatre morts dans l’incendie d’un pétrolier à Aktaou\n\n" + "\n\n".join(FR)
    versions = prepare_versions([VersionInput("wire", wire, "en"), VersionInput("fr", fr, "fr")])
    ctx = parallel_context({"wire": [s.text for s in versions[0].sentences], "fr": [s.text for s in versions[1].sentences]},
                           {"wire": "en", "fr": "fr"})
    ctx.versions[:] = versions  # the real layout: the headline is a paragraph of its own
    assert len(ctx.alignment.rows) == 5
    assert 0 in {row.index for row in rows(ctx)}  # names and numbers are still read in headlines
    assert {row.index for row in rows(ctx, headlines=False)} == {1, 2, 3, 4}  # outlets word headlines freely


def test_a_truncated_copy_has_no_vote_on_the_rows_its_truncation_explains():
    # "cut" stops after two sentences (a truncation finding covers the rest); fr drops only the last one.
    # The cut copy's missing tail is no evidence that the wire's last sentence is extra: fr omitted it.
    cut = WIRE[:2] + ["", ""]
    fr = FR[:3] + [""]
    ctx = parallel_context({"wire": WIRE, "cut": cut, "fr": fr}, {"wire": "en", "cut": "en", "fr": "fr"})
    ctx.structure = find_structure(ctx.versions, ctx.alignment)
    assert [f.kind for f in ctx.structure if f.version == "cut"] == ["truncated"]
    flags = [f for f in omission.run(ctx) if f.type in {"omission", "addition"}]
    assert [(f.version, f.type) for f in flags] == [("fr", "omission")]
    assert flags[0].text == FR[2] and "Azerbaijan" in flags[0].message
