"""One failing check or pair never stops a run: `check` and `score-pairs` report it (pair id, check) and go on."""

from __future__ import annotations

import json

import pytest

from qa import checks, cli, score_pairs
from qa.checks.base import Check, CheckContext, Flag
from qa.checks.crosscheck import Cell, Row, flagged_cells
from qa.pipeline import VersionInput, analyze
from qa.segment import Sentence, Version


def _explode(ctx: CheckContext) -> list[Flag]:
    raise RuntimeError("generator raised StopIteration")


BOOM = Check("boom", True, _explode, "a check with a bug")


def _cells() -> Row:
    a = Version("src", "three people", "en", [Sentence(0, "three people", 0, 12, 0)])
    b = Version("tgt", "drei (3) Menschen", "de", [Sentence(0, "drei (3) Menschen", 0, 17, 0)])
    return Row(0, (Cell(a, 0, tuple(a.sentences)), Cell(b, 0, tuple(b.sentences))), "src")


def test_a_difference_found_one_way_only_names_the_counterpart():
    """The root cause of the StopIteration: the source disagrees with the translation, not the reverse."""
    row = _cells()
    [(cell, judge)] = list(flagged_cells(row, {"src": {"tgt"}, "tgt": set()}))
    assert (cell.label, judge.label) == ("tgt", "src")
    assert list(flagged_cells(row, {"src": set(), "tgt": set()}, {"tgt"})) == []  # nobody disagrees: nothing


def test_enumeration_pair_that_crashed_score_pairs_is_scored():
    [result] = score_pairs.score_pairs([{
        "id": "enum", "src": "Police said three people were injured.",
        "tgt": "Die Polizei sagte, drei (3) Menschen seien verletzt worden.", "src_lang": "en", "tgt_lang": "de",
    }])
    assert isinstance(result["risk"], float) and "problems" not in result


def test_score_pairs_reports_a_failing_check_per_pair_and_scores_the_rest(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(score_pairs, "PAIR_CHECKS", (BOOM, *score_pairs.PAIR_CHECKS))
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(
        '{"id": "a1", "src": "Four people died on Tuesday.", "tgt": "Vier Menschen starben am Dienstag."}\n'
        '{"id": "a2", "src": "The fire burned for 9 hours.", "tgt": "Das Feuer brannte 19 Stunden lang."}\n'
    )
    out = tmp_path / "s.jsonl"
    assert cli.main(["score-pairs", str(pairs), "--out", str(out)]) == cli.EXIT_OK
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == ["a1", "a2"]
    for r in results:
        assert isinstance(r["risk"], float)
        assert r["problems"] == ["check boom failed (RuntimeError: generator raised StopIteration); scored without it"]
    assert any(f["type"] == "number_mismatch" for f in results[1]["flags"])  # the other checks still ran
    err = capsys.readouterr().err
    assert 'warning: pair "a1": check boom failed' in err and 'warning: pair "a2": check boom failed' in err


def test_score_pairs_keeps_going_when_a_whole_pair_fails(monkeypatch):
    real = score_pairs.signals

    def fragile(sv, tv, src_lang, tgt_lang, src, tgt, sim):
        if "poison" in src:
            raise ValueError("odd text")
        return real(sv, tv, src_lang, tgt_lang, src, tgt, sim)

    monkeypatch.setattr(score_pairs, "signals", fragile)
    results = score_pairs.score_pairs([
        {"id": 1, "src": "A poison sentence.", "tgt": "Ein Giftsatz."},
        {"id": 2, "src": "Four people died.", "tgt": "Vier Menschen starben."},
    ])
    assert results[0]["risk"] is None and "ValueError: odd text" in results[0]["problems"][0]
    assert isinstance(results[1]["risk"], float)


def test_check_reports_a_failing_check_and_keeps_the_others(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(checks, "CHECKS", [BOOM, *checks.CHECKS])
    wire = "A fire on a tanker in Aktau killed four crew members on Tuesday.\nThe blaze burned for nine hours.\n"
    spun = "A fire on a tanker in Aktau killed five crew members on Tuesday.\nThe blaze burned for nine hours.\n"
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("spun", spun, "en")], reference="wire")
    assert report.problems == ["check boom failed (RuntimeError: generator raised StopIteration); its flags are missing"]
    assert any(f.type == "number_mismatch" for f in report.flags)
    a, b = tmp_path / "wire.txt", tmp_path / "spun.txt"
    a.write_text(wire)
    b.write_text(spun)
    assert cli.main(["check", str(a), str(b), "--ref", str(a), "--format", "json"]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "warning: check boom failed" in captured.err
    assert json.loads(captured.out)["problems"] == report.problems


@pytest.mark.parametrize("failing", ["numbers", "names"])
def test_a_real_check_failing_leaves_the_others(monkeypatch, failing):
    """Any registered check can fail: the report keeps every other check's flags."""
    monkeypatch.setattr(checks, "CHECKS", [
        Check(c.name, c.needs_alignment, _explode if c.name == failing else c.run, c.description) for c in checks.CHECKS
    ])
    wire = "Four crew members died on Tuesday in Aktau.\n"
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("spun", wire.replace("Four", "Five"), "en")])
    assert [p.split(" ")[1] for p in report.problems] == [failing]


def _poisoned(ctx: CheckContext) -> list[Flag]:
    """Flags the first word of every aligned non-reference cell; raises on a row that mentions poison."""
    from qa.checks.base import sentence_flag
    from qa.checks.crosscheck import rows

    out = []
    for row in rows(ctx):
        if any("poison" in c.text for c in row.cells):
            raise KeyError("poison")
        for cell in row.cells[1:]:
            s = cell.sentences[0]
            out.append(sentence_flag(ctx, cell.version, s, s.start, s.start + 1, type="non_word", severity="minor",
                                     message="planted", confidence=1.0, check="poisoned"))
    return out


def test_check_failing_on_one_row_keeps_its_flags_on_the_other_rows(monkeypatch):
    monkeypatch.setattr(checks, "CHECKS", [Check("poisoned", True, _poisoned)])
    wire = "\n".join(["Four crew members died on Tuesday.", "The poison spread through the harbour.",
                      "The fire burned for nine hours.", "Officials said the water was safe."]) + "\n"
    copy = wire.replace(".", " locally.")  # every row differs a little (rows said word for word are not compared)
    report = analyze([VersionInput("wire", wire, "en"), VersionInput("copy", copy, "en")], reference="wire")
    flagged = sorted(f.sentence for f in report.flags)
    assert flagged == [0, 2, 3]  # every row but the one that makes the check fail
    assert report.problems == ["check poisoned failed on row 2 (KeyError: 'poison'); its flags elsewhere are kept"]
