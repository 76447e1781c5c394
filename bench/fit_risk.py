"""Fit the calibrated risk model of ``score-pairs`` and write ``bench/results/risk_model.json``.

The fitted model is not yet the default risk: on the DEMETR development set it ranks some kinds of damage
better than the hand-set penalty and others worse (see the README); ``score-pairs`` uses it when the file is
copied to ``qa/data/risk_model.json`` (``qa.risk_model.MODEL_PATH``).

    .venv/bin/python bench/fit_risk.py [--out bench/results/risk_model.json] [--features-cache /tmp/risk-features.json]

Builds the synthetic pairs of :mod:`bench.synthetic_data` (fit split only: sources of the evaluation split
are never read into the fit), computes each pair's features with :func:`qa.score_pairs.pair_features`
(float32 encoder, so the features, and so the weights, are the same on every run), and fits a standardised
logistic regression with non-negative weights on oriented features (scipy's L-BFGS-B, fixed L2
regularisation): its direction by ranking each source's damaged pairs above its clean pair (every error kind
weighted alike, harmless variants held close to the clean pair), then one slope and intercept calibrated on
the labels at even prior odds (:func:`fit`).  The written weights are rounded to six
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
ABSOLUTE_WEIGHT = 0.0  # default weight of the across-sources term (--absolute-weight)
HARMLESS_WEIGHT = 1.0  # how much a harmless change's risk movement costs against a misranked error


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


def fit(x: np.ndarray, y: np.ndarray, clean: np.ndarray, groups: list[tuple[int, list[int], list[int]]],
        kind_of: list[str] | None = None, absolute_weight: float = ABSOLUTE_WEIGHT) -> risk_model.RiskModel:
    """Fit the model: a ranking direction, then its calibration.

    1. Direction (learning to rank): for each source in ``groups``, its clean pair ``c``, its damaged pairs
       ``e`` and its harmless variants ``h``; non-negative weights ``w`` (standardised, oriented features)
       minimise the logistic loss of ``w . (x_e - x_c)`` (every error riskier than the clean pair of the same
       source; each error kind weighted alike, ``kind_of`` naming each row's kind), plus ``HARMLESS_WEIGHT``
       times the squared ``w . (x_h - x_c)`` (harmless changes move the risk little) and L2; with
       ``absolute_weight`` > 0 also that much of the logistic loss of telling errors from clean pairs across
       sources.  This is the question a reviewer asks of two versions of one sentence; an absolute fit must
       first explain how much sources differ from each other, which the signals say little about.
    2. Calibration: one slope ``a >= 0`` and an intercept on the absolute labels (errors 1, clean and
       harmless 0, both classes weighted alike), so that the risk is a probability at even prior odds.

    L-BFGS-B from a zero start: deterministic."""
    from scipy.optimize import minimize

    xo = orient(x)
    mean = xo.mean(axis=0)
    scale = xo.std(axis=0)
    scale[scale == 0] = 1.0
    z = (xo - mean) / scale
    d = z.shape[1]
    sign = 2.0 * y - 1.0
    # errors and non-errors weigh alike: the synthetic set's share of errors is no prior for real text
    prior = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    errors = np.array([z[e] - z[c] for c, es, _ in groups for e in es])
    # every error kind counts alike, however often the sources allow it (numbers are rarer than nouns)
    kinds = [kind_of[e] for _, es, _ in groups for e in es] if kind_of else ["error"] * len(errors)
    counts = {k: kinds.count(k) for k in set(kinds)}
    balance = np.array([len(kinds) / (len(counts) * counts[k]) for k in kinds])
    harmless = np.array([z[h] - z[c] for c, _, hs in groups for h in hs]) if any(hs for *_, hs in groups) \
        else np.zeros((0, d))

    def absolute_loss(score: np.ndarray) -> tuple[float, np.ndarray]:
        """Prior-weighted logistic loss of ``score`` against the labels, and its gradient by ``score``."""
        margin = sign * score
        return (prior * np.logaddexp(0.0, -margin)).sum(), -sign * prior / (1.0 + np.exp(margin))

    def direction_loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        margin = errors @ w
        value = (balance * np.logaddexp(0.0, -margin)).mean()
        grad = errors.T @ (-balance / (1.0 + np.exp(margin))) / len(errors)
        if len(harmless):
            moved = harmless @ w
            value += HARMLESS_WEIGHT * (moved ** 2).mean()
            grad += HARMLESS_WEIGHT * 2.0 * harmless.T @ moved / len(harmless)
        value += 0.5 * (w @ w) / (REGULARISATION * len(errors))
        grad = grad + w / (REGULARISATION * len(errors))
        # telling errors from clean pairs across sources (a flag that fires mostly on errors matters there
        # even when the within-source signals already rank the pair)
        across, g = absolute_loss(z @ w + b)
        value += absolute_weight * across
        return value, np.concatenate([grad + absolute_weight * (z.T @ g), [absolute_weight * g.sum()]])

    direction = minimize(direction_loss, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                         bounds=[(0.0, None)] * d + [(None, None)], options={"maxiter": 5000, "ftol": 1e-12}).x[:d]
    score = z @ direction

    def calibration_loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, g = absolute_loss(theta[0] * score + theta[1])
        return value, np.array([(g * score).sum(), g.sum()])

    a, b = minimize(calibration_loss, np.zeros(2), jac=True, method="L-BFGS-B", bounds=[(0.0, None), (None, None)],
                    options={"maxiter": 5000, "ftol": 1e-12}).x
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return risk_model.RiskModel(risk_model.FEATURES, r(mean), r(scale), r(a * direction), round(float(b), 6),
                                r(orient(clean).mean(axis=0)))


def source_groups(data) -> list[tuple[int, list[int], list[int]]]:
    """Per source with a clean pair: (its clean row, its error rows, its harmless rows)."""
    by_source: dict[str, dict[str, list[int]]] = {}
    for k, it in enumerate(data):
        slot = "clean" if it.kind == "clean" else ("errors" if it.label else "harmless")
        by_source.setdefault(it.source_id, {"clean": [], "errors": [], "harmless": []})[slot].append(k)
    return [(g["clean"][0], g["errors"], g["harmless"]) for g in by_source.values() if g["clean"] and g["errors"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "risk_model.json")
    parser.add_argument("--features-cache", type=Path, help="JSON of computed features kept between runs")
    parser.add_argument("--absolute-weight", type=float, default=ABSOLUTE_WEIGHT,
                        help="weight of telling errors from clean pairs across sources, beside the ranking (default 0)")
    args = parser.parse_args(argv)
    started = time.time()
    data = items("fit")
    if not data:
        print("no development pairs found under ../shared/data", file=sys.stderr)
        return 2
    x = feature_matrix(data, args.features_cache)
    y = np.array([it.label for it in data])
    clean = x[[k for k, it in enumerate(data) if it.kind == "clean"]]
    model = fit(x, y, clean, source_groups(data), [it.kind for it in data], args.absolute_weight)
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
