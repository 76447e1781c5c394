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

from qa.align import AlignParams, Bead, align_embeddings, confidence, margin_matrix, number_tokens
from qa.reference import choose_reference
from qa.segment import Version

MOVED_MIN_MARGIN = 0.1  # leftovers that are each other's best match above this margin were moved
# One pair is judged (a move, two additions sharing a row): the bar below, less this, since single translated
# sentences spread wider than a share of them (translations' 10th percentile is about 0.87)
MOVED_SLACK = 0.03
ADDED_MIN_CONFIDENCE = 0.6  # additions of two versions at one place share a row above this
# Another story (see another_story): bead cosines that versions of one story reach, and how much must reach them
SAME_STORY_COSINE_SAME_LANGUAGE = 0.92
SAME_STORY_COSINE_ACROSS_LANGUAGES = 0.88
SAME_STORY_MIN_SHARE = 0.3
SAME_STORY_NUMBERS_SHARED = 0.6  # ...unless this share of the shorter side's numbers is in the other
# Beads below this confidence (margin below about -0.075) are no counterparts: split into skips.  News
# versions of one story put 95% of their beads above 0.98; unrelated sentences sit around 0.5.
SPLIT_BELOW = 0.5
TRIM_FLOOR, TRIM_DROP = 0.1, 0.4  # a merge member below both (centered cosine) matches nothing: see trim_unmatched_members


@dataclass
class AlignmentRow:
    """One aligned unit: for every version label, the sentence indices carrying it."""

    index: int
    cells: dict[str, tuple[int, ...]]  # label -> sentence indices; () where absent
    similarity: dict[str, float] = field(default_factory=dict)  # label -> cosine to the reference cell
    moved: frozenset[str] = frozenset()  # labels whose cell here was moved in that version
    confidence: dict[str, float] = field(default_factory=dict)  # label -> aligner's confidence in the cell's bead


@dataclass
class Alignment:
    """All versions aligned: the reference label, the rows, and the pairwise beads."""

    reference: str
    rows: list[AlignmentRow]
    pairs: dict[str, list[Bead]]  # label -> beads (reference as src, label as tgt), moved beads included
    set_apart: dict[str, str] = field(default_factory=dict)  # label -> why it is not aligned (another story)


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
    set_apart: dict[str, str] = {}
    for label in labels:
        if label == reference:
            continue
        other = by_label[label]
        beads = align_embeddings(
            vectors[reference], vectors[label], ref.sentence_texts, other.sentence_texts, params=params
        )
        beads = trim_unmatched_members(beads, vectors[reference], vectors[label], params)
        why = another_story(ref, other, beads, vectors[reference], vectors[label])
        if why:
            set_apart[label] = why
            continue
        beads = split_doubtful(beads)
        beads, moved = _recover_moves(beads, ref, other, vectors[reference], vectors[label], params)
        pairs[label] = beads
        moved_beads[label] = moved
    rows = _build_rows(ref, versions, pairs, moved_beads, vectors, params)
    return Alignment(reference, rows, pairs, set_apart)


def another_story(ref: Version, other: Version, beads: list[Bead], ref_vec: np.ndarray, other_vec: np.ndarray) -> str:
    """Why ``other`` is not a version of the report ``ref`` is ("" when it is one).

    Versions of one story carry beads whose two sides say the same thing: near-identical sentence
    vectors in one language, translation-close ones across languages.  Two different stories on the
    same topic align too (the margin finds the likeliest pairs), but their beads only resemble each
    other.  Measured on our stories (sentence-vector cosine of a bead's two sides): copies 0.92-1.0,
    translations 0.87-0.95 (10th-90th percentile), another story on the same topic 0.80-0.94 in
    the same language and 0.79-0.90 across languages.  Merged blocks average several sentences and
    resemble each other more, so sentences count one by one: a version is another story when less
    than ``SAME_STORY_MIN_SHARE`` of either side's sentences reach the pair's bar with a sentence of
    their bead on the other side, unless most numbers
    written in digits of the shorter side appear in the other (numbers survive translation into any
    language, where vectors may sit lower).  The aligner's own confidence does not tell: margins are
    relative, and another story on the same topic puts 86% of its sentences in beads above 0.8.
    """
    bar = _close_bar(ref, other)
    close_ref = close_other = 0
    for b in beads:
        if b.src and b.tgt:
            sims = ref_vec[list(b.src)] @ other_vec[list(b.tgt)].T
            close_ref += int((sims.max(axis=1) >= bar).sum())
            close_other += int((sims.max(axis=0) >= bar).sum())
    share_ref, share_other = close_ref / max(1, len(ref.sentences)), close_other / max(1, len(other.sentences))
    if max(share_ref, share_other) >= SAME_STORY_MIN_SHARE:
        return ""
    numbers_ref, numbers_other = number_tokens(ref.text), number_tokens(other.text)
    fewer = min(sum(numbers_ref.values()), sum(numbers_other.values()))
    shared = sum((numbers_ref & numbers_other).values())
    if fewer >= 3 and shared >= SAME_STORY_NUMBERS_SHARED * fewer:
        return ""
    return (
        f"another story: {share_other:.0%} of its sentences and {share_ref:.0%} of {ref.label}'s have a close "
        f"counterpart in the other, {shared} of {fewer} numbers shared"
    )


