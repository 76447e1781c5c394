"""One flag per structural difference of a version (truncated, padded, a block missing or moved, another story).

The findings come from :func:`qa.structure.find_structure` (computed once per analysis, in
``ctx.structure``); this check turns each into a flag an editor can act on, with the counterpart
text as evidence.  The omission check leaves the rows these findings cover alone, so a copy that
stops half-way gets one "truncated" flag instead of one omission per missing sentence.
"""

from __future__ import annotations

from qa.checks import boilerplate
from qa.checks.base import Check, CheckContext, Evidence, Flag
from qa.segment import Version
from qa.structure import StructuralFinding

NAME = "structure"

# kind -> (flag type, severity)
_TYPES: dict[str, tuple[str, str]] = {
    "truncated": ("truncated", "major"),
    "late_start": ("truncated", "major"),
    "omitted_block": ("omission", "major"),
    "extra_material": ("extra_material", "major"),
    "moved": ("moved", "minor"),
    "different_story": ("different_story", "critical"),
}


def run(ctx: CheckContext) -> list[Flag]:
    """A flag for every finding in ``ctx.structure``."""
    by_label = {v.label: v for v in ctx.versions}
    return [_flag(ctx, by_label[f.version], f) for f in ctx.structure if f.version in by_label and f.sentences]


def _flag(ctx: CheckContext, version: Version, finding: StructuralFinding) -> Flag:
    flag_type, severity = _TYPES[finding.kind]
    sentences = [version.sentences[i] for i in finding.sentences if 0 <= i < len(version.sentences)]
    first, last = sentences[0], sentences[-1]
    reason = ""
    if finding.kind == "extra_material":
        residue = {r.kind for s in sentences if (r := boilerplate.classify(s.text))}
        if len(residue) * 2 >= len(sentences):
            severity = "minor"  # web page residue, not content someone added
        if residue:
            reason = "web page residue among it: " + ", ".join(sorted(residue))
    if finding.kind == "different_story":
        first = last = sentences[0]
    return Flag(
        type=flag_type,
        severity=severity,  # type: ignore[arg-type]
        version=version.label,
        sentence=first.index,
        start=first.start,
        end=last.end,
        text=version.text[first.start:last.end],
        message=finding.message,
        confidence=0.9,
        check=NAME,
        evidence=_evidence(ctx, finding),
        reason=reason,
        row=finding.rows[0] if finding.rows else None,
    )


def _evidence(ctx: CheckContext, finding: StructuralFinding) -> list[Evidence]:
    """The reference's sentences the finding concerns (what is missing, or where a moved block belongs)."""
    if ctx.alignment is None or not finding.reference_sentences:
        return []
    ref = ctx.version(ctx.alignment.reference)
    idx = [i for i in finding.reference_sentences if 0 <= i < len(ref.sentences)]
    text = " ".join(ref.sentences[i].text for i in idx)
    return [Evidence(ref.label, tuple(idx), text)]


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="truncated, padded or reordered copies and other stories, one finding per block",
)
