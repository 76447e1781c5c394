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


GENERIC = [
    "Schools near the site will remain closed until further notice.",
    "Residents were asked to keep their windows shut overnight.",
    "Police closed the main road to traffic in both directions.",
    "Volunteers handed out water and blankets at the town hall.",
]


def test_a_look_alike_report_chained_in_through_a_short_copy_is_set_apart():
    from qa.articles import Article
    from qa.engine import Engine
    from qa.group import group_articles

    wire = ["A fire at a depot in Varnholm killed 12 people on Monday, officials said.", *GENERIC,
            "It was the deadliest fire in Varnholm since 1998, said mayor Ilse Brandvik."]
    other = ["A fire at a warehouse in Ostermark killed 31 people on Friday, officials said.", *GENERIC,
             "It was the deadliest fire in Ostermark since 2004, said mayor Jonas Reitberg."]
    short = GENERIC  # a copy of the wire's middle, which the other report shares word for word
    articles = [Article("wire", " ".join(wire), "en", published="2026-11-02T08:00:00"),
                Article("short", " ".join(short), "en", published="2026-11-02T09:00:00"),
                Article("other", " ".join(other), "en", published="2026-11-05T08:00:00")]
    with Engine(workers=0, progress=False) as engine:
        grouping = group_articles(articles, engine)
    groups = sorted(sorted(m["id"] for m in record["members"]) for record in grouping.groups)
    assert groups == [["other"], ["short", "wire"]]


def test_a_short_copy_found_inside_a_kept_member_stays_in_the_group():
    from qa.group import _contained

    # (first's coverage, second's coverage) as group_articles computes them
    covers = {("trunc-de", "de"): (1.0, 0.5), ("de", "wire"): (1.0, 1.0), ("other", "short"): (0.67, 1.0)}
    assert _contained(["trunc-de"], ["wire", "de"], covers) == ["trunc-de"]  # all of it is in the German version
    assert _contained(["other"], ["wire", "short"], covers) == []  # a third of the look-alike is in no member