def split_doubtful(beads: list[Bead]) -> list[Bead]:
    """Beads whose two sides the aligner doubts are counterparts become skips on both sides.

    A truncated copy's last sentence must not carry the original's tail, nor an added sentence the
    reference's sentence it happens to sit beside: those are a gap and an addition, each reported
    as such.  Skips keep the bead's place (source side first), so the beads stay in order.
    """
    out: list[Bead] = []
    for bead in beads:
        if bead.src and bead.tgt and bead.score < SPLIT_BELOW:
            out.extend(Bead((i,), (), bead.score) for i in bead.src)
            out.extend(Bead((), (j,), bead.score) for j in bead.tgt)
        else:
            out.append(bead)
    return out


def trim_unmatched_members(
    beads: list[Bead], src_vec: np.ndarray, tgt_vec: np.ndarray, params: AlignParams | None = None
) -> list[Bead]:
    """Merged beads keep, on each side, the run around their best-matching member that still matches
    the other side; members beyond a member that matches nothing become skips.

    Matching is the aligner's: cosine after the pair's mean vector is removed.  A member matches
    nothing when it is below ``TRIM_FLOOR`` and ``TRIM_DROP`` below the side's best member.  A
    one-sentence brief keeps its counterpart but not the byline and paragraphs around it; a copy's
    last sentence not the "Most read" line printed under it.  On the literary development sets such
    a cut would wrongly shorten 3% of the gold merges (those translations merge loosely; news
    versions much less).  A trimmed bead gets the confidence of its best 1-1 pair.
    """
    out: list[Bead] = []
    src_c, tgt_c = _centered_pair(src_vec, tgt_vec)
    margins: np.ndarray | None = None
    for bead in beads:
        src, tgt = list(bead.src), list(bead.tgt)
        if not src or not tgt or len(src) + len(tgt) <= 2:
            out.append(bead)
            continue
        src = _matching_run(src, src_c, tgt_c[tgt])
        tgt = _matching_run(tgt, tgt_c, src_c[src])
        score = bead.score
        if (len(src), len(tgt)) != (len(bead.src), len(bead.tgt)):
            margins = margin_matrix(src_vec, tgt_vec, params) if margins is None else margins
            score = round(confidence(float(margins[np.ix_(src, tgt)].max()), params), 4)
        out.extend(Bead((i,), (), bead.score) for i in bead.src if i < src[0])
        out.extend(Bead((), (j,), bead.score) for j in bead.tgt if j < tgt[0])
        out.append(Bead(tuple(src), tuple(tgt), score))
        out.extend(Bead((i,), (), bead.score) for i in bead.src if i > src[-1])
        out.extend(Bead((), (j,), bead.score) for j in bead.tgt if j > tgt[-1])
    return out


def _centered_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sides with the pair's mean vector removed (shrunk for short inputs, as the aligner does)."""
    total = len(a) + len(b)
    center = np.vstack([a, b]).mean(axis=0) * (total / (total + 2.0))
    unit = lambda x: (x - center) / np.maximum(np.linalg.norm(x - center, axis=1, keepdims=True), 1e-9)  # noqa: E731
    return unit(a), unit(b)


def _matching_run(members: list[int], vecs: np.ndarray, other: np.ndarray) -> list[int]:
    """The members around the best-matching one, up to (not including) one that matches nothing."""
    if len(members) < 2:
        return members
    target = other.mean(axis=0)
    target = target / max(float(np.linalg.norm(target)), 1e-9)
    cos = vecs[members] @ target
    best = int(np.argmax(cos))
    fails = (cos < TRIM_FLOOR) & (cos < cos[best] - TRIM_DROP)
    lo = best
    while lo > 0 and not fails[lo - 1]:
        lo -= 1
    hi = best
    while hi < len(members) - 1 and not fails[hi + 1]:
        hi += 1
    return members[lo:hi + 1]


def _close_bar(a: Version, b: Version, slack: float = 0.0) -> float:
    """Sentence-vector cosine that two sentences saying the same thing reach (see :func:`another_story`),
    less ``slack`` where one pair of sentences is judged rather than a share of many."""
    bar = SAME_STORY_COSINE_SAME_LANGUAGE if a.lang == b.lang else SAME_STORY_COSINE_ACROSS_LANGUAGES
    return bar - slack


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    va, vb = a.mean(axis=0), b.mean(axis=0)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb / denom) if denom else 0.0


