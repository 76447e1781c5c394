"""N-way alignment: rows of corresponding sentences across all versions.

(Initial version: every version aligned pairwise to the reference, rows in reference
order. The alignment issue replaces it with moved-passage detection.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qa.align import Bead, align_embeddings
from qa.segment import Version


@dataclass
class AlignmentRow:
    """One aligned unit: for every version label, the sentence indices carrying it."""

    index: int
    cells: dict[str, tuple[int, ...]]  # label -> sentence indices; () where absent
    similarity: dict[str, float] = field(default_factory=dict)  # label -> cosine to the reference cell
    moved: frozenset[str] = frozenset()  # labels whose cell here was moved in that version


@dataclass
class Alignment:
    """All versions aligned: the reference label, the rows, and the pairwise beads."""

    reference: str
    rows: list[AlignmentRow]
    pairs: dict[str, list[Bead]]  # label -> beads (reference as src, label as tgt)


def choose_reference(versions: list[Version]) -> str:
    """The most complete version: the one with the most characters of sentence text."""
    return max(versions, key=lambda v: sum(len(s.text) for s in v.sentences)).label


def align_versions(
    versions: list[Version], reference: str | None = None, model: str | None = None
) -> Alignment:
    """Align every version to ``reference`` (default: the most complete) and build rows."""
    from qa.encoder import embed

    if not versions:
        return Alignment("", [], {})
    labels = [v.label for v in versions]
    reference = reference or choose_reference(versions)
    if reference not in labels:
        raise ValueError(f"reference '{reference}' is not one of the versions: {', '.join(labels)}")
    by_label = {v.label: v for v in versions}
    vectors = {v.label: embed(v.sentence_texts, model) for v in versions}
    ref_vec = vectors[reference]
    pairs = {
        label: align_embeddings(ref_vec, vectors[label]) for label in labels if label != reference
    }
    # one row per reference sentence, plus rows for sentences of other versions with no counterpart
    ref_rows: dict[int, dict[str, list[int]]] = {
        i: {label: [] for label in labels} for i in range(len(by_label[reference].sentences))
    }
    for i in ref_rows:
        ref_rows[i][reference] = [i]
    extra: list[tuple[float, dict[str, list[int]]]] = []
    for label, beads in pairs.items():
        last_ref = -1
        for bead in beads:
            if bead.src:
                ref_rows[bead.src[0]][label].extend(bead.tgt)
                last_ref = bead.src[-1]
            elif bead.tgt:
                cells = {lab: [] for lab in labels}
                cells[label] = list(bead.tgt)
                extra.append((last_ref + 0.5, cells))
    ordered = sorted([(float(i), c) for i, c in ref_rows.items()] + extra, key=lambda x: x[0])
    rows = []
    for index, (_, cells) in enumerate(ordered):
        rows.append(_row(index, cells, reference, vectors))
    return Alignment(reference, rows, pairs)


def _row(index: int, cells: dict[str, list[int]], reference: str, vectors: dict[str, np.ndarray]) -> AlignmentRow:
    ref = cells[reference]
    similarity: dict[str, float] = {}
    if ref:
        ref_mean = vectors[reference][ref].mean(axis=0)
        for label, idx in cells.items():
            if idx:
                other = vectors[label][idx].mean(axis=0)
                similarity[label] = float(ref_mean @ other / (np.linalg.norm(ref_mean) * np.linalg.norm(other)))
    return AlignmentRow(index, {k: tuple(v) for k, v in cells.items()}, similarity)
