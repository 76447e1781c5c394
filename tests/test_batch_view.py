"""The app's batch page logic: a report JSON read back gives the same review view; a batch folder's index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import views
from qa.batch_index import write_index
from qa.batch_view import index_table, load_index, load_report, report_from_dict
from qa.errors import InputError
from qa.pipeline import VersionInput, analyze
from qa.report import to_dict
from qa.review import report_keys

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "aktau-tanker-fire"


@pytest.fixture(scope="module")
def report():
    texts = {label: (CORPUS / f"{label}.txt").read_text(encoding="utf-8") for label in ("wire", "spun", "de")}
    return analyze([VersionInput(label, text) for label, text in texts.items()], reference="wire")


def test_report_read_back_gives_the_same_review_view(report):
    back = report_from_dict(json.loads(json.dumps(to_dict(report))))
    assert to_dict(back) == to_dict(report)
    for v in back.versions:
        assert all(v.text[s.start : s.end] == s.text for s in v.sentences)
    assert report_keys(back) == report_keys(report)  # review decisions apply to the same flags
    visible = set(range(len(report.flags)))
    assert views.grid_html(back, views.build_grid(back, visible)) == views.grid_html(report, views.build_grid(report, visible))


def test_batch_folder_index_and_group(report, tmp_path):
    (tmp_path / "story-1.json").write_text(json.dumps(to_dict(report)), encoding="utf-8")
    groups = [{"group": "story-1", "members": [{}, {}, {}]}, {"group": "bad-2", "members": [{}]}]
    write_index(tmp_path, groups, {"bad-2": "bad-2: x.txt: is empty"})
    rows = load_index(tmp_path)
    assert [r["group"] for r in rows] == ["bad-2", "story-1"]  # failed first
    table = index_table(rows)
    assert table[0]["members"] == "bad-2: x.txt: is empty" and table[1]["critical"] == rows[1]["critical"]
    assert "wire: " in table[1]["members"]
    assert len(load_report(tmp_path, "story-1").flags) == len(report.flags)
    with pytest.raises(InputError, match="no index.json"):
        load_index(tmp_path.parent)


def _batch_page() -> None:
    import app

    app.batch_page()


def test_batch_page_lists_groups_and_opens_one(report, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "story-1.json").write_text(json.dumps(to_dict(report)), encoding="utf-8")
    write_index(out, [{"group": "story-1", "members": [{}, {}, {}]}], {})
    at = AppTest.from_function(_batch_page, default_timeout=60)
    at.run()
    at.text_input(key="batch_dir").input(str(tmp_path / "missing")).run()
    assert "no such folder" in at.error[0].value
    at.text_input(key="batch_dir").input(str(out)).run()
    assert not at.exception and not at.error
    assert len(at.dataframe) == 1 and list(at.dataframe[0].value["group"]) == ["story-1"]