def _recover_moves(
    beads: list[Bead],
    ref: Version,
    other: Version,
    ref_vec: np.ndarray,
    other_vec: np.ndarray,
    params: AlignParams | None,
) -> tuple[list[Bead], list[Bead]]:
    """Pair up leftovers (1-0 and 0-1 beads) that are each other's best match and say the same thing
    (cosine at the bar of :func:`another_story`); those are moves.

    Margins are scored in the context of the whole pair (as the aligner scores them).
    Returns the beads with moved pairs replacing their leftovers (kept in reference
    order), and the moved beads alone.
    """
    lost = [b.src[0] for b in beads if b.src and not b.tgt]
    extra = [b.tgt[0] for b in beads if b.tgt and not b.src]
    if not lost or not extra:
        return beads, []
    margins = margin_matrix(ref_vec, other_vec, params)[np.ix_(lost, extra)]
    bar = _close_bar(ref, other, MOVED_SLACK)
    moved: list[Bead] = []
    for r, i in enumerate(lost):
        c = int(np.argmax(margins[r]))
        if int(np.argmax(margins[:, c])) != r or margins[r, c] < MOVED_MIN_MARGIN:
            continue
        if float(ref_vec[i] @ other_vec[extra[c]]) < bar:
            continue  # the likeliest pair, but not the same sentence: a reader comment echoing the story
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
    sure: list[dict[str, float]] = [{} for _ in groups]  # label -> lowest confidence of its beads in the group
    # additions: (group after which they go, label, sentence indices)
    additions: dict[int, dict[str, list[int]]] = {}
    for label, beads in pairs.items():
        moved_set = {(b.src, b.tgt) for b in moved_beads.get(label, [])}
        last_group = -1
        for bead in sorted(beads, key=lambda b: (b.tgt[0] if b.tgt else -1, b.src[0] if b.src else -1)):
            if bead.src:
                g = group_of[bead.src[0]]
                base[g][label].extend(bead.tgt)
                if bead.tgt:
                    sure[g][label] = min(sure[g].get(label, 1.0), bead.score)
                if (bead.src, bead.tgt) in moved_set:
                    moved_in[g].add(label)
                elif bead.tgt:  # a reference sentence this version lacks says nothing of where its additions go
                    last_group = max(last_group, g)
            elif bead.tgt:
                additions.setdefault(last_group, {}).setdefault(label, []).extend(bead.tgt)
    rows_cells: list[tuple[dict[str, list[int]], set[str], dict[str, float]]] = []
    for g in range(-1, len(groups)):
        if g >= 0:
            rows_cells.append((base[g], moved_in[g], {ref.label: 1.0, **sure[g]}))
        for cells, scores in _addition_rows(additions.get(g, {}), labels, by_label, vectors, params):
            rows_cells.append((cells, set(), scores))
    return [
        _row(index, {k: sorted(v) for k, v in cells.items()}, ref.label, vectors, moved, scores)
        for index, (cells, moved, scores) in enumerate(rows_cells)
    ]


def _addition_rows(
    added: dict[str, list[int]],
    labels: list[str],
    by_label: dict[str, Version],
    vectors: dict[str, np.ndarray],
    params: AlignParams | None,
) -> list[tuple[dict[str, list[int]], dict[str, float]]]:
    """Rows for sentences added (absent from the reference) at one place by one or more versions,
    each with the confidence of every cell but the first (the pairing of two versions' additions).
    Two versions' additions share a row only when they say the same thing (the bar of
    :func:`another_story`): a translation's added sentence is not a scraped page's links box."""
    if not added:
        return []
    order = [label for label in labels if label in added]
    first = order[0]
    rows: list[tuple[dict[str, list[int]], dict[str, float]]] = []
    for j in added[first]:
        cells = {label: [] for label in labels}
        cells[first] = [j]
        rows.append((cells, {first: 1.0}))
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
        bar = _close_bar(by_label[first], by_label[label], MOVED_SLACK)
        for bead in beads:
            close = bool(bead.src and bead.tgt) and _cosine(
                vectors[first][[added[first][i] for i in bead.src]], vectors[label][[mine[j] for j in bead.tgt]]
            ) >= bar
            if close and bead.score >= ADDED_MIN_CONFIDENCE:
                cells, scores = first_rows[bead.src[0]]
                cells[label].extend(mine[j] for j in bead.tgt)
                scores[label] = bead.score
            else:
                for j in bead.tgt:
                    cells = {lab: [] for lab in labels}
                    cells[label] = [mine[j]]
                    rows.append((cells, {label: 1.0}))
    return rows


def _row(
    index: int,
    cells: dict[str, list[int]],
    reference: str,
    vectors: dict[str, np.ndarray],
    moved: set[str],
    scores: dict[str, float],
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
    confidence = {label: round(scores.get(label, 1.0), 4) for label, idx in cells.items() if idx}
    return AlignmentRow(index, {k: tuple(v) for k, v in cells.items()}, similarity, frozenset(moved), confidence)
