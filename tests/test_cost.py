"""Cost linear in sentences (issue 15, finding 7): limits with clear messages, chunked alignment, O(1) row lookup."""

from __future__ import annotations

import numpy as np
import pytest

from qa import nway_long
from qa.checks.base import CheckContext
from qa.errors import InputError
from qa.nway import align_versions
from qa.nway_long import align_versions_bounded, chunk_cuts
from qa.pipeline import MAX_SENTENCES, MAX_TOTAL_CHARS, VersionInput, prepare_versions
from qa.segment import Sentence, Version
from tests.hostile_files import many_short_sentences


def synthetic(n: int, drop: set[int], seed: int = 0, dim: int = 48) -> tuple[list[Version], dict[str, np.ndarray]]:
    """A reference of ``n`` sentences and a copy without the sentences in ``drop``; vectors: random, the
    copy's a noisy version of the reference's (no model needed)."""
    rng = np.random.default_rng(seed)
    ref_vecs = rng.normal(size=(n, dim)).astype(np.float32)
    ref_vecs /= np.linalg.norm(ref_vecs, axis=1, keepdims=True)
    kept = [i for i in range(n) if i not in drop]
    copy_vecs = ref_vecs[kept] + 0.25 * rng.normal(size=(len(kept), dim)).astype(np.float32) / np.sqrt(dim)
    copy_vecs /= np.linalg.norm(copy_vecs, axis=1, keepdims=True)

    def version(label: str, ids: list[int]) -> Version:
        texts = [f"Sentence number {i} of the story." for i in ids]
        sentences, offset = [], 0
        for k, t in enumerate(texts):
            sentences.append(Sentence(k, t, offset, offset + len(t), 0))
            offset += len(t) + 1
        return Version(label, " ".join(texts), "en", sentences, "en")

    versions = [version("ref", list(range(n))), version("copy", kept)]
    return versions, {"ref": ref_vecs, "copy": copy_vecs}


def test_long_versions_are_aligned_in_chunks_and_correctly(monkeypatch):
    monkeypatch.setattr(nway_long, "LONG_SENTENCES", 200)
    monkeypatch.setattr(nway_long, "CHUNK_SENTENCES", 120)
    monkeypatch.setattr(nway_long, "COARSE_BLOCKS", 100)
    drop = {37, 38, 301, 555, 556, 557, 900}
    versions, vectors = synthetic(1000, drop)
    calls = []
    real = nway_long.align_versions
    monkeypatch.setattr(nway_long, "align_versions", lambda vs, *a, **k: calls.append(len(vs[0].sentences)) or real(vs, *a, **k))
    alignment = align_versions_bounded(versions, "ref", None, vectors)
    assert len(calls) >= 5 and max(calls) < 300  # chunks, none of them the whole
    kept = [i for i in range(1000) if i not in drop]
    pairs = {(r.cells["ref"], r.cells["copy"]) for r in alignment.rows}
    correct = sum(1 for k, i in enumerate(kept) if ((i,), (k,)) in pairs)
    assert correct >= 0.98 * len(kept)
    omitted = {r.cells["ref"][0] for r in alignment.rows if r.cells["ref"] and not r.cells["copy"]}
    assert omitted >= drop - {37, 38, 555, 556, 557} and len(omitted) <= len(drop) + 5
    assert [r.index for r in alignment.rows] == list(range(len(alignment.rows)))
    covered = sorted(i for r in alignment.rows for i in r.cells["ref"])
    assert covered == list(range(1000))  # every sentence in exactly one row
    assert sorted(j for r in alignment.rows for j in r.cells["copy"]) == list(range(len(kept)))


def test_chunk_cuts_are_monotone_and_cover_everything():
    versions, vectors = synthetic(900, {10, 11, 500})
    cuts = chunk_cuts(versions, "ref", vectors)
    assert cuts[0] == {"ref": 0, "copy": 0} and cuts[-1] == {"ref": 900, "copy": 897}
    for a, b in zip(cuts, cuts[1:]):
        assert b["ref"] > a["ref"] and b["copy"] >= a["copy"]


def test_normal_inputs_are_aligned_exactly_as_before():
    versions, vectors = synthetic(120, {5, 60})
    assert align_versions_bounded(versions, "ref", None, vectors) == align_versions(versions, "ref", None, vectors)


def test_row_lookup_is_an_index_and_agrees_with_a_scan():
    versions, vectors = synthetic(150, {3, 4, 90})
    alignment = align_versions(versions, "ref", None, vectors)
    ctx = CheckContext(versions, alignment, vectors)
    for label in ("ref", "copy"):
        for s in range(len(ctx.version(label).sentences)):
            scan = next((r.index for r in alignment.rows if s in r.cells.get(label, ())), None)
            assert ctx.row_of(label, s) == scan
    assert ctx.row_of("ref", 10_000) is None


def test_too_many_sentences_are_refused_with_the_limit_stated():
    with pytest.raises(InputError, match=f"sentences is too many \\(limit {MAX_SENTENCES:,} a version\\)"):
        prepare_versions([VersionInput("huge", many_short_sentences(MAX_SENTENCES + 1), "en")])


def test_too_many_characters_in_all_are_refused_with_the_limit_stated():
    text = "Word " * 300_000 + "\n"
    inputs = [VersionInput(f"v{k}", text, "en") for k in range(5)]
    with pytest.raises(InputError, match=f"characters in all are too long \\(limit {MAX_TOTAL_CHARS:,}\\)"):
        prepare_versions(inputs)


def test_omission_check_on_unaligned_rows_costs_linear_time():
    """Every unaligned row used to rescan all rows (typical similarity, neighbour search): 4x the sentences
    cost 16x; now about 4x. A bound on growth, not a timing target (sizes large enough that load noise is small)."""
    import time

    from qa.checks import omission

    def cost(n: int) -> float:
        versions, vectors = synthetic(n, set(range(5, n, 10)), seed=n)
        ctx = CheckContext(versions, align_versions_bounded(versions, "ref", None, vectors), vectors)
        best = float("inf")
        for _ in range(5):  # best of five: the shared machine's load must not decide
            fresh = CheckContext(ctx.versions, ctx.alignment, ctx.embeddings)
            start = time.perf_counter()
            flags = omission._unaligned(fresh)
            best = min(best, time.perf_counter() - start)
        assert len(flags) >= n // 20  # the omissions are found
        return best

    small, large = cost(1000), cost(4000)
    assert large / max(small, 1e-3) < 9.0, (small, large)
