"""Review decisions: a user dismisses a flag (false positive) or confirms it; decisions persist in SQLite.

A decision is keyed by what the flag is about, not by its position in one report: the flag type, the version
label, the flagged text and a hash of the sentence around it. The same finding in a later analysis (after a
restart, a re-analysis, or an edit elsewhere in the text) gets the same key, so the decision still applies;
editing the sentence itself makes it a new finding.

Storage is one SQLite file (``$PARALLAX_DATA/reviews.sqlite3``, default ``~/.local/share/parallax``) in WAL
mode with a busy timeout; every write is one transaction, so a second browser tab or a crash mid-write never
corrupts the file or loses a committed decision. Each change is also appended to a history table.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from qa.checks.base import Flag
from qa.errors import ParallaxError
from qa.report import Report, score
from qa.segment import Version

DATA_ENV = "PARALLAX_DATA"
DB_NAME = "reviews.sqlite3"
DISMISSED, CONFIRMED = "dismissed", "confirmed"
DECISIONS = (DISMISSED, CONFIRMED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    key TEXT PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('dismissed', 'confirmed')),
    flag_type TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    decision TEXT,
    at REAL NOT NULL
);
"""
# columns added after the first release: (table, column, definition); added to older files on open
_ADDED_COLUMNS = (
    ("decisions", "decided_by", "TEXT NOT NULL DEFAULT ''"),
    ("history", "user", "TEXT NOT NULL DEFAULT ''"),
    ("history", "flag_type", "TEXT NOT NULL DEFAULT ''"),
    ("history", "version", "TEXT NOT NULL DEFAULT ''"),
    ("history", "text", "TEXT NOT NULL DEFAULT ''"),
)


def data_dir() -> Path:
    """The user data folder: ``$PARALLAX_DATA`` or ``~/.local/share/parallax``."""
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "parallax"


