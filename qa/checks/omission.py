"""Omissions and additions: sentences with no counterpart, and clauses dropped or added inside aligned sentences.

*Sentences.*  An alignment row where some versions have a cell and others have none is an
omission in the versions that lack it (when most versions, or the reference, have it) or an
addition in the versions that have it (when most lack it).  A version that moved the sentence
elsewhere carries it (it counts as having it and is never flagged for it), and a sentence whose content the
other version carries anywhere else (sentence vectors at least as close as its aligned sentences usually
are) is left alone.  Rows that a structural finding explains (a truncated tail, a pasted block, see
:mod:`qa.structure`) are that finding's: one flag for the block, none per sentence, and the version it
explains has no vote on that row (a truncated copy lacks the tail because it was cut, not as evidence).

*Clauses.*  Inside an aligned row, the words of one version are matched to the other's with
the encoder's word vectors (:mod:`qa.checks.wordalign`).  A run of several content words with
no counterpart is a clause dropped from the other version (flagged on the other version's
sentence: that is where it is missing) or a clause added here (flagged on the run itself).
With three or more versions a finding needs the majority: a clause is missing from X only when
the other versions carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.checks import boilerplate, names, wordalign
from qa.checks.base import Check, CheckContext, Evidence, Flag, sentence_flag
from qa.checks.crosscheck import Cell, Row, cell_evidence, prepare_word_vectors, rows, version_name
from qa.structure import covered

NAME = "omission"
UNCOVERED = 0.6  # align-layer cosine below which a word's counterpart is doubtful
MARGIN = 0.08  # a clause's content words average at least this far below UNCOVERED
MIN_RUN_CONTENT = 3  # content words in a run before it counts as a clause
MIN_RUN_WORDS = 4
MIN_RUN_SHARE = 0.18  # the run must be this share of the sentence's content words at least
MOVED_MARGIN = 0.04  # a sentence this close to its best match elsewhere counts as carried there
MIN_ROW_SIMILARITY = 0.80  # rows below this (sentence vectors) are too loosely aligned for clause checks


@dataclass(frozen=True)
class Run:
    """A run of uncovered words in one cell: offsets into the version text and its words."""

    start: int
    end: int
    words: tuple[str, ...]
    content: int  # content words in the run


def uncovered_runs(vec: wordalign.TextVectors, cover: np.ndarray, lang: str, low: float = UNCOVERED) -> list[Run]:
    """Stretches of ``vec``'s words whose matches elsewhere are weak: maximal-sum segments of
    ``low - cover`` (content words counting fully, function words half), found recursively."""
    content = np.array([wordalign.is_content(w.text, lang) or any(ch.isdigit() for ch in w.text) for w in vec.words])
    gain = (low - np.asarray(cover, np.float64)) * np.where(content, 1.0, 0.5)
    runs: list[Run] = []

    def best(lo: int, hi: int) -> None:
        if hi - lo < MIN_RUN_WORDS:
            return
        top, start, end, acc, s0 = 0.0, -1, -1, 0.0, lo
        for k in range(lo, hi):
            if acc <= 0:
                acc, s0 = 0.0, k
            acc += gain[k]
            if acc > top:
                top, start, end = acc, s0, k + 1
        if start < 0:
            return
        seg_start, seg_end = start, end
        while start < end and not content[start]:
            start += 1
        while end > start and not content[end - 1]:
            end -= 1
        if end > start:
            idx = range(start, end)
            n_content = int(content[start:end].sum())
            mean = float(np.mean([cover[k] for k in idx if content[k]])) if n_content else 1.0
            if mean < low - MARGIN:
                runs.append(Run(vec.words[start].start, vec.words[end - 1].end,
                                tuple(vec.words[k].text for k in idx), n_content))
        best(lo, seg_start)
        best(seg_end, hi)

    best(0, len(vec.words))
    runs.sort(key=lambda r: r.start)
    return runs


def _significant(run: Run, vec: wordalign.TextVectors, lang: str) -> bool:
    total = sum(1 for w in vec.words if wordalign.is_content(w.text, lang)) or 1
    return run.content >= MIN_RUN_CONTENT and len(run.words) >= MIN_RUN_WORDS and run.content / total >= MIN_RUN_SHARE


def clause_gaps(a: wordalign.TextVectors, b: wordalign.TextVectors, lang_a: str, lang_b: str) -> tuple[list[Run], list[Run]]:
    """Runs of ``a`` with no counterpart in ``b``, and runs of ``b`` with none in ``a``."""
    if not len(a) or not len(b):
        return [], []
    # rows: b words, cols: a words; a name spelled in another script is no gap ("Chen Guangming" / 陈光明)
    m = names.linked_match(a, b, lang_a, lang_b)
    runs_a = [r for r in uncovered_runs(a, m.src_cover, lang_a) if _significant(r, a, lang_a)]
    runs_b = [r for r in uncovered_runs(b, m.tgt_cover, lang_b) if _significant(r, b, lang_b)]
    return runs_a, runs_b


def _covered(run: Run, vec: wordalign.TextVectors, other: wordalign.TextVectors) -> bool:
    """Whether most content words of ``run`` (a run of ``vec``) have a counterpart in ``other``."""
    idx = [k for k, w in enumerate(vec.words) if run.start <= w.start and w.end <= run.end]
    if not idx or not len(other):
        return False
    sims = np.asarray(vec.align[idx], np.float32) @ np.asarray(other.align, np.float32).T
    return float((sims.max(axis=1) >= UNCOVERED).mean()) > 0.5


# --- unaligned sentences -------------------------------------------------------------------------


def _carried_elsewhere(ctx: CheckContext, source_label: str, idx: tuple[int, ...], target_label: str) -> bool:
    """Whether ``target_label`` has a sentence as close to these sentences as aligned sentences usually are."""
    src = ctx.embeddings.get(source_label)
    tgt = ctx.embeddings.get(target_label)
    if src is None or tgt is None or not len(tgt) or not idx or src.shape[1:] != tgt.shape[1:]:
        return False
    typical = _typical_similarity(ctx, source_label, target_label)
    vec = src[list(idx)].mean(axis=0)
    vec = vec / (np.linalg.norm(vec) or 1.0)
    best = float((tgt @ vec).max())
    return best >= typical - MOVED_MARGIN


def _typical_similarity(ctx: CheckContext, a: str, b: str) -> float:
    """Median sentence-vector similarity of the rows where both versions have one sentence (cached on the
    context: asked once per unaligned row, it made the check quadratic in the number of sentences)."""
    if ctx.alignment is None:
        return 1.0
    cache: dict = ctx.__dict__.setdefault("_typical_similarity", {})
    if (a, b) not in cache:
        cache[(a, b)] = _median_similarity(ctx, a, b)
    return cache[(a, b)]


def _median_similarity(ctx: CheckContext, a: str, b: str) -> float:
    ea, eb = ctx.embeddings.get(a), ctx.embeddings.get(b)
    if ea is None or eb is None or ea.shape[1:] != eb.shape[1:]:
        return 1.0
    sims = []
    for row in ctx.alignment.rows:
        ia, ib = row.cells.get(a, ()), row.cells.get(b, ())
        if len(ia) == 1 and len(ib) == 1 and ia[0] < len(ea) and ib[0] < len(eb):
            sims.append(float(ea[ia[0]] @ eb[ib[0]]))
    return float(np.median(sims)) if sims else 1.0


def _unaligned(ctx: CheckContext) -> list[Flag]:
    alignment = ctx.alignment
    if alignment is None or len(ctx.versions) < 2:
        return []
    labels = [v.label for v in ctx.versions if v.label not in alignment.set_apart]
    blocks = {label: covered(ctx.structure, label) for label in labels}  # rows a structural finding explains
    flags: list[Flag] = []
    for row in alignment.rows:
        present = [lab for lab in labels if row.cells.get(lab)]
        # a version whose structural finding explains the gap (a truncated tail, a late start) has no say here
        absent = [lab for lab in labels if not row.cells.get(lab) and row.index not in blocks[lab]]
        if not present or not absent:
            continue  # a version that moved this sentence elsewhere carries it: it counts as present
        ref_present = alignment.reference in present
        if len(present) > len(absent) or (len(present) == len(absent) and ref_present):
            for label in absent:
                if row.index in blocks[label]:
                    continue
                witnesses = [p for p in present if not _carried_elsewhere(ctx, p, row.cells[p], label)]
                if len(witnesses) * 2 > len(present) or (len(present) == 1 and witnesses):
                    flags.extend(_omitted_sentence(ctx, row.index, label, witnesses))
        else:
            for label in present:
                if row.index in blocks[label] or label in row.moved:
                    continue
                others = [lab for lab in labels if lab != label]
                if any(_carried_elsewhere(ctx, label, row.cells[label], other) for other in others):
                    continue
                flags.extend(_added_sentence(ctx, row.index, label))
    return flags


def _neighbour_sentence(ctx: CheckContext, row_index: int, label: str) -> int | None:
    """The sentence of ``label`` just before the gap at ``row_index`` (else the one just after)."""
    rows_ = ctx.alignment.rows if ctx.alignment else []
    for k in range(min(row_index, len(rows_)) - 1, -1, -1):  # by index: a slice copied every row per call
        if rows_[k].cells.get(label):
            return max(rows_[k].cells[label])
    for k in range(row_index + 1, len(rows_)):
        if rows_[k].cells.get(label):
            return min(rows_[k].cells[label])
    return None


def _row_evidence(ctx: CheckContext, row_index: int, label: str) -> list[Evidence]:
    row = ctx.alignment.rows[row_index] if ctx.alignment else None
    out = []
    for version in ctx.versions:
        if version.label == label or row is None:
            continue
        idx = row.cells.get(version.label, ())
        out.append(Evidence(version.label, idx, " ".join(version.sentences[i].text for i in idx
                                                           if 0 <= i < len(version.sentences))))
    return out


def _omitted_sentence(ctx: CheckContext, row_index: int, label: str, witnesses: list[str]) -> list[Flag]:
    version = ctx.version(label)
    at = _neighbour_sentence(ctx, row_index, label)
    if at is None or not version.sentences:
        return []
    sentence = version.sentences[at]
    judge = ctx.version(witnesses[0])
    row = ctx.alignment.rows[row_index]  # type: ignore[union-attr]
    missing = " ".join(judge.sentences[i].text for i in row.cells[judge.label])
    shown = missing if len(missing) <= 90 else missing[:87] + "..."
    where = version_name(judge.label, judge.lang)
    flag = sentence_flag(
        ctx, version, sentence, sentence.start, sentence.end, type="omission", severity="major",
        message=f"Sentence missing after this one: \"{shown}\" ({where})", confidence=0.7, check=NAME,
        evidence=_row_evidence(ctx, row_index, label), reason="no counterpart at this place in this version",
    )
    return [flag]


def _added_sentence(ctx: CheckContext, row_index: int, label: str) -> list[Flag]:
    version = ctx.version(label)
    row = ctx.alignment.rows[row_index]  # type: ignore[union-attr]
    idx = [i for i in row.cells[label] if 0 <= i < len(version.sentences)]
    if not idx or all(boilerplate.classify(version.sentences[i].text) for i in idx):
        return []  # scraped page residue is the boilerplate check's business, not added content
    first, last = version.sentences[idx[0]], version.sentences[idx[-1]]
    severity = "major"
    flag = sentence_flag(
        ctx, version, first, first.start, last.end, type="addition", severity=severity,
        message="Sentence found in no other version: check where it comes from", confidence=0.7, check=NAME,
        evidence=_row_evidence(ctx, row_index, label), reason="no other version has a counterpart",
    )
    return [flag]


# --- clauses inside aligned rows ---------------------------------------------------------------------------


def _row_similarity(ctx: CheckContext, row: Row, a: Cell, b: Cell) -> float:
    ea, eb = ctx.embeddings.get(a.label), ctx.embeddings.get(b.label)
    if ea is None or eb is None or ea.shape[1:] != eb.shape[1:]:
        return 1.0
    va = ea[[s.index for s in a.sentences]].mean(axis=0)
    vb = eb[[s.index for s in b.sentences]].mean(axis=0)
    return float(va @ vb / ((np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0))


def _clauses(ctx: CheckContext) -> list[Flag]:
    if not wordalign.supported(ctx.model):
        return []
    flags: list[Flag] = []
    for row in rows(ctx, headlines=False):  # outlets word headlines freely: no clause is "missing" there
        cells = list(row.cells)
        texts = [c.text for c in cells]
        vecs = dict(zip([c.label for c in cells], wordalign.vectors(texts, ctx.model)))
        if any(v is None or not len(v) for v in vecs.values()):
            continue
        for cell in cells:
            if cell.label == row.reference and len(cells) == 2:
                continue
            others = row.other(cell)
            judge = next((o for o in others if o.label == row.reference), others[0])
            if _row_similarity(ctx, row, cell, judge) < MIN_ROW_SIMILARITY:
                continue
            missing, added = clause_gaps(vecs[judge.label], vecs[cell.label], judge.lang, cell.lang)
            third = [o for o in others if o.label != judge.label]
            # majority: a clause is missing here only if the other versions carry it, added only if none does
            missing = [r for r in missing if all(_covered(r, vecs[judge.label], vecs[o.label]) for o in third)]
            added = [r for r in added if not any(_covered(r, vecs[cell.label], vecs[o.label]) for o in third)]
            if len(cells) > 2 and cell.label == row.reference:
                continue  # with several versions the reference is judged by the others' flags only
            flags.extend(_clause_flags(ctx, row, cell, judge, missing, added))
    return flags


def _clause_flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell, missing: list[Run], added: list[Run]) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    evidence = cell_evidence(row, cell, ctx)
    out: list[Flag] = []
    for run in missing:
        text = judge.text[run.start:run.end] if run.end <= len(judge.text) else " ".join(run.words)
        shown = text if len(text) <= 80 else text[:77] + "..."
        out.append(sentence_flag(
            ctx, cell.version, cell.sentences[0], cell.start, cell.end, type="omission", severity="major",
            message=f"Part missing here: \"{shown}\" ({where})", confidence=0.6, check=NAME, evidence=evidence,
        ))
    for run in added:
        start, end = _cell_span(cell, run.start, run.end)
        out.append(sentence_flag(
            ctx, cell.version, cell.sentence_at(start), start, end, type="addition", severity="major",
            message=f"Not in {where}: \"{cell.version.text[start:end]}\"", confidence=0.6, check=NAME, evidence=evidence,
        ))
    return out


def _cell_span(cell: Cell, start: int, end: int) -> tuple[int, int]:
    """Version offsets of a span of the cell text (its sentences joined by one space)."""
    pos = 0
    out_start = out_end = None
    for text, offset in cell.pieces():
        lo, hi = pos, pos + len(text)
        if out_start is None and start < hi + 1:
            out_start = offset + max(0, min(start - lo, len(text)))
        if end <= hi + 1:
            out_end = offset + max(0, min(end - lo, len(text)))
            break
        pos = hi + 1
    if out_start is None:
        out_start = cell.start
    if out_end is None:
        out_end = cell.end
    return out_start, max(out_start, out_end)


def run(ctx: CheckContext) -> list[Flag]:
    """Flag sentences and clauses that some versions carry and others lack (blocks: see qa.structure)."""
    prepare_word_vectors(ctx)
    return _unaligned(ctx) + _clauses(ctx)


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="sentences and clauses missing from a version, or found in no other version",
)
