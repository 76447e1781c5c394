"""The calibrated translation-risk model of ``score-pairs``: a logistic regression over the pair's signals.

The features are the continuous signals of :class:`qa.score_pairs.Signals` (sentence similarity, word
coverage both ways, omitted/added content, crossing links, code-mixing, length), the flags of the pair
checks (severity times confidence, per type) and the hand-set penalty those made before the model (kept as
one feature).  ``bench/fit_risk.py`` fits the weights on synthetic errors made from real translation pairs
of the development sets (names, nouns, subjects dropped or swapped, numbers changed or swapped, negation
dropped or added, clauses added, code-mixing, shuffling; harmless case and punctuation changes as clean
examples) and writes ``qa/data/risk_model.json``; loading needs nothing but that file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "risk_model.json"
SIGNAL_FEATURES = ("similarity", "recall", "precision", "omitted", "added", "loose", "crossing", "foreign",
                   "length")
FLAG_FEATURES = ("number_mismatch", "name_mismatch", "negation_flip", "omission", "addition", "wrong_language",
                 "foreign_word")
FEATURES = SIGNAL_FEATURES + tuple(f"flag_{t}" for t in FLAG_FEATURES) + ("hand_penalty",)
# signals where a higher value means a better translation: the model reads them as one minus the value, so
# that every feature points the same way and every weight is >= 0 (an error never lowers the risk)
INVERTED = frozenset({"similarity", "recall", "precision"})


def oriented(name: str, value: float) -> float:
    """A feature as the model reads it: larger = worse."""
    return 1.0 - value if name in INVERTED else value


@dataclass(frozen=True)
class RiskModel:
    """Standardised logistic regression with non-negative weights on oriented features:
    ``P(error) = sigmoid(b + w . (x - mean) / scale)``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    clean: tuple[float, ...] = ()  # mean features of the clean training pairs (a typical faithful translation)

    def logit(self, values: dict[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, weight in zip(self.features, self.mean, self.scale, self.weights):
            z += weight * (oriented(name, values.get(name, 0.0)) - mean) / (scale or 1.0)
        return z

    def probability(self, values: dict[str, float]) -> float:
        z = self.logit(values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def contribution(self, name: str, value: float) -> float:
        """How much ``value`` of feature ``name`` (against none) moves the logit."""
        k = self.features.index(name)
        return self.weights[k] * value / (self.scale[k] or 1.0)

    def clean_values(self) -> dict[str, float]:
        """Raw feature values of a typical clean pair (the stored means are oriented)."""
        return {name: oriented(name, v) for name, v in zip(self.features, self.clean or self.mean)}

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "intercept": self.intercept, "clean": list(self.clean)}


@cache
def load(path: str | None = None) -> RiskModel | None:
    """The committed model (``None`` when the file is missing or unreadable: the hand-set risk is used)."""
    p = Path(path) if path else MODEL_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return RiskModel(tuple(data["features"]), tuple(float(v) for v in data["mean"]),
                         tuple(float(v) for v in data["scale"]), tuple(float(v) for v in data["weights"]),
                         float(data["intercept"]), tuple(float(v) for v in data.get("clean", ())))
    except (OSError, ValueError, KeyError, TypeError):
        return None


__all__ = ["FEATURES", "FLAG_FEATURES", "MODEL_PATH", "SIGNAL_FEATURES", "RiskModel", "load"]
