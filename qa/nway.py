"""N-way alignment: rows of corresponding sentences across all versions.

Every version is aligned to the reference with the pairwise aligner (:mod:`qa.align`).
The monotone alignment leaves a passage that one version moved elsewhere as an omission
on one side and an addition on the other; a second pass pairs those leftovers that are
each other's best match (margin scored in the context of the whole pair) as *moved*.  Rows follow the reference's order: reference sentences that
some version joins into one bead share a row, a moved passage sits in the row of its
reference counterpart (the row's ``moved`` names that version), and sentences no other
version has get rows of their own, placed after the row their predecessor sits in.
Additions of different versions at the same place are aligned with each other, so a
sentence that several versions add (and the reference lacks) is one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qa.align import AlignParams, Bead, align_embeddings, confidence, margin_matrix
from qa.reference import choose_reference
from qa.segment import Version

MOVED_MIN_MARGIN = 0.1  # leftovers that are each other's best match above this margin were moved
ADDED_MIN_CONFIDENCE = 0.6  # additions of two versions at one place share a row above this


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
    pairs: dict[str, list[Bead]]  # label -> beads (reference as src, label as tgt), moved beads included


def align_versions(
    versions: list[Version],
    reference: str | None = None,
    model: str | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
    params: AlignParams | None = None,
) -> Alignment:
    """Align every version to ``reference`` (default: :func:`qa.reference.choose_reference`) and build rows.

    ``embeddings`` (label -> L2-normalised sentence vectors) may be given to skip encoding.
    """
    if not versions:
        return Alignment("", [], {})
    labels = [v.label for v in versions]
    if len(set(labels)) != len(labels):
        raise ValueError("version labels must be unique")
    if reference not in labels and reference:
        raise ValueError(f"reference '{reference}' is not one of the versions: {', '.join(labels)}")
    by_label = {v.label: v for v in versions}
    vectors = dict(embeddings or {})
    missing = [v for v in versions if v.label not in vectors]
    if missing:
        from qa.encoder import get_encoder

        encoder = get_encoder(model)
        for v in missing:
            vectors[v.label] = encoder.encode(v.sentence_texts)
    reference = reference or choose_reference(versions, vectors)
    ref = by_label[reference]
    pairs: dict[str, list[Bead]] = {}
    moved_beads: dict[str, list[Bead]] = {}
    for label in labels:
        if label == reference:
            continue
        other = by_label[label]
        beads = align_embeddings(
            vectors[reference], vectors[label], ref.sentence_texts, other.sentence_texts, params=params
        )
        beads, moved = _recover_moves(beads, ref, other, vectors[reference], vectors[label], params)
        pairs[label] = beads
        moved_beads[label] = moved
    rows = _build_rows(ref, versions, pairs, moved_beads, vectors, params)
    return Alignment(reference, rows, pairs)


def _recover_moves(
    beads: list[Bead],
    ref: Version,
    other: Version,
    ref_vec: np.ndarray,
    other_vec: np.ndarray,
    params: AlignParams | None,
) -> tuple[list[Bead], list[Bead]]:
    """Pair up leftovers (1-0 and 0-1 beads) that are each other's best match; those are moves.

    Margins are scored in the context of the whole pair (as the aligner scores them).
    Returns the beads with moved pairs replacing their leftovers (kept in reference
    order), and the moved beads alone.
    """
    lost = [b.src[0] for b in beads if b.src and not b.tgt]
    extra = [b.tgt[0] for b in beads if b.tgt and not b.src]
    if not lost or not extra:
        return beads, []
    margins = margin_matrix(ref_vec, other_vec, params)[np.ix_(lost, extra)]
    moved: list[Bead] = []
    for r, i in enumerate(lost):
        c = int(np.argmax(margins[r]))
        if int(np.argmax(margins[:, c])) != r or margins[r, c] < MOVED_MIN_MARGIN:
            continue
        moved.append(Bead((i,), (extra[c],), round(confidence(float(margins[r, c]), params), 4)))
    if not moved:
        return beads, []
    used_src = {b.src[0] for b in moved}
    used_tgt = {b.tgt[0] for b in moved}
    beads = [b for b in beads if not (set(b.src) & used_src or set(b.tgt) & used_tgt)]
    return _insert_by_source(beads, moved), moved


def _insert_by_source(beads: list[Bead], found: list[Bead]) -> list[Bead]:
    """Put each found bead at its reference position in ``beads`` (kept in reference order)."""
    out = list(beads)
    for bead in sorted(found, key=lambda b: b.src[0]):
        pos = len(out)
        for k, existing in enumerate(out):
            if existing.src and existing.src[0] > bead.src[0]:
                pos = k
                break
        out.insert(pos, bead)
    return out


def _build_rows(
    ref: Version,
    versions: list[Version],
    pairs: dict[str, list[Bead]],
    moved_beads: dict[str, list[Bead]],
    vectors: dict[str, np.ndarray],
    params: AlignParams | None,
) -> list[AlignmentRow]:
    labels = [v.label for v in versions]
    by_label = {v.label: v for v in versions}
    n_ref = len(ref.sentences)
    # reference sentences joined by any version's bead share a row (union of overlapping spans)
    group_end = list(range(n_ref))
    for beads in pairs.values():
        for bead in beads:
            if len(bead.src) > 1:
                for i in bead.src[:-1]:
                    group_end[i] = max(group_end[i], bead.src[-1])
    groups: list[list[int]] = []
    i = 0
    while i < n_ref:
        end = group_end[i]
        k = i
        while k <= end:
            end = max(end, group_end[k])
            k += 1
        groups.append(list(range(i, end + 1)))
        i = end + 1
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    base: list[dict[str, list[int]]] = [{label: [] for label in labels} for _ in groups]
    for g, members in enumerate(groups):
        base[g][ref.label] = list(members)
    moved_in: list[set[str]] = [set() for _ in groups]
    # additions: (group after which they go, label, sentence indices)
    additions: dict[int, dict[str, list[int]]] = {}
    for label, beads in pairs.items():
        moved_set = {(b.src, b.tgt) for b in moved_beads.get(label, [])}
        last_group = -1
        for bead in sorted(beads, key=lambda b: (b.tgt[0] if b.tgt else -1, b.src[0] if b.src else -1)):
            if bead.src:
                g = group_of[bead.src[0]]
                base[g][label].extend(bead.tgt)
                if (bead.src, bead.tgt) in moved_set:
                    moved_in[g].add(label)
                else:
                    last_group = max(last_group, g)
            elif bead.tgt:
                additions.setdefault(last_group, {}).setdefault(label, []).extend(bead.tgt)
    rows_cells: list[tuple[dict[str, list[int]], set[str]]] = []
    for g in range(-1, len(groups)):
        if g >= 0:
            rows_cells.append((base[g], moved_in[g]))
        for cells in _addition_rows(additions.get(g, {}), labels, by_label, vectors, params):
            rows_cells.append((cells, set()))
    return [
        _row(index, {k: sorted(v) for k, v in cells.items()}, ref.label, vectors, moved)
        for index, (cells, moved) in enumerate(rows_cells)
    ]


def _addition_rows(
    added: dict[str, list[int]],
    labels: list[str],
    by_label: dict[str, Version],
    vectors: dict[str, np.ndarray],
    params: AlignParams | None,
) -> list[dict[str, list[int]]]:
    """Rows for sentences added (absent from the reference) at one place by one or more versions."""
    if not added:
        return []
    order = [label for label in labels if label in added]
    first = order[0]
    rows: list[dict[str, list[int]]] = []
    for j in added[first]:
        cells = {label: [] for label in labels}
        cells[first] = [j]
        rows.append(cells)
    first_rows = list(rows)
    for label in order[1:]:
        mine = added[label]
        beads = align_embeddings(
            vectors[first][added[first]],
            vectors[label][mine],
            [by_label[first].sentences[i].text for i in added[first]],
            [by_label[label].sentences[j].text for j in mine],
            params=params,
        )
        for bead in beads:
            if bead.src and bead.tgt and bead.score >= ADDED_MIN_CONFIDENCE:
                first_rows[bead.src[0]][label].extend(mine[j] for j in bead.tgt)
            else:
                for j in bead.tgt:
                    cells = {lab: [] for lab in labels}
                    cells[label] = [mine[j]]
                    rows.append(cells)
    return rows


def _row(
    index: int,
    cells: dict[str, list[int]],
    reference: str,
    vectors: dict[str, np.ndarray],
    moved: set[str],
) -> AlignmentRow:
    ref = cells[reference]
    similarity: dict[str, float] = {}
    if ref:
        ref_mean = vectors[reference][ref].mean(axis=0)
        for label, idx in cells.items():
            if idx:
                other = vectors[label][idx].mean(axis=0)
                denom = float(np.linalg.norm(ref_mean) * np.linalg.norm(other))
                similarity[label] = float(np.clip(ref_mean @ other / denom, -1.0, 1.0)) if denom else 0.0
    return AlignmentRow(index, {k: tuple(v) for k, v in cells.items()}, similarity, frozenset(moved))
