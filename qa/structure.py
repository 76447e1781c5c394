"""Structural differences between versions: one finding per truncation, padding, gap or moved block.

A copy that stops half-way, a scraped page with related links and a second article pasted below, a
translation that starts at the third paragraph: the alignment leaves runs of rows where a version
has no counterpart.  Reported sentence by sentence, such a run floods the editor with omission or
addition flags that all say the same thing; here each run becomes one finding that says what the
run is ("ends after row 12: rows 13-25 of wire have no counterpart"), and the per-sentence checks
leave the rows it covers alone (:func:`covered`).

Runs are read off the rows built by :mod:`qa.nway` (reference order), per version against the
reference:

* ``truncated`` / ``late_start``: reference rows with no counterpart after the version's last (or
  before its first) aligned row;
* ``extra_material``: a run of at least ``MIN_BLOCK`` sentences the reference does not have, at
  the start, in the middle or after the end of the story (two scraped copies may share a links box);
* ``omitted_block``: at least ``MIN_BLOCK`` consecutive reference sentences missing mid-story;
* ``moved``: sentences the alignment marks as moved, one finding per contiguous block;
* ``different_story``: a version that :func:`qa.nway.align_versions` set apart.

Single missing or added sentences stay with the omission check, which judges them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.furniture import masthead
from qa.nway import Alignment
from qa.segment import Version

MIN_BLOCK = 2  # sentences: shorter runs are single omissions/additions, judged by the omission check
KINDS = ("truncated", "late_start", "extra_material", "omitted_block", "moved", "different_story")


@dataclass(frozen=True)
class StructuralFinding:
    """One structural difference of ``version`` against the reference.

    ``rows`` is the first and last alignment row it spans (None for a version set apart);
    ``sentences`` are the version's own sentences it covers (the block itself, or the last/first
    aligned sentence next to a gap); ``reference_sentences`` the reference's sentences it concerns.
    """

    kind: str
    version: str
    rows: tuple[int, int] | None
    sentences: tuple[int, ...]
    reference_sentences: tuple[int, ...]
    message: str

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "version": self.version,
            "rows": list(self.rows) if self.rows else None,
            "sentences": list(self.sentences),
            "reference_sentences": list(self.reference_sentences),
            "message": self.message,
        }


def find_structure(versions: list[Version], alignment: Alignment | None) -> list[StructuralFinding]:
    """Every structural difference of every version against the reference, in version order."""
    if alignment is None:
        return []
    findings: list[StructuralFinding] = []
    by_label = {v.label: v for v in versions}
    top = masthead(by_label[alignment.reference]) if alignment.reference in by_label else set()
    for version in versions:
        label = version.label
        if label == alignment.reference:
            continue
        if label in alignment.set_apart:
            findings.append(StructuralFinding(
                "different_story", label, None, tuple(range(len(version.sentences))), (),
                f"{label} is not a version of this report ({alignment.set_apart[label]}): left out of the "
                "alignment and the cross-version checks",
            ))
            continue
        if label in by_label:
            findings.extend(_version_structure(label, alignment, len(versions), top))
    return findings


def covered(findings: list[StructuralFinding], label: str) -> set[int]:
    """Alignment rows of ``label`` that a finding other than ``moved`` already accounts for."""
    out: set[int] = set()
    for f in findings:
        if f.version == label and f.rows is not None and f.kind != "moved":
            out.update(range(f.rows[0], f.rows[1] + 1))
    return out


def _version_structure(label: str, alignment: Alignment, n_versions: int, top: set[int]) -> list[StructuralFinding]:
    ref = alignment.reference
    rows = alignment.rows
    states = []  # per row: "both", "ref", "mine", "moved" or "" (neither)
    for row in rows:
        mine, theirs = bool(row.cells.get(label)), bool(row.cells.get(ref))
        if mine and label in row.moved:
            states.append("moved")
        elif mine and theirs:
            states.append("both")
        elif theirs:
            states.append("ref")
        elif mine:
            states.append("mine")
        else:
            states.append("")
    aligned = [k for k, s in enumerate(states) if s == "both"]
    if not aligned:
        return []
    first, last = aligned[0], aligned[-1]
    out: list[StructuralFinding] = []
    for lo, hi in _runs(states, "ref"):
        ref_idx = tuple(i for i in _sentences(alignment, ref, lo, hi) if i not in top)
        if len(ref_idx) < MIN_BLOCK:
            continue  # a single sentence is the omission check's; a new headline or byline is house style
        if hi < first:
            mine = _sentences(alignment, label, first, first)[:1]
            out.append(StructuralFinding(
                "late_start", label, (lo, hi), mine, ref_idx,
                f"{label} starts late: rows {lo + 1}-{hi + 1} of {ref} ({len(ref_idx)} sentences) have no "
                f"counterpart before its first sentence (the top of the story cut?)",
            ))
        elif lo > last:
            mine = _sentences(alignment, label, last, last)[-1:]
            out.append(StructuralFinding(
                "truncated", label, (lo, hi), mine, ref_idx,
                f"{label} ends after row {last + 1}: rows {lo + 1}-{hi + 1} of {ref} ({len(ref_idx)} sentences) "
                f"have no counterpart (truncated copy?)",
            ))
        else:
            before = max((k for k in aligned if k < lo), default=first)
            mine = _sentences(alignment, label, before, before)[-1:]
            out.append(StructuralFinding(
                "omitted_block", label, (lo, hi), mine, ref_idx,
                f"{label} lacks rows {lo + 1}-{hi + 1} of {ref} ({len(ref_idx)} sentences in a row)",
            ))
    for lo, hi in _runs(states, "mine"):
        mine = _sentences(alignment, label, lo, hi)
        if len(mine) < MIN_BLOCK:
            continue
        where = "before the story starts" if hi < first else "after the end of the story" if lo > last else "inside the story"
        shared = sorted({other for row in rows[lo:hi + 1] for other, idx in row.cells.items() if idx and other != label})
        nobody = f"that {ref} does not have" if n_versions <= 2 else (
            f"that {ref} does not have (some of it also in {', '.join(shared)})" if shared else "that no version has")
        out.append(StructuralFinding(
            "extra_material", label, (lo, hi), mine, (),
            f"{label} carries {len(mine)} sentences {where} {nobody} (related links, another article, comments?)",
        ))
    for lo, hi in _runs(states, "moved"):
        mine = _sentences(alignment, label, lo, hi)
        ref_idx = _sentences(alignment, ref, lo, hi)
        out.append(StructuralFinding(
            "moved", label, (lo, hi), mine, ref_idx,
            f"{label} has rows {lo + 1}-{hi + 1} of {ref} ({len(mine)} sentences) at another place" if hi > lo
            else f"{label} has row {lo + 1} of {ref} at another place",
        ))
    return sorted(out, key=lambda f: f.rows or (0, 0))


def _runs(states: list[str], wanted: str) -> list[tuple[int, int]]:
    """(first, last) row of each maximal run of rows in state ``wanted``; rows where neither side is
    present don't break a run."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    for k, state in enumerate(states):
        if state == wanted:
            start = k if start < 0 else start
            end = k
        elif state and start >= 0:
            runs.append((start, end))
            start = -1
    if start >= 0:
        runs.append((start, end))
    return runs


def _sentences(alignment: Alignment, label: str, lo: int, hi: int) -> tuple[int, ...]:
    """Sentences of ``label`` in rows ``lo``..``hi``, in order."""
    return tuple(sorted({i for row in alignment.rows[lo:hi + 1] for i in row.cells.get(label, ())}))
