"""Shared plumbing of the cross-version checks: the aligned cells of each row, and who is outvoted.

A *cell* is what one version says at one alignment row: one or more sentences (an n-m bead),
with their text and offsets.  Each cross-version check compares cells of the same row and
decides which version to flag:

* with two versions in a row, the non-reference one is flagged (the reference is what the
  other version is checked against: the wire original, the source of a translation);
* with three or more, a finding is flagged in the version that disagrees with most of the
  others, so a wrong reference is flagged itself instead of every faithful copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from qa.checks.base import CheckContext, Evidence
from qa.segment import Sentence, Version


@dataclass(frozen=True)
class Cell:
    """The sentences one version has at one alignment row."""

    version: Version
    row: int
    sentences: tuple[Sentence, ...]

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


def rows(ctx: CheckContext, min_cells: int = 2) -> Iterator[Row]:
    """Rows of the alignment with at least ``min_cells`` versions present."""
    if ctx.alignment is None:
        return
    by_label = {v.label: v for v in ctx.versions}
    reference = ctx.alignment.reference
    for row in ctx.alignment.rows:
        cells = []
        for label, idx in row.cells.items():
            version = by_label.get(label)
            if version is None or not idx:
                continue
            sentences = tuple(version.sentences[i] for i in idx if 0 <= i < len(version.sentences))
            if sentences:
                cells.append(Cell(version, row.index, sentences))
        cells.sort(key=lambda c: (c.label != reference, [v.label for v in ctx.versions].index(c.label)))
        if len(cells) >= min_cells:
            yield Row(row.index, tuple(cells), reference)


def flagged_versions(row: Row, disagrees: dict[str, set[str]]) -> set[str]:
    """Which versions of ``row`` to flag, given for each version the versions it disagrees with.

    Two versions: the non-reference one (if they disagree).  Three or more: each version that
    disagrees with more than half of the others.
    """
    labels = [c.label for c in row.cells]
    if len(labels) == 2:
        other = labels[1] if labels[0] == row.reference else labels[0]
        if disagrees.get(other) or disagrees.get(labels[0] if other == labels[1] else labels[1]):
            return {other}
        return set()
    out = set()
    for label in labels:
        if len(disagrees.get(label, set())) * 2 > len(labels) - 1:
            out.add(label)
    return out


def judge_of(row: Row, cell: Cell) -> Cell:
    """The counterpart a finding in ``cell`` is stated against: the reference, else the first other cell."""
    others = row.other(cell)
    for other in others:
        if other.label == row.reference:
            return other
    return others[0]


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
