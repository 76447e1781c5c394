"""Aligning very long versions in linear time: cut them into corresponding chunks, align each chunk.

:func:`qa.nway.align_versions` scores every sentence of the reference against every sentence of each other
version (margins, anchor pass, moved-sentence search): time and memory grow with the product of the lengths,
which is nothing for a news report and gigabytes for 10,000 sentences. Beyond :data:`LONG_SENTENCES`
sentences, :func:`align_versions_bounded` first aligns coarse blocks (the mean vector of ``block``
consecutive sentences; at most :data:`COARSE_BLOCKS` blocks a side, so this pass costs a fixed amount), then
cuts every version where the coarse alignments of all versions agree on a block boundary, about every
:data:`CHUNK_SENTENCES` reference sentences, and aligns the chunks one by one with ``align_versions``.
Each chunk costs the same, so the whole costs time linear in the number of sentences. Inputs of normal size
go to ``align_versions`` unchanged. A sentence moved further than one chunk is reported as an omission here
and an addition there, instead of a move.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from qa.align import align_embeddings
from qa.nway import Alignment, AlignmentRow, align_versions, choose_reference
from qa.segment import Version

LONG_SENTENCES = 1200  # at or below this many sentences in every version: align in one piece
CHUNK_SENTENCES = 400  # reference sentences per chunk (about)
COARSE_BLOCKS = 400  # most blocks a side in the coarse pass


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
    reference = reference or choose_reference(versions)
    vectors = dict(embeddings or {})
    missing = [v for v in versions if v.label not in vectors]
    if missing:
        from qa.encoder import get_encoder

        encoder = get_encoder(model)
        for v in missing:
            vectors[v.label] = encoder.encode(v.sentence_texts)
    cuts = chunk_cuts(versions, reference, vectors)
    rows: list[AlignmentRow] = []
    pairs: dict[str, list] = {v.label: [] for v in versions if v.label != reference}
    for k in range(len(cuts) - 1):
        start, end = cuts[k], cuts[k + 1]
        parts = [_slice(v, start[v.label], end[v.label]) for v in versions]
        part_vectors = {v.label: vectors[v.label][start[v.label] : end[v.label]] for v in versions}
        part = align_versions(parts, reference, model, part_vectors)
        for row in part.rows:
            cells = {label: tuple(i + start[label] for i in idx) for label, idx in row.cells.items()}
            rows.append(AlignmentRow(len(rows), cells, row.similarity, row.moved))
        for label, beads in part.pairs.items():
            if label in pairs:
                offset_src, offset_tgt = start[reference], start[label]
                pairs[label].extend(
                    replace(b, src=tuple(i + offset_src for i in b.src), tgt=tuple(j + offset_tgt for j in b.tgt))
                    for b in beads
                )
    return Alignment(reference, rows, pairs)


def chunk_cuts(versions: list[Version], reference: str, vectors: dict[str, np.ndarray]) -> list[dict[str, int]]:
    """Sentence positions (label -> index) where every version is cut, first ``0`` and last the lengths."""
    n_ref = len(vectors[reference])
    block = max(1, -(-max(len(vectors[v.label]) for v in versions) // COARSE_BLOCKS))
    ref_blocks = _blocks(vectors[reference], block)
    # for each other version: reference block boundary -> that version's block boundary, where a coarse bead starts
    maps: dict[str, dict[int, int]] = {}
    for v in versions:
        if v.label == reference:
            continue
        other_blocks = _blocks(vectors[v.label], block)
        beads = align_embeddings(ref_blocks, other_blocks)
        boundary: dict[int, int] = {}
        for bead in beads:
            if bead.src and bead.tgt:  # a bead starting on both sides: a place where both can be cut
                boundary.setdefault(bead.src[0], bead.tgt[0])
        maps[v.label] = boundary
    cuts = [{v.label: 0 for v in versions}]
    step = max(1, CHUNK_SENTENCES // block)
    last = 0
    target = step
    n_blocks = len(ref_blocks)
    while target < n_blocks - step // 2:
        chosen = next(
            (b for b in range(target, min(n_blocks, target + step)) if all(b in m for m in maps.values())), None
        )
        if chosen is None:
            target += step
            continue
        cut = {reference: min(chosen * block, n_ref)}
        for label, m in maps.items():
            cut[label] = min(m[chosen] * block, len(vectors[label]))
        if all(cut[label] >= cuts[-1][label] for label in cut) and chosen > last:
            cuts.append(cut)
            last = chosen
        target = chosen + step
    cuts.append({v.label: len(vectors[v.label]) for v in versions})
    return cuts


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
