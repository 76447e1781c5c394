"""The whole-run outputs of ``qa batch``: the flag table (Parquet and CSV), ``index.json`` and the dashboard.

Everything is rebuilt from the per-group report files at the end of every run (resumed runs included), so the
table and the dashboard always describe every group, whichever run checked it.  A member's verdict is shown
when the report JSON gives one (``versions[].verdict``); its score always.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from qa.checks.base import SEVERITIES
from qa.export_html import PAGE_CSS
from qa.report import FLAG_COLUMNS
from qa.views import esc, severity_badge, type_label

TABLE_COLUMNS = ["group", *FLAG_COLUMNS, "reason"]
INDEX_JSON = "index.json"


def group_summary(gid: str, report: dict | None, size: int, reason: str | None = None) -> dict:
    """One row of the index: the group's worst member score, flag counts by severity and type, its members."""
    row: dict = {"group": gid, "size": size, "status": "failed" if reason else "ok", "reason": reason,
                 "json": f"{gid}.json" if report else None, "html": f"{gid}.html" if report else None}
    if report is None:
        row.update({"score": None, "flags": 0, "types": {}, "members": [], "reference": None, **dict.fromkeys(SEVERITIES, 0)})
        return row
    flags = report.get("flags", [])
    types: dict[str, int] = {}
    for f in flags:
        types[f["type"]] = types.get(f["type"], 0) + 1
    members = [
        {"label": v["label"], "language": v.get("language"), "score": v.get("score"), "verdict": v.get("verdict"),
         "flags": sum(1 for f in flags if f["version"] == v["label"])}
        for v in report.get("versions", [])
    ]
    scores = [m["score"] for m in members if m["score"] is not None]
    row.update({
        "score": min(scores) if scores else None, "flags": len(flags), "types": dict(sorted(types.items())),
        "members": members, "reference": report.get("reference"),
        **{s: sum(1 for f in flags if f["severity"] == s) for s in SEVERITIES},
    })
    return row


def worst_first(rows: list[dict]) -> list[dict]:
    """Failed groups first, then by lowest score, most critical, most flags, id."""
    return sorted(rows, key=lambda r: (r["status"] != "failed", r["score"] if r["score"] is not None else 101,
                                       -r["critical"], -r["flags"], r["group"]))


def write_index(out: Path, groups: list[dict], failures: dict[str, str]) -> list[dict]:
    """Write ``flags.parquet``, ``flags.csv``, ``index.json`` and ``index.html`` into ``out``; return the rows."""
    from qa.batch import failure_reason

    rows, table = [], []
    for group in groups:
        gid = group["group"]
        reason = failures.get(gid) or failure_reason(out, gid)
        report = None
        if reason is None:
            try:
                report = json.loads((out / f"{gid}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                reason = f"{gid}: not checked yet"
        rows.append(group_summary(gid, report, len(group["members"]), reason))
        for f in (report or {}).get("flags", []):
            evidence = "\n".join(f"{e['version']}: {e['text'] or '(nothing)'}" for e in f.get("evidence", []))
            table.append({"group": gid, **{c: f.get(c) for c in FLAG_COLUMNS if c != "evidence"}, "evidence": evidence,
                          "reason": f.get("reason", "")})
    rows = worst_first(rows)
    _write_table(out, table)
    (out / INDEX_JSON).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "index.html").write_text(dashboard_html(rows), encoding="utf-8")
    return rows


def _write_table(out: Path, table: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("group", pa.string()), ("version", pa.string()), ("sentence", pa.int64()), ("row", pa.int64()),
        ("start", pa.int64()), ("end", pa.int64()), ("severity", pa.string()), ("type", pa.string()),
        ("confidence", pa.float64()), ("text", pa.string()), ("message", pa.string()), ("evidence", pa.string()),
        ("reason", pa.string()),
    ])
    pq.write_table(pa.Table.from_pylist(table, schema=schema), out / "flags.parquet")
    with (out / "flags.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=schema.names)
        writer.writeheader()
        writer.writerows(table)


DASHBOARD_CSS = """
table.px-groups{width:100%;border-collapse:collapse;font-size:.85rem}
table.px-groups th{text-align:left;font-size:.75rem;color:#4b5563;border-bottom:1px solid #d0d4da;padding:.35rem .5rem}
table.px-groups td{vertical-align:top;border-bottom:1px solid #eceef1;padding:.35rem .5rem;overflow-wrap:anywhere}
.px-failed{color:#991b1b;font-weight:600}
.px-member{white-space:nowrap;margin-right:.6rem}
.px-types{color:#374151}
"""


def dashboard_html(rows: list[dict]) -> str:
    """The run's dashboard: every group, worst first, each linked to its standalone report."""
    failed = sum(r["status"] == "failed" for r in rows)
    counts = {s: sum(r[s] for r in rows) for s in SEVERITIES}
    body = []
    for r in rows:
        if r["status"] == "failed":
            link, score = esc(r["group"]), f'<span class="px-failed">failed</span><br>{esc(r["reason"] or "")}'
        else:
            link, score = f'<a href="{esc(r["html"])}">{esc(r["group"])}</a>', f'{r["score"]:.0f}' if r["score"] is not None else "–"
        severities = " ".join(f"{severity_badge(s)} {r[s]}" for s in SEVERITIES if r[s])
        types = ", ".join(f"{esc(type_label(t))} {n}" for t, n in r["types"].items())
        members = "<br>".join(
            f'<span class="px-member">{esc(m["label"])}{" (ref)" if m["label"] == r["reference"] else ""}: '
            f'{esc(m["verdict"]) + " · " if m.get("verdict") else ""}{m["score"]:.0f}/100</span>'
            for m in r["members"] if m["score"] is not None
        )
        body.append(f"<tr><td>{link}</td><td>{r['size']}</td><td>{score}</td><td>{severities}</td>"
                    f'<td class="px-types">{types}</td><td>{members}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("Group", "Versions", "Score", "Flags", "By type", "Members: verdict · score"))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Parallax batch · {len(rows)} groups</title><style>{PAGE_CSS}{DASHBOARD_CSS}</style></head><body><main>",
        "<h1>Parallax batch</h1>",
        f'<div class="px-meta">{len(rows)} groups · {failed} failed · worst first</div>',
        '<div class="px-summary">' + "".join(f'<div class="px-pill">{severity_badge(s)}<b>{counts[s]}</b>{s}</div>' for s in SEVERITIES) + "</div>",
        f'<table class="px-groups"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        "</main></body></html>",
    ]) + "\n"
