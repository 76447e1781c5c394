"""Fit the calibrated risk model of ``score-pairs`` and write ``bench/results/risk_model.json``.

The fitted model is not yet the default risk: on the DEMETR development set it ranks damaged translations
below the hand-set penalty (see the README); ``score-pairs`` uses it when the file is copied to
``qa/data/risk_model.json`` (``qa.risk_model.MODEL_PATH``).

    .venv/bin/python bench/fit_risk.py [--out bench/results/risk_model.json] [--features-cache /tmp/risk-features.json]

Builds the synthetic pairs of :mod:`bench.synthetic_data` (fit split only: sources of the evaluation split
are never read into the fit), computes each pair's features with :func:`qa.score_pairs.pair_features`
(float32 encoder, so the features, and so the weights, are the same on every run), and fits a standardised
logistic regression with non-negative weights on oriented features (scipy's L-BFGS-B, fixed L2
regularisation).  The written weights are rounded to six
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


def orient(x: np.ndarray) -> np.ndarray:
    """Raw feature rows as the model reads them (:func:`qa.risk_model.oriented`: larger = worse)."""
    out = x.copy()
    for k, name in enumerate(risk_model.FEATURES):
        if name in risk_model.INVERTED:
            out[:, k] = 1.0 - out[:, k]
    return out


def fit(x: np.ndarray, y: np.ndarray, clean: np.ndarray) -> risk_model.RiskModel:
    """L2-regularised logistic regression with every weight >= 0 (L-BFGS-B from a zero start: deterministic).

    Non-negative weights on oriented features keep the model monotone: more damage never lowers the risk,
    which a free fit on synthetic errors does not guarantee for error kinds it has not seen."""
    from scipy.optimize import minimize

    xo = orient(x)
    mean = xo.mean(axis=0)
    scale = xo.std(axis=0)
    scale[scale == 0] = 1.0
    z = (xo - mean) / scale
    n, d = z.shape
    sign = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        margin = sign * (z @ w + b)
        value = np.logaddexp(0.0, -margin).sum() / n + 0.5 * (w @ w) / (REGULARISATION * n)
        g = -sign / (1.0 + np.exp(margin)) / n
        return value, np.concatenate([z.T @ g + w / (REGULARISATION * n), [g.sum()]])

    result = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                      bounds=[(0.0, None)] * d + [(None, None)], options={"maxiter": 5000, "ftol": 1e-12})
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return risk_model.RiskModel(risk_model.FEATURES, r(mean), r(scale), r(result.x[:d]), round(float(result.x[d]), 6),
                                r(orient(clean).mean(axis=0)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "risk_model.json")
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
