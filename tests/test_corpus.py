"""The annotated sample corpus: files, languages, annotations, and the benchmark's matching rules."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from qa.checks.base import FLAG_TYPES, SEVERITIES, Flag
from qa.corpus import CORPORA_DIR, Problem, default_corpus_dir, load_corpus
from qa.errors import InputError
from qa.segment import detect_language, segment_text

ROOT = Path(__file__).resolve().parent.parent
STORY = CORPORA_DIR / "aktau-tanker-fire"
FAITHFUL = {"wire", "es"}  # the reference and the faithful translation: nothing planted
PLANTED = {
    "spun": {"foreign_word", "garbled_phrase", "negation_flip", "repeated_word", "boilerplate", "mojibake", "reworded"},
    "de": {"number_mismatch", "name_mismatch", "negation_flip", "omission", "addition", "moved", "wrong_language"},
    "fr": {"number_mismatch", "name_mismatch", "negation_flip", "omission", "addition", "wrong_language"},
}


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(STORY)


@pytest.fixture(scope="module")
def manifest():
    return json.loads((STORY / "manifest.json").read_text(encoding="utf-8"))


def test_every_story_loads():
    stories = sorted(p.parent for p in CORPORA_DIR.glob("*/manifest.json"))
    assert STORY in stories
    for folder in stories:
        loaded = load_corpus(folder)
        assert loaded.versions and loaded.reference in {v.label for v in loaded.versions}
    assert load_corpus(default_corpus_dir()).versions  # the story the app opens with


def test_five_versions_with_unique_labels(corpus, manifest):
    labels = [v.label for v in corpus.versions]
    assert labels == ["wire", "spun", "de", "fr", "es"]
    assert corpus.reference == "wire"
    assert all(v["description"] for v in manifest["versions"])


def test_reference_is_a_full_wire_story(corpus):
    wire = next(v for v in corpus.versions if v.label == corpus.reference)
    sentences = segment_text(wire.text, "en")
    paragraphs = {s.paragraph for s in sentences}
    assert len(sentences) >= 25
    assert 8 <= len(paragraphs) <= 12


@pytest.mark.parametrize("label", ["wire", "spun", "de", "fr", "es"])
def test_version_language_is_detected_as_declared(corpus, label):
    version = next(v for v in corpus.versions if v.label == label)
    assert detect_language(version.text) == version.lang


def test_every_annotation_span_holds_its_text(corpus):
    texts = {v.label: v.text for v in corpus.versions}
    assert len(corpus.problems) >= 20
    for p in corpus.problems:
        assert 0 <= p.start < p.end <= len(texts[p.version]), p
        assert texts[p.version][p.start : p.end] == p.text, p
        assert p.text == p.text.strip(), f"span padded with whitespace: {p.text!r}"
        assert p.note, f"annotation without a note: {p.text!r}"


def test_annotation_types_and_severities_are_known(corpus):
    for p in corpus.problems:
        assert p.type in FLAG_TYPES, p.type
        assert p.severity in SEVERITIES, p.severity


def test_faithful_versions_have_no_annotations(corpus):
    assert not [p for p in corpus.problems if p.version in FAITHFUL]


@pytest.mark.parametrize("label", sorted(PLANTED))
def test_each_damaged_version_carries_its_planted_kinds(corpus, label):
    kinds = {p.type for p in corpus.problems if p.version == label}
    assert kinds == PLANTED[label]


def test_offsets_are_what_the_annotation_tool_computes():
    tool = _load_module("corpora_annotate", CORPORA_DIR / "annotate.py")
    stored = json.loads((STORY / "annotations.json").read_text(encoding="utf-8"))["problems"]
    assert tool.annotate(STORY) == stored


def test_annotation_tool_rejects_ambiguous_and_missing_text():
    tool = _load_module("corpora_annotate", CORPORA_DIR / "annotate.py")
    assert tool.locate("a b a", "b", None) == 2
    assert tool.locate("a b a", "a", 4) == 4
    with pytest.raises(ValueError, match="occurs 2 times"):
        tool.locate("a b a", "a", None)
    with pytest.raises(ValueError, match="not found"):
        tool.locate("a b a", "c", None)


def test_loader_rejects_a_span_that_does_not_hold_its_text(tmp_path):
    (tmp_path / "a.txt").write_text("Hello world.", encoding="utf-8")
    manifest = {"title": "t", "reference": "a", "versions": [{"label": "a", "file": "a.txt", "lang": "en"}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problem = {"version": "a", "start": 0, "end": 5, "text": "world", "type": "non_word", "severity": "minor"}
    (tmp_path / "annotations.json").write_text(json.dumps({"problems": [problem]}), encoding="utf-8")
    with pytest.raises(InputError, match="does not hold"):
        load_corpus(tmp_path)


# --- the benchmark's matching rules (bench/corpus.py) ---------------------------------------------------------


def _flag(version: str, start: int, end: int, type_: str, text: str = "x") -> Flag:
    return Flag(type_, "major", version, 0, start, end, text, "m", 1.0, "test")


@pytest.fixture(scope="module")
def bench():
    return _load_module("bench_corpus", ROOT / "bench" / "corpus.py")


def test_bench_counts_a_perfect_flag_set_as_perfect(bench, corpus):
    flags = [_flag(p.version, p.start, p.end, p.type, p.text) for p in corpus.problems]
    ev = bench.evaluate("story", corpus.problems, flags)
    overall = bench.total([ev])
    assert (overall.recall, overall.precision) == (1.0, 1.0)
    assert bench.missed([ev]) == [] and bench.false_positives([ev]) == []


def test_bench_matching_needs_same_version_overlap_and_type(bench):
    problem = Problem("de", 10, 15, "3.200", "number_mismatch", "major")
    assert bench.overlaps(_flag("de", 14, 20, "number_mismatch"), problem)
    assert not bench.overlaps(_flag("de", 15, 20, "number_mismatch"), problem)  # touching is not overlapping
    assert not bench.overlaps(_flag("fr", 10, 15, "number_mismatch"), problem)
    assert bench.overlaps(_flag("de", 15, 15, "omission"), problem)  # a zero-width flag at the span's edge
    assert bench.types_match("non_word", "foreign_word") and bench.types_match("foreign_word", "non_word")
    assert not bench.types_match("name_mismatch", "number_mismatch")
    wrong_type = _flag("de", 10, 15, "name_mismatch")
    in_faithful = _flag("es", 0, 4, "number_mismatch")
    ev = bench.evaluate("story", [problem], [wrong_type, in_faithful])
    overall = bench.total([ev])
    assert (overall.found, overall.correct, overall.flags) == (0, 0, 2)
    assert bench.missed([ev])[0]["flagged_as"] == ["name_mismatch"]
    assert {fp["version"] for fp in bench.false_positives([ev])} == {"de", "es"}
    per_version = bench.tally([ev], lambda item: item.version)
    assert per_version["es"].precision == 0.0 and per_version["es"].recall is None


def test_bench_groups_types_by_kind_of_check(bench):
    assert bench.REFERENCE_FREE_TYPES.issubset(FLAG_TYPES)
    assert bench.group_of(Problem("spun", 0, 1, "x", "mojibake", "minor")) == "reference-free"
    assert bench.group_of(_flag("de", 0, 1, "number_mismatch")) == "cross-version"
