"""Shared plumbing of the cross-version checks: the aligned cells of each row, and who is outvoted.

A *cell* is what one version says at one alignment row: one or more sentences (an n-m bead),
with their text and offsets.  Each cross-version check compares cells of the same row and
decides which version to flag:

* where the reference has a cell, the versions that disagree with it are flagged (the reference
  is what the others are checked against: the wire original, the source of a translation), never
  the reference for what another version changed;
* in rows without the reference, the version that disagrees with most of the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from qa.checks.base import CheckContext, Evidence
from qa.checks.lexicon import base_lang
from qa.furniture import body, masthead
from qa.segment import Sentence, Version

MIN_CONFIDENCE = 0.5  # cells the aligner is less sure of than this are no counterparts to compare
DOUBTFUL = 0.8  # below this a row's alignment is doubtful: its flags say so and drop a severity level


@dataclass(frozen=True)
class Cell:
    """The sentences one version has at one alignment row."""

    version: Version
    row: int
    sentences: tuple[Sentence, ...]
    confidence: float = 1.0  # the aligner's confidence in the bead that put these sentences in this row

    @property
    def label(self) -> str:
        return self.version.label

    @property
    def lang(self) -> str:
        return self.version.lang

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding version offset ``offset`` (the last one starting before it)."""
        chosen = self.sentences[0]
        for sentence in self.sentences:
            if sentence.start <= offset:
                chosen = sentence
        return chosen

    def pieces(self) -> Iterator[tuple[str, int]]:
        """(sentence text, its offset in the version text) for each sentence of the cell."""
        for sentence in self.sentences:
            yield sentence.text, sentence.start


@dataclass(frozen=True)
class Row:
    """The non-empty cells of one alignment row, reference first when it has one."""

    index: int
    cells: tuple[Cell, ...]
    reference: str

    def other(self, cell: Cell) -> list[Cell]:
        return [c for c in self.cells if c.label != cell.label]


def rows(ctx: CheckContext, min_cells: int = 2, furniture: bool = False, headlines: bool = True) -> Iterator[Row]:
    """Rows of the alignment with at least ``min_cells`` versions present that can be compared.

    A cell is left out where a comparison could only find noise: its alignment is doubtful
    (confidence below ``MIN_CONFIDENCE``: no real counterpart), or, in the reference's language, it
    is headline or byline furniture of the reference (unless ``furniture``: a check that tells a
    rewritten headline from an edited one by itself), or says word for word what the reference
    says once datelines, quotation marks and case are set aside (:mod:`qa.furniture`).  Without
    ``headlines``, rows of the reference's headline and byline are left out in every language (each outlet
    words its headline freely: a clause "missing" there is no finding).
    """
    if ctx.alignment is None:
        return
    by_label = {v.label: v for v in ctx.versions}
    order = [v.label for v in ctx.versions]
    reference = ctx.alignment.reference
    ref_version = by_label.get(reference)
    top = masthead(ref_version) if ref_version else set()
    for row in ctx.alignment.rows:
        cells = []
        for label, idx in row.cells.items():
            version = by_label.get(label)
            if version is None or not idx or label in ctx.alignment.set_apart:
                continue
            sentences = tuple(version.sentences[i] for i in idx if 0 <= i < len(version.sentences))
            if sentences:
                cells.append(Cell(version, row.index, sentences, row.confidence.get(label, 1.0)))
        cells.sort(key=lambda c: (c.label != reference, order.index(c.label)))
        ref_cell = cells[0] if cells and cells[0].label == reference else None
        if ref_cell is not None:
            in_masthead = bool(top) and all(s.index in top for s in ref_cell.sentences)
            if in_masthead and not headlines:
                continue
            masthead_row = not furniture and in_masthead
            cells = [ref_cell] + [c for c in cells[1:] if _comparable(c, ref_cell, masthead_row)]
        if len(cells) >= min_cells:
            yield Row(row.index, tuple(cells), reference)


def _comparable(cell: Cell, ref_cell: Cell, furniture: bool) -> bool:
    if cell.confidence < MIN_CONFIDENCE:
        return False
    if base_lang(cell.lang) != base_lang(ref_cell.lang):
        return True
    return not furniture and body(cell.text) != body(ref_cell.text)


