"""Exports: standalone HTML (escaped, decisions applied), TMX of aligned pairs, JSON/CSV with review applied."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from qa.errors import InputError
from qa.export_html import to_html
from qa.export_tmx import XML_LANG, to_tmx
from qa.formats import tmx_versions
from qa.report import to_csv
from qa.review import CONFIRMED, DISMISSED, report_keys, reviewed_report
from tests.app_fixtures import HOSTILE, hostile_report, sample_report


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_html_report_is_standalone_and_complete():
    report = sample_report()
    page = to_html(report, title="Tanker fire")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    tags = _parse(page)
    assert "script" not in tags.tags and "link" not in tags.tags and "iframe" not in tags.tags
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from the network
    assert "<title>Tanker fire</title>" in page
    for f in report.flags:
        assert f.message in page
    assert page.count('<tr id="row-') == 4
    assert 'href="#row-1"' in page  # flags link to their rows
    assert "Findings (5)" in page


def test_html_report_escapes_every_piece_of_article_text():
    page = to_html(hostile_report(), title='<script>alert("t")</script>')
    tags = _parse(page)
    assert set(tags.tags) <= {
        "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "div", "span", "b", "table", "thead",
        "tbody", "tr", "th", "td", "a", "mark", "details", "summary", "ul", "li", "p", "br", "del", "ins", "colgroup",
        "col",
    }
    assert not any(name.startswith("on") for name, _ in tags.attrs)
    assert HOSTILE not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<iframe" not in page and "&lt;iframe" in page
    assert "<title>&lt;script&gt;" in page


def test_html_report_applies_review_decisions():
    report = sample_report()
    keys = report_keys(report)
    page = to_html(report, {keys[1]: DISMISSED, keys[0]: CONFIRMED})
    assert "Findings (4)" in page and "Dismissed in review (1)" in page
    findings, dismissed = page.split("Dismissed in review (1)")
    assert "10 km here, 90 km in wire" not in findings.split("Aligned text")[0]
    assert "10 km here, 90 km in wire" in dismissed
    assert "px-confirmed" in findings
    # the dismissed flag is not highlighted in the grid either
    grid = findings.split("Aligned text")[1]
    assert "10 km</mark>" not in grid and "90 km</mark>" in grid


def test_tmx_pairs_reference_with_translations():
    report = sample_report()
    tmx = to_tmx(report)
    root = ET.fromstring(tmx.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "en"
    tus = root.findall("body/tu")
    # de has counterparts in rows 0 and 2 (row 2 with an open critical flag, so left out by default);
    # spun (same language as wire) is left out by default
    assert [tu.get("tuid") for tu in tus] == ["1-de"]
    assert not any("FLAGGED" in (n.text or "") for n in root.iter("note"))
    root = ET.fromstring(to_tmx(report, include_flagged=True).encode("utf-8"))
    tus = root.findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == ["1-de", "3-de"]
    first = tus[0]
    assert [tuv.get(XML_LANG) for tuv in first.findall("tuv")] == ["en", "de"]
    assert first.find("tuv/seg").text == report.versions[0].sentences[0].text
    notes = [n.text for n in tus[1].findall("note")]
    assert any("negation flip" in n for n in notes)
    assert any(n.startswith("FLAGGED: 1 open critical") for n in notes)
    props = {p.get("type"): p.text for p in tus[1].findall("prop")}
    assert props["x-target-version"] == "de" and props["x-similarity"] == "0.620"
    assert props["x-flagged"] == "critical" and "x-flagged" not in {p.get("type") for p in first.findall("prop")}


def test_tmx_leaves_out_pairs_with_open_major_flags_of_either_side():
    report = sample_report()
    keys = report_keys(report)
    with_same = ET.fromstring(to_tmx(report, include_same_language=True).encode())
    # spun row 0 (major garbled phrase) and row 1 (critical number, also raised on the wire side) are left out
    assert [tu.get("tuid") for tu in with_same.findall("body/tu")] == ["1-de", "3-spun"]
    # dismissing the flags opens the pairs again
    both = {keys[0]: DISMISSED, keys[1]: DISMISSED, keys[4]: DISMISSED, keys[3]: DISMISSED}
    reopened = ET.fromstring(to_tmx(report, both, include_same_language=True).encode())
    assert [tu.get("tuid") for tu in reopened.findall("body/tu")] == ["1-spun", "1-de", "2-spun", "3-spun", "3-de"]


def test_tmx_options_decisions_and_round_trip():
    report = sample_report()
    keys = report_keys(report)
    with_same = ET.fromstring(to_tmx(report, include_same_language=True, include_flagged=True).encode())
    assert len(with_same.findall("body/tu")) == 5  # spun rows 0, 1, 2 plus de rows 0, 2
    dismissed = ET.fromstring(to_tmx(report, {keys[3]: DISMISSED}).encode())
    assert not any("negation" in (n.text or "") for n in dismissed.iter("note"))
    assert len(dismissed.findall("body/tu")) == 2  # the dismissed flag no longer keeps its pair out
    versions = tmx_versions(to_tmx(report, include_flagged=True).encode("utf-8"), "pairs.tmx")
    assert [(v.label, v.lang) for v in versions] == [("pairs (en)", "en"), ("pairs (de)", "de")]
    assert versions[1].text.splitlines() == [s.text for s in report.versions[2].sentences]


def test_tmx_cleans_characters_xml_cannot_hold():
    report = sample_report()
    de = report.versions[2]
    bad = de.sentences[0].text.replace("Tanker", "Tan\x0bker\x00")
    de.sentences[0] = type(de.sentences[0])(0, bad, de.sentences[0].start, de.sentences[0].end, 0)
    root = ET.fromstring(to_tmx(report).encode("utf-8"))
    assert "\ufffd" in root.find("body/tu/tuv[2]/seg").text


def test_tmx_needs_an_alignment():
    with pytest.raises(InputError, match="two aligned versions"):
        to_tmx(hostile_report())


def test_csv_of_reviewed_flags():
    report = sample_report()
    keys = report_keys(report)
    rows = list(csv.DictReader(io.StringIO(to_csv(reviewed_report(report, {keys[2]: DISMISSED}).flags))))
    assert len(rows) == 4 and "Please enter your comment!" not in {r["text"] for r in rows}
    assert {r["severity"] for r in rows} == {"critical", "major"}


def test_cli_check_writes_the_html_report(tmp_path):
    from qa.cli import main
    from tests.app_fixtures import SPUN, WIRE

    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "spun.txt").write_text(SPUN + "<script>alert(1)</script>\n", encoding="utf-8")
    out = tmp_path / "report.html"
    code = main(["check", str(tmp_path / "wire.txt"), str(tmp_path / "spun.txt"), "--format", "html", "--out", str(out)])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert page.count('<tr id="row-') >= 4


def test_html_report_never_breaks_a_flag_type_mid_word():
    page = to_html(sample_report())
    assert '<td class="px-type">Number mismatch</td>' in page
    rule = re.search(r"table\.px-flags td\.px-type,table\.px-flags td\.px-sevcell\{([^}]*)\}", page)
    assert rule and "white-space:nowrap" in rule.group(1) and "overflow-wrap:normal" in rule.group(1)
    assert 'class="px-type">Number mismatch</b>' in page  # the grid's evidence list: a nowrap type label
    assert "details.px-notes li b.px-type{white-space:nowrap}" in page
