"""View models: what the app and the HTML report show, computed from a Report without Streamlit.

- :func:`select_flags` / :func:`flag_items`: the flag list with filters and review decisions;
- :func:`build_grid`: aligned rows, one cell per version, cut into pieces for inline highlighting (and an
  optional word diff against another version in the same language);
- :func:`heatmap_data` / :func:`drift_heatmap`: similarity of every version to the reference, per row;
- :func:`score_cards`: per-version summaries after review;
- :func:`grid_html`: the grid as HTML, every piece of article text escaped.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qa.checks.base import FLAG_TYPES, SEVERITIES, Flag
from qa.languages import language_name
from qa.report import Report, score
from qa.review import CONFIRMED, DISMISSED, report_keys

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
STATUSES = ("active", "open", "confirmed", "dismissed", "all")
STATUS_LABELS = {
    "active": "Not dismissed",
    "open": "To review",
    "confirmed": "Confirmed",
    "dismissed": "Dismissed",
    "all": "All",
}


def type_label(flag_type: str) -> str:
    """``"number_mismatch"`` -> ``"Number mismatch"``."""
    return flag_type.replace("_", " ").capitalize()


def row_anchor(index: int) -> str:
    """The HTML id of grid row ``index``."""
    return f"row-{index}"


def flag_row(report: Report, flag: Flag) -> int | None:
    """The grid row a flag sits in: its alignment row, or its sentence when there is no alignment."""
    if report.alignment is None:
        return flag.sentence
    if flag.row is not None:
        return flag.row
    if flag.sentence is None:
        return None
    for row in report.alignment.rows:
        if flag.sentence in row.cells.get(flag.version, ()):
            return row.index
    return None


# ---------------------------------------------------------------- flags


@dataclass(frozen=True)
class FlagFilter:
    """Which flags to show; an empty set means "any"."""

    types: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset()
    status: str = "active"  # one of STATUSES

    def accepts(self, flag: Flag, decision: str | None) -> bool:
        if self.types and flag.type not in self.types:
            return False
        if self.severities and flag.severity not in self.severities:
            return False
        if self.versions and flag.version not in self.versions:
            return False
        return _status_matches(self.status, decision)


def _status_matches(status: str, decision: str | None) -> bool:
    if status == "active":
        return decision != DISMISSED
    if status == "open":
        return decision is None
    if status in (CONFIRMED, DISMISSED):
        return decision == status
    return True


@dataclass(frozen=True)
class FlagItem:
    """One entry of the flag list."""

    index: int  # position in report.flags
    key: str  # review key
    flag: Flag
    decision: str | None
    row: int | None
    anchor: str | None

    @property
    def type_label(self) -> str:
        return type_label(self.flag.type)


def flag_items(
    report: Report, decisions: Mapping[str, str] | None = None, flt: FlagFilter | None = None
) -> list[FlagItem]:
    """The flags passing ``flt``, most severe first, then by row and version."""
    decisions = decisions or {}
    flt = flt or FlagFilter()
    order = {v.label: i for i, v in enumerate(report.versions)}
    items = []
    for index, (flag, key) in enumerate(zip(report.flags, report_keys(report))):
        decision = decisions.get(key)
        if not flt.accepts(flag, decision):
            continue
        row = flag_row(report, flag)
        items.append(FlagItem(index, key, flag, decision, row, row_anchor(row) if row is not None else None))
    items.sort(
        key=lambda it: (
            SEVERITY_RANK.get(it.flag.severity, 9),
            it.row if it.row is not None else -1,
            order.get(it.flag.version, 99),
            it.flag.start,
        )
    )
    return items


def select_flags(
    report: Report, decisions: Mapping[str, str] | None = None, flt: FlagFilter | None = None
) -> set[int]:
    """Indices (into ``report.flags``) of the flags passing ``flt``."""
    return {it.index for it in flag_items(report, decisions, flt)}


def filter_options(report: Report) -> dict[str, list[str]]:
    """The values each filter can take in this report (types and versions present, all severities)."""
    types = sorted({f.type for f in report.flags}, key=lambda t: (list(FLAG_TYPES).index(t) if t in FLAG_TYPES else 99, t))
    return {
        "types": types,
        "severities": list(SEVERITIES),
        "versions": [v.label for v in report.versions],
    }


def evidence_lines(flag: Flag) -> list[tuple[str, str]]:
    """(version label, counterpart text or "(no counterpart)") for each piece of evidence, plus the reason."""
    lines = [(e.version, e.text if e.text else "(no counterpart)") for e in flag.evidence]
    if flag.reason:
        lines.append(("why", flag.reason))
    return lines


def flag_tooltip(flag: Flag, limit: int = 220) -> str:
    """Plain text for a hover tooltip: severity, type, message and evidence."""
    lines = [f"{flag.severity.upper()} · {type_label(flag.type)}: {flag.message}"]
    lines += [f"{label}: {shorten(text, limit)}" for label, text in evidence_lines(flag)]
    return "\n".join(lines)


def shorten(text: str, limit: int = 160) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- word diff


@dataclass(frozen=True)
class DiffOp:
    """A run of the word diff. ``equal``/``insert``: ``b[start:end]``; ``delete``: ``a[start:end]``."""

    kind: str  # "equal" | "insert" | "delete"
    start: int
    end: int
    text: str
    change: str = ""  # tracked changes: the edit's class and why ("synonym", "form: spelling variant", ...)


_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def word_diff(a: str, b: str) -> list[DiffOp]:
    """Word-level diff of ``b`` against ``a`` (difflib on word and punctuation tokens).

    The equal and insert runs cover ``b`` completely and in order (whitespace stays with the run before it);
    delete runs hold text of ``a`` and sit where it was removed.
    """
    ta = [(m.start(), m.end()) for m in _TOKEN.finditer(a)]
    tb = [(m.start(), m.end()) for m in _TOKEN.finditer(b)]
    wa = [a[s:e] for s, e in ta]
    wb = [b[s:e] for s, e in tb]
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)

    def b_span(j0: int, j1: int) -> tuple[int, int]:
        start = 0 if j0 == 0 else tb[j0][0] if j0 < len(tb) else len(b)
        end = tb[j1][0] if j1 < len(tb) else len(b)
        return start, end

    ops: list[DiffOp] = []
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            s, e = ta[i0][0], ta[i1 - 1][1]
            ops.append(DiffOp("delete", s, e, a[s:e]))
        if tag in ("insert", "replace", "equal"):
            s, e = b_span(j0, j1)
            if s < e:
                ops.append(DiffOp("insert" if tag != "equal" else "equal", s, e, b[s:e]))
    if not tb and b:
        ops.append(DiffOp("equal", 0, len(b), b))
    return ops


def same_language_pairs(report: Report) -> list[tuple[str, str]]:
    """Pairs of versions in the same language (reference first when it is one of them), for the word diff."""
    ref = report.alignment.reference if report.alignment else None
    labels = [v.label for v in report.versions]
    if ref in labels:
        labels.remove(ref)
        labels.insert(0, ref)
    lang = {v.label: v.lang for v in report.versions}
    return [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :] if lang[a] == lang[b]]


def tracked_changes(report: Report) -> dict[tuple[str, int], list[DiffOp]]:
    """Tracked changes of every same-language version against the reference, per (version, row): the word-level
    comparison of :mod:`qa.worddiff` as diff runs, each change with its class (form-only, synonym, meaning,
    added, dropped) for the view; empty without an alignment or without WordNet."""
    from qa import wordnet
    from qa.worddiff import version_diffs

    if report.alignment is None or not wordnet.available():
        return {}
    out = {}
    for label, rows in version_diffs(report.versions, report.alignment, report.model).items():
        for row_index, diff in rows.items():
            text = " ".join(report.versions[[v.label for v in report.versions].index(label)].sentences[i].text
                            for i in report.alignment.rows[row_index].cells[label])
            ref_label = report.alignment.reference
            ref_version = next(v for v in report.versions if v.label == ref_label)
            ref_text = " ".join(ref_version.sentences[i].text for i in report.alignment.rows[row_index].cells[ref_label])
            out[(label, row_index)] = diff_runs(diff, ref_text, text)
    return out


def diff_runs(diff, ref_text: str, text: str) -> list[DiffOp]:
    """A :class:`qa.worddiff.RowDiff` as runs covering ``text`` in order, deleted reference words in between."""
    events: list[tuple[int, int, int, str, str]] = []  # (position, order, end, kind, change)
    deletions: dict[int, list[DiffOp]] = {}
    for edit in diff.edits:
        change = edit.kind + (f": {edit.detail}" if edit.detail else "")
        if edit.ref:
            s, e = edit.ref[0].local, edit.ref[-1].local + len(edit.ref[-1].text)
            at = edit.mine[0].local if edit.mine else max(edit.at, 0)
            deletions.setdefault(at, []).append(DiffOp("delete", s, e, ref_text[s:e], change))
        if edit.mine:
            s, e = edit.mine[0].local, edit.mine[-1].local + len(edit.mine[-1].text)
            events.append((s, 0, e, "insert", change))
    events.sort()
    ops: list[DiffOp] = []
    pos = 0
    marks = sorted(set(deletions) | {s for s, *_ in events})

    def flush_deletions(upto: int) -> None:
        for at in [m for m in marks if m in deletions and m <= upto]:
            ops.extend(deletions.pop(at))

    for s, _, e, kind, change in events:
        if s > pos:
            ops.append(DiffOp("equal", pos, s, text[pos:s]))
        flush_deletions(s)
        ops.append(DiffOp(kind, s, e, text[s:e], change))
        pos = e
    if pos < len(text):
        flush_deletions(len(text))
        ops.append(DiffOp("equal", pos, len(text), text[pos:]))
    flush_deletions(len(text) + 1)
    for remaining in deletions.values():
        ops.extend(remaining)
    return ops


# ---------------------------------------------------------------- grid


@dataclass(frozen=True)
class Piece:
    """A run of cell text with the flags covering it; ``diff`` marks inserted or deleted words."""

    text: str
    flags: tuple[int, ...] = ()
    diff: str = "equal"  # "equal" | "insert" | "delete"
    change: str = ""  # tracked changes: the edit's class and why


@dataclass
class Cell:
    """One version's text in one grid row."""

    version: str
    sentences: tuple[int, ...]
    text: str
    pieces: list[Piece]
    flags: list[int]  # visible flags touching this cell
    similarity: float | None = None
    moved: bool = False
    diff_against: str | None = None


