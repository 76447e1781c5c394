"""The app's "Batch results" page, minus the widgets: open a ``qa batch`` output folder, list its groups, and
turn one group's report JSON back into a :class:`~qa.report.Report` for the app's review view.

The report JSON (``check --format json``) keeps every sentence with its offsets, the alignment rows and the
flags with their evidence, which is all the review view reads; the pairwise beads are not kept and not needed.
A version's text is rebuilt from its sentences at their offsets (gaps as spaces, a new paragraph as a line
break), so every flag's offsets still point at its words.
"""

from __future__ import annotations

import json
from pathlib import Path

from qa.batch_index import INDEX_JSON
from qa.checks.base import Evidence, Flag
from qa.errors import InputError
from qa.nway import Alignment, AlignmentRow
from qa.report import Report
from qa.segment import Sentence, Version
from qa.structure import StructuralFinding
from qa.verdict import Verdict


def load_index(folder: str | Path) -> list[dict]:
    """The groups of a batch output folder, worst first (``index.json``)."""
    path = Path(folder).expanduser() / INDEX_JSON
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path.parent}: no {INDEX_JSON} here; is it a folder written by 'python -m qa batch'?") from exc
    except ValueError as exc:
        raise InputError(f"{path}: is not valid JSON ({exc})") from exc
    if not isinstance(rows, list):
        raise InputError(f"{path}: expected a list of groups")
    return rows


def index_table(rows: list[dict]) -> list[dict]:
    """One flat record per group for a table widget."""
    table = []
    for r in rows:
        members = "; ".join(
            f"{m['label']}: {m['verdict'] + ' ' if m.get('verdict') else ''}{m['score']:.0f}" for m in r.get("members", [])
            if m.get("score") is not None
        )
        table.append({
            "group": r["group"], "status": r["status"], "versions": r["size"],
            "score": r.get("score"), "critical": r.get("critical", 0), "major": r.get("major", 0), "minor": r.get("minor", 0),
            "types": ", ".join(f"{t} {n}" for t, n in r.get("types", {}).items()),
            "members": members or (r.get("reason") or ""),
        })
    return table


def load_report(folder: str | Path, group: str) -> Report:
    """The report of ``group`` in ``folder``, as the app's views take it."""
    path = Path(folder).expanduser() / f"{group}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise InputError(f"{path}: is not valid JSON ({exc})") from exc
    try:
        return report_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: is not a Parallax report ({type(exc).__name__}: {exc})") from exc


def report_from_dict(data: dict) -> Report:
    """The inverse of :func:`qa.report.to_dict` for everything the views read."""
    versions = [_version(v) for v in data["versions"]]
    rows = [
        AlignmentRow(
            r["index"], {k: tuple(v) for k, v in r["cells"].items()}, dict(r.get("similarity") or {}),
            frozenset(r.get("moved") or ()), dict(r.get("confidence") or {}),
        )
        for r in data.get("rows", [])
    ]
    alignment = (
        Alignment(data["reference"], rows, {}, dict(data.get("set_apart") or {}))
        if data.get("reference") and len(versions) > 1 else None
    )
    flags = []
    for f in data.get("flags", []):
        evidence = [Evidence(e["version"], tuple(e["sentences"]), e["text"]) for e in f.get("evidence", [])]
        flags.append(Flag(**{**f, "evidence": evidence}))
    scores = {v["label"]: v["score"] for v in data["versions"] if v.get("score") is not None}
    row_scores = [r["score"] if r.get("score") is not None else 100.0 for r in data.get("rows", [])]
    structure = [
        StructuralFinding(
            f["kind"], f["version"], tuple(f["rows"]) if f.get("rows") else None, tuple(f["sentences"]),
            tuple(f["reference_sentences"]), f["message"],
        )
        for f in data.get("structure", [])
    ]
    report = Report(versions, alignment, flags, data.get("model", ""), scores, row_scores, structure,
                    problems=list(data.get("problems") or []))
    report.verdicts = {label: Verdict(**v) for label, v in (data.get("verdicts") or {}).items()}
    return report


def _version(v: dict) -> Version:
    sentences = [Sentence(s["index"], s["text"], s["start"], s["end"], s["paragraph"]) for s in v["sentences"]]
    parts, pos, paragraph = [], 0, sentences[0].paragraph if sentences else 0
    for s in sentences:
        gap = s.start - pos
        if gap > 0:
            parts.append("\n" * min(gap, 2) + " " * max(0, gap - 2) if s.paragraph != paragraph else " " * gap)
        parts.append(s.text)
        pos, paragraph = s.end, s.paragraph
    return Version(v["label"], "".join(parts), v["language"], sentences, v.get("detected_language") or v["language"], v.get("path"))
