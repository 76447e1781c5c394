"""Saved comparisons: the store, project files, and the app keeping its workspace across reloads and restarts."""

from __future__ import annotations

import json
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from qa.comparisons import (
    Comparison,
    ComparisonStore,
    SavedVersion,
    from_project,
    read_project_file,
    to_project,
)
from qa.errors import InputError
from qa.review import ReviewStore
from tests.test_app import APP, TIMEOUT, data_dir, oracle, run_app  # noqa: F401  (fixtures)

PASTED = "Der Bürgermeister von Aktau bestätigte am Mittwoch drei Todesopfer nach dem Brand auf dem Tanker.\n"


def story(name: str = "Aktau fire") -> Comparison:
    return Comparison(
        name,
        [SavedVersion("wire", "A fire broke out.\n", None, "sample"), SavedVersion("de", "Ein Feuer brach aus.\n", "de")],
        reference="wire",
        title="Tanker fire",
        filters={"f_sev": ["critical"], "only_flagged": True},
    )


def test_store_saves_lists_duplicates_and_deletes(tmp_path):
    db = tmp_path / "reviews.sqlite3"
    ReviewStore(db)
    store = ComparisonStore(db)
    first = store.save(story())
    second = store.save(story("Budget vote"))
    again = ComparisonStore(db).get(first.id)  # a new process opens the same file
    assert again is not None and again.state() == first.state()
    assert [s.name for s in store.list()] == ["Budget vote", "Aktau fire"]
    copy = store.duplicate(first.id)
    assert copy.id != first.id and copy.name == "Aktau fire (copy)" and copy.versions == first.versions
    store.delete(second.id)
    assert store.get(second.id) is None
    assert {s.name for s in store.list()} == {"Aktau fire", "Aktau fire (copy)"}
    assert store.latest().id == copy.id
    with sqlite3.connect(db) as conn:  # the same database as the review decisions
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"comparisons", "decisions"} <= tables


def test_project_file_round_trip_and_refusals(tmp_path):
    text = to_project(story())
    back = from_project(text.encode("utf-8"), "story.parallax.json")
    assert back.state() == story().state()
    path = tmp_path / "story.parallax.json"
    path.write_text(text, encoding="utf-8")
    assert read_project_file(path).versions[1].lang == "de"
    with pytest.raises(InputError, match="not a Parallax project file"):
        from_project(b'{"versions": []}', "x.json")
    with pytest.raises(InputError, match="invalid JSON"):
        from_project(b"{", "x.json")
    with pytest.raises(InputError, match="version 1 of the comparison has no text"):
        from_project(json.dumps({"format": "parallax-project", "versions": [{"label": "a"}]}), "x.json")
    with pytest.raises(InputError, match="holds no versions"):
        from_project(json.dumps({"format": "parallax-project", "versions": []}), "x.json")


def _paste(at: AppTest, label: str, text: str) -> None:
    at.text_input(key="paste_label").set_value(label)
    at.text_area(key="paste_text").set_value(text)
    next(b for b in at.button if b.label == "Add version").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_reload_keeps_the_workspace_and_a_restart_reopens_it(data_dir, oracle):  # noqa: F811
    at = run_app()
    _paste(at, "Kazinform", PASTED)
    at.selectbox(key="reference").set_value("de").run()
    at.toggle(key="only_flagged").set_value(True).run()
    at.segmented_control(key="f_status").set_value("open").run()
    comparison_id = at.session_state["comparison_id"]
    labels = [d.label for d in at.session_state["drafts"]]
    assert "Kazinform" in labels
    assert comparison_id in str(at.query_params["c"])

    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)  # a reload: a new session, the same address
    reloaded.query_params["c"] = comparison_id
    reloaded.run()
    assert not reloaded.exception
    assert [d.label for d in reloaded.session_state["drafts"]] == labels
    assert reloaded.session_state["reference"] == "de"
    assert reloaded.toggle(key="only_flagged").value is True
    assert reloaded.segmented_control(key="f_status").value == "open"
    assert not reloaded.warning, [w.value for w in reloaded.warning]  # restored values raise no widget warnings
    assert "reference: de" in "\n".join(h.value for h in reloaded.main.html)

    restarted = AppTest.from_file(APP, default_timeout=TIMEOUT)  # a restart: no address, the latest comparison
    restarted.run()
    assert [d.text for d in restarted.session_state["drafts"]][-1] == PASTED
    saved = ComparisonStore().get(comparison_id)
    assert saved is not None and saved.versions[-1].label == "Kazinform" and saved.reference == "de"


def test_comparisons_are_named_duplicated_opened_and_deleted_in_the_app(data_dir, oracle):  # noqa: F811
    at = run_app()
    first = at.session_state["comparison_id"]
    at.text_input(key="comparison_name").set_value("Aktau fire").run()
    next(b for b in at.button if b.key == f"dup-{first}").click().run()
    copy = at.session_state["comparison_id"]
    assert copy != first and at.session_state["comparison_name"] == "Aktau fire (copy)"
    next(b for b in at.button if b.label == "Remove all").click().run()
    assert not at.session_state["drafts"]
    next(b for b in at.button if b.key == f"open-{first}").click().run()
    assert at.session_state["comparison_id"] == first and len(at.session_state["drafts"]) == len(oracle.versions)
    next(b for b in at.button if b.key == f"del-{copy}").click().run()
    assert not at.exception
    assert [s.name for s in ComparisonStore().list()] == ["Aktau fire"]


def test_a_project_file_imports_into_the_app_and_exports_back(data_dir, oracle):  # noqa: F811
    at = run_app()
    project = to_project(story("Imported story"))
    at.file_uploader[0].upload("aktau.parallax.json", project.encode("utf-8")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["comparison_name"] == "Imported story"
    assert [d.label for d in at.session_state["drafts"]] == ["wire", "de"]
    assert at.session_state["reference"] == "wire"
    assert "Imported story" in [s.name for s in ComparisonStore().list()]
    assert any(b.label == "Export project" for b in at.download_button)
    at.file_uploader[0].upload("broken.parallax.json", b"{").run()
    assert any("invalid JSON" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["comparison_name"] == "Imported story"  # a bad file changes nothing
