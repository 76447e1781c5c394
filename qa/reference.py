"""Which version to compare the others against: the one the other versions agree with most.

An editor takes as reference the version that carries what the others carry and little they do not: not the
longest one (web residue, a related-articles block or an unrelated story pasted along make a copy long), and not
one whose numbers and names differ from everybody else's. For every pair of versions this module measures:

- *sentences*: a sentence of one version is found in the other when its best counterpart there (cosine of
  sentence vectors with the pair's mean vector removed, as the aligner does) is a mutual best match and stands
  out from the sentence's next-best candidates by a margin (Vecalign's margin idea);
- *facts*: numbers written in digits (:func:`qa.checks.numbers.extract`) and names
  (:func:`qa.checks.names.extract`, compared with :func:`qa.checks.names.same_name` across alphabets).

A version's score adds, averaged over the other versions, how much of their story it holds (coverage; lines that
are web page residue by :func:`qa.checks.boilerplate.classify` are no part of a story) and how much of its own they
hold (support), and the same for numbers and names. Residue and unrelated text lower support; omissions lower
coverage; changed numbers and names lower both. With two versions agreement cannot tell an unrelated paragraph
from content the other one left out; then the one holding more of the other's content wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.segment import Version

MATCH_MARGIN = 0.15  # best match minus the mean of the top candidates: found sentences score 0.2-0.75, others < 0.15
TOP_K = 4  # candidates in the margin's neighbourhood


@dataclass(frozen=True)
class Agreement:
    """How well one version agrees with the others (each value 0..1, averaged over the other versions)."""

    label: str
    coverage: float  # share of the others' sentences found in this version
    support: float  # share of this version's sentences found in the others
    facts: float  # numbers and names: mean of the two directions, as for the sentences
    unsupported: int  # this version's sentences found in no other version

    @property
    def score(self) -> float:
        return self.coverage + self.support + self.facts


@dataclass(frozen=True)
class ReferenceChoice:
    """The chosen reference, why, and every version's agreement (best first)."""

    label: str
    reason: str
    ranking: tuple[Agreement, ...]


