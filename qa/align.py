"""Pairwise sentence alignment: two sentence lists -> ordered beads (1-1, 1-0, 0-1, n-m).

The approach (after Bertalign and Vecalign, with less embedding work):

1. Every sentence is embedded once; the pair's mean vector is removed (e5's cosines sit in
   a narrow band, and averaged blocks drift towards that common direction).  A first
   dynamic program over 1-1 and skip beads, scored by *margin* (cosine minus the mean
   cosine of each sentence's k nearest neighbours, as in LASER/Vecalign), finds an anchor
   path.
2. A second dynamic program over every bead type up to ``max_total`` sentences runs in a
   window around that path.  A merged block is scored by a free stand-in for the
   embedding of its concatenation: the length-weighted, normalised sum of its members'
   vectors (the encoder mean-pools tokens, so the concatenation's vector is close to that
   weighted mean).  Bead scores add a length-ratio prior (character counts, CJK-aware,
   the ratio calibrated on the pair itself), a prior against large merges, and a penalty
   when one side's last sentence closes a quotation and the other's does not (dialogue
   boundaries survive translation and settle many merge boundaries); numbers written in
   digits on both sides of a bead raise its score, numbers on one side only lower it.  Leaving a
   sentence unaligned costs more the better its best counterpart near the anchor path is,
   and an n-m merge (n, m > 1) pays for members that match nothing nearby, so omissions
   and additions stay 1-0 / 0-1 instead of being swallowed by a neighbouring merge.
3. Optionally (``refine_rounds`` > 0) the merged blocks on the best path are embedded for
   real and the second pass repeated.  On the development sets this gained nothing over
   the stand-ins (see bench/align.py), so it is off by default and alignment costs no
   embedding beyond one per sentence.

Each bead carries a confidence in [0, 1] derived from its margin score.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

EmbedFn = Callable[[list[str]], np.ndarray]
_NEG = -1e9


@dataclass(frozen=True)
class Bead:
    """Sentences ``src`` of one side carry the content of sentences ``tgt`` of the other.

    Either side may be empty (an omission or addition); ``score`` in [0, 1] is the
    aligner's confidence in the bead.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class AlignParams:
    """Tunable settings of the aligner (defaults tuned on the development sets)."""

    max_total: int = 8  # most sentences in one bead, both sides together
    max_side: int = 6  # most sentences on one side of a bead
    knn: int = 4  # neighbours in the margin
    margin_weight: float = 1.0  # 0: plain cosine, 1: full margin
    skip: float = -0.15  # score of leaving unaligned a sentence with no counterpart better than margin 0
    skip_slope: float = 3.0  # the skip costs this much more per unit of the sentence's best margin
    skip_floor: float = -0.6  # the most a skip can cost
    length_weight: float = 0.12  # weight of |log length ratio|
    merge_penalty: float = 0.06  # per sentence beyond two in a bead
    nm_bonus: float = 0.05  # added to n-m beads with n, m > 1 (their content crosses sentence boundaries)
    quote_weight: float = 0.05  # a bead whose two sides disagree on ending with a closing quotation mark
    number_match: float = 0.05  # per number written in digits on both sides of a bead
    number_mismatch: float = 0.03  # per number in digits on one side only
    weight_power: float = 0.25  # member weight = length ** power in the stand-in sum
    orphan_floor: float = 0.05  # a sentence whose best margin near the anchor path is below this is an orphan...
    orphan_weight: float = 0.5  # ...and joining it to a merge costs this much per unit below
    skip_radius: int = 1  # a sentence's best counterpart (for its skip cost) is sought this close to the anchor path
    center_shrink: float = 2.0  # sentences: the pair's mean vector is removed with weight N / (N + this)
    approx_bonus: float = 0.02  # optimism of stand-ins (so that promising merges get checked)
    window: int = 10  # half-width of the second pass's window around the anchor path
    refine_rounds: int = 0  # rounds of embedding the merges on the path (0: stand-ins only)
    confidence_scale: float = 12.0  # logistic slope from margin score to confidence


