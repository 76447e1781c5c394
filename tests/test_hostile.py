"""Hostile input (issue 15): each finding's crafted case gives a one-line error or a bounded, correct result."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import tracemalloc
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from qa import cli
from qa.errors import InputError
from qa.fetch import Response, Target, check_url, fetch_url, http_transport
from qa.formats import MAX_MARKDOWN_CHARS, markdown_text, read_upload
from qa.report import to_csv
from qa.safe_output import csv_cell, json_line, xml_text
from qa.score_pairs import MAX_LINE_BYTES, read_pairs
from tests import hostile_files as hf
from tests.app_fixtures import sample_report

PUBLIC = "93.184.216.34"


def peak_python_memory(fn) -> tuple[int, object]:
    """Peak bytes Python allocated while ``fn`` ran (bytes objects included), and what it returned or raised."""
    tracemalloc.start()
    try:
        try:
            result: object = fn()
        except Exception as exc:  # the caller checks what was raised
            result = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


# --- 1. .docx zip bomb with a lying directory ----------------------------------------------------------------


def test_docx_whose_directory_lies_is_refused_without_inflating_it():
    name, data = hf.docx_bomb_lying(300 << 20)
    assert len(data) < 1_000_000  # a small upload...
    peak, result = peak_python_memory(lambda: read_upload(name, data))
    assert isinstance(result, InputError) and "damaged" in str(result)
    assert peak < 32 << 20, f"{peak / 2**20:.0f} MB allocated"  # ...that used to cost 2 x 300 MB before refusal


def test_docx_that_inflates_past_the_limit_is_refused_while_reading():
    name, data = hf.docx_bomb_honest(100 << 20)
    peak, result = peak_python_memory(lambda: read_upload(name, data))
    assert isinstance(result, InputError) and "unpacks to more than" in str(result)
    assert peak < 64 << 20


def test_docx_with_images_reads_its_text():
    data = hf.honest_docx(["The tanker burned for nine hours."], {"word/media/image1.png": b"\x89PNG" + b"\0" * 5000})
    [version] = read_upload("story.docx", data)
    assert version.text.strip() == "The tanker burned for nine hours."


# --- 2. Markdown cost ----------------------------------------------------------------------------------------


def _best_time(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("kind", ["bold", "italic", "link", "heading"])
def test_markdown_parse_cost_grows_linearly(kind):
    """4x the crafted input costs about 4x the time (quadratic parsing gave 16x); a bound, not a timing target."""
    small = hf.markdown_crafted(kind, 10_000)[1].decode()
    large = hf.markdown_crafted(kind, 40_000)[1].decode()
    t_small = _best_time(lambda: markdown_text(small))
    t_large = _best_time(lambda: markdown_text(large))
    # too fast to time reliably counts as linear: quadratic parsing took 30-44 s on 40 KB of such input
    assert t_large < 9.0 * t_small or t_large < 0.1, (t_small, t_large)


def test_markdown_markup_goes_and_words_stay():
    text = markdown_text("# Tanker fire\n\nA **fire** on a [tanker](http://x) killed *four*.\n\n- `03:40` start\n")
    assert text == "Tanker fire\nA fire on a tanker killed four.\n03:40 start\n"


def test_markdown_over_its_limit_is_refused_with_a_reason():
    name, data = hf.markdown_crafted("brackets", MAX_MARKDOWN_CHARS + 10)
    with pytest.raises(InputError, match="too long for a Markdown file.*save it as .txt"):
        read_upload(name, data)


# --- 3. URL fetch deadline over the whole request ------------------------------------------------------------


class _Dripper:
    """A local server that sends one byte every ``interval`` seconds, forever (headers, then body)."""

    def __init__(self, headers_first: bool):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.headers_first = headers_first
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.sock.accept()
        conn.recv(65536)
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        if self.headers_first:
            conn.sendall(payload + b"\r\n")
            payload = b"<html><body>" + b"x" * 10_000
        for byte in payload * 1000:
            if self.stop.is_set():
                break
            try:
                conn.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
        conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("headers_first", [False, True], ids=["dripping headers", "dripping body"])
def test_a_dripping_server_cannot_hold_the_fetch_past_its_deadline(headers_first):
    server = _Dripper(headers_first)
    try:
        def local(target: Target, timeout: float, max_bytes: int) -> Response:
            return http_transport(replace(target, ip="127.0.0.1", port=server.port), timeout, max_bytes)

        start = time.monotonic()
        with pytest.raises(InputError, match="did not answer within 1 s"):
            fetch_url("http://news.example/story", resolver=lambda h, p: [PUBLIC], transport=local, timeout=1.0)
        assert time.monotonic() - start < 5.0  # the socket timeout alone let it run as long as the server liked
    finally:
        server.close()


# --- 4. non-ASCII URLs ----------------------------------------------------------------------------------------


def test_non_ascii_path_and_query_are_percent_encoded_before_the_guard_and_the_request():
    target = check_url("https://bücher.example/über uns?q=Straße&x=ü", resolver=lambda h, p: [PUBLIC])
    assert target.host == "xn--bcher-kva.example"
    assert target.path == "/%C3%BCber%20uns?q=Stra%C3%9Fe&x=%C3%BC"
    target.path.encode("ascii")
    already = check_url("https://news.example/%C3%BCber", resolver=lambda h, p: [PUBLIC])
    assert already.path == "/%C3%BCber"  # not encoded twice


def test_non_ascii_url_fetches_through_the_real_transport():
    seen = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        seen.append(conn.recv(65536).split(b"\r\n")[0])
        body = b"<html><body><article><p>Die Feuerwehr war nach zehn Minuten vor Ort und loeschte den Brand.</p></article></body></html>"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        page = fetch_url(
            "http://news.example/über?ort=Köln", resolver=lambda h, p: [PUBLIC],
            transport=lambda t, timeout, mb: http_transport(replace(t, ip="127.0.0.1", port=port), timeout, mb),
        )
    finally:
        server.close()
    assert seen == [b"GET /%C3%BCber?ort=K%C3%B6ln HTTP/1.1"]
    assert "Feuerwehr" in page.text


@pytest.mark.parametrize("url", ["https://exa\x00mple.com/", "https://a" + "b" * 70 + ".com/", "https://../", "https://a b.com/"])
def test_malformed_host_names_are_refused_in_one_line(url):
    with pytest.raises(InputError):
        check_url(url, resolver=lambda h, p: [PUBLIC])


# --- 5. CSV formula injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", " =1"])
def test_csv_cells_that_would_start_a_formula_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


def test_csv_export_quotes_everything_and_runs_no_formula():
    report = sample_report()
    flag = replace(report.flags[0], text='=cmd|" /C calc"!A0', message="+danger, \"quoted\"")
    out = to_csv([flag])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][8] == "'" + flag.text and rows[1][9] == "'" + flag.message
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert out.splitlines()[1].startswith('"')  # every field quoted


# --- 6. XML exports -------------------------------------------------------------------------------------------


def test_every_attribute_and_text_of_the_tmx_export_is_well_formed():
    from qa.export_tmx import to_tmx

    report = sample_report()
    bad = "de\x01\x1f\ufffe"
    report.versions[2].label = bad
    for row in report.alignment.rows:
        row.cells[bad] = row.cells.pop("de")
        if "de" in row.similarity:
            row.similarity[bad] = row.similarity.pop("de")
    root = ET.fromstring(to_tmx(report).encode("utf-8"))  # raised "not well-formed" on the tuid before
    tuids = [tu.get("tuid") for tu in root.iter("tu")]
    assert any(t.endswith("-de\ufffd\ufffd\ufffd") for t in tuids)


def test_html_export_holds_no_character_xml_forbids():
    from qa.export_html import to_html

    report = sample_report()
    report.flags[0] = replace(report.flags[0], message="bell \x07 and \x0b tab", text="x\x08")
    page = to_html(report, title="Title \x00 with \x1b escape")
    assert not any(ch in page for ch in "\x00\x07\x08\x0b\x1b")
    assert "bell \ufffd and \ufffd tab" in page
    assert xml_text("a\x00b\ud800c") == "a\ufffdb\ufffdc"


# --- 8. score-pairs input and output ---------------------------------------------------------------------------


def test_score_pairs_ids_of_every_kind_give_valid_json(tmp_path):
    lines = [
        '{"id": "\\ud800lone", "src": "Four people died.", "tgt": "Vier Menschen starben \\udfff."}',
        '{"id": ' + "9" * 5000 + ', "src": "Four people died.", "tgt": "Vier Menschen starben."}',
        '{"id": NaN, "src": "Four people died.", "tgt": "Vier Menschen starben."}',
        '{"id": -Infinity, "src": "Four people died.", "tgt": "Vier Menschen starben."}',
        '{"id": 1e999, "src": "Four people died.", "tgt": "Vier Menschen starben."}',
    ]
    src = tmp_path / "pairs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    assert cli.main(["score-pairs", str(src), "--out", str(out)]) == 0
    raw = out.read_bytes().decode("utf-8")  # strict UTF-8: no surrogate could be written
    results = [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in output")) for line in raw.splitlines()]
    assert [r["id"] for r in results] == ["\ud800lone", "9" * 5000, "NaN", "-Infinity", "1e999"]
    assert all(isinstance(r["risk"], float) for r in results)


def test_score_pairs_refuses_an_endless_input_after_one_line(tmp_path):
    peak, result = peak_python_memory(lambda: read_pairs("/dev/zero"))
    assert isinstance(result, InputError) and "line 1" in str(result)
    assert peak < 4 * MAX_LINE_BYTES + (8 << 20)


def test_json_line_never_writes_nan():
    with pytest.raises(ValueError):
        json_line({"x": float("nan")})
    assert json_line({"id": "\udc80"}) == '{"id": "\\udc80"}'


# --- 9. XML comments, and --out checked first -----------------------------------------------------------------


@pytest.mark.parametrize("make", [hf.xliff_with_comments, hf.tmx_with_comments])
def test_xml_comments_inside_segments_are_not_text(make):
    name, data = make()
    versions = read_upload(name, data)
    text = " ".join(v.text for v in versions)
    assert "TODO" not in text and "prüfen" not in text and "secret" not in text and "Notiz" not in text
    assert "killed four people" in text or "crew members died" in text


@pytest.mark.parametrize("command", ["check", "align", "score-pairs"])
def test_a_bad_out_path_is_reported_before_any_work(command, tmp_path, monkeypatch, capsys):
    import qa.pipeline
    import qa.score_pairs

    def no_work(*args, **kwargs):
        raise AssertionError("the analysis started")

    monkeypatch.setattr(qa.pipeline, "analyze_versions", no_work)
    monkeypatch.setattr(qa.score_pairs, "score_pairs", no_work)
    a = tmp_path / "a.txt"
    a.write_text("Four people died in the fire.\n")
    pairs = tmp_path / "p.jsonl"
    pairs.write_text('{"src": "a", "tgt": "b"}\n')
    bad = str(tmp_path / "missing-folder" / "out.txt")
    argv = {"check": ["check", str(a), "--out", bad], "align": ["align", str(a), str(a), "--out", bad],
            "score-pairs": ["score-pairs", str(pairs), "--out", bad]}[command]
    assert cli.main(argv) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "does not exist" in err and err.count("\n") == 1


def test_app_url_import_bug_shows_a_message_not_streamlits_error_page(tmp_path, monkeypatch):
    """A UnicodeEncodeError (or any bug) out of the fetch used to replace the page and drop the session."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import qa.fetch
    from qa import checks
    from qa.checks.base import Check

    def broken(url, label=None, **options):
        raise UnicodeEncodeError("ascii", url, 0, 1, "ordinal not in range(128)")

    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(checks, "CHECKS", [Check("nothing", False, lambda ctx: [])])
    monkeypatch.setattr(qa.fetch, "import_url", broken)
    st.cache_data.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=300)
    at.run()
    drafts = len(at.session_state.drafts)
    at.segmented_control(key="add_how").set_value("URL").run()
    at.text_input(key="url").set_value("https://news.example/über")
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("could not be imported (internal error: UnicodeEncodeError)" in e.value for e in at.error)
    assert len(at.session_state.drafts) == drafts  # the session and its versions are kept
    st.cache_data.clear()


def test_a_redirect_to_a_non_ascii_address_is_followed_encoded():
    from tests.test_fetch import FakeTransport, html

    pages = {
        "https://news.example/old": Response(301, {"location": "/über-uns?q=ß".encode().decode("latin-1")}),
        "https://news.example/%C3%BCber-uns?q=%C3%9F": html(),
    }
    transport = FakeTransport(pages)
    page = fetch_url("https://news.example/old", resolver=lambda h, p: [PUBLIC], transport=transport)
    assert page.final_url == "https://news.example/%C3%BCber-uns?q=%C3%9F"
    assert "killed four crew members" in page.text


def test_a_name_server_that_never_answers_is_given_up_on(monkeypatch):
    import qa.fetch

    monkeypatch.setattr(qa.fetch.socket, "getaddrinfo", lambda *a, **k: time.sleep(30))
    start = time.monotonic()
    with pytest.raises(InputError, match="cannot look up news.example: no answer from the name server within 1 s"):
        check_url("https://news.example/", resolver=lambda h, p: qa.fetch.system_resolver(h, p, timeout=1.0))
    assert time.monotonic() - start < 5.0
