"""Candidate pairs for grouping: shared facts bring a translation in among look-alike reports."""

import numpy as np

from qa.group import candidate_pairs


def _leads(rng: np.random.Generator, centre: np.ndarray, spread: float, count: int) -> list[np.ndarray]:
    return [(centre + rng.normal(scale=spread, size=centre.shape))[None, :] for _ in range(count)]


def test_a_translation_crowded_out_by_look_alike_reports_is_found_through_its_facts():
    rng = np.random.default_rng(3)
    topic = rng.normal(size=32)
    english = topic + 0.05 * rng.normal(size=32)
    german = topic + 0.4 * rng.normal(size=32)  # a translation sits farther than same-language look-alikes
    look_alikes_de = german + 0.5 * (german - english)  # other German reports: nearer the translation than the wire is
    leads = [english[None, :]] + _leads(rng, english, 0.02, 6) + [german[None, :]] + _leads(rng, look_alikes_de, 0.02, 6)
    facts = [frozenset({"#12", "rimilen"})] + [frozenset({f"#{k}", f"town{k}"}) for k in range(6)]
    facts += [frozenset({"#12", "rimilen"})] + [frozenset({f"#{k + 50}", f"dorf{k}"}) for k in range(6)]
    wire, translation = 0, 7
    without = candidate_pairs(leads, neighbours=3, min_cosine=0.0)
    assert (wire, translation) not in without
    with_facts = candidate_pairs(leads, neighbours=3, min_cosine=0.0, facts=facts)
    assert (wire, translation) in with_facts
    assert len(with_facts) <= len(leads) * 3  # still a fixed number of neighbours per article
