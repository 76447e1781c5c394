"""View models: grid rows and highlighted pieces, word diff, filters, heatmap data, score cards, HTML escaping."""

from __future__ import annotations

import re

from qa import views
from qa.review import CONFIRMED, DISMISSED, report_keys
from tests.app_fixtures import HOSTILE, hostile_report, sample_report


def test_grid_has_one_row_per_alignment_row_and_one_cell_per_version():
    report = sample_report()
    rows = views.build_grid(report)
    assert [r.index for r in rows] == [0, 1, 2, 3]
    assert all([c.version for c in r.cells] == ["wire", "spun", "de"] for r in rows)
    assert rows[1].cells[2].text == "" and rows[1].cells[2].pieces == []  # de has no counterpart in row 1
    assert rows[2].cells[2].moved and not rows[2].cells[0].moved
    assert rows[0].cells[1].similarity == 0.93


def test_pieces_rebuild_the_cell_text_and_carry_their_flags():
    report = sample_report()
    rows = views.build_grid(report)
    for row in rows:
        for cell in row.cells:
            assert "".join(p.text for p in cell.pieces) == cell.text
    spun_row1 = rows[1].cells[1]
    flagged = [p for p in spun_row1.pieces if p.flags]
    assert [p.text for p in flagged] == ["10 km"]
    assert report.flags[flagged[0].flags[0]].type == "number_mismatch"
    assert rows[1].flags == sorted(rows[1].flags) and len(rows[1].flags) == 2  # spun's and wire's number flags


def test_only_visible_flags_are_highlighted():
    report = sample_report()
    critical = views.select_flags(report, flt=views.FlagFilter(severities=frozenset({"critical"})))
    rows = views.build_grid(report, critical)
    highlighted = {i for r in rows for c in r.cells for p in c.pieces for i in p.flags}
    assert highlighted == critical
    assert all(report.flags[i].severity == "critical" for i in highlighted)


def test_overlapping_flags_split_into_pieces():
    pieces = views.split_pieces("abcdefghij", [(2, 6, 0), (4, 8, 1)])
    assert [(p.text, p.flags) for p in pieces] == [("ab", ()), ("cd", (0,)), ("ef", (0, 1)), ("gh", (1,)), ("ij", ())]


def test_empty_span_flag_becomes_a_point_piece():
    pieces = views.split_pieces("abcdef", [(3, 3, 7)])
    assert [(p.text, p.flags) for p in pieces] == [("abc", ()), ("", (7,)), ("def", ())]


def test_word_diff_covers_b_and_lists_deleted_words():
    a = "The army carried out strikes near Terter, about 90 km away."
    b = "The army suppressed strikes near Tatar, about 10 km away today."
    ops = views.word_diff(a, b)
    assert "".join(op.text for op in ops if op.kind != "delete") == b
    assert [op.text for op in ops if op.kind == "delete"] == ["carried out", "Terter", "90"]
    assert [op.text.strip() for op in ops if op.kind == "insert"] == ["suppressed", "Tatar", "10", "today"]
    for op in ops:
        source = a if op.kind == "delete" else b
        assert source[op.start : op.end] == op.text


def test_word_diff_of_identical_and_empty_texts():
    assert [op.kind for op in views.word_diff("Same text.", "Same text.")] == ["equal"]
    assert views.word_diff("", "") == []
    assert [op.kind for op in views.word_diff("", "new words")] == ["insert"]
    assert [op.kind for op in views.word_diff("old words", "")] == ["delete"]


def test_grid_word_diff_between_same_language_versions():
    report = sample_report()
    assert views.same_language_pairs(report) == [("wire", "spun")]
    rows = views.build_grid(report, diff_pair=("wire", "spun"))
    spun = rows[1].cells[1]
    assert spun.diff_against == "wire"
    assert [p.text for p in spun.pieces if p.diff == "delete"] == ["90"]
    assert any(p.diff == "insert" and p.text.startswith("10") for p in spun.pieces)
    assert "".join(p.text for p in spun.pieces if p.diff != "delete") == spun.text
    assert all(p.diff == "equal" for p in rows[0].cells[0].pieces)  # the reference itself is not diffed


def test_filters_by_type_severity_version_and_status():
    report = sample_report()
    keys = report_keys(report)
    decisions = {keys[2]: DISMISSED, keys[0]: CONFIRMED}
    everything = views.flag_items(report, decisions, views.FlagFilter(status="all"))
    assert len(everything) == 5
    assert [it.flag.severity for it in everything] == sorted(
        (it.flag.severity for it in everything), key=views.SEVERITY_RANK.get
    )
    active = views.flag_items(report, decisions)
    assert keys[2] not in {it.key for it in active} and len(active) == 4
    assert {it.key for it in views.flag_items(report, decisions, views.FlagFilter(status="dismissed"))} == {keys[2]}
    assert {it.key for it in views.flag_items(report, decisions, views.FlagFilter(status="confirmed"))} == {keys[0]}
    assert len(views.flag_items(report, decisions, views.FlagFilter(status="open"))) == 3
    numbers = views.flag_items(report, decisions, views.FlagFilter(types=frozenset({"number_mismatch"})))
    assert {it.flag.version for it in numbers} == {"wire", "spun"}
    de_only = views.flag_items(report, decisions, views.FlagFilter(versions=frozenset({"de"})))
    assert [it.flag.type for it in de_only] == ["negation_flip"]
    assert de_only[0].anchor == "row-2" and de_only[0].row == 2


