"""The alignment error analysis (bench/align_errors.py): bead types and the merge/split oracles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "tools" / "score_alignment.py"


@pytest.fixture(scope="module")
def errors():
    spec = importlib.util.spec_from_file_location("bench_align_errors", ROOT / "bench" / "align_errors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def b(src: tuple[int, ...], tgt: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return (src, tgt)


def test_merge_oracle_merges_consecutive_beads_into_the_gold_bead_they_split(errors):
    pred = [b((0,), (0,)), b((1,), (1,)), b((2,), (2, 3)), b((3,), (4,))]
    gold = {b((0,), (0,)), b((1, 2), (1, 2, 3)), b((3,), (4,))}
    merged, merges = errors.merge_oracle(pred, gold)
    assert merged == [b((0,), (0,)), b((1, 2), (1, 2, 3)), b((3,), (4,))]
    assert merges == 1


def test_merge_oracle_leaves_beads_whose_union_is_no_gold_bead(errors):
    pred = [b((0,), (0,)), b((1,), (1,)), b((2,), ())]
    gold = {b((0, 1), (0,)), b((), (1,)), b((2,), ())}
    assert errors.merge_oracle(pred, gold) == (pred, 0)


def test_split_oracle_splits_only_exact_unions_of_gold_beads(errors):
    gold = [b((0,), (0,)), b((1,), (1, 2)), b((2,), ()), b((3,), (3,))]
    pred = [b((0, 1), (0, 1, 2)), b((2, 3), (3,))]
    split, splits = errors.split_oracle(pred, gold)
    assert split == [b((0,), (0,)), b((1,), (1, 2)), b((2,), ()), b((3,), (3,))]
    assert splits == 2
    wrong_edge = [b((0,), (0, 1)), b((1,), (2,))]  # no union of gold beads: nothing to split
    assert errors.split_oracle(wrong_edge, gold) == (wrong_edge, 0)


def test_bead_types_count_sources_then_targets(errors):
    assert errors.bead_type(b((4,), (5, 6))) == "1-2"
    assert errors.bead_type(b((), (7,))) == "0-1"
    assert errors.by_type({("a", b((0,), (0,))), ("a", b((1,), (1, 2))), ("b", b((0,), (0,)))}) == {"1-1": 2, "1-2": 1}


@pytest.mark.skipif(not SCORER.is_file(), reason=f"scorer not found at {SCORER} (../shared missing)")
def test_analysis_scores_prediction_and_both_oracles_with_the_shared_scorer(errors):
    scorer = errors.load_scorer()
    gold = {"d": [([0], [0]), ([1, 2], [1, 2]), ([3], [3, 4])]}
    pred = {"d": [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3]), ([], [4])]}
    result = errors.analyse(gold, pred, scorer)
    assert result["missed_gold_by_type"] == {"2-2": 1, "1-2": 1}
    assert result["wrong_pred_by_type"] == {"1-1": 3, "0-1": 1}
    assert result["f1_strict"] < result["merge_oracle"]["f1_strict"] == 1.0
    assert result["merge_oracle"]["merges"] == 2
    assert result["split_oracle"] == {"splits": 0, "f1_strict": result["f1_strict"]}
