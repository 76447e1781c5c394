"""Where the aligner's strict errors are: per bead type, and what fixing merges or splits alone would give.

    .venv/bin/python bench/align.py --no-write --pred-dir /tmp/align-pred   # predictions (embeds, ~50 s)
    .venv/bin/python bench/align_errors.py --pred-dir /tmp/align-pred

Reads the predicted beads that ``bench/align.py --pred-dir`` wrote (``mac-dev.jsonl``,
``bleualign-dev.jsonl``) and the gold beads, and prints for each set:

* gold beads, missed gold beads and wrong predicted beads by type (``1-2`` = one source, two targets);
* the *merge oracle*: strict F1 if every run of consecutive predicted beads whose union is a
  gold bead (and which are not all gold already) were merged into it, nothing else changed;
* the *split oracle*: strict F1 if every predicted bead that is exactly a union of gold beads
  were split into them.

The oracles bound what a better merge (or split) decision on the aligner's own path could
gain; both are upper bounds, not achievable figures.  Writes ``bench/results/align_errors.json``
unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from align import dev_sets, load_scorer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "align_errors.json"
BeadKey = tuple[tuple[int, ...], tuple[int, ...]]


def as_keys(beads: list) -> list[BeadKey]:
    """Beads as hashable ``(src indices, tgt indices)`` pairs, in order."""
    return [(tuple(src), tuple(tgt)) for src, tgt in beads]


def bead_type(bead: BeadKey) -> str:
    """``"1-2"`` for one source and two target sentences."""
    return f"{len(bead[0])}-{len(bead[1])}"


def by_type(beads: set[tuple[str, BeadKey]]) -> dict[str, int]:
    """Count of ``(doc, bead)`` entries per bead type, most frequent first."""
    return dict(Counter(bead_type(b) for _, b in beads).most_common())


def merge_oracle(pred: list[BeadKey], gold: set[BeadKey], longest: int = 6) -> tuple[list[BeadKey], int]:
    """Merge every run of 2..``longest`` consecutive predicted beads whose union is a gold bead.

    Returns the new beads and the number of merges.
    """
    out: list[BeadKey] = []
    merges = 0
    k = 0
    while k < len(pred):
        union, size = _gold_union(pred, k, gold, longest)
        if union is None:
            out.append(pred[k])
            k += 1
        else:
            out.append(union)
            merges += 1
            k += size
    return out, merges


def _gold_union(pred: list[BeadKey], start: int, gold: set[BeadKey], longest: int) -> tuple[BeadKey | None, int]:
    """The shortest run of 2..``longest`` beads from ``start`` whose union is a gold bead, and its length."""
    for size in range(2, longest + 1):
        run = pred[start : start + size]
        if len(run) < size:
            break
        union = (tuple(i for b in run for i in b[0]), tuple(j for b in run for j in b[1]))
        if union in gold:  # never a union of gold beads (they partition the sentences): the run held errors
            return union, size
    return None, 0


def split_oracle(pred: list[BeadKey], gold: list[BeadKey]) -> tuple[list[BeadKey], int]:
    """Split every predicted bead that is exactly the union of two or more gold beads into them.

    Returns the new beads and the number of splits.
    """
    gold_set = set(gold)
    out: list[BeadKey] = []
    splits = 0
    for bead in pred:
        if bead in gold_set:
            out.append(bead)
            continue
        src, tgt = set(bead[0]), set(bead[1])
        parts = [g for g in gold if (g[0] or g[1]) and set(g[0]) <= src and set(g[1]) <= tgt]
        covered_src = sorted(i for g in parts for i in g[0])
        covered_tgt = sorted(j for g in parts for j in g[1])
        if len(parts) > 1 and covered_src == list(bead[0]) and covered_tgt == list(bead[1]):
            out.extend(parts)
            splits += 1
        else:
            out.append(bead)
    return out, splits


def analyse(gold: dict[str, list], pred: dict[str, list], scorer) -> dict:
    """Error breakdown and oracle F1s for one set (``doc -> [(src, tgt), ...]`` on both sides)."""
    gold_all: set = set()
    pred_all: set = set()
    merged: dict[str, list] = {}
    split: dict[str, list] = {}
    merges = splits = 0
    for doc, gold_beads in gold.items():
        g = as_keys(gold_beads)
        p = as_keys(pred.get(doc, []))
        gold_all |= {(doc, b) for b in g}
        pred_all |= {(doc, b) for b in p}
        merged[doc], n_merge = merge_oracle(p, set(g))
        split[doc], n_split = split_oracle(p, g)
        merges += n_merge
        splits += n_split

    def f1(beads: dict[str, list]) -> float:
        return round(scorer.score(gold, {d: [(list(s), list(t)) for s, t in b] for d, b in beads.items()})["f1_strict"], 4)

    return {
        "f1_strict": f1({d: as_keys(b) for d, b in pred.items()}),
        "gold_by_type": by_type(gold_all),
        "missed_gold_by_type": by_type(gold_all - pred_all),
        "wrong_pred_by_type": by_type(pred_all - gold_all),
        "merge_oracle": {"merges": merges, "f1_strict": f1(merged)},
        "split_oracle": {"splits": splits, "f1_strict": f1(split)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pred-dir", required=True, help="where bench/align.py --pred-dir wrote its beads")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    results = {}
    for name, spec in dev_sets().items():
        path = Path(args.pred_dir) / f"{name}.jsonl"
        if not path.exists():
            raise SystemExit(f"{path} is missing: run bench/align.py --pred-dir {args.pred_dir} first")
        res = analyse(scorer.read_jsonl(str(spec["gold"])), scorer.read_jsonl(str(path)), scorer)
        results[name] = res
        print(f"{name}: strict F1 {res['f1_strict']:.3f}")
        for key in ("gold_by_type", "missed_gold_by_type", "wrong_pred_by_type"):
            print(f"  {key:20s} " + ", ".join(f"{t} {c}" for t, c in res[key].items()))
        print(f"  merge oracle: {res['merge_oracle']['merges']} merges -> strict F1 {res['merge_oracle']['f1_strict']:.3f}")
        print(f"  split oracle: {res['split_oracle']['splits']} splits -> strict F1 {res['split_oracle']['f1_strict']:.3f}")
    if not args.no_write:
        RESULTS.write_text(json.dumps({"command": "python bench/align_errors.py --pred-dir DIR", "sets": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
