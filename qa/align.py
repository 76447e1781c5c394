"""Pairwise sentence alignment: two sentence lists -> ordered beads.

(Initial version: a monotone dynamic program over 1-1, 1-0, 0-1 beads on cosine
similarity. The alignment issue replaces it with the full n-m engine.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bead:
    """Sentences ``src`` of one side carry the content of sentences ``tgt`` of the other.

    Either side may be empty (an omission or addition); ``score`` in [0, 1] is the
    aligner's confidence in the bead.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def align_embeddings(src: np.ndarray, tgt: np.ndarray, skip_penalty: float = 0.8) -> list[Bead]:
    """Align two L2-normalised embedding matrices (rows = sentences, in order)."""
    n, m = len(src), len(tgt)
    sim = src @ tgt.T if n and m else np.zeros((n, m), dtype=np.float32)
    cost = np.full((n + 1, m + 1), np.inf)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    cost[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j and cost[i - 1, j - 1] + 1 - sim[i - 1, j - 1] < cost[i, j]:
                cost[i, j], back[i, j] = cost[i - 1, j - 1] + 1 - sim[i - 1, j - 1], 1
            if i and cost[i - 1, j] + skip_penalty < cost[i, j]:
                cost[i, j], back[i, j] = cost[i - 1, j] + skip_penalty, 2
            if j and cost[i, j - 1] + skip_penalty < cost[i, j]:
                cost[i, j], back[i, j] = cost[i, j - 1] + skip_penalty, 3
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        step = back[i, j]
        if step == 1:
            beads.append(Bead((i - 1,), (j - 1,), float(np.clip(sim[i - 1, j - 1], 0, 1))))
            i, j = i - 1, j - 1
        elif step == 2:
            beads.append(Bead((i - 1,), (), 0.5))
            i -= 1
        else:
            beads.append(Bead((), (j - 1,), 0.5))
            j -= 1
    return beads[::-1]


def align_pair(src: list[str], tgt: list[str], model: str | None = None) -> list[Bead]:
    """Align two sentence lists (any languages) into beads covering every sentence once."""
    from qa.encoder import embed

    return align_embeddings(embed(src, model), embed(tgt, model))