DEFAULT_PARAMS = AlignParams()


def text_length(text: str) -> float:
    """A length comparable across scripts: CJK characters count 2.5, spaces 0, others 1."""
    total = 0.0
    for ch in text:
        if ch.isspace():
            continue
        total += 2.5 if _is_cjk(ch) else 1.0
    return total


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


_CLOSING_QUOTES = frozenset("”’'\"」』»›“")  # “ closes German „...“
_FINAL_STOPS = " \t\n.!?。．！？…)）—-"


def closes_quote(text: str) -> bool:
    """True when the sentence ends a quotation (``'...yourself!'``, ``…出来。”``), final stops aside.

    Dialogue boundaries survive translation, so they tell which neighbouring bead a
    sentence at a merge boundary belongs to.
    """
    stripped = text.rstrip(_FINAL_STOPS)
    return bool(stripped) and stripped[-1] in _CLOSING_QUOTES


# a number in digits: grouped thousands ("4,600", "4.600", "4 600") become one token, anything else splits at
# separators ("3.5" -> "3", "5"), so the same number written in two locales gives the same tokens
_NUMBER = re.compile(r"\d{1,3}(?:[.,'’\u00a0\u202f ]\d{3}(?!\d))+|\d+")
_GROUPING = re.compile(r"[.,'’\u00a0\u202f ]")


def number_tokens(text: str) -> Counter[str]:
    """The numbers written in digits in ``text``, locale grouping removed (a multiset)."""
    return Counter(_GROUPING.sub("", match) for match in _NUMBER.findall(text))


def join_sentences(texts: list[str]) -> str:
    """Concatenate sentences as running text (no space between CJK sentences)."""
    out = ""
    for text in texts:
        text = text.strip()
        if out and text and not (_no_space_script(out[-1]) and _no_space_script(text[0])):
            out += " "
        out += text
    return out


def _no_space_script(ch: str) -> bool:
    return _is_cjk(ch) or unicodedata.category(ch) in {"Ps", "Pe", "Po"} and ord(ch) >= 0x3000


def align_pair(
    src: list[str],
    tgt: list[str],
    model: str | None = None,
    params: AlignParams | None = None,
    precision: str | None = None,
) -> list[Bead]:
    """Align two sentence lists (any languages) into beads covering every sentence once, in order.

    ``precision`` is the encoder's (see :func:`qa.encoder.resolve_precision`; default ``auto``).
    """
    from qa.encoder import get_encoder

    if not src or not tgt:
        return align_embeddings(np.zeros((len(src), 1)), np.zeros((len(tgt), 1)), src, tgt, params=params)
    encoder = get_encoder(model, precision)
    vectors = encoder.encode(list(src) + list(tgt))
    return align_embeddings(vectors[: len(src)], vectors[len(src) :], src, tgt, embed=encoder.encode, params=params)


def align_texts(
    src_text: str,
    tgt_text: str,
    presegmented: bool = False,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    model: str | None = None,
    params: AlignParams | None = None,
    precision: str | None = None,
) -> list[Bead]:
    """What ``python -m qa align`` does with two texts: segment (or split lines), then :func:`align_pair`.

    With ``presegmented`` every line is a sentence and bead indices are 0-based line numbers.
    The encoder runs at :func:`align_precision` unless ``precision`` is given.
    """
    from qa.segment import make_version
    from qa.segment import presegmented as split_lines

    sides = []
    for text, lang in ((src_text, src_lang), (tgt_text, tgt_lang)):
        sentences = split_lines(text) if presegmented else make_version("", text, lang).sentences
        sides.append([s.text for s in sentences])
    return align_pair(sides[0], sides[1], model=model, params=params, precision=precision or align_precision())


