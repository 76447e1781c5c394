"""The risk model on synthetic errors of sources never seen in fitting, and the speed of ``score-pairs``.

    .venv/bin/python bench/synthetic.py [--out bench/results/synthetic.json]

Scores every pair of the evaluation split of :mod:`bench.synthetic_data` with
:func:`qa.score_pairs.score_pairs` (the ``score-pairs`` code path, default encoder precision) and reports,
per error type, the pairwise accuracy (the damaged pair strictly riskier than the clean pair of the same
source) and the ROC AUC of ``risk`` against all clean pairs; for the harmless surface changes, how far
they move the risk against the errors (target: less than half).  Speed: pairs per second over the whole
run, encoder included (target >= 50 on this machine), measured on texts not embedded before.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from synthetic_data import ERROR_TYPES, HARMLESS_TYPES, items  # noqa: E402

from qa.encoder import get_encoder  # noqa: E402
from qa.score_pairs import Pair, score_pairs  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "synthetic.json"
SPEED_TARGET = 50.0


def auc(positive: list[float], negative: list[float]) -> float | None:
    """Probability that a random positive outranks a random negative (ties count half)."""
    if not positive or not negative:
        return None
    pos, neg = np.asarray(positive), np.asarray(negative)
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    data = items("eval")
    if not data:
        print("no development pairs found under ../shared/data", file=sys.stderr)
        return 2
    get_encoder(None)  # model load is not part of the per-pair speed
    from qa.checks import wordalign

    wordalign._cache.items.clear()  # the code-mixing step embedded the clean pairs: time everything afresh
    started = time.time()
    scored = score_pairs([Pair(k, it.src, it.tgt, it.src_lang, it.tgt_lang) for k, it in enumerate(data)])
    seconds = time.time() - started
    risk = [s["risk"] for s in scored]
    clean = {it.source_id: risk[k] for k, it in enumerate(data) if it.kind == "clean"}
    per_type: dict[str, dict] = {}
    clean_all = list(clean.values())
    for kind in ERROR_TYPES + HARMLESS_TYPES[1:]:
        rows = [(it, risk[k]) for k, it in enumerate(data) if it.kind == kind and it.source_id in clean]
        if not rows:
            continue
        raises = [r - clean[it.source_id] for it, r in rows]
        per_type[kind] = {
            "pairs": len(rows),
            "label": "error" if kind in ERROR_TYPES else "harmless",
            "pairwise_accuracy": round(sum(1 for x in raises if x > 0) / len(rows), 4),
            "auc_vs_clean": None if kind not in ERROR_TYPES else round(auc([r for _, r in rows], clean_all), 4),
            "mean_raise": round(float(np.mean(raises)), 4),
        }
    errors = [v["mean_raise"] for v in per_type.values() if v["label"] == "error"]
    harmless = [v["mean_raise"] for v in per_type.values() if v["label"] == "harmless"]
    ratio = float(np.mean(harmless) / np.mean(errors)) if errors and harmless and np.mean(errors) > 0 else None
    speed = len(data) / seconds if seconds else 0.0
    print(f"{'type':<16}{'pairs':>6}{'pairwise':>10}{'AUC':>8}{'raise':>8}")
    for kind, row in per_type.items():
        a = "" if row["auc_vs_clean"] is None else f"{row['auc_vs_clean']:.3f}"
        print(f"{kind:<16}{row['pairs']:>6}{row['pairwise_accuracy']:>10.3f}{a:>8}{row['mean_raise']:>8.3f}")
    if ratio is not None:
        print(f"harmless raise / error raise = {ratio:.3f} (target < 0.5)")
    print(f"score-pairs: {len(data)} pairs in {seconds:.1f} s = {speed:.1f} pairs/s (target >= {SPEED_TARGET:.0f}, "
          f"encoder included, shared machine)")
    result = {
        "split": "eval (sources never fitted on)",
        "sources": len(clean),
        "per_type": per_type,
        "harmless_to_error_raise_ratio": None if ratio is None else round(ratio, 4),
        "pairs": len(data),
        "seconds": round(seconds, 1),
        "pairs_per_second": round(speed, 1),
        "speed_target": SPEED_TARGET,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
