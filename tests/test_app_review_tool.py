"""The app as a review tool: the reference and its reason, every language, TMX filtering, the loading page."""

from __future__ import annotations

import time
from pathlib import Path

from qa.background import BackgroundLoad
from tests.test_app import _draft_key, data_dir, grid, html_of, oracle, run_app  # noqa: F401  (fixtures)

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
PADDING = (
    "Subscribe to our newsletter\nShare this article\n"
    "The city's basketball team won its third straight game on Saturday, beating the visitors by twelve points.\n"
    "A new bakery chain opened four shops in the capital and plans to hire 80 bakers next year.\n"
    "Celebrity chef reveals her favourite summer salad recipe.\nPlease enter your comment!\n"
)


def _paste(at, label: str, text: str) -> None:
    at.text_input(key="paste_label").set_value(label)
    at.text_area(key="paste_text").set_value(text)
    next(b for b in at.button if b.label == "Add version").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_reference_is_not_the_padded_copy_and_says_why(data_dir, oracle):  # noqa: F811
    at = run_app()
    at.selectbox(key="reference").set_value("auto").run()  # the sample's manifest names its reference
    wire = next(d for d in at.session_state["drafts"] if d.label == "wire").text
    _paste(at, "scraped", wire + PADDING)
    page = html_of(at.main)
    assert "Reference <b>wire</b> · chosen automatically: the others agree with it most" in page
    assert "not scraped, the longest" in page
    assert '<th class="px-refcol">wire<' in grid(at)
    # one click to change it, and back to the automatic choice
    at.selectbox(key="ref_pick").set_value("de").run()
    assert at.session_state["reference"] == "de" and "Reference <b>de</b> · set by hand" in html_of(at.main)
    assert grid(at).index('<th class="px-refcol">de<') < grid(at).index("<th>wire<")  # the reference comes first
    at.selectbox(key="ref_pick").set_value("auto").run()
    assert at.session_state["reference"] == "auto" and "Reference <b>wire</b>" in html_of(at.main)


def test_georgian_amharic_and_kazakh_analyse_in_the_app(data_dir, oracle):  # noqa: F811
    at = run_app()
    _paste(at, "Georgian", (SCRIPTS / "ka.txt").read_text(encoding="utf-8"))
    assert not at.error, [e.value for e in at.error]
    assert '<th>Georgian<span class="px-lang">ka</span>' in grid(at)  # settled by its script, not "Estonian"
    _paste(at, "Amharic", (SCRIPTS / "am.txt").read_text(encoding="utf-8"))
    asked = [e.value for e in at.error]
    assert any("Amharic: cannot tell which language" in e and "Amharic or Tigrinya" in e for e in asked), asked
    lang = at.selectbox(key=_draft_key(at, "Amharic", "lang"))
    assert "Amharic (am)" in lang.options and "Kazakh (kk)" in lang.options and len(lang.options) > 180
    lang.set_value("am").run()
    _paste(at, "Kazakh", (SCRIPTS / "kk.txt").read_text(encoding="utf-8"))
    at.selectbox(key=_draft_key(at, "Kazakh", "lang")).set_value("kk").run()
    assert not at.error, [e.value for e in at.error]
    page_grid = grid(at)
    for label, code in (("Amharic", "am"), ("Kazakh", "kk")):
        assert f'<th>{label}<span class="px-lang">{code}</span>' in page_grid
    assert "Amharic" in html_of(at.main) and "Kazakh" in html_of(at.main)


def test_the_tmx_checkbox_keeps_flagged_pairs_in(data_dir, oracle):  # noqa: F811
    at = run_app()
    box = at.checkbox(key="tmx_flagged")
    assert box.value is False and "critical or major" in box.label
    box.check().run()
    assert not at.exception and at.checkbox(key="tmx_flagged").value is True


def test_the_encoder_loads_in_the_background():
    load = BackgroundLoad(lambda: (time.sleep(0.3), "model")[1], "test")
    assert not load.done and load.elapsed < 0.3
    assert not load.wait(0.01)
    assert load.result() == "model" and load.done and load.elapsed >= 0.3
    failing = BackgroundLoad(lambda: 1 / 0, "failing")
    try:
        failing.result()
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("the load's error must reach the caller")


def test_an_upload_is_read_by_its_content(data_dir, oracle):  # noqa: F811
    from tests.test_cli_formats import HTML, docx_bytes

    at = run_app()
    at.segmented_control(key="add_how").set_value("Upload").run()
    at.file_uploader[0].upload("saved-page.txt", HTML.encode("utf-8")).run()
    at.file_uploader[0].upload("scan", docx_bytes("Der Rat hat am Montag den Haushalt gebilligt.\n")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    drafts = {d.label: d.text for d in at.session_state["drafts"]}
    assert "<p>" not in drafts["saved-page"] and "12 million euros" in drafts["saved-page"]
    assert drafts["scan"].startswith("Der Rat")