def align_precision() -> str:
    """The encoder precision of the ``align`` command: ``$PARALLAX_ENCODER_PRECISION`` if set, else float32.

    Batch alignment favours fidelity over speed: on the development sets float32 embeddings
    gave strict F1 0.884 / 0.884 against 0.877 / 0.870 with the int8 default, well within
    the time budget (bench/align.py).  The app keeps ``auto`` (int8) for interactive speed.
    """
    from qa.encoder import FLOAT32, PRECISION_ENV

    return os.environ.get(PRECISION_ENV, "").strip() or FLOAT32


def bead_json(bead: Bead) -> dict:
    """The CLI's JSON object for one bead: ``{"src": [...], "tgt": [...], "score": s}``."""
    return {"src": list(bead.src), "tgt": list(bead.tgt), "score": round(bead.score, 4)}


def align_embeddings(
    src_vecs: np.ndarray,
    tgt_vecs: np.ndarray,
    src_texts: list[str] | None = None,
    tgt_texts: list[str] | None = None,
    embed: EmbedFn | None = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align two L2-normalised embedding matrices (rows = sentences, in order) into beads.

    ``src_texts``/``tgt_texts`` give the length prior and, with ``embed`` (texts -> rows),
    let merged blocks on the best path be embedded for real; without ``embed`` merges are
    scored by their stand-in vectors only.
    """
    params = params or DEFAULT_PARAMS
    n, m = len(src_vecs), len(tgt_vecs)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    src_texts = list(src_texts) if src_texts is not None else [""] * n
    tgt_texts = list(tgt_texts) if tgt_texts is not None else [""] * m
    if len(src_texts) != n or len(tgt_texts) != m:
        raise ValueError("texts and embeddings differ in length")
    return _PairAligner(
        np.asarray(src_vecs, dtype=np.float32),
        np.asarray(tgt_vecs, dtype=np.float32),
        src_texts,
        tgt_texts,
        embed if (embed is not None and any(src_texts) and any(tgt_texts)) else None,
        params,
    ).run()


class _Side:
    """Block vectors of one side: ``vec[a][i]`` is the block of ``a`` sentences ending before ``i``."""

    def __init__(self, vecs: np.ndarray, texts: list[str], max_side: int, power: float, ratio: float) -> None:
        self.n = len(vecs)
        self.texts = texts
        self.single = vecs
        lengths = np.array([text_length(t) for t in texts], dtype=np.float64) * ratio
        weights = np.maximum(lengths, 1.0) ** power if any(texts) else np.ones(self.n)
        self.weights = weights
        cum_vec = np.vstack([np.zeros((1, vecs.shape[1])), np.cumsum(vecs * weights[:, None], axis=0)])
        cum_len = np.concatenate([[0.0], np.cumsum(lengths)])
        self.max_side = max_side
        self.vec: dict[int, np.ndarray] = {}
        self.length: dict[int, np.ndarray] = {}
        self.real: dict[int, np.ndarray] = {}  # a -> bool over end positions: vector is a true embedding
        for a in range(1, max_side + 1):
            block = np.zeros((self.n + 1, vecs.shape[1]), dtype=np.float32)
            length = np.zeros(self.n + 1)
            if a <= self.n:
                raw = cum_vec[a:] - cum_vec[:-a]
                norms = np.linalg.norm(raw, axis=1, keepdims=True)
                block[a:] = raw / np.maximum(norms, 1e-9)
                length[a:] = cum_len[a:] - cum_len[:-a]
            self.vec[a] = block
            self.length[a] = length
            self.real[a] = np.full(self.n + 1, a == 1)
        # quote_end[i]: sentence i - 1 (the last of any block ending before i) closes a quotation
        self.quote_end = np.array([0.0] + [float(closes_quote(t)) for t in texts])
        # numbers written in digits, per sentence, and their running count (block totals by difference)
        self.numbers = [number_tokens(t) for t in texts]
        self.number_cum = np.concatenate([[0.0], np.cumsum([sum(c.values()) for c in self.numbers])])
        self.knn: dict[int, np.ndarray] = {}
        self.orphan_cum = np.zeros(self.n + 1)  # cumulative orphan degree (set after the anchor pass)

    def compute_knn(self, other: np.ndarray, k: int) -> None:
        """Neighbourhood of every block: the largest, over its members, of their mean cosine to
        their ``k`` nearest sentences of the other side (the margin's baseline)."""
        k = max(1, min(k, len(other)))
        sims = self.single @ other.T
        top = np.partition(sims, -k, axis=1)[:, -k:] if k < sims.shape[1] else sims
        single = top.mean(axis=1)
        for a in self.vec:
            knn = np.zeros(self.n + 1)
            if a <= self.n:
                # the block's baseline is its best-connected member's: an unrelated sentence
                # joined to a block must not lower the bar the block has to clear
                windows = np.lib.stride_tricks.sliding_window_view(single, a)
                knn[a:] = windows.max(axis=1)
            self.knn[a] = knn

    def set_real(self, a: int, end: int, vector: np.ndarray) -> None:
        self.vec[a][end] = vector
        self.real[a][end] = True


def _shared_numbers(src: _Side, tgt: _Side) -> np.ndarray | None:
    """2-D cumulative counts of the numbers each sentence pair shares (None when a side has none).

    Numbers in digits survive translation, so they anchor bead boundaries; with the
    cumulative table any block pair's shared count is four lookups.
    """
    if not any(src.numbers) or not any(tgt.numbers):
        return None
    shared = np.zeros((src.n + 1, tgt.n + 1), dtype=np.int32)
    where: dict[str, list[tuple[int, int]]] = {}  # number -> (target sentence, count there)
    for j, numbers in enumerate(tgt.numbers):
        for number, count in numbers.items():
            where.setdefault(number, []).append((j, count))
    for i, numbers in enumerate(src.numbers):
        for number, count in numbers.items():
            for j, there in where.get(number, ()):
                shared[i + 1, j + 1] += min(count, there)
    return shared.cumsum(axis=0).cumsum(axis=1)


class _PairAligner:
    def __init__(
        self,
        src: np.ndarray,
        tgt: np.ndarray,
        src_texts: list[str],
        tgt_texts: list[str],
        embed: EmbedFn | None,
        params: AlignParams,
    ) -> None:
        self.p = params
        self.n, self.m = len(src), len(tgt)
        src_total = sum(text_length(t) for t in src_texts)
        tgt_total = sum(text_length(t) for t in tgt_texts)
        # calibrate lengths to the pair: source lengths scaled to target units
        self.has_text = src_total > 0 and tgt_total > 0
        ratio = tgt_total / src_total if self.has_text else 1.0
        side = min(params.max_side, params.max_total - 1)
        # remove the embedding space's common direction (e5's cosines sit in a narrow band, and
        # averaged blocks drift towards it): subtract the pair's mean, shrunk for short inputs
        total = self.n + self.m
        self.center = np.vstack([src, tgt]).mean(axis=0) * (total / (total + params.center_shrink))
        src, tgt = self._centered(src), self._centered(tgt)
        self.S = _Side(src, src_texts, side, params.weight_power, ratio)
        self.T = _Side(tgt, tgt_texts, side, params.weight_power, 1.0)
        self.S.compute_knn(tgt, params.knn)
        self.T.compute_knn(src, params.knn)
        self.shared_numbers = _shared_numbers(self.S, self.T)
        self.embed = embed
        self.types = [
            (a, b)
            for a in range(1, side + 1)
            for b in range(1, side + 1)
            if a + b <= params.max_total
        ]

    def single_margins(self) -> np.ndarray:
        """(n, m) margin scores of all 1-1 pairs."""
        p = self.p
        return self.S.single @ self.T.single.T - p.margin_weight * 0.5 * (
            self.S.knn[1][1:, None] + self.T.knn[1][None, 1:]
        )

    def _skip_costs(self, path: list[tuple[int, int]]) -> None:
        """Cost of leaving each sentence unaligned: dearer the better its best counterpart near
        the anchor path is (a counterpart far away is moved content: skipping stays cheap)."""
        p, n, m, r = self.p, self.n, self.m, self.p.skip_radius
        margins = self.single_margins()
        near = np.zeros((n, m), dtype=bool)
        for pi, pj in path:
            near[max(0, pi - r) : pi + r, max(0, pj - r) : pj + r] = True
        local = np.where(near, margins, -1.0)
        best_src = np.maximum(local.max(axis=1), 0.0)
        best_tgt = np.maximum(local.max(axis=0), 0.0)
        self.skip_src = np.maximum(p.skip - p.skip_slope * best_src, p.skip_floor)
        self.skip_tgt = np.maximum(p.skip - p.skip_slope * best_tgt, p.skip_floor)
        for side, best in ((self.S, best_src), (self.T, best_tgt)):
            side.orphan_cum = np.concatenate([[0.0], np.cumsum(np.maximum(0.0, p.orphan_floor - best))])

    def _centered(self, vecs: np.ndarray) -> np.ndarray:
        out = vecs - self.center
        return (out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-9)).astype(np.float32)

    # ------------------------------------------------------------------ scoring
    def _bead_scores(self, a: int, b: int, i: int, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(score, margin) of beads ending at (i, cols) with a source and b target sentences."""
        p = self.p
        sv = self.S.vec[a][i]
        tv = self.T.vec[b][cols]
        sim = tv @ sv
        margin = sim - p.margin_weight * 0.5 * (self.S.knn[a][i] + self.T.knn[b][cols])
        if a > 1 or b > 1:
            approx = ~(self.S.real[a][i] & self.T.real[b][cols])
            margin = margin + p.approx_bonus * approx
        score = margin - p.merge_penalty * max(0, a + b - 2)
        if a > 1 and b > 1:  # n-m merges with n, m > 1 must not swallow sentences that match nothing
            # ...but a sum of 1-1 scores outweighs one 2-2 score: give crossing n-m beads a small bonus
            score = score + p.nm_bonus
            score = score - p.orphan_weight * (self.S.orphan_cum[i] - self.S.orphan_cum[i - a])
            score = score - p.orphan_weight * (self.T.orphan_cum[cols] - self.T.orphan_cum[cols - b])
        if self.has_text:
            ls = self.S.length[a][i] + 8.0
            lt = self.T.length[b][cols] + 8.0
            score = score - p.length_weight * np.abs(np.log(ls / lt))
            score = score - p.quote_weight * np.abs(self.S.quote_end[i] - self.T.quote_end[cols])
        if self.shared_numbers is not None:
            c = self.shared_numbers
            shared = c[i, cols] - c[i - a, cols] - c[i, cols - b] + c[i - a, cols - b]
            total = (self.S.number_cum[i] - self.S.number_cum[i - a]) + (self.T.number_cum[cols] - self.T.number_cum[cols - b])
            score = score + p.number_match * shared - p.number_mismatch * np.maximum(total - 2 * shared, 0)
        return score, margin

    # ------------------------------------------------------------------ anchors
    def _anchor_window(self) -> tuple[np.ndarray, np.ndarray]:
        """Column range [lo, hi] for each row, around a 1-1/skip path of margin scores."""
        n, m, p = self.n, self.m, self.p
        sim = self.S.single @ self.T.single.T
        margin = sim - p.margin_weight * 0.5 * (self.S.knn[1][1:, None] + self.T.knn[1][None, 1:])
        skip = p.skip
        score = np.full((n + 1, m + 1), _NEG)
        back = np.zeros((n + 1, m + 1), dtype=np.int8)  # 1 diag, 2 up (1-0), 3 left (0-1)
        score[0] = skip * np.arange(m + 1)
        back[0, 1:] = 3
        steps = np.arange(m + 1)
        for i in range(1, n + 1):
            prev = score[i - 1]
            row = prev + skip
            back_row = np.full(m + 1, 2, dtype=np.int8)
            diag = prev[:-1] + margin[i - 1]
            better = diag > row[1:]
            row[1:] = np.where(better, diag, row[1:])
            back_row[1:][better] = 1
            # left moves: row[j] = max_k<=j row[k] + skip*(j-k)
            shifted = row - skip * steps
            run = np.maximum.accumulate(shifted)
            left = run + skip * steps
            from_left = left > row + 1e-12
            row = np.where(from_left, left, row)
            back_row[from_left] = 3
            score[i] = row
            back[i] = back_row
        i, j = n, m
        path = [(n, m)]
        while i or j:
            step = back[i, j]
            if step == 1:
                i, j = i - 1, j - 1
            elif step == 2:
                i -= 1
            else:
                j -= 1
            path.append((i, j))
        self._skip_costs(path)
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        for pi, pj in path:
            lo[pi] = min(lo[pi], pj)
            hi[pi] = max(hi[pi], pj)
        w = p.window + p.max_total
        lo = np.maximum(0, lo - w)
        hi = np.minimum(m, hi + w)
        # widen by neighbouring rows so that merges across rows stay reachable, keep monotone
        span = p.max_total
        lo = np.array([lo[max(0, i - span) : i + 1].min() for i in range(n + 1)])
        hi = np.array([hi[i : i + span + 1].max() for i in range(n + 1)])
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        lo[0] = 0
        hi[n] = m
        return lo, hi

    # ------------------------------------------------------------------ main DP
    def _dp(self, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int, int, int, float]]:
        """Best path in the window: list of (i0, i1, j0, j1, margin) beads in order."""
        n = self.n
        cum_skip = np.concatenate([[0.0], np.cumsum(self.skip_tgt)])  # cum_skip[j]: skipping targets 0..j-1
        scores: list[np.ndarray] = []
        backs: list[np.ndarray] = []
        for i in range(n + 1):
            cols = np.arange(lo[i], hi[i] + 1)
            row = np.full(len(cols), _NEG)
            back = np.full(len(cols), -1, dtype=np.int16)  # type index; -2 = 1-0, -3 = 0-1
            if i == 0:
                row[cols == 0] = 0.0
            else:
                prev, plo, phi = scores[i - 1], lo[i - 1], hi[i - 1]
                inside = (cols >= plo) & (cols <= phi)
                cand = np.where(inside, prev[np.clip(cols - plo, 0, len(prev) - 1)], _NEG) + self.skip_src[i - 1]
                better = cand > row
                row[better], back[better] = cand[better], -2
                for t, (a, b) in enumerate(self.types):
                    if a > i:
                        continue
                    pl, ph, pscore = lo[i - a], hi[i - a], scores[i - a]
                    jprev = cols - b
                    ok = (jprev >= pl) & (jprev <= ph)
                    if not ok.any():
                        continue
                    sel = cols[ok]
                    bead, _ = self._bead_scores(a, b, i, sel)
                    cand = pscore[jprev[ok] - pl] + bead
                    cur = row[ok]
                    better = cand > cur
                    if better.any():
                        idx = np.nonzero(ok)[0][better]
                        row[idx] = cand[better]
                        back[idx] = t
            # 0-1 moves within the row
            cost = cum_skip[cols]
            run = np.maximum.accumulate(row - cost) + cost
            from_left = run > row + 1e-12
            row = np.where(from_left, run, row)
            back[from_left] = -3
            scores.append(row)
            backs.append(back)
        beads: list[tuple[int, int, int, int, float]] = []
        i, j = n, self.m
        while i or j:
            t = int(backs[i][j - lo[i]])
            if t == -2:
                beads.append((i - 1, i, j, j, math.nan))
                i -= 1
            elif t == -3:
                beads.append((i, i, j - 1, j, math.nan))
                j -= 1
            else:
                a, b = self.types[t]
                _, margin = self._bead_scores(a, b, i, np.array([j]))
                beads.append((i - a, i, j - b, j, float(margin[0])))
                i, j = i - a, j - b
        return beads[::-1]

    # ------------------------------------------------------------------ refinement
    def _refine(self, beads: list[tuple[int, int, int, int, float]]) -> bool:
        """Embed the merged blocks on the path that are still stand-ins; True if any were."""
        if self.embed is None:
            return False
        jobs: list[tuple[_Side, int, int]] = []
        texts: list[str] = []
        for i0, i1, j0, j1, _ in beads:
            for side, start, end in ((self.S, i0, i1), (self.T, j0, j1)):
                a = end - start
                if a >= 2 and start < end and not side.real[a][end]:
                    jobs.append((side, a, end))
                    texts.append(join_sentences(side.texts[start:end]))
        if not jobs:
            return False
        vectors = self._centered(self.embed(texts))
        for (side, a, end), vector in zip(jobs, vectors):
            side.set_real(a, end, vector)
        return True

    def run(self) -> list[Bead]:
        lo, hi = self._anchor_window()
        beads = self._dp(lo, hi)
        for _ in range(self.p.refine_rounds):
            if not self._refine(beads):
                break
            beads = self._dp(lo, hi)
        return self._to_beads(beads)

    def _to_beads(self, beads: list[tuple[int, int, int, int, float]]) -> list[Bead]:
        p = self.p
        out = []
        for i0, i1, j0, j1, margin in beads:
            src, tgt = tuple(range(i0, i1)), tuple(range(j0, j1))
            if src and tgt:
                conf = confidence(margin, p)
            else:
                # a skip is as sure as its sentence lacks any good counterpart nearby
                best = self._best_margin(src[0], "src") if src else self._best_margin(tgt[0], "tgt")
                conf = 1.0 / (1.0 + math.exp(p.confidence_scale * (best - p.skip / 2)))
            out.append(Bead(src, tgt, round(float(min(1.0, max(0.0, conf))), 4)))
        return out

    def _best_margin(self, index: int, side: str) -> float:
        p = self.p
        if side == "src":
            sims = self.T.single @ self.S.single[index]
            margins = sims - p.margin_weight * 0.5 * (self.S.knn[1][index + 1] + self.T.knn[1][1:])
        else:
            sims = self.S.single @ self.T.single[index]
            margins = sims - p.margin_weight * 0.5 * (self.T.knn[1][index + 1] + self.S.knn[1][1:])
        return float(margins.max()) if len(margins) else 0.0


def margin_matrix(src_vecs: np.ndarray, tgt_vecs: np.ndarray, params: AlignParams | None = None) -> np.ndarray:
    """Margin score of every 1-1 pair, scored in the whole pair's context as the aligner does."""
    aligner = _PairAligner(
        np.asarray(src_vecs, dtype=np.float32),
        np.asarray(tgt_vecs, dtype=np.float32),
        [""] * len(src_vecs),
        [""] * len(tgt_vecs),
        None,
        params or DEFAULT_PARAMS,
    )
    return aligner.single_margins()


def confidence(margin: float, params: AlignParams | None = None) -> float:
    """The confidence in [0, 1] that the aligner gives a bead of this margin score."""
    p = params or DEFAULT_PARAMS
    return 1.0 / (1.0 + math.exp(-p.confidence_scale * (margin - p.skip / 2)))


def with_params(**changes: float) -> AlignParams:
    """Default parameters with some changed (for benchmarks and experiments)."""
    return replace(DEFAULT_PARAMS, **changes)  # type: ignore[arg-type]
