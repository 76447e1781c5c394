"""Aligning very long versions in linear time: cut them into corresponding chunks, align each chunk.

:func:`qa.nway.align_versions` scores every sentence of the reference against every sentence of each other
version (margins, anchor pass, moved-sentence search): time and memory grow with the product of the lengths,
which is nothing for a news report and gigabytes for 10,000 sentences. Beyond :data:`LONG_SENTENCES`
sentences, :func:`align_versions_bounded` first aligns coarse blocks (the mean vector of ``block``
consecutive sentences; at most :data:`COARSE_BLOCKS` blocks a side, so this pass costs a fixed amount). About
every :data:`CHUNK_SENTENCES` reference sentences, the sentences in a window around the coarse position are
aligned, and every version is cut before a reference sentence that each version pairs with one of its own
(so no bead is split). The chunks are then aligned one by one with ``align_versions``.
Each chunk costs the same, so the whole costs time linear in the number of sentences. Inputs of normal size
go to ``align_versions`` unchanged. A sentence moved further than one chunk is reported as an omission here
and an addition there, instead of a move.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from qa.align import align_embeddings
from qa.nway import Alignment, AlignmentRow, align_versions
from qa.reference import choose_reference
from qa.segment import Version

LONG_SENTENCES = 1200  # at or below this many sentences in every version: align in one piece
CHUNK_SENTENCES = 400  # reference sentences per chunk (about)
COARSE_BLOCKS = 400  # most blocks a side in the coarse pass
FINE_WINDOW = 16  # reference sentences each side of a coarse cut, aligned to place the cut exactly


def align_versions_bounded(
    versions: list[Version],
    reference: str | None = None,
    model: str | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
) -> Alignment:
    """:func:`qa.nway.align_versions`, in chunks when a version is longer than :data:`LONG_SENTENCES`."""
    longest = max((len(v.sentences) for v in versions), default=0)
    if longest <= LONG_SENTENCES or len(versions) < 2:
        return align_versions(versions, reference, model, embeddings)
    vectors = dict(embeddings or {})
    missing = [v for v in versions if v.label not in vectors]
    if missing:
        from qa.encoder import get_encoder

        encoder = get_encoder(model)
        for v in missing:
            vectors[v.label] = encoder.encode(v.sentence_texts)
    reference = reference or choose_reference(versions, vectors, model)
    cuts = chunk_cuts(versions, reference, vectors)
    rows: list[AlignmentRow] = []
    set_apart: dict[str, str] = {}
    pairs: dict[str, list] = {v.label: [] for v in versions if v.label != reference}
    for k in range(len(cuts) - 1):
        start, end = cuts[k], cuts[k + 1]
        parts = [_slice(v, start[v.label], end[v.label]) for v in versions]
        part_vectors = {v.label: vectors[v.label][start[v.label] : end[v.label]] for v in versions}
        part = align_versions(parts, reference, model, part_vectors)
        for row in part.rows:
            cells = {label: tuple(i + start[label] for i in idx) for label, idx in row.cells.items()}
            rows.append(AlignmentRow(len(rows), cells, row.similarity, row.moved, row.confidence))
        for label, why in part.set_apart.items():
            set_apart.setdefault(label, why)  # another story in any chunk is another story
        for label, beads in part.pairs.items():
            if label in pairs:
                offset_src, offset_tgt = start[reference], start[label]
                pairs[label].extend(
                    replace(b, src=tuple(i + offset_src for i in b.src), tgt=tuple(j + offset_tgt for j in b.tgt))
                    for b in beads
                )
    return Alignment(reference, rows, pairs, set_apart)


def chunk_cuts(versions: list[Version], reference: str, vectors: dict[str, np.ndarray]) -> list[dict[str, int]]:
    """Sentence positions (label -> index) where every version is cut, first ``0`` and last the lengths.

    The coarse pass says roughly where a reference position lands in each version (to a block); the exact
    place comes from aligning sentences in a window around it: a cut goes before a reference sentence that
    every version's local alignment pairs with a sentence of its own, so no bead is split by a cut.
    """
    by_label = {v.label: v for v in versions}
    n_ref = len(vectors[reference])
    block = max(1, -(-max(len(vectors[v.label]) for v in versions) // COARSE_BLOCKS))
    ref_blocks = _blocks(vectors[reference], block)
    others = [v.label for v in versions if v.label != reference]
    coarse: dict[str, dict[int, int]] = {}  # reference block -> that version's block, where a coarse bead starts
    for label in others:
        beads = align_embeddings(ref_blocks, _blocks(vectors[label], block))
        coarse[label] = {}
        for bead in beads:
            if bead.src and bead.tgt:
                coarse[label].setdefault(bead.src[0], bead.tgt[0])
    cuts = [{v.label: 0 for v in versions}]
    step = max(1, CHUNK_SENTENCES // block)
    b = step
    while b * block < n_ref - CHUNK_SENTENCES // 2:
        known = next((k for k in range(b, min(len(ref_blocks), b + step)) if all(k in coarse[o] for o in others)), None)
        if known is None:
            b += step
            continue
        cut = _fine_cut(by_label, vectors, reference, others, known * block,
                        {o: coarse[o][known] * block for o in others}, block, cuts[-1])
        if cut is not None:
            cuts.append(cut)
        b = known + step
    cuts.append({v.label: len(vectors[v.label]) for v in versions})
    return cuts


def _fine_cut(
    by_label: dict[str, Version],
    vectors: dict[str, np.ndarray],
    reference: str,
    others: list[str],
    ref_at: int,
    other_at: dict[str, int],
    block: int,
    previous: dict[str, int],
) -> dict[str, int] | None:
    """A cut near ``ref_at`` where each other version's local alignment starts a bead on both sides.

    A few reference sentences around ``ref_at`` are aligned with the other versions' sentences within a block
    (the coarse pass's precision) and a margin of their landing place, so a cut costs the same at any size."""
    r0, r1 = max(previous[reference] + 1, ref_at - FINE_WINDOW), min(len(vectors[reference]), ref_at + FINE_WINDOW)
    if r1 - r0 < 4:
        return None
    ref_texts = by_label[reference].sentence_texts
    starts: dict[str, dict[int, int]] = {}
    for label in others:
        c0 = max(previous[label], other_at[label] - block - 2 * FINE_WINDOW)
        c1 = min(len(vectors[label]), other_at[label] + block + 2 * FINE_WINDOW)
        texts = by_label[label].sentence_texts
        beads = align_embeddings(vectors[reference][r0:r1], vectors[label][c0:c1], ref_texts[r0:r1], texts[c0:c1])
        starts[label] = {r0 + bd.src[0]: c0 + bd.tgt[0] for bd in beads if bd.src and bd.tgt}
    # away from the window's edges, where the local alignment lacks context
    candidates = [r for r in starts[others[0]] if r0 + 2 < r < r1 - 2 and all(r in starts[o] for o in others)]
    if not candidates:
        return None
    r = min(candidates, key=lambda x: abs(x - ref_at))
    cut = {reference: r, **{o: starts[o][r] for o in others}}
    return cut if all(cut[k] >= previous[k] for k in cut) and cut[reference] > previous[reference] else None


def _blocks(vecs: np.ndarray, size: int) -> np.ndarray:
    """Mean vectors of consecutive runs of ``size`` rows, L2-normalised."""
    n = len(vecs)
    if n == 0:
        return np.zeros((0, vecs.shape[1] if vecs.ndim == 2 else 1), np.float32)
    pad = (-n) % size
    padded = np.vstack([vecs, np.zeros((pad, vecs.shape[1]), vecs.dtype)]) if pad else vecs
    sums = padded.reshape(-1, size, vecs.shape[1]).sum(axis=1)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def _slice(version: Version, start: int, end: int) -> Version:
    """The sentences ``start:end`` of ``version`` as a version of their own (indices from 0, offsets kept)."""
    sentences = [replace(s, index=k) for k, s in enumerate(version.sentences[start:end])]
    return replace(version, sentences=sentences)


__all__ = ["CHUNK_SENTENCES", "LONG_SENTENCES", "align_versions_bounded", "chunk_cuts"]