def flag_key(flag: Flag, version: Version | None) -> str:
    """A stable key for ``flag``: type, version label, flagged text and a hash of its sentence."""
    sentence = ""
    if version is not None and flag.sentence is not None and 0 <= flag.sentence < len(version.sentences):
        sentence = version.sentences[flag.sentence].text
    context = hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()
    payload = json.dumps([flag.type, flag.version, " ".join(flag.text.split()), context], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def report_keys(report: Report) -> list[str]:
    """The key of every flag of ``report``, in flag order."""
    versions = {v.label: v for v in report.versions}
    return [flag_key(f, versions.get(f.version)) for f in report.flags]


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to the review database as every store uses it: waits for other writers, syncs fully."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level="DEFERRED")
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def _key_chunks(keys: Iterable[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """The distinct keys in chunks SQLite accepts as parameters, each with its ``?,?,...`` placeholders."""
    wanted = list(dict.fromkeys(keys))
    for i in range(0, len(wanted), size):
        chunk = wanted[i : i + size]
        yield chunk, ",".join("?" * len(chunk))


class ReviewStore:
    """Decisions in one SQLite file; safe for several tabs, threads and processes at once."""

    def __init__(self, path: str | Path | None = None, timeout: float = 10.0):
        self.path = Path(path) if path else data_dir() / DB_NAME
        self.timeout = timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                with conn:
                    conn.executescript(_SCHEMA)
                    for table, column, definition in _ADDED_COLUMNS:
                        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                        if column not in present:
                            try:
                                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                            except sqlite3.OperationalError as exc:  # another process added it just now
                                if "duplicate column" not in str(exc):
                                    raise
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot open the review database {self.path}: {exc}") from exc
        except OSError as exc:
            raise ParallaxError(f"cannot create the review folder {self.path.parent}: {exc.strerror}") from exc

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, self.timeout)

    def set(self, key: str, decision: str | None, flag: Flag | None = None, note: str = "", user: str = "") -> None:
        """Record ``decision`` (dismissed / confirmed) for ``key`` by ``user``; ``None`` clears it. One transaction.

        The history keeps every change with who made it and when."""
        if decision is not None and decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS} or None, not {decision!r}")
        now = time.time()
        try:
            with closing(self._connect()) as conn, conn:
                if decision is None:
                    conn.execute("DELETE FROM decisions WHERE key = ?", (key,))
                else:
                    conn.execute(
                        "INSERT INTO decisions"
                        " (key, decision, flag_type, version, text, message, note, updated_at, decided_by)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET decision = excluded.decision, note = excluded.note,"
                        " updated_at = excluded.updated_at, decided_by = excluded.decided_by",
                        (
                            key,
                            decision,
                            flag.type if flag else "",
                            flag.version if flag else "",
                            flag.text if flag else "",
                            flag.message if flag else "",
                            note,
                            now,
                            user,
                        ),
                    )
                conn.execute(
                    "INSERT INTO history (key, decision, at, user, flag_type, version, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, decision, now, user, flag.type if flag else "", flag.version if flag else "",
                     flag.text if flag else ""),
                )
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot save the review decision to {self.path}: {exc}") from exc

    def get_many(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """Decisions for ``keys`` (all decisions when ``None``): key -> "dismissed" | "confirmed"."""
        try:
            with closing(self._connect()) as conn:
                if keys is None:
                    rows = conn.execute("SELECT key, decision FROM decisions").fetchall()
                else:
                    rows = []
                    for chunk, marks in _key_chunks(keys):
                        rows += conn.execute(
                            f"SELECT key, decision FROM decisions WHERE key IN ({marks})", chunk
                        ).fetchall()
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot read review decisions from {self.path}: {exc}") from exc
        return dict(rows)

    def history(self, key: str) -> list[tuple[str | None, float]]:
        """Every decision ever recorded for ``key``, oldest first, as (decision, unix time)."""
        with closing(self._connect()) as conn:
            return conn.execute("SELECT decision, at FROM history WHERE key = ? ORDER BY id", (key,)).fetchall()

    def changes(self, keys: Iterable[str] | None = None, limit: int = 200) -> list[Change]:
        """The latest changes (newest first), for ``keys`` or all: who decided what on which flag, and when."""
        query = "SELECT key, decision, user, at, flag_type, version, text FROM history"
        try:
            with closing(self._connect()) as conn:
                if keys is None:
                    rows = conn.execute(query + " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
                else:
                    rows = []
                    for chunk, marks in _key_chunks(keys):
                        rows += conn.execute(
                            query + f" WHERE key IN ({marks}) ORDER BY id DESC LIMIT ?", (*chunk, limit)
                        ).fetchall()
                    rows.sort(key=lambda r: -r[3])
                    rows = rows[:limit]
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot read the review history from {self.path}: {exc}") from exc
        return [Change(*row) for row in rows]


@dataclass(frozen=True)
class Change:
    """One entry of the review history."""

    key: str
    decision: str | None  # None: a decision undone
    user: str  # who made it ("" in databases from before sign-in)
    at: float  # unix time
    flag_type: str
    version: str
    text: str

    def describe(self) -> str:
        """One line: ``2026-12-01 10:31 UTC · alice dismissed number_mismatch "10 km" (spun)``."""
        when = datetime.fromtimestamp(self.at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        what = {DISMISSED: "dismissed", CONFIRMED: "confirmed"}.get(self.decision or "", "undid the decision on")
        subject = f'{self.flag_type} "{self.text}" ({self.version})' if self.flag_type else "a flag"
        return f"{when} · {self.user or 'unknown'} {what} {subject}"


def decisions_for(report: Report, store: ReviewStore) -> dict[str, str]:
    """The stored decisions that apply to ``report``'s flags (key -> decision)."""
    return store.get_many(report_keys(report))


def reviewed_report(report: Report, decisions: Mapping[str, str] | None) -> Report:
    """``report`` without its dismissed flags, scores recomputed; the original is not changed."""
    if not decisions:
        return report
    keys = report_keys(report)
    kept = [f for f, k in zip(report.flags, keys) if decisions.get(k) != DISMISSED]
    version_scores, row_scores = score(kept, report.versions, report.alignment)
    return replace(report, flags=kept, version_scores=version_scores, row_scores=row_scores)


def reviewed_dict(report: Report, decisions: Mapping[str, str] | None) -> dict:
    """The ``check`` JSON schema with decisions applied.

    Dismissed flags leave ``flags`` (and the scores and summary) and are listed under ``review.dismissed``;
    every remaining flag carries ``review``: ``"confirmed"`` or ``None`` (not yet reviewed).
    """
    from qa.report import to_dict

    decisions = decisions or {}
    keys = report_keys(report)
    kept = reviewed_report(report, decisions)
    out = to_dict(kept)
    remaining = [k for k in keys if decisions.get(k) != DISMISSED]
    for item, key in zip(out["flags"], remaining):
        item["review"] = decisions.get(key)
    out["review"] = {
        "confirmed": sum(1 for k in remaining if decisions.get(k) == CONFIRMED),
        "dismissed": [f.to_dict() for f, k in zip(report.flags, keys) if decisions.get(k) == DISMISSED],
    }
    return out
