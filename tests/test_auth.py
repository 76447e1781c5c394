"""Shared deployment: loopback by default, sign-in when opened, hashed passwords, who decided what and when."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from qa import auth, checks
from qa.checks.base import Check
from qa.review import DISMISSED, ReviewStore
from tests.app_fixtures import sample_report

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def test_password_hashes_are_salted_scrypt_and_verify():
    one, two = auth.hash_password("correct horse"), auth.hash_password("correct horse")
    assert one != two and one.startswith("scrypt$16384$8$1$") and "correct" not in one
    assert auth.verify_password("correct horse", one) and auth.verify_password("correct horse", two)
    assert not auth.verify_password("correct horsE", one)
    for broken in ("", "plain", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!!$AA==", "md5$1$2$3$4$5"):
        assert not auth.verify_password("correct horse", broken)


@pytest.mark.parametrize("address,local", [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.1.5", False), ("parallax.example", False),
])
def test_only_loopback_addresses_count_as_local(address, local):
    assert auth.is_loopback(address) is local


def test_repeated_failures_pause_a_user_name():
    users = {"alice": auth.hash_password("s3cret-pass")}
    gate = auth.SignIn()
    now = 1000.0
    for k in range(auth.MAX_FAILURES):
        assert gate.attempt(users, "alice", "wrong", now + k) is None
    with pytest.raises(PermissionError, match="too many failed sign-ins"):
        gate.attempt(users, "alice", "s3cret-pass", now + auth.MAX_FAILURES)
    assert gate.attempt(users, "alice", "s3cret-pass", now + auth.MAX_FAILURES + auth.LOCKOUT_S + 1) == "alice"
    assert gate.attempt(users, "mallory", "s3cret-pass", now) is None


def test_make_run_binds_loopback_unless_host_is_given():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.M)
    assert "--server.address $(HOST)" in makefile
    assert 'address = "127.0.0.1"' in (ROOT / ".streamlit" / "config.toml").read_text()


def test_decisions_record_who_and_when_and_the_history_shows_it(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite3")
    report = sample_report()
    flag = report.flags[1]
    before = time.time()
    store.set("k1", DISMISSED, flag, user="alice")
    store.set("k1", None, flag, user="bob")
    changes = store.changes(["k1"])
    assert [(c.user, c.decision) for c in changes] == [("bob", None), ("alice", DISMISSED)]
    assert all(before - 1 <= c.at <= time.time() + 1 for c in changes)
    line = changes[1].describe()
    assert "alice dismissed" in line and flag.text in line and "UTC" in line
    assert "bob undid" in changes[0].describe()


def test_an_older_database_gains_the_new_columns(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE decisions (key TEXT PRIMARY KEY, decision TEXT NOT NULL, flag_type TEXT NOT NULL,"
            " version TEXT NOT NULL, text TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', note TEXT NOT NULL"
            " DEFAULT '', updated_at REAL NOT NULL);"
            "CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, decision TEXT, at REAL NOT NULL);"
            "INSERT INTO history (key, decision, at) VALUES ('old', 'dismissed', 1.0);"
        )
    store = ReviewStore(path)
    store.set("new", DISMISSED, user="carol")
    assert [c.user for c in store.changes()] == ["carol", ""]


@pytest.fixture
def open_app(tmp_path, monkeypatch):
    """The app as if served on every interface, one configured user, only a cheap check."""
    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(checks, "CHECKS", [Check("nothing", False, lambda ctx: [])])
    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    st.cache_data.clear()
    yield
    config.set_option("server.address", previous)
    st.cache_data.clear()


def test_app_open_to_the_network_without_users_refuses_everyone(open_app):
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception
    assert any("no user is configured" in e.value for e in at.error)
    assert not at.tabs  # nothing of the workspace is shown


def test_app_open_to_the_network_requires_sign_in_and_records_the_user(open_app):
    at = AppTest.from_file(APP, default_timeout=300)
    at.secrets["auth"] = {"users": {"alice": auth.hash_password("s3cret-pass")}}
    at.run()
    assert not at.tabs and at.text_input(key="signin_name")
    at.text_input(key="signin_name").set_value("alice")
    at.text_input(key="signin_password").set_value("wrong")
    at.button[0].click().run()
    assert any("Wrong user name or password" in e.value for e in at.error) and not at.tabs
    at.text_input(key="signin_name").set_value("alice")
    at.text_input(key="signin_password").set_value("s3cret-pass")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state.user == "alice" and at.tabs


def test_app_on_loopback_needs_no_sign_in(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(checks, "CHECKS", [Check("nothing", False, lambda ctx: [])])
    previous = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
    finally:
        config.set_option("server.address", previous)
    assert not at.exception and at.tabs and at.session_state.user.endswith("(local)")


def test_a_dismissal_in_the_app_shows_who_and_when_in_the_history(tmp_path, monkeypatch):
    from qa.checks.base import sentence_flag

    def one_flag(ctx):
        v = ctx.versions[0]
        s = v.sentences[0]
        return [sentence_flag(ctx, v, s, s.start, s.start + 1, type="non_word", severity="minor", message="planted",
                              confidence=1.0, check="one")]

    monkeypatch.setenv("PARALLAX_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(checks, "CHECKS", [Check("one", False, one_flag)])
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    next(b for b in at.button if (b.key or "").startswith("dismiss-")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    history = [c.value.replace("\\", "") for c in at.sidebar.expander[0].caption]  # Markdown escapes off
    assert any(re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d UTC · .+ \(local\) dismissed non_word "T" \(wire\)', c)
               for c in history), history
    st.cache_data.clear()
