"""The Streamlit app, driven headless by AppTest: sample corpus, flags, review persistence, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from qa import checks, workspace
from qa.checks.base import Check, sentence_flag
from qa.corpus import load_corpus
from qa.review import DISMISSED, ReviewStore

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 300  # the first run loads the encoder and analyses five versions on a shared 2-core machine


def planted(ctx):
    """An oracle check: a flag on every annotated problem of the sample corpus (app display, not detection)."""
    problems = load_corpus().problems
    out = []
    for p in problems:
        version = ctx.version(p.version)
        sentence = next(s for s in version.sentences if s.start <= p.start < s.end)
        out.append(
            sentence_flag(ctx, version, sentence, p.start, p.end, type=p.type, severity=p.severity,
                          message=f"planted: {p.note or p.type}", confidence=1.0, check="app_test_planted")
        )
    return out


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def oracle(monkeypatch):
    """Only the planted check runs (the real checks are tested on their own); analysis caches are cleared."""
    monkeypatch.setattr(checks, "CHECKS", [Check("app_test_planted", False, planted)])
    st.cache_data.clear()
    yield load_corpus()
    st.cache_data.clear()


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_of(block) -> str:
    return "\n".join(h.value for h in block.html)


def grid(at: AppTest) -> str:
    return next(h.value for h in at.html if 'class="px-grid"' in h.value)


def test_opens_with_the_sample_corpus_and_shows_its_flags(data_dir, oracle):
    at = run_app()
    assert not at.error
    assert oracle.title in html_of(at.main)
    assert [d.label for d in at.session_state["drafts"]] == [v.label for v in oracle.versions]
    page_grid = grid(at)
    for v in oracle.versions:
        assert f"<th>{v.label}<" in page_grid or f'<th class="px-refcol">{v.label}<' in page_grid
    assert page_grid.count('<tr id="row-') >= len(load_corpus().versions[0].text.splitlines()) // 2
    sidebar = html_of(at.sidebar)
    known = {("spun", "Flammenberg"), ("spun", "remain remain"), ("de", "Aktobe"), ("fr", "Serik Akhmetov")}
    for _version, text in known:
        assert text in sidebar
        assert f">{text}</mark>" in page_grid, text  # highlighted inline in the grid
    n_cards = sum(1 for h in at.sidebar.html if "px-card-flag" in h.value)
    assert n_cards == min(len(oracle.problems), 40)
    assert "px-critical" in page_grid and "px-tag-moved" not in sidebar
    labels = {b.label for b in at.download_button}
    assert labels == {"JSON report", "CSV of flags", "HTML report", "TMX (aligned pairs)", "Export project"}


def test_filters_narrow_the_list_without_recomputing(data_dir, oracle, monkeypatch):
    calls = []
    original = workspace.run_analysis

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(workspace, "run_analysis", counting)
    at = run_app()
    first = len(calls)
    at.pills(key="f_sev").set_value(["critical"]).run()
    cards = [h.value for h in at.sidebar.html if "px-card-flag" in h.value]
    critical = [p for p in oracle.problems if p.severity == "critical"]
    assert len(cards) == len(critical) and all("px-card-critical" in c for c in cards)
    at.multiselect(key="f_version").set_value(["fr"]).run()
    cards = [h.value for h in at.sidebar.html if "px-card-flag" in h.value]
    assert len(cards) == sum(1 for p in critical if p.version == "fr")
    at.toggle(key="only_flagged").set_value(True).run()
    assert len(calls) == first  # filters and view options never re-run the analysis


def test_reanalysis_after_an_edit_segments_and_embeds_only_what_changed(oracle):
    from qa.encoder import get_encoder
    from qa.pipeline import VersionInput, analyze
    from qa.report import to_dict

    inputs = [VersionInput(v.label, v.text, v.lang) for v in oracle.versions]
    key = workspace.inputs_key(inputs)
    first = workspace.run_analysis(key, oracle.reference)
    assert to_dict(first) == to_dict(analyze(inputs, oracle.reference))  # the app's path is the pipeline's

    pos = [label for label, _, _ in key].index("es")  # the faithful version: no planted problem moves
    label, text, lang = key[pos]
    sentence = first.versions[pos].sentences[3]
    body = sentence.text.rstrip(".")
    edited = text[: sentence.start] + body + " hoy" + sentence.text[len(body) :] + text[sentence.end :]
    encoder = get_encoder()
    before = encoder.embedded_count
    second = workspace.run_analysis(key[:pos] + ((label, edited, lang),) + key[pos + 1 :], oracle.reference)
    assert encoder.embedded_count - before == 1  # only the edited sentence went through the model
    assert all(a is b for i, (a, b) in enumerate(zip(first.versions, second.versions)) if i != pos)
    assert second.versions[pos].text == edited


def test_a_dismissal_persists_across_sessions(data_dir, oracle):
    at = run_app()
    target = next(b for b in at.button if b.key and b.key.startswith("dismiss-"))
    key = target.key.removeprefix("dismiss-")
    before = sum(1 for h in at.sidebar.html if "px-card-flag" in h.value)
    target.click().run()
    assert not at.exception
    assert ReviewStore(data_dir / "reviews.sqlite3").get_many([key]) == {key: DISMISSED}

    fresh = run_app()  # a new session: a restart, another tab
    assert not any(b.key == f"dismiss-{key}" for b in fresh.button)
    assert '<b>1</b>dismissed' in html_of(fresh.main)
    after = sum(1 for h in fresh.sidebar.html if "px-card-flag" in h.value)
    assert after == min(before, len(oracle.problems) - 1)
    fresh.segmented_control(key="f_status").set_value("dismissed").run()
    undo = [b for b in fresh.button if b.key == f"undo-{key}-d"]
    assert len(undo) == 1
    undo[0].click().run()
    assert ReviewStore(data_dir / "reviews.sqlite3").get_many([key]) == {}


def test_flags_sharing_a_review_key_get_their_own_entries(data_dir, monkeypatch):
    """Two flags on the same text of the same sentence (one finding) share a decision, not the widget keys."""
    monkeypatch.setattr(checks, "CHECKS", [Check("app_test_twice", False, lambda ctx: planted(ctx)[:1] * 2)])
    st.cache_data.clear()
    try:
        at = run_app()
        assert not at.error, [e.value for e in at.error]
        dismiss = [b for b in at.button if b.key and b.key.startswith("dismiss-")]
        assert len(dismiss) == 2 and len({b.key for b in dismiss}) == 2
        dismiss[1].click().run()
        assert not at.exception and not at.error
        assert not [b for b in at.button if b.key and b.key.startswith("dismiss-")]  # one decision covers both
        assert "<b>2</b>dismissed" in html_of(at.main)
    finally:
        st.cache_data.clear()


def test_flags_of_the_registered_checks_are_all_listed(data_dir):
    """With the real checks: the page lists exactly the flags the pipeline reports (or says nothing was found).

    The app's report comes from ``workspace.run_analysis``, which gives the pipeline's result (tested above).
    """
    at = run_app()
    report = at.session_state["report"]
    assert [v.label for v in report.versions] == [v.label for v in load_corpus().versions]
    if report.flags:
        shown = sum(1 for h in at.sidebar.html if "px-card-flag" in h.value)
        assert shown == min(len(report.flags), 40)
        assert f"{len(report.flags)} of {len(report.flags)} flags shown" in [c.value for c in at.sidebar.caption]
    else:
        assert any("Nothing flagged" in s.value for s in at.sidebar.success)


def test_no_corpus_gives_an_empty_workspace(data_dir, monkeypatch):
    import qa.corpus
    from qa.errors import InputError

    def missing(folder=None):
        raise InputError("no sample corpus found under corpora/")

    monkeypatch.setattr(qa.corpus, "load_corpus", missing)
    at = run_app()
    assert any("No sample corpus available" in i.value for i in at.info)
    assert any("no versions yet" in e.value for e in at.error)
    assert "Add versions in the" in html_of(at.main)
    at.text_input(key="paste_label").set_value("Reuters")
    at.text_area(key="paste_text").set_value("A fire on a tanker in Aktau killed four crew members on Tuesday.")
    next(b for b in at.button if b.label == "Add version").click().run()
    assert not at.exception and not at.error
    assert [d.label for d in at.session_state["drafts"]] == ["Reuters"]
    assert 'class="px-grid"' in html_of(at.main)  # a single version: reference-free review
    assert any("at least two versions" in i.value for i in at.info)


def _draft_key(at: AppTest, label: str, field: str) -> str:
    draft = next(d for d in at.session_state["drafts"] if d.label == label)
    return f"{field}-{draft.id}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "es: is empty"),
        ("   \n  ", "es: is empty"),
        ("x" * 2_100_000, "too long"),
    ],
)
def test_bad_version_text_shows_a_message_not_a_traceback(data_dir, text, message):
    at = run_app()
    at.text_area(key=_draft_key(at, "es", "text")).set_value(text).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert any("previous analysis" in c.value for c in at.caption)


def test_text_in_no_recognisable_language_asks_for_one(data_dir):
    at = run_app()
    at.selectbox(key=_draft_key(at, "es", "lang")).set_value("auto")
    at.text_area(key=_draft_key(at, "es", "text")).set_value("12 345 678 — 90 % · 2024-10-01").run()
    assert not at.exception
    assert any("es: cannot tell which language" in e.value for e in at.error), [e.value for e in at.error]
    at.selectbox(key=_draft_key(at, "es", "lang")).set_value("es").run()
    assert not at.error


def test_workspace_validation_messages():
    from qa.errors import InputError

    ok = workspace.new_draft("wire", "A fire on a tanker in Aktau killed four crew members on Tuesday.")
    assert [i.label for i in workspace.to_inputs([ok])] == ["wire"]
    cases = [
        ([], "no versions yet"),
        ([workspace.new_draft(" ", ok.text)], "needs a label"),
        ([ok, workspace.new_draft("wire", ok.text)], "repeated: wire"),
        ([workspace.new_draft("x", ok.text, lang="klingon")], "unknown language code 'klingon'"),
        ([workspace.new_draft("x", "")], "x: is empty"),
        ([workspace.new_draft(f"v{i}", ok.text) for i in range(workspace.MAX_VERSIONS + 1)], "too many"),
    ]
    for drafts, message in cases:
        with pytest.raises(InputError, match=message):
            workspace.to_inputs(drafts)
    assert workspace.to_inputs([workspace.new_draft("x", ok.text, lang="pt-BR")])[0].lang == "pt"
    assert workspace.unique_label("wire", ["wire", "wire 2"]) == "wire 3"


def test_duplicate_labels_are_refused(data_dir):
    at = run_app()
    at.text_input(key=_draft_key(at, "es", "label")).set_value("fr").run()
    assert any("labels must be unique; repeated: fr" in e.value for e in at.error)


def test_five_megabyte_paste_is_refused(data_dir):
    at = run_app()
    at.text_area(key="paste_text").set_value("word " * 1_000_000)
    next(b for b in at.button if b.label == "Add version").click().run()
    assert not at.exception
    assert any("too long" in e.value for e in at.error)
    assert len(at.session_state["drafts"]) == 5


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("broken.txt", b"\xff\xfe\x00\xd8", "not valid utf-16"),
        ("report.pdf", b"%PDF-1.4", "PDF files are not supported"),
    ],
)
def test_bad_uploads_show_their_message(data_dir, name, data, message):
    at = run_app()
    at.segmented_control(key="add_how").set_value("Upload").run()
    at.file_uploader[0].upload(name, data).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert len(at.session_state["drafts"]) == 5


def test_upload_adds_a_version(data_dir):
    at = run_app()
    at.segmented_control(key="add_how").set_value("Upload").run()
    text = "Ein Brand auf einem Tanker in Aktau hat am Dienstag vier Besatzungsmitglieder getötet.\n"
    at.file_uploader[0].upload("dpa.txt", text.encode()).run()
    assert not at.exception
    assert [d.label for d in at.session_state["drafts"]][-1] == "dpa"
    assert "<th>dpa<" in grid(at)


def test_url_import_refuses_local_addresses(data_dir):
    at = run_app()
    at.segmented_control(key="add_how").set_value("URL").run()
    at.text_input(key="url").set_value("http://127.0.0.1:8501/")
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    assert any("private, local or reserved" in e.value for e in at.error)


def test_choosing_another_reference(data_dir):
    at = run_app()
    at.selectbox(key="reference").set_value("de").run()
    assert not at.exception and not at.error
    assert "reference: de" in html_of(at.main)
    assert '<th class="px-refcol">de<span class="px-lang">de</span><span class="px-ref">ref</span>' in grid(at)
