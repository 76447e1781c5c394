"""A standalone HTML report: summary, score cards, flag list and the aligned grid in one file.

Article text is untrusted (scraped pages, user pastes): every piece of it, every label and every message is
HTML-escaped; the page has no scripts and loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from qa.checks.base import SEVERITIES
from qa.report import Report
from qa.review import CONFIRMED, DISMISSED
from qa.safe_output import xml_text
from qa.views import (
    GRID_CSS,
    FlagFilter,
    build_grid,
    esc,
    evidence_lines,
    flag_items,
    grid_block,
    score_cards,
    severity_badge,
    shorten,
)

PAGE_CSS = """
:root{color-scheme:light}
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0;
 background:#fff;color:#111827}
main{max-width:1500px;margin:0 auto;padding:1.5rem 2rem 3rem}
h1{font-size:1.5rem;margin:0 0 .2rem}
h2{font-size:1.1rem;margin:2rem 0 .6rem;padding-bottom:.3rem;border-bottom:1px solid #e5e7eb}
.px-meta{color:#6b7280;font-size:.85rem}
.px-verdict{font-size:.8rem;color:#4b5563;margin-top:.3rem}
.px-summary{display:flex;gap:.6rem;margin:1rem 0;flex-wrap:wrap}
.px-pill{border:1px solid #e5e7eb;border-radius:6px;padding:.4rem .8rem;font-size:.9rem}
.px-pill b{font-size:1.15rem;margin-right:.3rem}
.px-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.6rem}
.px-card{border:1px solid #e5e7eb;border-radius:8px;padding:.6rem .8rem}
.px-card .px-score{font-size:1.6rem;font-weight:700;font-variant-numeric:tabular-nums}
.px-card .px-name{font-weight:600;overflow-wrap:anywhere}
.px-card .px-counts{font-size:.8rem;color:#4b5563}
table.px-flags{width:100%;border-collapse:collapse;font-size:.85rem}
table.px-flags th{text-align:left;font-size:.75rem;color:#4b5563;border-bottom:1px solid #d0d4da;padding:.35rem .5rem}
table.px-flags td{vertical-align:top;border-bottom:1px solid #eceef1;padding:.35rem .5rem;overflow-wrap:anywhere}
table.px-flags td.px-type,table.px-flags td.px-sevcell{overflow-wrap:normal;word-break:keep-all;hyphens:none;
 white-space:nowrap}
.px-confirmed{font-size:.68rem;font-weight:700;color:#166534;background:#dcfce7;border-radius:3px;padding:0 .3rem}
.px-empty{color:#6b7280;font-style:italic}
@media print{.px-grid th,.px-grid td{position:static!important}.px-grid-wrap{max-height:none;overflow:visible}}
"""


def to_html(report: Report, decisions: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """Render ``report`` as a self-contained HTML page; dismissed flags are left out of the findings."""
    decisions = decisions or {}
    ref = report.alignment.reference if report.alignment else None
    active = flag_items(report, decisions, FlagFilter(status="active"))
    dismissed = flag_items(report, decisions, FlagFilter(status=DISMISSED))
    counts = {s: sum(1 for it in active if it.flag.severity == s) for s in SEVERITIES}
    heading = title or "Parallax report"
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    langs = ", ".join(sorted({v.lang for v in report.versions}))

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(heading)}</title>",
        f"<style>{PAGE_CSS}{GRID_CSS}</style></head><body><main>",
        f"<h1>{esc(heading)}</h1>",
        f'<div class="px-meta">{len(report.versions)} version{"s" if len(report.versions) != 1 else ""}'
        f" ({esc(langs)}) · reference: {esc(ref or 'none (reference-free checks)')} · model: {esc(report.model)}"
        f" · generated {esc(generated)}</div>",
        '<div class="px-summary">',
        f'<div class="px-pill"><b>{len(active)}</b>open findings</div>',
        *(f'<div class="px-pill">{severity_badge(s)}<b>{counts[s]}</b>{esc(s)}</div>' for s in SEVERITIES),
        f'<div class="px-pill"><b>{len(dismissed)}</b>dismissed in review</div>',
        "</div>",
        "<h2>Versions</h2>",
        _cards_html(report, decisions),
        f"<h2>Findings ({len(active)})</h2>",
        _flags_table(active, "No open findings.") if active else '<p class="px-empty">No open findings.</p>',
        "<h2>Aligned text</h2>",
        grid_block(report, build_grid(report, {it.index for it in active})),
    ]
    if dismissed:
        parts += [
            f"<h2>Dismissed in review ({len(dismissed)})</h2>",
            _flags_table(dismissed, ""),
        ]
    parts.append("</main></body></html>")
    return xml_text("\n".join(parts)) + "\n"  # no character XML forbids, in any text or attribute


def _cards_html(report: Report, decisions: Mapping[str, str]) -> str:
    cards = []
    for card in score_cards(report, decisions):
        ref = '<span class="px-ref">ref</span>' if card.reference else ""
        counts = " · ".join(f"{card.counts[s]} {s}" for s in SEVERITIES)
        cards.append(
            f'<div class="px-card"><div class="px-name">{esc(card.label)} {ref}</div>'
            f'<div class="px-meta">{esc(card.language)} · {card.sentences} sentences</div>'
            f'<div class="px-score">{card.score:.0f}<span class="px-meta">/100</span></div>'
            f'<div class="px-counts">{esc(counts)}</div>'
            + (f'<div class="px-verdict"><b>{esc(card.verdict)}</b>: {esc(card.verdict_evidence)}</div>' if card.verdict else "")
            + "</div>"
        )
    return f'<div class="px-cards">{"".join(cards)}</div>'


def _flags_table(items, empty: str) -> str:
    if not items:
        return f'<p class="px-empty">{esc(empty)}</p>'
    rows = []
    for it in items:
        f = it.flag
        where = f'<a href="#{esc(it.anchor)}">row {it.row + 1}</a>' if it.anchor else "whole text"
        confirmed = ' <span class="px-confirmed">confirmed</span>' if it.decision == CONFIRMED else ""
        evidence = "<br>".join(f"<b>{esc(label)}:</b> {esc(shorten(text, 300))}" for label, text in evidence_lines(f))
        rows.append(
            f'<tr><td class="px-sevcell">{severity_badge(f.severity)}{confirmed}</td>'
            f'<td class="px-type">{esc(it.type_label)}</td>'
            f"<td>{esc(f.version)}</td><td>{where}</td><td>“{esc(shorten(f.text, 120))}”</td>"
            f"<td>{esc(f.message)}</td><td>{evidence}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("Severity", "Type", "Version", "Where", "Text", "Why", "Evidence"))
    return f'<table class="px-flags"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


__all__ = ["to_html"]