@dataclass
class GridRow:
    index: int
    anchor: str
    cells: list[Cell]
    score: float | None = None
    flags: list[int] = field(default_factory=list)


def _cell_text(report: Report, label: str, indices: Iterable[int]) -> tuple[str, list[tuple[int, int, int]]]:
    """Cell text (sentences joined by a space) and (cell offset, version start, version end) per sentence."""
    version = next(v for v in report.versions if v.label == label)
    parts, spans, pos = [], [], 0
    for i in indices:
        if not 0 <= i < len(version.sentences):
            continue
        s = version.sentences[i]
        if parts:
            pos += 1
        spans.append((pos, s.start, s.end))
        parts.append(s.text)
        pos += len(s.text)
    return " ".join(parts), spans


def _flag_intervals(
    flags: list[Flag], indices: Iterable[int], label: str, spans: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """(cell start, cell end, flag index) for the visible flags of ``label`` overlapping the cell's sentences."""
    out = []
    for idx in indices:
        f = flags[idx]
        if f.version != label:
            continue
        for cell_pos, v_start, v_end in spans:
            s, e = max(f.start, v_start), min(f.end, v_end)
            if s < e or (f.start == f.end and v_start <= f.start <= v_end):
                out.append((cell_pos + s - v_start, cell_pos + max(e, s) - v_start, idx))
    return out


def split_pieces(text: str, intervals: list[tuple[int, int, int]], diff: list[DiffOp] | None = None) -> list[Piece]:
    """Cut ``text`` at every flag boundary and diff run boundary.

    Deleted diff runs (text of the other version) and empty-span flags (e.g. an omission at a position) are
    inserted as pieces of their own where they occur.
    """
    n = len(text)
    kept = [op for op in diff or [] if op.kind != "delete"]
    bounds = {0, n}
    inserts: dict[int, list[Piece]] = {}
    for s, e, i in intervals:
        s, e = max(0, min(s, n)), max(0, min(e, n))
        if s == e:
            inserts.setdefault(s, []).append(Piece("", (i,)))
        bounds.update((s, e))
    flagged = [(max(0, min(s, n)), max(0, min(e, n))) for s, e, _ in intervals if s < e]

    def outside_flags(at: int) -> int:
        """A diff boundary strictly inside a flagged span moves to the span's start: a flag stays one highlight."""
        for a, b in flagged:
            if a < at < b:
                return outside_flags(a)
        return at

    pos = 0
    for op in diff or []:
        if op.kind == "delete":
            inserts.setdefault(outside_flags(pos), []).append(Piece(op.text, (), "delete", op.change))
        else:
            bounds.update((outside_flags(op.start), outside_flags(op.end)))
            pos = op.end
    cuts = sorted(bounds)
    pieces: list[Piece] = []
    for s, e in zip(cuts, cuts[1:]):
        pieces.extend(inserts.pop(s, []))
        covering = tuple(sorted({i for a, b, i in intervals if a < e and b > s}))
        inside = [op for op in kept if op.start < e and op.end > s]
        op = next((op for op in inside if op.kind != "equal"), inside[0] if inside else None)
        pieces.append(Piece(text[s:e], covering, op.kind if op else "equal", op.change if op else ""))
    for pos in sorted(inserts):
        pieces.extend(inserts[pos])
    return pieces


def build_grid(
    report: Report, visible: Iterable[int] | None = None, diff_pair: tuple[str, str] | None = None,
    tracked: bool = False,
) -> list[GridRow]:
    """Rows of the aligned grid; ``visible`` flag indices are highlighted (default: all flags).

    With ``diff_pair = (a, b)``, b's cells carry a word diff against a's cell in the same row.  With
    ``tracked`` (and no ``diff_pair``), every same-language version's cells carry tracked changes against
    the reference, each change classified (:func:`tracked_changes`).
    Without an alignment (a single version), each sentence is a row.
    """
    visible_set = set(range(len(report.flags))) if visible is None else set(visible)
    by_version: dict[str, list[int]] = {}
    for i in sorted(visible_set):
        by_version.setdefault(report.flags[i].version, []).append(i)
    rows: list[GridRow] = []
    if report.alignment is None:
        units = [
            (i, {v.label: (i,) for v in report.versions if i < len(v.sentences)}, {}, frozenset(), None)
            for i in range(max((len(v.sentences) for v in report.versions), default=0))
        ]
    else:
        units = [
            (
                r.index,
                r.cells,
                r.similarity,
                r.moved,
                report.row_scores[r.index] if r.index < len(report.row_scores) else None,
            )
            for r in report.alignment.rows
        ]
    changes = tracked_changes(report) if tracked and diff_pair is None else {}
    for index, cells_map, similarity, moved, row_score in units:
        cells, row_flags = [], []
        texts = {label: _cell_text(report, label, idx) for label, idx in cells_map.items()}
        for v in report.versions:
            idx = tuple(cells_map.get(v.label, ()))
            text, spans = texts.get(v.label, ("", []))
            intervals = _flag_intervals(report.flags, by_version.get(v.label, []), v.label, spans)
            diff = None
            against = None
            if diff_pair and v.label == diff_pair[1] and text and texts.get(diff_pair[0], ("", []))[0]:
                against = diff_pair[0]
                diff = word_diff(texts[against][0], text)
            elif (v.label, index) in changes and text:
                against = report.alignment.reference if report.alignment else None
                diff = changes[(v.label, index)]
            flags_here = sorted({i for _, _, i in intervals})
            row_flags += flags_here
            cells.append(
                Cell(
                    v.label,
                    idx,
                    text,
                    split_pieces(text, intervals, diff) if text else [],
                    flags_here,
                    similarity.get(v.label),
                    v.label in moved,
                    against,
                )
            )
        rows.append(GridRow(index, row_anchor(index), cells, row_score, sorted(set(row_flags))))
    return rows


def worst_severity(flags: Iterable[Flag]) -> str | None:
    """The most severe severity among ``flags``, or ``None``."""
    ranks = [SEVERITY_RANK[f.severity] for f in flags if f.severity in SEVERITY_RANK]
    return SEVERITIES[min(ranks)] if ranks else None


# ---------------------------------------------------------------- overview


@dataclass(frozen=True)
class ScoreCard:
    label: str
    lang: str
    language: str
    sentences: int
    score: float
    counts: dict[str, int]
    reference: bool
    confirmed: int
    dismissed: int
    verdict: str = ""  # same-language versions: verbatim, lightly edited, rewritten, machine-spun, different report
    verdict_evidence: str = ""


def score_cards(report: Report, decisions: Mapping[str, str] | None = None) -> list[ScoreCard]:
    """Per-version score and open flag counts, with dismissed flags left out of both."""
    decisions = decisions or {}
    keys = report_keys(report)
    kept = [f for f, k in zip(report.flags, keys) if decisions.get(k) != DISMISSED]
    version_scores, _ = score(kept, report.versions, report.alignment)
    ref = report.alignment.reference if report.alignment else None
    cards = []
    for v in report.versions:
        mine = [(f, k) for f, k in zip(report.flags, keys) if f.version == v.label]
        counts = {s: sum(1 for f, k in mine if f.severity == s and decisions.get(k) != DISMISSED) for s in SEVERITIES}
        cards.append(
            ScoreCard(
                v.label,
                v.lang,
                language_name(v.lang),
                len(v.sentences),
                version_scores.get(v.label, 100.0),
                counts,
                v.label == ref,
                sum(1 for _, k in mine if decisions.get(k) == CONFIRMED),
                sum(1 for _, k in mine if decisions.get(k) == DISMISSED),
                *_verdict_of(report, v.label),
            )
        )
    return cards


def _verdict_of(report: Report, label: str) -> tuple[str, str]:
    verdict = getattr(report, "verdicts", {}).get(label)
    return (verdict.verdict, verdict.evidence) if verdict is not None else ("", "")


def heatmap_data(report: Report, visible: Iterable[int] | None = None) -> list[dict]:
    """One record per (row, non-reference version): similarity to the reference, or status "absent"."""
    if report.alignment is None:
        return []
    ref = report.alignment.reference
    visible_set = set(range(len(report.flags))) if visible is None else set(visible)
    per_cell: dict[tuple[int, str], list[Flag]] = {}
    for i in visible_set:
        f = report.flags[i]
        row = flag_row(report, f)
        if row is not None:
            per_cell.setdefault((row, f.version), []).append(f)
    records = []
    for row in report.alignment.rows:
        ref_text = _cell_text(report, ref, row.cells.get(ref, ()))[0]
        for v in report.versions:
            if v.label == ref:
                continue
            idx = row.cells.get(v.label, ())
            text = _cell_text(report, v.label, idx)[0]
            sim = row.similarity.get(v.label)
            if not idx:
                status = "absent here"
            elif not row.cells.get(ref):
                status = "not in reference"
            else:
                status = "moved" if v.label in row.moved else "aligned"
            flags = per_cell.get((row.index, v.label), [])
            records.append(
                {
                    "row": row.index + 1,
                    "version": v.label,
                    "similarity": round(sim, 3) if sim is not None else None,
                    "status": status,
                    "flags": len(flags),
                    "worst": worst_severity(flags) or "none",
                    "text": shorten(text, 120) if text else "—",
                    "reference_text": shorten(ref_text, 120) if ref_text else "—",
                }
            )
    return records


def drift_heatmap(records: list[dict], versions: list[str]):
    """An Altair heatmap of ``heatmap_data`` records: rows across, versions down, colour = similarity."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(records)
    if frame.empty:
        return None
    base = alt.Chart(frame).encode(
        x=alt.X("row:O", title="Aligned row", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("version:N", title=None, sort=versions, scale=alt.Scale(domain=versions),
                axis=alt.Axis(labelOverlap=False, labelFontWeight="bold")),
        tooltip=[
            alt.Tooltip("row:O", title="Row"),
            alt.Tooltip("version:N", title="Version"),
            alt.Tooltip("similarity:Q", title="Similarity to reference", format=".2f"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("flags:Q", title="Flags"),
            alt.Tooltip("text:N", title="Text"),
            alt.Tooltip("reference_text:N", title="Reference"),
        ],
    )
    present = base.transform_filter("datum.similarity != null").mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "similarity:Q",
            title="Similarity to the reference",
            scale=alt.Scale(
                domain=[0.6, 0.75, 0.88, 1.0], range=["#b42318", "#f59e0b", "#fdf3d0", "#f1f5f9"], clamp=True
            ),
            legend=alt.Legend(orient="bottom", gradientLength=220),
        )
    )
    absent = base.transform_filter("datum.similarity == null").mark_rect(
        stroke="#9ca3af", strokeWidth=1, strokeDash=[3, 2], fill="#f3f4f6"
    )
    flagged = base.transform_filter("datum.flags > 0").mark_point(shape="circle", filled=True, size=26, opacity=1).encode(
        color=alt.Color(
            "worst:N",
            title="Worst flag in the cell",
            scale=alt.Scale(domain=list(SEVERITIES), range=[SEVERITY_COLOURS[s] for s in SEVERITIES]),
            legend=alt.Legend(orient="bottom"),
        )
    )
    return (
        alt.layer(present, absent, flagged)
        .resolve_scale(color="independent")
        .properties(height=110 + 26 * len(versions))  # Streamlit counts the bottom legends in the height
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=11, titleColor="#6b7280", grid=False, domain=False, ticks=False)
        .configure_legend(labelFontSize=11, titleFontSize=11)
    )


# ---------------------------------------------------------------- HTML

SEVERITY_COLOURS = {"critical": "#c62828", "major": "#d97706", "minor": "#2563eb"}


GRID_CSS = """
.px-grid-wrap{overflow:auto;max-height:max(24rem,calc(100vh - 9rem));border:1px solid #e5e7eb;border-radius:6px;
 overscroll-behavior-x:contain}
.px-grid{width:max(100%,calc(3.2rem + var(--px-cols,1) * 15rem));border-collapse:separate;border-spacing:0;
 table-layout:fixed;font-size:.88rem;line-height:1.5}
.px-grid col.px-col-num{width:3.2rem}
.px-grid th{position:sticky;top:0;z-index:2;background:#f7f8fa;text-align:left;font-weight:600;font-size:.8rem;
 padding:.45rem .6rem;border-bottom:1px solid #d0d4da;color:#1f2937;vertical-align:bottom;overflow-wrap:anywhere}
.px-grid th.px-num,.px-grid td.px-num{position:sticky;left:0;z-index:1;background:#fff}
.px-grid th.px-num{z-index:4;background:#f7f8fa}
.px-grid th.px-refcol,.px-grid td.px-refcol{position:sticky;left:3.2rem;z-index:1;background:#fbfbfc;
 box-shadow:inset -1px 0 0 #d0d4da}
.px-grid th.px-refcol{z-index:3;background:#eef0f3}
.px-grid th .px-lang{font-weight:400;color:#6b7280;margin-left:.3rem}
.px-grid th .px-ref{display:inline-block;font-size:.68rem;font-weight:600;color:#374151;background:#e5e7eb;
 border-radius:3px;padding:0 .3rem;margin-left:.3rem;text-transform:uppercase;letter-spacing:.03em}
.px-grid td{vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #eceef1;color:#111827;
 overflow-wrap:anywhere}
.px-grid td.px-num{width:3.2rem;color:#6b7280;font-size:.75rem;font-variant-numeric:tabular-nums;
 border-left:3px solid transparent}
.px-grid td.px-num a{color:inherit;text-decoration:none}
.px-grid tr.px-band td{background:#fef3c7;color:#78350f;font-size:.82rem;border-left:3px solid #d97706;padding:.3rem .6rem}
.px-grid tr.px-band-moved td{background:#ede9fe;color:#4c1d95;border-left-color:#7c3aed}
.px-grid tr.px-band-different_story td{background:#fee2e2;color:#7f1d1d;border-left-color:#c62828}
.px-grid tr.px-worst-critical td.px-num{border-left-color:#c62828}
.px-grid tr.px-worst-major td.px-num{border-left-color:#d97706}
.px-grid tr.px-worst-minor td.px-num{border-left-color:#2563eb}
.px-grid tr:target td{background:#fff8db}
.px-grid td.px-absent{color:#9ca3af;font-style:italic;background:#fafafa}
.px-grid td.px-absent.px-refcol{background:#f5f5f6}
.px-grid td.px-moved{box-shadow:inset 3px 0 0 #7c3aed}
.px-tag{display:inline-block;font-size:.68rem;font-weight:600;border-radius:3px;padding:0 .3rem;margin-right:.3rem;
 vertical-align:1px}
.px-tag-moved{background:#ede9fe;color:#5b21b6}
.px-sim{float:right;font-size:.7rem;color:#9ca3af;font-variant-numeric:tabular-nums;margin-left:.4rem}
.px-sim.px-low{color:#b42318;font-weight:600}
mark.px-flag{color:inherit;border-radius:2px;padding:0 1px;cursor:help}
mark.px-critical{background:#fde2e1;border-bottom:2px solid #c62828}
mark.px-major{background:#fdecc8;border-bottom:2px solid #d97706}
mark.px-minor{background:#dde8fd;border-bottom:2px solid #2563eb}
mark.px-point{padding:0 .25rem;margin:0 .1rem}
mark.px-point::before{content:"\\2038"}
ins.px-ins{background:#dcfce7;text-decoration:none;border-radius:2px}
del.px-del{background:#fee2e2;color:#991b1b;text-decoration:line-through;border-radius:2px}
ins.px-chg-synonym,ins.px-chg-meaning,ins.px-chg-added{text-decoration:underline;text-underline-offset:2px}
ins.px-chg-form,del.px-chg-form,ins.px-chg-function,del.px-chg-function{background:none;color:#9ca3af}
ins.px-chg-meaning{background:#fde2e1}
details.px-notes{margin-top:.3rem;font-size:.78rem;color:#374151}
details.px-notes summary{cursor:pointer;color:#4b5563;list-style-position:inside}
details.px-notes ul{margin:.2rem 0 0 0;padding-left:0;list-style:none}
details.px-notes li{margin:.25rem 0;padding-left:.4rem;border-left:2px solid #e5e7eb}
details.px-notes li b.px-type{white-space:nowrap}
details.px-cp{margin:.1rem 0 0 .2rem;color:#6b7280}
details.px-cp summary{list-style:none;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
details.px-cp summary::-webkit-details-marker{display:none}
details.px-cp summary::before{content:"\\25B8 ";color:#9ca3af}
details.px-cp[open] summary::before{content:"\\25BE "}
details.px-cp[open] summary{white-space:normal}
details.px-cp[open] .px-cp-preview{display:none}
details.px-cp .px-cp-full{margin:.1rem 0 .2rem .8rem;color:#374151}
.px-sev{display:inline-block;font-size:.66rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;
 border-radius:3px;padding:0 .3rem;color:#fff;margin-right:.3rem;vertical-align:1px}
.px-sev-critical{background:#c62828}.px-sev-major{background:#d97706}.px-sev-minor{background:#2563eb}
.px-ev{color:#6b7280;margin-left:.2rem}
.px-ev b{color:#4b5563;font-weight:600}
"""


def esc(text: object) -> str:
    """HTML-escape anything (quotes included), for text and attribute values alike."""
    return html.escape(str(text), quote=True)


def severity_badge(severity: str) -> str:
    return f'<span class="px-sev px-sev-{esc(severity)}">{esc(severity)}</span>'


def _change_attrs(piece: Piece) -> str:
    """Class and hover text of a tracked change ("form: spelling variant" is muted)."""
    if not piece.change:
        return ""
    kind = piece.change.split(":", 1)[0]
    return f' px-chg-{esc(kind)}" title="{esc(piece.change)}'


def _piece_html(piece: Piece, flags: list[Flag]) -> str:
    if piece.diff == "delete":
        return f'<del class="px-del{_change_attrs(piece)}">{esc(piece.text)}</del> '
    text, trailing = piece.text, ""
    if piece.diff == "insert":
        stripped = text.rstrip()
        text, trailing = stripped, text[len(stripped) :]
    body = esc(text)
    if piece.flags:
        covering = [flags[i] for i in piece.flags]
        worst = worst_severity(covering) or "minor"
        title = "\n\n".join(flag_tooltip(f) for f in covering)
        point = " px-point" if not piece.text else ""
        body = f'<mark class="px-flag px-{worst}{point}" title="{esc(title)}">{body}</mark>'
    if piece.diff == "insert" and text:
        body = f'<ins class="px-ins{_change_attrs(piece)}">{body}</ins>'
    return body + esc(trailing)


EVIDENCE_PREVIEW = 60  # characters of a counterpart shown before it is opened


def _notes_html(cell: Cell, flags: list[Flag]) -> str:
    """The flags of a cell as a compact list; each counterpart is one truncated line that opens to its full text."""
    if not cell.flags:
        return ""
    items = []
    for i in cell.flags:
        f = flags[i]
        evidence = []
        for label, text in evidence_lines(f):
            full = " ".join(text.split())
            preview = esc(shorten(full, EVIDENCE_PREVIEW))
            if len(full) <= EVIDENCE_PREVIEW:
                evidence.append(f'<div class="px-ev"><b>{esc(label)}:</b> {preview}</div>')
            else:
                evidence.append(
                    f'<details class="px-cp"><summary title="show the full text"><b>{esc(label)}:</b> '
                    f'<span class="px-cp-preview">{preview}</span></summary>'
                    f'<div class="px-cp-full">{esc(full)}</div></details>'
                )
        items.append(
            f'<li>{severity_badge(f.severity)}<b class="px-type">{esc(type_label(f.type))}</b> — {esc(f.message)}'
            f'{"".join(evidence)}</li>'
        )
    n = len(cell.flags)
    return f'<details class="px-notes"><summary>{n} flag{"s" if n != 1 else ""}</summary><ul>{"".join(items)}</ul></details>'


def grid_columns(report: Report) -> list[str]:
    """Version labels in grid order: the reference first, then the others as given."""
    labels = [v.label for v in report.versions]
    ref = report.alignment.reference if report.alignment else None
    return ([ref] if ref in labels else []) + [label for label in labels if label != ref]


def grid_block(report: Report, rows: list[GridRow]) -> str:
    """:func:`grid_html` in its scroll box: a viewport-high box, so the sticky header and both scrollbars stay
    within reach, and columns never narrower than a readable minimum."""
    return f'<div class="px-grid-wrap" style="--px-cols:{len(report.versions)}">{grid_html(report, rows)}</div>'


def grid_html(report: Report, rows: list[GridRow], low_similarity: float = 0.75) -> str:
    """The aligned grid as one HTML table (ids ``row-N`` for anchors); all article text escaped."""
    ref = report.alignment.reference if report.alignment else None
    order = grid_columns(report)
    langs = {v.label: v.lang for v in report.versions}
    cols = '<colgroup><col class="px-col-num">' + "<col>" * len(order) + "</colgroup>"
    head = ['<th class="px-num">#</th>']
    for label in order:
        if label == ref:
            head.append(
                f'<th class="px-refcol">{esc(label)}<span class="px-lang">{esc(langs[label])}</span>'
                '<span class="px-ref">ref</span></th>'
            )
        else:
            head.append(f'<th>{esc(label)}<span class="px-lang">{esc(langs[label])}</span></th>')
    bands = structure_bands(report)
    span = len(order) + 1
    body = [_band_html(f, span) for f in bands.get(None, [])]
    for row in rows:
        body.extend(_band_html(f, span) for f in bands.get(row.index, []))
        worst = worst_severity(report.flags[i] for i in row.flags)
        cls = f' class="px-worst-{worst}"' if worst else ""
        tds = [f'<td class="px-num"><a href="#{esc(row.anchor)}">{row.index + 1}</a></td>']
        by_label = {cell.version: cell for cell in row.cells}
        for cell in (by_label[label] for label in order if label in by_label):
            refcol = " px-refcol" if cell.version == ref else ""
            if not cell.text:
                tds.append(f'<td class="px-absent{refcol}">—</td>')
                continue
            classes = ["px-cell"] + (["px-moved"] if cell.moved else []) + (["px-refcol"] if refcol else [])
            sim = ""
            if cell.similarity is not None and cell.version != ref:
                low = " px-low" if cell.similarity < low_similarity else ""
                sim = f'<span class="px-sim{low}" title="similarity to the reference">{cell.similarity:.2f}</span>'
            moved = '<span class="px-tag px-tag-moved" title="moved from another place">moved</span>' if cell.moved else ""
            text = "".join(_piece_html(p, report.flags) for p in cell.pieces)
            tds.append(f'<td class="{" ".join(classes)}">{sim}{moved}{text}{_notes_html(cell, report.flags)}</td>')
        body.append(f'<tr id="{esc(row.anchor)}"{cls}>{"".join(tds)}</tr>')
    return (
        f'<table class="px-grid">{cols}<thead><tr>{"".join(head)}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )


def structure_bands(report: Report) -> dict[int | None, list]:
    """Structural findings (truncated, padded, moved block, another story) by the grid row they start at;
    findings about a whole version (another story) under ``None``."""
    out: dict[int | None, list] = {}
    for finding in report.structure:
        out.setdefault(finding.rows[0] if finding.rows else None, []).append(finding)
    return out


def _band_html(finding, span: int) -> str:
    """A band across the grid, above the first row a structural finding concerns."""
    return (
        f'<tr class="px-band px-band-{esc(finding.kind)}"><td colspan="{span}">'
        f'<b>{esc(finding.kind.replace("_", " "))}</b> · {esc(finding.message)}</td></tr>'
    )


def flag_card_html(item: FlagItem) -> str:
    """The head of one flag in the flag list: severity, type, version, a link to its row, text and message."""
    f = item.flag
    where = f'<a class="px-goto" href="#{esc(item.anchor)}">row {item.row + 1} ↓</a>' if item.anchor else ""
    status = ""
    if item.decision == CONFIRMED:
        status = '<span class="px-status px-status-confirmed">confirmed</span>'
    elif item.decision == DISMISSED:
        status = '<span class="px-status px-status-dismissed">dismissed</span>'
    lines = evidence_lines(f)
    evidence = "".join(
        f'<div class="px-ev"><b>{esc(label)}:</b> {esc(shorten(text, 90))}</div>' for label, text in lines[:2]
    )
    if len(lines) > 2:
        evidence += f'<div class="px-ev">+ {len(lines) - 2} more in the grid</div>'

    return (
        f'<div class="px-card-flag px-card-{esc(f.severity)}{" px-decided" if item.decision == DISMISSED else ""}">'
        f'<div class="px-card-head">{severity_badge(f.severity)}<b>{esc(type_label(f.type))}</b>'
        f'<span class="px-card-version">{esc(f.version)}</span>{status}{where}</div>'
        f'<div class="px-card-text">“{esc(shorten(f.text, 120))}”</div>'
        f'<div class="px-card-msg">{esc(f.message)}</div>{evidence}</div>'
    )


def score_card_html(card: ScoreCard) -> str:
    """One version's score card for the overview."""
    tone = "good" if card.score >= 90 else "fair" if card.score >= 70 else "poor"
    ref = '<span class="px-ref">reference</span>' if card.reference else ""
    counts = "".join(
        f'<span class="px-count px-count-{s}" title="{s}">{card.counts[s]} {s}</span>' for s in SEVERITIES
    )
    review = []
    if card.confirmed:
        review.append(f"{card.confirmed} confirmed")
    if card.dismissed:
        review.append(f"{card.dismissed} dismissed")
    return (
        f'<div class="px-scorecard px-tone-{tone}"><div class="px-sc-label">{esc(card.label)}{ref}</div>'
        f'<div class="px-sc-meta">{esc(card.language)} · {card.sentences} sentences</div>'
        f'<div class="px-sc-score">{card.score:.0f}<span>/100</span></div>'
        f'<div class="px-sc-bar"><div style="width:{max(0.0, min(100.0, card.score)):.0f}%"></div></div>'
        f'<div class="px-sc-counts">{counts}</div>'
        + (f'<div class="px-sc-verdict" title="{esc(card.verdict_evidence)}">{esc(card.verdict)}</div>' if card.verdict else "")
        + f'<div class="px-sc-meta">{esc(" · ".join(review))}</div></div>'
    )


def flag_summary(report: Report, decisions: Mapping[str, str] | None = None) -> dict[str, int]:
    """Counts of flags still open after review, per severity, plus totals of each decision."""
    decisions = decisions or {}
    keys = report_keys(report)
    out = {s: 0 for s in SEVERITIES}
    out.update(open=0, confirmed=0, dismissed=0)
    for f, k in zip(report.flags, keys):
        decision = decisions.get(k)
        if decision == DISMISSED:
            out["dismissed"] += 1
            continue
        out[f.severity] = out.get(f.severity, 0) + 1
        out["confirmed" if decision == CONFIRMED else "open"] += 1
    return out


def type_table(report: Report, decisions: Mapping[str, str] | None = None) -> list[dict]:
    """Flags not dismissed, counted per type and version (records for a small table)."""
    decisions = decisions or {}
    keys = report_keys(report)
    labels = [v.label for v in report.versions]
    counts: dict[str, dict[str, int]] = {}
    for f, k in zip(report.flags, keys):
        if decisions.get(k) == DISMISSED:
            continue
        counts.setdefault(f.type, dict.fromkeys(labels, 0))
        counts[f.type][f.version] = counts[f.type].get(f.version, 0) + 1
    order = list(FLAG_TYPES)
    return [
        {"Type": type_label(t), **counts[t], "Total": sum(counts[t].values())}
        for t in sorted(counts, key=lambda t: order.index(t) if t in order else 99)
    ]
