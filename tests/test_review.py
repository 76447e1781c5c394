"""Review decisions: stable keys, SQLite persistence, concurrent writers, crashes, and decisions in exports."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from qa.errors import ParallaxError
from qa.report import to_dict
from qa.review import (
    CONFIRMED,
    DB_NAME,
    DISMISSED,
    ReviewStore,
    data_dir,
    decisions_for,
    flag_key,
    report_keys,
    reviewed_dict,
    reviewed_report,
)
from qa.segment import Version, segment_text
from tests.app_fixtures import sample_report

ROOT = Path(__file__).resolve().parent.parent


def test_key_depends_on_type_version_text_and_sentence_not_on_position():
    report = sample_report()
    spun = report.versions[1]
    f = report.flags[1]  # "10 km" in spun, sentence 1
    key = flag_key(f, spun)
    # the same finding in a re-analysis: other offsets (text added before it), other row, other message
    shifted_text = "New first line.\n" + spun.text
    shifted = Version("spun", shifted_text, "en", segment_text(shifted_text, "en"), "en")
    moved = replace(f, start=f.start + 16, end=f.end + 16, sentence=2, row=5, message="reworded", confidence=0.5)
    assert flag_key(moved, shifted) == key
    assert flag_key(replace(f, type="name_mismatch"), spun) != key
    assert flag_key(replace(f, version="other"), spun) != key
    assert flag_key(replace(f, text="11 km"), spun) != key
    edited = Version("spun", spun.text.replace("engine room", "boiler room"), "en",
                     segment_text(spun.text.replace("engine room", "boiler room"), "en"), "en")
    assert flag_key(f, edited) != key  # the sentence around it changed: a new finding


def test_decisions_round_trip_and_history(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite3")
    report = sample_report()
    keys = report_keys(report)
    store.set(keys[0], DISMISSED, report.flags[0])
    store.set(keys[1], CONFIRMED, report.flags[1])
    assert store.get_many(keys) == {keys[0]: DISMISSED, keys[1]: CONFIRMED}
    store.set(keys[0], CONFIRMED, report.flags[0])
    store.set(keys[1], None)
    assert store.get_many() == {keys[0]: CONFIRMED}
    assert [d for d, _ in store.history(keys[0])] == [DISMISSED, CONFIRMED]
    assert [d for d, _ in store.history(keys[1])] == [CONFIRMED, None]
    with pytest.raises(ValueError):
        store.set(keys[0], "maybe")


def test_store_uses_wal_and_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    assert data_dir() == tmp_path / "data"
    store = ReviewStore()
    assert store.path == tmp_path / "data" / DB_NAME and store.path.exists()
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_data_folder(monkeypatch):
    monkeypatch.delenv("PARALLAX_DATA", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert data_dir() == Path.home() / ".local" / "share" / "parallax"


def test_unusable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ParallaxError, match="cannot"):
        ReviewStore(blocker / "sub" / "r.sqlite3")


def test_decisions_survive_a_new_process(tmp_path):
    report = sample_report()
    key = report_keys(report)[3]
    script = textwrap.dedent(
        f"""
        from qa.review import ReviewStore
        ReviewStore({str(tmp_path / "r.sqlite3")!r}).set({key!r}, "dismissed")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
    assert decisions_for(report, ReviewStore(tmp_path / "r.sqlite3")) == {key: DISMISSED}


def test_concurrent_writers_lose_nothing(tmp_path):
    """Four processes (like browser tabs) write 50 decisions each at the same time."""
    path = tmp_path / "r.sqlite3"
    ReviewStore(path)
    script = textwrap.dedent(
        """
        import sys
        from qa.review import ReviewStore
        store = ReviewStore(sys.argv[1])
        for i in range(50):
            store.set(f"{sys.argv[2]}-{i}", "dismissed" if i % 2 else "confirmed")
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), f"w{n}"], cwd=ROOT) for n in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    decisions = ReviewStore(path).get_many()
    assert len(decisions) == 200
    assert decisions["w3-49"] == DISMISSED and decisions["w0-0"] == CONFIRMED
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_killed_writer_never_corrupts_or_loses_committed_decisions(tmp_path):
    """A process killed (SIGKILL) in the middle of writing: every decision it reported as saved is there."""
    path = tmp_path / "r.sqlite3"
    ReviewStore(path).set("before", CONFIRMED)
    script = textwrap.dedent(
        """
        import sys
        from qa.review import ReviewStore
        store = ReviewStore(sys.argv[1])
        i = 0
        while True:
            store.set(f"k{i}", "dismissed")
            print(f"k{i}", flush=True)
            i += 1
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    saved = []
    deadline = time.monotonic() + 60
    while len(saved) < 30 and time.monotonic() < deadline:
        saved.append(proc.stdout.readline().strip())
    proc.kill()
    proc.wait(timeout=30)
    saved += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    assert len(saved) >= 30
    decisions = ReviewStore(path).get_many()
    assert decisions["before"] == CONFIRMED
    assert all(decisions.get(k) == DISMISSED for k in saved)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_open_uncommitted_transaction_elsewhere_does_not_block_or_leak(tmp_path):
    path = tmp_path / "r.sqlite3"
    store = ReviewStore(path, timeout=5)
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO decisions (key, decision, flag_type, version, text, message, note, updated_at)"
                  " VALUES ('ghost', 'dismissed', '', '', '', '', '', 0)")
    assert store.get_many() == {}  # readers are not blocked in WAL mode, and see only committed data
    other.rollback()
    other.close()
    store.set("real", DISMISSED)
    assert store.get_many() == {"real": DISMISSED}


def test_reviewed_report_and_dict_apply_decisions():
    report = sample_report()
    keys = report_keys(report)
    decisions = {keys[1]: DISMISSED, keys[3]: CONFIRMED}
    kept = reviewed_report(report, decisions)
    assert len(kept.flags) == 4 and report.flags[1] not in kept.flags
    assert len(report.flags) == 5  # the original is untouched
    assert kept.version_scores["spun"] > report.version_scores["spun"]
    out = reviewed_dict(report, decisions)
    assert set(to_dict(report)) <= set(out)
    assert len(out["flags"]) == 4 and out["summary"]["flags"] == 4
    assert [f["review"] for f in out["flags"]] == [None, None, CONFIRMED, None]
    assert out["review"]["confirmed"] == 1
    assert [f["text"] for f in out["review"]["dismissed"]] == ["10 km"]
    json.dumps(out)
    assert reviewed_report(report, {}) is report


def test_db_file_is_in_the_env_folder_only(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path))
    ReviewStore().set("x", DISMISSED)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [DB_NAME]
    assert os.path.getsize(tmp_path / DB_NAME) > 0
