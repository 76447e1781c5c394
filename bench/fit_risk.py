"""Fit the calibrated risk model of ``score-pairs`` and write ``qa/data/risk_model.json``.

    .venv/bin/python bench/fit_risk.py [--out qa/data/risk_model.json] [--features-cache /tmp/risk-features.json]

Builds the synthetic pairs of :mod:`bench.synthetic_data` (fit split only: sources of the evaluation split
are never read into the fit), computes each pair's features with :func:`qa.score_pairs.pair_features`
(float32 encoder, so the features, and so the weights, are the same on every run), and fits a standardised
logistic regression (scikit-learn, lbfgs, fixed regularisation).  The written weights are rounded to six
decimals; running the script again on the same data reproduces the file byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PARALLAX_ENCODER_PRECISION", "float32")  # deterministic features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from synthetic_data import items  # noqa: E402

from qa import risk_model  # noqa: E402
from qa.score_pairs import Pair, pair_features  # noqa: E402

REGULARISATION = 1.0  # scikit-learn's C


def feature_matrix(data, cache: Path | None = None) -> np.ndarray:
    """Features of every item (rows in ``risk_model.FEATURES`` order)."""
    stored: dict[str, list[float]] = {}
    if cache and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
    keys = [f"{it.src_lang}\t{it.tgt_lang}\t{it.src}\t{it.tgt}" for it in data]
    missing = [(k, it) for k, it in zip(keys, data) if k not in stored]
    if missing:
        computed = pair_features([Pair(k, it.src, it.tgt, it.src_lang, it.tgt_lang) for k, it in missing])
        for (k, _), values in zip(missing, computed):
            # rounded, so that the last bits of a batched forward pass never reach the weights
            stored[k] = [round(float(values.get(name, 0.0)), 4) for name in risk_model.FEATURES]
        if cache:
            cache.write_text(json.dumps(stored), encoding="utf-8")
    return np.array([stored[k] for k in keys], dtype=np.float64)


def fit(x: np.ndarray, y: np.ndarray, clean: np.ndarray) -> risk_model.RiskModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=REGULARISATION, max_iter=5000, solver="lbfgs")
    model.fit((x - mean) / scale, y)
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return risk_model.RiskModel(risk_model.FEATURES, r(mean), r(scale), r(model.coef_[0]),
                                round(float(model.intercept_[0]), 6), r(clean.mean(axis=0)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=risk_model.MODEL_PATH)
    parser.add_argument("--features-cache", type=Path, help="JSON of computed features kept between runs")
    args = parser.parse_args(argv)
    started = time.time()
    data = items("fit")
    if not data:
        print("no development pairs found under ../shared/data", file=sys.stderr)
        return 2
    x = feature_matrix(data, args.features_cache)
    y = np.array([it.label for it in data])
    clean = x[[k for k, it in enumerate(data) if it.kind == "clean"]]
    model = fit(x, y, clean)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    kinds = sorted({it.kind for it in data})
    print(f"fitted on {len(data)} pairs ({int(y.sum())} errors) from {len({it.source_id for it in data})} sources, "
          f"{len(kinds)} kinds, in {time.time() - started:.0f} s")
    for name, weight in sorted(zip(model.features, model.weights), key=lambda t: -abs(t[1])):
        print(f"  {name:<22}{weight:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
