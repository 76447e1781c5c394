"""The report: versions, alignment rows, flags and scores, and its JSON/CSV/text forms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from qa.checks.base import SEVERITIES, SEVERITY_WEIGHT, Flag
from qa.nway import Alignment
from qa.safe_output import csv_text
from qa.segment import Version
from qa.structure import StructuralFinding

SCHEMA_VERSION = 1
FLAG_COLUMNS = ["version", "sentence", "row", "start", "end", "severity", "type", "confidence", "text", "message", "evidence"]


@dataclass
class Report:
    """Everything an analysis found; the app, the CLI and every export read this."""

    versions: list[Version]
    alignment: Alignment | None
    flags: list[Flag]
    model: str
    version_scores: dict[str, float] = field(default_factory=dict)  # label -> 0..100, 100 = clean
    row_scores: list[float] = field(default_factory=list)  # per alignment row, 0..100
    structure: list[StructuralFinding] = field(default_factory=list)  # truncations, padding, moved blocks
    verdicts: dict = field(default_factory=dict)  # label -> qa.verdict.Verdict, same-language versions only
    problems: list[str] = field(default_factory=list)  # checks that failed (their flags are missing)

    def flags_at_or_above(self, severity: str) -> list[Flag]:
        limit = SEVERITIES.index(severity)  # type: ignore[arg-type]
        return [f for f in self.flags if SEVERITIES.index(f.severity) <= limit]


PHRASE_WORDS = 6  # flags on at most this many words are word- or phrase-level; longer spans are sentences, clauses


def merge_same_span(flags: list[Flag], check_order: list[str]) -> list[Flag]:
    """One flag per flagged word or phrase: flags of different checks on the same words of a version
    describe one problem seen twice ("Flammenberg" is a leaked German compound *and* a name the reference
    lacks; "equipped forces" is a tortured phrase *and* a set phrase the reference has intact).  Flags on a
    word or short phrase whose spans overlap form one group.  The most severe is kept, on a tie the one of
    the check listed first in ``check_order`` (the registry lists the more specific checks first); the
    others' messages are added to its ``reason``, so nothing they said is lost.  Flags on longer spans (a
    sentence, a clause) are all kept: there, different checks report different problems (a dropped
    negation in a sentence, and the omission of the sentence after it).  Order is kept otherwise.
    """
    rank = {name: k for k, name in enumerate(check_order)}
    group_of = _phrase_groups(flags)
    groups: dict[int, list[Flag]] = {}
    for k, flag in enumerate(flags):
        groups.setdefault(group_of[k], []).append(flag)
    out = []
    for k, flag in enumerate(flags):
        group = groups[group_of[k]]
        best = min(group, key=lambda f: (SEVERITIES.index(f.severity), rank.get(f.check, len(rank))))
        if flag is not best:
            continue
        others = [f for f in group if f is not best and f.message != best.message]
        if others:
            extra = "; ".join(f"also ({f.check}): {f.message}" for f in others)
            flag = replace(flag, reason=f"{flag.reason}; {extra}" if flag.reason else extra)
        out.append(flag)
    return out


def _is_phrase(flag: Flag) -> bool:
    return bool(flag.text.strip()) and len(flag.text.split()) <= PHRASE_WORDS


def _phrase_groups(flags: list[Flag]) -> list[int]:
    """Group number per flag: word- and phrase-level flags of one version whose spans overlap (or that sit
    on exactly the same span) share a group; every other flag has a group of its own."""
    group = list(range(len(flags)))
    by_version: dict[str, list[int]] = {}
    for k, flag in enumerate(flags):
        if _is_phrase(flag):
            by_version.setdefault(flag.version, []).append(k)
    for members in by_version.values():
        members.sort(key=lambda k: (flags[k].start, flags[k].end))
        current, reach = None, -1
        for k in members:
            f = flags[k]
            if current is not None and (f.start < reach or (f.start == f.end == flags[current].start)):
                group[k] = group[current]
                reach = max(reach, f.end)
            else:
                current, reach = k, f.end
    return group


def score(flags: list[Flag], versions: list[Version], alignment: Alignment | None) -> tuple[dict[str, float], list[float]]:
    """Summaries on a 0-100 scale (100 = nothing found), weighting flags by severity.

    A version loses points per flag relative to its length, so one critical problem in
    a 5-sentence brief weighs more than in a 50-sentence feature.
    """
    version_scores = {}
    for v in versions:
        weight = sum(SEVERITY_WEIGHT[f.severity] * f.confidence for f in flags if f.version == v.label)
        version_scores[v.label] = round(100.0 * max(0.0, 1.0 - 4.0 * weight / max(len(v.sentences), 4)), 1)
    row_scores = []
    if alignment is not None:
        per_row = [0.0] * len(alignment.rows)
        for f in flags:
            if f.row is not None and 0 <= f.row < len(per_row):
                per_row[f.row] += SEVERITY_WEIGHT[f.severity] * f.confidence
        row_scores = [round(100.0 * max(0.0, 1.0 - w), 1) for w in per_row]
    return version_scores, row_scores


def to_dict(report: Report) -> dict:
    """The JSON schema of ``python -m qa check --format json``."""
    alignment = report.alignment
    return {
        "schema": SCHEMA_VERSION,
        "model": report.model,
        "reference": alignment.reference if alignment else None,
        "versions": [
            {
                "label": v.label,
                "path": v.path,
                "language": v.lang,
                "detected_language": v.detected_lang,
                "score": report.version_scores.get(v.label),
                "sentences": [
                    {"index": s.index, "start": s.start, "end": s.end, "paragraph": s.paragraph, "text": s.text}
                    for s in v.sentences
                ],
            }
            for v in report.versions
        ],
        "rows": [
            {
                "index": row.index,
                "cells": {k: list(v) for k, v in row.cells.items()},
                "similarity": row.similarity,
                "moved": sorted(row.moved),
                "confidence": row.confidence,
                "score": report.row_scores[row.index] if row.index < len(report.row_scores) else None,
            }
            for row in (alignment.rows if alignment else [])
        ],
        "set_apart": dict(alignment.set_apart) if alignment else {},
        "structure": [f.to_dict() for f in report.structure],
        "flags": [f.to_dict() for f in report.flags],
        "verdicts": {label: v.to_dict() for label, v in report.verdicts.items()},
        "summary": summary(report),
        "problems": list(report.problems),
    }


def summary(report: Report) -> dict:
    counts = {s: sum(1 for f in report.flags if f.severity == s) for s in SEVERITIES}
    return {"flags": len(report.flags), **counts}


def to_json(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2)


def to_csv(flags: list[Flag]) -> str:
    """One row per flag; evidence as 'label: text' lines; every field quoted, no cell starts a formula."""
    rows = []
    for f in flags:
        evidence = "\n".join(f"{e.version}: {e.text or '(nothing)'}" for e in f.evidence) or f.reason
        rows.append(
            [f.version, f.sentence, f.row, f.start, f.end, f.severity, f.type, f"{f.confidence:.2f}", f.text, f.message, evidence]
        )
    return csv_text(FLAG_COLUMNS, rows)  # formula-looking cells neutralised (CSV injection)


def to_text(report: Report) -> str:
    """A terminal-friendly listing, most severe first."""
    lines = []
    ref = report.alignment.reference if report.alignment else None
    for v in report.versions:
        tag = " (reference)" if v.label == ref else ""
        lines.append(f"{v.label}{tag}: {v.lang}, {len(v.sentences)} sentences, score {report.version_scores.get(v.label, 100):.0f}/100")
        verdict = report.verdicts.get(v.label)
        if verdict is not None:
            lines.append(f"  verdict: {verdict.verdict} ({verdict.evidence})")
    s = summary(report)
    lines.append(f"{s['flags']} flags: {s['critical']} critical, {s['major']} major, {s['minor']} minor")
    if report.structure:
        lines.append("structure:")
        lines.extend(f"  {f.kind.replace('_', ' ')}: {f.message}" for f in report.structure)
    lines.extend(f"warning: {problem}" for problem in report.problems)
    order = sorted(report.flags, key=lambda f: (SEVERITIES.index(f.severity), f.version, f.start))
    for f in order:
        where = f"{f.version} s{f.sentence} [{f.start}:{f.end}]" if f.sentence is not None else f.version
        lines.append(f"\n{f.severity.upper():8} {f.type:20} {where}\n  \"{_short(f.text)}\"\n  {f.message}")
        for e in f.evidence:
            lines.append(f"  {e.version}: {_short(e.text) if e.text else '(no counterpart)'}")
        if f.reason:
            lines.append(f"  ({f.reason})")
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
