"""The flag every check produces, and the context every check reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from qa.nway import Alignment
from qa.segment import Sentence, Version
from qa.structure import StructuralFinding

Severity = Literal["critical", "major", "minor"]
SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor")
SEVERITY_WEIGHT: dict[str, float] = {"critical": 1.0, "major": 0.5, "minor": 0.15}

# The flag types, shared by checks, annotations of the sample corpus and the views.
FLAG_TYPES: dict[str, str] = {
    # reference-free
    "non_word": "a token that is no word of the sentence's language",
    "foreign_word": "a word or compound of another language leaking into the text",
    "garbled_phrase": "tortured, redundant or self-contradicting phrasing",
    "repeated_word": "a word or phrase repeated by mistake",
    "boilerplate": "web page residue: comment forms, share/cookie/subscribe lines",
    "mojibake": "text decoded with the wrong encoding",
    "wrong_language": "a sentence in another language than the version (e.g. left untranslated)",
    # across versions
    "number_mismatch": "numbers, units, percentages, dates or times that differ",
    "name_mismatch": "names of people, places or organisations that differ or vanish",
    "negation_flip": "negation, polarity or meaning inverted",
    "omission": "content of the other versions missing here (a sentence or a clause)",
    "addition": "content found in no other version (a sentence or a clause)",
    "semantic_drift": "an aligned sentence whose meaning drifted from its counterparts",
    "moved": "a sentence or paragraph moved to another place",
    "reworded": "a word or phrase replaced by a synonym (spin or house style); major where it breaks a set phrase",
    "meaning_change": "a title, role, date, quantity, attribution or modality word replaced by one that means otherwise",
    # structure of a whole version (one finding per block, see qa.structure)
    "truncated": "a version that ends early or starts late: a block of the reference has no counterpart",
    "extra_material": "a block no other version has: related links, a second article, reader comments",
    "different_story": "a version that is not a version of this report at all",
}


@dataclass(frozen=True)
class Evidence:
    """What another version says at the same place (or why there is nothing to show)."""

    version: str
    sentences: tuple[int, ...]
    text: str  # the counterpart text; "" when the version has no counterpart


@dataclass
class Flag:
    """One finding: what, where, how severe, why, and the counterpart evidence."""

    type: str  # e.g. "number_mismatch", "non_word", "boilerplate"
    severity: Severity
    version: str  # label of the flagged version
    sentence: int | None  # sentence index in that version (None for whole-version flags)
    start: int  # character offsets into that version's original text
    end: int
    text: str  # original[start:end]
    message: str  # one line a journalist understands
    confidence: float  # in [0, 1]
    check: str  # name of the check that raised it
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""  # why there is no evidence, or extra detail
    row: int | None = None  # alignment row, when aligned

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckContext:
    """Everything a check may read: segmented versions, their alignment and embeddings."""

    versions: list[Version]
    alignment: Alignment | None
    embeddings: dict[str, np.ndarray]  # label -> (n_sentences, dim), L2-normalised rows
    model: str | None = None
    structure: list[StructuralFinding] = field(default_factory=list)  # truncations, padding, moved blocks

    def version(self, label: str) -> Version:
        return next(v for v in self.versions if v.label == label)

    @property
    def reference(self) -> str | None:
        return self.alignment.reference if self.alignment else None

    def row_of(self, label: str, sentence: int) -> int | None:
        """Index of the alignment row holding ``sentence`` of version ``label`` (the first, as rows run).

        Looked up in an index built once per context, so a check asking for every flag costs O(1) a call,
        not a scan of all rows (which made the checks quadratic in the number of sentences)."""
        if self.alignment is None:
            return None
        index = self.__dict__.get("_row_index")
        if index is None or index[0] is not self.alignment:
            table: dict[tuple[str, int], int] = {}
            for row in self.alignment.rows:
                for cell_label, members in row.cells.items():
                    for member in members:
                        table.setdefault((cell_label, member), row.index)
            index = self.__dict__["_row_index"] = (self.alignment, table)
        return index[1].get((label, sentence))

    def counterparts(self, label: str, sentence: int) -> list[Evidence]:
        """The aligned text of every other version for ``sentence`` of ``label``."""
        row = self.row_of(label, sentence)
        if row is None or self.alignment is None:
            return []
        cells = self.alignment.rows[row].cells
        out = []
        for other in self.versions:
            if other.label == label:
                continue
            idx = cells.get(other.label, ())
            out.append(Evidence(other.label, idx, " ".join(other.sentences[i].text for i in idx)))
        return out


def sentence_flag(
    ctx: CheckContext,
    version: Version,
    sentence: Sentence,
    start: int,
    end: int,
    **fields,
) -> Flag:
    """A flag on ``version.text[start:end]`` inside ``sentence``, with row and evidence filled in."""
    return Flag(
        version=version.label,
        sentence=sentence.index,
        start=start,
        end=end,
        text=version.text[start:end],
        row=ctx.row_of(version.label, sentence.index),
        evidence=fields.pop("evidence", None) or ctx.counterparts(version.label, sentence.index),
        **fields,
    )


@dataclass(frozen=True)
class Check:
    """A registered check: its name, whether it needs other versions, and its entry point."""

    name: str
    needs_alignment: bool
    run: Callable[[CheckContext], list[Flag]]
    description: str = ""