def flagged_versions(row: Row, disagrees: dict[str, set[str]]) -> set[str]:
    """Which versions of ``row`` to flag, given for each version the versions it disagrees with.

    Where the reference has a cell, every other version that disagrees with it (the reference is
    what the others are checked against, so it is never flagged itself for what another version
    changed).  Where it has none, each version that disagrees with more than half of the others.
    """
    labels = [c.label for c in row.cells]
    if row.reference in labels:
        ref = row.reference
        return {
            label for label in labels
            if label != ref and (ref in disagrees.get(label, ()) or label in disagrees.get(ref, ()))
        }
    return {label for label in labels if len(disagrees.get(label, set())) * 2 > len(labels) - 1}


def judge_of(row: Row, cell: Cell) -> Cell:
    """The counterpart a finding in ``cell`` is stated against: the reference, else the first other cell."""
    others = row.other(cell)
    for other in others:
        if other.label == row.reference:
            return other
    return others[0]


def flagged_cells(row: Row, disagrees: dict[str, set[str]], labels: set[str] | None = None) -> Iterator[tuple[Cell, Cell]]:
    """(cell to flag, the counterpart it is stated against) for each flagged version of ``row``.

    ``labels``: the versions to flag (default :func:`flagged_versions`).  The counterpart is the
    reference where the row has it, else the first other version this one disagrees with, else
    :func:`judge_of`'s choice.  Labels without a cell in the row, or with no other cell, are skipped.
    """
    present = {c.label: c for c in row.cells}
    for label in sorted(flagged_versions(row, disagrees) if labels is None else labels):
        cell = present.get(label)
        if cell is None or len(row.cells) < 2:
            continue
        # a comparison may find a difference one way only ("three (3)" against "three": an extra mention on
        # one side); a version that disagrees with no one is then stated against those that disagree with it
        against = set(disagrees.get(label, ())) or {other for other, theirs in disagrees.items() if label in theirs}
        if not against:
            continue  # nobody disagrees with this version: nothing to state
        judge = judge_of(row, cell)
        if judge.label != row.reference and judge.label not in against:
            judge = next((c for c in row.cells if c.label in against and c.label != label), judge)
        yield cell, judge


def cell_evidence(row: Row, cell: Cell, ctx: CheckContext) -> list[Evidence]:
    """Counterpart texts of every other version at this row (empty text where a version has none)."""
    present = {c.label: c for c in row.cells}
    out = []
    for version in ctx.versions:
        if version.label == cell.label:
            continue
        other = present.get(version.label)
        if other is None:
            out.append(Evidence(version.label, (), ""))
        else:
            out.append(Evidence(version.label, tuple(s.index for s in other.sentences), other.text))
    return out


def version_name(label: str, lang: str) -> str:
    """How a message names another version: ``Wire (EN)``."""
    return f"{label} ({lang.upper()})" if lang and lang != "und" else label


def parallel_context(
    texts: dict[str, list[str]],
    langs: dict[str, str],
    reference: str | None = None,
    model: str | None = None,
    embeddings: dict | None = None,
) -> CheckContext:
    """A context for versions given as lists of sentences already in order, row ``k`` = sentence ``k``.

    Each version's text is its sentences joined by a space; a sentence given as ``""`` leaves that
    version's cell empty at that row (an unaligned sentence elsewhere).  Embeddings come from the
    encoder unless given.  For tests and for ``score-pairs`` (a pair is two one-sentence versions).
    """
    import numpy as np

    from qa.nway import Alignment, AlignmentRow

    labels = list(texts)
    reference = reference or labels[0]
    versions: list[Version] = []
    positions: dict[str, list[int | None]] = {}
    for label in labels:
        parts: list[str] = []
        sentences: list[Sentence] = []
        where: list[int | None] = []
        offset = 0
        for sentence_text in texts[label]:
            if not sentence_text:
                where.append(None)
                continue
            if parts:
                offset += 1
            sentences.append(Sentence(len(sentences), sentence_text, offset, offset + len(sentence_text), 0))
            where.append(len(sentences) - 1)
            parts.append(sentence_text)
            offset += len(sentence_text)
        versions.append(Version(label, " ".join(parts), langs.get(label, "en"), sentences, langs.get(label, "en")))
        positions[label] = where
    n_rows = max(len(v) for v in positions.values())
    if embeddings is None:
        from qa.encoder import get_encoder

        encoder = get_encoder(model)
        embeddings = {v.label: encoder.encode(v.sentence_texts) for v in versions}
    rows_: list[AlignmentRow] = []
    for k in range(n_rows):
        cells = {}
        for label in labels:
            idx = positions[label][k] if k < len(positions[label]) else None
            cells[label] = () if idx is None else (idx,)
        similarity = {}
        ref_idx = cells[reference]
        for label, idx in cells.items():
            if ref_idx and idx and label in embeddings and reference in embeddings:
                similarity[label] = float(np.dot(embeddings[reference][ref_idx[0]], embeddings[label][idx[0]]))
        rows_.append(AlignmentRow(k, cells, similarity))
    return CheckContext(versions, Alignment(reference, rows_, {}), embeddings, model)


