"""Semantic drift: an aligned sentence whose meaning moved away from its counterparts.

How similar a faithful translation's sentence vectors are depends on the model and the language
pair (English-English copies sit near 0.95, English-German near 0.88 with the bundled e5 model),
so the check calibrates on the document itself: for each pair of versions, the median and the
spread (MAD) of the similarities of their one-to-one aligned rows give what *this* pair normally
gives, and a row far below that (by at least ``MIN_DROP`` and ``Z`` robust deviations) has
drifted.  Rows where one side has several sentences are compared the same way on mean vectors.
With three or more versions, the version that is far from most others is flagged.
"""

from __future__ import annotations

import numpy as np

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import Row, cell_evidence, flagged_cells, pair_stats, rows, version_name

NAME = "drift"
MIN_DROP = 0.08  # cosine below the pair's median, at least
Z = 4.0  # robust standard deviations below the median


def _cell_vector(ctx: CheckContext, label: str, idx: list[int]) -> np.ndarray | None:
    emb = ctx.embeddings.get(label)
    if emb is None or not len(idx) or max(idx) >= len(emb):
        return None
    vec = emb[idx].mean(axis=0)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else None


def drop_threshold(median: float, sd: float) -> float:
    """The similarity below which a row of a version pair with these statistics has drifted."""
    return median - max(MIN_DROP, Z * sd)


def run(ctx: CheckContext) -> list[Flag]:
    """Flag aligned sentences far less similar to their counterparts than the versions' other sentences."""
    flags: list[Flag] = []
    stats: dict[tuple[str, str], tuple[float, float] | None] = {}
    for row in rows(ctx):
        sims: dict[tuple[str, str], tuple[float, float]] = {}
        disagrees: dict[str, set[str]] = {c.label: set() for c in row.cells}
        for i, a in enumerate(row.cells):
            for b in row.cells[i + 1:]:
                key = tuple(sorted((a.label, b.label)))
                if key not in stats:
                    stats[key] = pair_stats(ctx, *key)
                st = stats[key]
                va = _cell_vector(ctx, a.label, [s.index for s in a.sentences])
                vb = _cell_vector(ctx, b.label, [s.index for s in b.sentences])
                if st is None or va is None or vb is None:
                    continue
                sim = float(va @ vb)
                sims[(a.label, b.label)] = sims[(b.label, a.label)] = (sim, st[0])
                if sim < drop_threshold(*st):
                    disagrees[a.label].add(b.label)
                    disagrees[b.label].add(a.label)
        for cell, judge in flagged_cells(row, disagrees):
            flags.append(_flag(ctx, row, cell, judge, *sims[(cell.label, judge.label)]))
    return flags


def _flag(ctx: CheckContext, row: Row, cell, judge, sim: float, typical: float) -> Flag:
    where = version_name(judge.label, judge.lang)
    confidence = float(min(0.9, 0.4 + (typical - sim)))
    return sentence_flag(
        ctx, cell.version, cell.sentences[0], cell.start, cell.end, type="semantic_drift", severity="major",
        message=f"Meaning may differ from {where}: similarity {sim:.2f}, where this pair of versions typically "
                f"gives {typical:.2f}",
        confidence=confidence, check=NAME, evidence=cell_evidence(row, cell, ctx),
    )


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="aligned sentences far less similar than the version pair's usual (semantic drift)",
)