def test_filter_options_list_types_present_and_all_versions():
    options = views.filter_options(sample_report())
    assert set(options["types"]) == {"garbled_phrase", "number_mismatch", "boilerplate", "negation_flip"}
    assert options["versions"] == ["wire", "spun", "de"]
    assert options["severities"] == ["critical", "major", "minor"]


def test_single_version_grid_has_a_row_per_sentence():
    report = hostile_report()
    rows = views.build_grid(report)
    assert len(rows) == len(report.versions[0].sentences)
    item = views.flag_items(report)[0]
    assert item.anchor == views.row_anchor(report.flags[0].sentence)
    assert views.heatmap_data(report) == []


def test_heatmap_records_similarity_absence_and_flags():
    report = sample_report()
    records = views.heatmap_data(report)
    assert {(r["row"], r["version"]) for r in records} == {(i, v) for i in (1, 2, 3, 4) for v in ("spun", "de")}
    by_cell = {(r["row"], r["version"]): r for r in records}
    assert by_cell[(2, "de")]["similarity"] is None and by_cell[(2, "de")]["status"] == "absent here"
    assert by_cell[(3, "de")]["similarity"] == 0.62 and by_cell[(3, "de")]["status"] == "moved"
    assert by_cell[(2, "spun")]["flags"] == 1 and by_cell[(2, "spun")]["worst"] == "critical"
    assert by_cell[(4, "spun")]["status"] == "not in reference"
    chart = views.drift_heatmap(records, ["spun", "de"])
    spec = chart.to_dict()
    assert len(spec["layer"]) == 3 and spec["height"] > 0


def test_score_cards_leave_dismissed_flags_out():
    report = sample_report()
    keys = report_keys(report)
    before = {c.label: c for c in views.score_cards(report)}
    assert before["wire"].reference and before["spun"].counts == {"critical": 1, "major": 1, "minor": 1}
    spun_keys = [k for k, f in zip(keys, report.flags) if f.version == "spun"]
    after = {c.label: c for c in views.score_cards(report, dict.fromkeys(spun_keys, DISMISSED))}
    assert after["spun"].counts == {"critical": 0, "major": 0, "minor": 0}
    assert after["spun"].score == 100.0 > before["spun"].score
    assert after["spun"].dismissed == 3 and after["wire"].score == before["wire"].score
    summary = views.flag_summary(report, dict.fromkeys(spun_keys, DISMISSED))
    assert summary["dismissed"] == 3 and summary["open"] == 2 and summary["critical"] == 2


def test_type_table_counts_per_version():
    table = {r["Type"]: r for r in views.type_table(sample_report())}
    assert table["Number mismatch"]["wire"] == 1 and table["Number mismatch"]["spun"] == 1
    assert table["Number mismatch"]["Total"] == 2


def test_grid_html_has_anchors_severity_marks_and_evidence():
    report = sample_report()
    html = views.grid_html(report, views.build_grid(report))
    assert html.count('<tr id="row-') == 4
    assert '<mark class="px-flag px-critical"' in html and "10 km</mark>" in html
    assert "px-tag-moved" in html and 'class="px-absent"' in html
    assert "90 km here, 10 km in spun" in html  # the message, in the tooltip and the expandable notes
    assert "<details" in html


def test_all_article_text_is_escaped_in_html():
    report = hostile_report()
    rows = views.build_grid(report)
    html = views.grid_html(report, rows)
    cards = "".join(views.flag_card_html(it) for it in views.flag_items(report))
    score = "".join(views.score_card_html(c) for c in views.score_cards(report))
    for page in (html, cards, score):
        assert "<script" not in page and "<img" not in page and "<iframe" not in page
        assert '<b>"bold"' not in page and "other<i>" not in page
        assert not re.search(r"<(script|img|iframe|i>)", page)
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'evil&quot;&lt;b&gt;' in html
    assert HOSTILE not in html


def test_grid_puts_the_reference_first_and_makes_it_and_the_row_number_sticky():
    report = sample_report()
    report.alignment.reference = "spun"
    html = views.grid_html(report, views.build_grid(report))
    heads = re.findall(r"<th[^>]*>([^<]+)", html)
    assert heads == ["#", "spun", "wire", "de"]
    assert html.count('class="px-refcol"') == 1  # the head; cells carry it among their classes
    assert html.count("px-refcol") == 1 + len(report.alignment.rows)
    assert '<th class="px-num">' in html and html.count('<td class="px-num">') == len(report.alignment.rows)
    for rule in (".px-grid th.px-num,.px-grid td.px-num{position:sticky;left:0",
                 ".px-grid th.px-refcol,.px-grid td.px-refcol{position:sticky;left:3.2rem",
                 ".px-grid th{position:sticky;top:0"):
        assert rule in views.GRID_CSS
    block = views.grid_block(report, views.build_grid(report))
    assert block.startswith('<div class="px-grid-wrap" style="--px-cols:3">')


def test_evidence_is_a_compact_list_of_truncated_expandable_counterparts():
    report = sample_report()
    rows = views.build_grid(report)
    html = views.grid_html(report, rows)
    notes = re.findall(r'<details class="px-notes">.*?</ul></details>', html)
    assert notes
    long_counterpart = report.versions[0].sentences[1].text  # "The blaze broke out at 03:40 …" (> 60 characters)
    assert len(long_counterpart) > views.EVIDENCE_PREVIEW
    assert f'<div class="px-cp-full">{views.esc(long_counterpart)}</div>' in html
    summaries = re.findall(r'<details class="px-cp"><summary[^>]*>(.*?)</summary>', html)
    assert summaries and all(len(re.sub(r"<[^>]+>|&\w+;", "", s)) <= views.EVIDENCE_PREVIEW + 12 for s in summaries)