def found_sentences(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of ``a`` have a counterpart in ``b`` and which rows of ``b`` one in ``a`` (boolean arrays)."""
    if not len(a) or not len(b):
        return np.zeros(len(a), bool), np.zeros(len(b), bool)
    mean = np.vstack([a, b]).mean(axis=0)
    ac, bc = a - mean, b - mean
    ac /= np.maximum(np.linalg.norm(ac, axis=1, keepdims=True), 1e-9)
    bc /= np.maximum(np.linalg.norm(bc, axis=1, keepdims=True), 1e-9)
    sim = ac @ bc.T
    best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
    mutual_a = best_a[best_b] == np.arange(len(a))
    mutual_b = best_b[best_a] == np.arange(len(b))

    def margin(m: np.ndarray) -> np.ndarray:
        k = min(TOP_K, m.shape[1])
        return m.max(axis=1) - np.sort(m, axis=1)[:, -k:].mean(axis=1)

    # a sentence facing a one-sentence version has no neighbourhood: its mutual best match must be close
    margin_a = margin(sim) if sim.shape[1] > 1 else sim[:, 0] - 0.5
    margin_b = margin(sim.T) if sim.shape[0] > 1 else sim[0, :] - 0.5
    return mutual_a & (margin_a >= MATCH_MARGIN), mutual_b & (margin_b >= MATCH_MARGIN)


def _facts(version: Version) -> tuple[set, list[str]]:
    """The numbers (values of digit mentions) and names of a version."""
    from qa.checks import names, numbers

    values: set = set()
    found_names: list[str] = []
    for sentence in version.sentences:
        for mention in numbers.extract(sentence.text, version.lang):
            if mention.strong:
                values |= {v for v in mention.values if v[0] == "n"}
        found_names += [" ".join(n.parts) for n in names.extract(sentence.text, version.lang) if not n.acronym]
    return values, list(dict.fromkeys(found_names))


def _shared_facts(a: tuple[set, list[str]], b: tuple[set, list[str]], lang_a: str, lang_b: str) -> tuple[int, int]:
    """How many of a's facts b holds, and how many of b's facts a holds."""
    from qa.checks.names import same_name

    nums = len(a[0] & b[0])
    names_in_b = sum(1 for x in a[1] if any(same_name(x, y, lang_a, lang_b) for y in b[1]))
    names_in_a = sum(1 for y in b[1] if any(same_name(x, y, lang_a, lang_b) for x in a[1]))
    return nums + names_in_b, nums + names_in_a


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def residue_mask(version: Version) -> np.ndarray:
    """Sentences that are web page residue (:func:`qa.checks.boilerplate.classify`): not content of the story."""
    from qa.checks.boilerplate import classify

    return np.array([classify(s.text) is not None for s in version.sentences], bool)


def agreements(versions: list[Version], vectors: dict[str, np.ndarray]) -> list[Agreement]:
    """Every version's agreement with the others, in input order."""
    labels = [v.label for v in versions]
    facts = {v.label: _facts(v) for v in versions}
    content = {v.label: ~residue_mask(v) for v in versions}
    coverage: dict[str, list[float]] = {x: [] for x in labels}
    support: dict[str, list[float]] = {x: [] for x in labels}
    fact_scores: dict[str, list[float]] = {x: [] for x in labels}
    found_anywhere = {v.label: np.zeros(len(v.sentences), bool) for v in versions}
    for i, a in enumerate(versions):
        for b in versions[i + 1 :]:
            in_b, in_a = found_sentences(vectors[a.label], vectors[b.label])
            found_anywhere[a.label] |= in_b
            found_anywhere[b.label] |= in_a
            for here, there, found_here, found_there in ((a, b, in_b, in_a), (b, a, in_a, in_b)):
                # support: share of all my sentences found there (residue counts against me);
                # coverage: share of the other's story content (residue left out) found in me
                support[here.label].append(_share(int(found_here.sum()), len(found_here)))
                coverage[here.label].append(
                    _share(int((found_there & content[there.label]).sum()), int(content[there.label].sum()))
                )
            a_in_b, b_in_a = _shared_facts(facts[a.label], facts[b.label], a.lang, b.lang)
            size_a = len(facts[a.label][0]) + len(facts[a.label][1])
            size_b = len(facts[b.label][0]) + len(facts[b.label][1])
            both = (_share(a_in_b, size_a) + _share(b_in_a, size_b)) / 2
            fact_scores[a.label].append(both)
            fact_scores[b.label].append(both)
    return [
        Agreement(
            x,
            float(np.mean(coverage[x])),
            float(np.mean(support[x])),
            float(np.mean(fact_scores[x])),
            int((~found_anywhere[x]).sum()),
        )
        for x in labels
    ]


def choose(versions: list[Version], vectors: dict[str, np.ndarray]) -> ReferenceChoice:
    """The version the others agree with most, with a one-line reason.

    Between equal scores (two versions always score alike: every found sentence is a pair) the one holding more
    of the others' content wins, then the version given first.
    """
    if len(versions) == 1:
        only = versions[0].label
        return ReferenceChoice(only, "the only version", ())
    scores = agreements(versions, vectors)
    order = {a.label: i for i, a in enumerate(scores)}
    ranking = tuple(sorted(scores, key=lambda a: (-round(a.score, 6), -round(a.coverage, 6), order[a.label])))
    best, second = ranking[0], ranking[1]
    reason = (
        f"the others agree with it most: it holds {best.coverage:.0%} of their sentences, "
        f"{best.support:.0%} of its sentences are in theirs, its numbers and names agree {best.facts:.0%}"
    )
    longest = max(versions, key=lambda v: len(v.sentences))
    passed = next(a for a in ranking if a.label == longest.label)
    if passed.label != best.label and passed.unsupported:
        reason += (
            f"; not {longest.label}, the longest, whose {passed.unsupported} extra sentence"
            f"{'s are' if passed.unsupported != 1 else ' is'} in no other version"
        )
    elif abs(best.score - second.score) < 1e-6:
        reason += f"; {second.label} agrees as well, and {best.label} holds more of the other's content"
    return ReferenceChoice(best.label, reason, ranking)


def choose_reference(versions: list[Version], vectors: dict[str, np.ndarray] | None = None, model: str | None = None) -> str:
    """The label of :func:`choose`'s reference; sentence vectors are encoded when not given."""
    return choose(versions, vectors or encode_versions(versions, model)).label


def encode_versions(versions: list[Version], model: str | None = None) -> dict[str, np.ndarray]:
    """Sentence vectors of every version (the encoder caches them, so a second call is cheap)."""
    from qa.encoder import get_encoder

    encoder = get_encoder(model)
    return {v.label: encoder.encode(v.sentence_texts) for v in versions}