# --- how alike aligned sentences of two versions usually are ------------------------------------------------

MIN_CALIBRATION_ROWS = 6  # one-to-one rows needed to know a version pair's usual similarity
MISALIGNED_DROP = 0.12  # a row this far below the pair's median (and 5 robust sd) is not a true counterpart


def pair_stats(ctx: CheckContext, a: str, b: str) -> tuple[float, float] | None:
    """(median, robust sd) of the sentence-vector similarities of the rows where ``a`` and ``b`` each have one
    sentence (moved rows left out); None with too few such rows.  Cached on the context."""
    import numpy as np

    cache: dict = ctx.__dict__.setdefault("_pair_stats", {})
    key = tuple(sorted((a, b)))
    if key in cache:
        return cache[key]
    result = None
    ea, eb = ctx.embeddings.get(a), ctx.embeddings.get(b)
    if ctx.alignment is not None and ea is not None and eb is not None and ea.shape[1:] == eb.shape[1:]:
        sims = []
        for row in ctx.alignment.rows:
            if row.moved & {a, b}:
                continue
            ia, ib = row.cells.get(a, ()), row.cells.get(b, ())
            if len(ia) == 1 and len(ib) == 1 and ia[0] < len(ea) and ib[0] < len(eb):
                sims.append(float(ea[ia[0]] @ eb[ib[0]]))
        if len(sims) >= MIN_CALIBRATION_ROWS:
            arr = np.array(sims)
            median = float(np.median(arr))
            mad = float(np.median(np.abs(arr - median))) * 1.4826
            result = (median, max(mad, 0.01))
    cache[key] = result
    return result


def cell_similarity(ctx: CheckContext, a: Cell, b: Cell) -> float | None:
    """Cosine of the mean sentence vectors of two cells (None without embeddings)."""
    import numpy as np

    ea, eb = ctx.embeddings.get(a.label), ctx.embeddings.get(b.label)
    if ea is None or eb is None or ea.shape[1:] != eb.shape[1:]:
        return None
    ia = [s.index for s in a.sentences if s.index < len(ea)]
    ib = [s.index for s in b.sentences if s.index < len(eb)]
    if not ia or not ib:
        return None
    va, vb = ea[ia].mean(axis=0), eb[ib].mean(axis=0)
    return float(va @ vb / ((np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0))


def counterparts(ctx: CheckContext, a: Cell, b: Cell) -> bool:
    """Whether two cells of a row say the same thing closely enough for word-level comparison: False for a
    row far less similar than the two versions' other rows (misaligned, or rewritten: the drift check's
    business, not the numbers' or names')."""
    stats = pair_stats(ctx, a.label, b.label)
    sim = cell_similarity(ctx, a, b)
    if stats is None or sim is None:
        return True
    median, sd = stats
    return sim >= median - max(MISALIGNED_DROP, 5.0 * sd)


def prepare_word_vectors(ctx: CheckContext) -> None:
    """Compute the word vectors of every aligned cell at once, in length-sorted batches.

    The word-level checks ask for vectors pair by pair; without this, each pair costs its own
    small forward pass (about 70 of them on a five-version report).  Cached texts cost nothing,
    so every check calls this first and only the first call does work.
    """
    from qa.checks import wordalign

    if ctx.alignment is None or not wordalign.supported(ctx.model):
        return
    wordalign.prepare([cell.text for row in rows(ctx) for cell in row.cells], ctx.model)
