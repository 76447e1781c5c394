"""Messy copies (truncated, padded, reordered, another story): exact rows and one finding per block.

The story in ``tests/fixtures/messy/`` is written for these tests (a fictional Lisbon metro strike) and
is not part of the benchmark's stories: ``wire`` (the original), ``trunc`` (own headline and byline,
stops after the quote paragraph), ``padded`` (the full story plus related links, a second article and a
comment form), ``reordered`` (the minister's paragraph moved to the end), ``de`` (a faithful German
translation that stops after the minister's paragraph), ``other`` (a different story).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.furniture import body, dateline_end, masthead
from qa.pipeline import VersionInput, analyze
from qa.segment import make_version
from qa.structure import find_structure

FIXTURES = Path(__file__).parent / "fixtures" / "messy"
CONTENT_CHECKS = {"names", "numbers", "negation", "drift", "omission"}


def inputs(*labels: str) -> list[VersionInput]:
    langs = {"de": "de"}
    return [VersionInput(label, (FIXTURES / f"{label}.txt").read_text(encoding="utf-8"), langs.get(label, "en"))
            for label in labels]


@pytest.fixture(scope="module")
def messy_report():
    return analyze(inputs("wire", "trunc", "padded", "reordered", "de", "other"), reference="wire")


def findings(report, label: str) -> list[tuple[str, tuple[int, ...]]]:
    return [(f.kind, f.sentences) for f in report.structure if f.version == label]


def test_truncated_copy_is_one_finding_with_no_content_flags(messy_report) -> None:
    wire = messy_report.versions[0]
    assert findings(messy_report, "trunc") == [("truncated", (6,))]  # its last sentence: the talks broke down
    finding = next(f for f in messy_report.structure if f.version == "trunc")
    assert finding.reference_sentences == tuple(range(7, len(wire.sentences)))
    trunc_flags = [f for f in messy_report.flags if f.version == "trunc"]
    assert [f.type for f in trunc_flags] == ["truncated"]
    assert "ends after row" in trunc_flags[0].message and "truncated copy?" in trunc_flags[0].message


def test_padding_after_the_story_is_one_block(messy_report) -> None:
    padded = next(v for v in messy_report.versions if v.label == "padded")
    block = [f for f in messy_report.structure if f.version == "padded"]
    assert [f.kind for f in block] == ["extra_material"]
    first = padded.sentences[block[0].sentences[0]].text
    assert first == "Related stories"
    assert padded.sentences[block[0].sentences[-1]].text.startswith("Required fields")
    assert [f.type for f in messy_report.flags if f.version == "padded"] == ["extra_material"]


def test_moved_paragraph_is_one_finding(messy_report) -> None:
    reordered = next(v for v in messy_report.versions if v.label == "reordered")
    moved = [f for f in messy_report.structure if f.version == "reordered"]
    assert [f.kind for f in moved] == ["moved"]
    texts = [reordered.sentences[i].text for i in moved[0].sentences]
    assert texts[0].startswith("Transport minister Sofia Mendes") and len(texts) == 2
    assert [f.type for f in messy_report.flags if f.version == "reordered"] == ["moved"]


def test_truncated_translation_and_another_story(messy_report) -> None:
    assert [k for k, _ in findings(messy_report, "de")] == ["truncated"]
    assert [k for k, _ in findings(messy_report, "other")] == ["different_story"]
    assert "other" in messy_report.alignment.set_apart
    assert all(not row.cells["other"] for row in messy_report.alignment.rows)
    other_flags = [f for f in messy_report.flags if f.version == "other"]
    assert [f.type for f in other_flags] == ["different_story"]


def test_another_story_does_not_distort_the_others_rows(messy_report) -> None:
    clean = analyze(inputs("wire", "trunc", "padded", "reordered", "de"), reference="wire")
    assert [r.cells for r in clean.alignment.rows] == [
        {k: v for k, v in r.cells.items() if k != "other"} for r in messy_report.alignment.rows
    ]


def test_the_reference_is_never_flagged_for_what_a_copy_changed(messy_report) -> None:
    assert not [f for f in messy_report.flags if f.version == "wire"]


def test_long_unmatched_tail_yields_no_name_number_or_negation_flag() -> None:
    wire = (FIXTURES / "wire.txt").read_text(encoding="utf-8")
    head = "\n\n".join(wire.split("\n\n")[:4])  # headline, byline, lead, the operator's paragraph
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("head", head, "en")], reference="wire")
    assert [(f.version, f.type) for f in report.flags] == [("head", "truncated")]


def test_a_one_sentence_brief_is_not_merged_with_the_story_around_it() -> None:
    wire = (FIXTURES / "wire.txt").read_text(encoding="utf-8")
    brief = "Lisbon's metro stayed shut for a second day on Tuesday as drivers and station staff walked out over pay."
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("brief", brief, "en")], reference="wire")
    row = next(r for r in report.alignment.rows if r.cells["brief"])
    assert row.cells["wire"][0] == 2  # the lead, not the headline and byline above it
    assert len(row.cells["wire"]) <= 2 and row.confidence["brief"] > 0.9
    assert [f.kind for f in report.structure] == ["truncated"]  # no "late start" for a missing headline
    tail = " ".join(s.text for s in report.versions[0].sentences[5:])
    for flag in report.flags:  # nothing from the story's tail is compared with the brief
        assert not any(e.text and e.text in tail for e in flag.evidence if flag.check != "structure")


def test_planted_change_in_a_messy_copy_is_still_found() -> None:
    wire = (FIXTURES / "wire.txt").read_text(encoding="utf-8")
    changed = (FIXTURES / "trunc.txt").read_text(encoding="utf-8").replace("raise of 6 per cent", "raise of 9 per cent")
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("trunc", changed, "en")], reference="wire")
    numbers = [f for f in report.flags if f.type == "number_mismatch"]
    assert [(f.version, f.text) for f in numbers] == [("trunc", "9")]
    assert [f.type for f in report.flags if f.check == "structure"] == ["truncated"]


def test_furniture_masthead_and_dateline() -> None:
    version = make_version("w", (FIXTURES / "wire.txt").read_text(encoding="utf-8"), "en")
    assert masthead(version) == {0, 1}  # headline and byline
    assert dateline_end("LISBON, May 6 – Lisbon's metro") == len("LISBON, May 6 – ")
    assert dateline_end("KLAGENFURT, 8. März – Die SPÖ") == len("KLAGENFURT, 8. März – ")
    assert dateline_end("The bank – which had said so – cut") == 0
    assert body("LISBON, May 6 – “We are,” he said.") == body('LISBON – "We are", he said.')
    assert body("He said 6 per cent.") != body("He said 9 per cent.")


def test_no_structure_without_alignment() -> None:
    version = make_version("w", (FIXTURES / "wire.txt").read_text(encoding="utf-8"), "en")
    assert find_structure([version], None) == []
