"""The calibrated risk model: the committed weights load offline, fitting is deterministic, and the risk
follows the model."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

from qa import risk_model
from qa.score_pairs import RISK_SCALE, Signals, features, penalty, risk

ROOT = Path(__file__).resolve().parent.parent


def _fit_module():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("fit_risk", ROOT / "bench" / "fit_risk.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FITTED = ROOT / "bench" / "results" / "risk_model.json"


def test_fitted_model_loads_offline_with_every_feature():
    model = risk_model.load(str(FITTED))
    assert model is not None, "bench/fit_risk.py writes bench/results/risk_model.json"
    assert all(w >= 0 for w in model.weights)
    assert model.features == risk_model.FEATURES
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(model.clean) == len(model.features)


def test_fitting_is_deterministic_and_separates_errors():
    fit = _fit_module().fit
    rng = np.random.default_rng(0)
    n = len(risk_model.FEATURES)
    clean = rng.normal(0.0, 1.0, (200, n))
    errors = rng.normal(0.0, 1.0, (200, n))
    errors[:, risk_model.FEATURES.index("flag_number_mismatch")] += 3.0
    x = np.vstack([clean, errors])
    y = np.array([0] * 200 + [1] * 200)
    groups = [(k, [200 + k], []) for k in range(200)]  # source k: clean row k, its damaged pair 200 + k
    first, second = fit(x, y, clean, groups), fit(x, y, clean, groups)
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
    k = risk_model.FEATURES.index("flag_number_mismatch")
    assert first.weights[k] == max(first.weights) > 0


def test_model_probability_rises_with_damage():
    model = risk_model.load(str(FITTED))
    sig = Signals(similarity=0.9, recall=0.85, precision=0.85)
    base = model.probability(features(sig, []))
    worse = Signals(similarity=0.6, recall=0.5, precision=0.5, omitted=3.0, added=2.0)
    assert 0.0 < base < model.probability(features(worse, [])) < 1.0


def test_without_the_model_file_risk_is_the_hand_set_penalty():
    if risk_model.load() is not None:
        return  # a deployed model file: covered by the tests above
    sig = Signals(similarity=0.6, recall=0.5, precision=0.5, omitted=3.0)
    assert abs(risk(sig, []) - (1.0 - np.exp(-penalty(sig, []) / RISK_SCALE))) < 1e-12
