"""Saved comparisons: the app's workspace (versions, labels, languages, reference, filters) kept in SQLite.

A :class:`Comparison` is everything an editor set up for one story. :class:`ComparisonStore` keeps them in the
same SQLite file as the review decisions (:mod:`qa.review`: WAL mode, busy timeout, one transaction per write),
so a page reload, a second tab or a restart of the app reopens the work where it was left. A comparison can be
written to and read from one JSON *project file* (:func:`to_project` / :func:`from_project`), which the CLI
reads too (``python -m qa check --project FILE``).
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qa.errors import InputError, ParallaxError
from qa.review import DB_NAME, connect, data_dir

PROJECT_FORMAT = "parallax-project"
PROJECT_VERSION = 1
PROJECT_SUFFIX = ".parallax.json"
MAX_PROJECT_BYTES = 64 * 1024 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
"""


@dataclass
class SavedVersion:
    """One version of a comparison as the editor left it."""

    label: str
    text: str
    lang: str | None = None  # None: detect
    origin: str = "pasted"


@dataclass
class Comparison:
    """A named workspace: versions, the reference choice (None: automatic), the story title and the filters."""

    name: str
    versions: list[SavedVersion] = field(default_factory=list)
    reference: str | None = None
    title: str = ""
    filters: dict = field(default_factory=dict)  # widget key -> JSON value (severity, type, version, status…)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    created_at: float = 0.0
    updated_at: float = 0.0

    def state(self) -> dict:
        """What is stored (and written to a project file): everything but the id and the times."""
        return {
            "name": self.name,
            "title": self.title,
            "reference": self.reference,
            "versions": [asdict(v) for v in self.versions],
            "filters": self.filters,
        }


@dataclass(frozen=True)
class ComparisonSummary:
    """One line of the list of saved comparisons."""

    id: str
    name: str
    versions: int
    updated_at: float


def comparison_from_state(state: dict, name: str | None = None) -> Comparison:
    """A :class:`Comparison` from a stored or imported state (raises :class:`InputError` when malformed)."""
    if not isinstance(state, dict):
        raise InputError("the comparison is not a JSON object")
    raw_versions = state.get("versions")
    if not isinstance(raw_versions, list):
        raise InputError("the comparison has no list of versions")
    versions = []
    for i, item in enumerate(raw_versions, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(f"version {i} of the comparison has no text")
        lang = item.get("lang")
        versions.append(
            SavedVersion(
                str(item.get("label") or f"version {i}"),
                item["text"],
                str(lang) if lang else None,
                str(item.get("origin") or "pasted"),
            )
        )
    filters = state.get("filters")
    reference = state.get("reference")
    return Comparison(
        name=str(name or state.get("name") or "Untitled comparison"),
        versions=versions,
        reference=str(reference) if reference else None,
        title=str(state.get("title") or ""),
        filters=filters if isinstance(filters, dict) else {},
    )


# ---------------------------------------------------------------- project files


def to_project(comparison: Comparison) -> str:
    """The comparison as one JSON project file (UTF-8 text)."""
    payload = {"format": PROJECT_FORMAT, "format_version": PROJECT_VERSION, **comparison.state()}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def from_project(data: bytes | str, name: str = "project") -> Comparison:
    """Read a project file's content; raises :class:`InputError` with a one-line reason when it is not one."""
    if isinstance(data, bytes):
        if len(data) > MAX_PROJECT_BYTES:
            raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is too large for a project file")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: a project file is UTF-8 JSON; this one is not (byte {exc.start})") from exc
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: is not a Parallax project file (invalid JSON: {exc.msg}, line {exc.lineno})") from exc
    if not isinstance(payload, dict) or payload.get("format") != PROJECT_FORMAT:
        raise InputError(f"{name}: is not a Parallax project file (no \"format\": \"{PROJECT_FORMAT}\")")
    if int(payload.get("format_version") or 0) > PROJECT_VERSION:
        raise InputError(f"{name}: was written by a newer Parallax (project format {payload.get('format_version')})")
    try:
        comparison = comparison_from_state(payload)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from exc
    if not comparison.versions:
        raise InputError(f"{name}: the project holds no versions")
    return comparison


def read_project_file(path: str | Path) -> Comparison:
    """The comparison in the project file at ``path``."""
    from qa.inputs import read_file_bytes

    data = read_file_bytes(path, MAX_PROJECT_BYTES)
    return from_project(data, str(path))


# ---------------------------------------------------------------- storage


class ComparisonStore:
    """Saved comparisons in the review database; every write is one transaction."""

    def __init__(self, path: str | Path | None = None, timeout: float = 10.0):
        self.path = Path(path) if path else data_dir() / DB_NAME
        self.timeout = timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                with conn:
                    conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot open the comparisons database {self.path}: {exc}") from exc
        except OSError as exc:
            raise ParallaxError(f"cannot create the data folder {self.path.parent}: {exc.strerror}") from exc

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, self.timeout)

    def _run(self, what: str, fn):
        try:
            with closing(self._connect()) as conn, conn:
                return fn(conn)
        except sqlite3.Error as exc:
            raise ParallaxError(f"cannot {what} ({self.path}): {exc}") from exc

    def save(self, comparison: Comparison) -> Comparison:
        """Insert or update ``comparison`` (its ``updated_at`` is set now); returns it."""
        now = time.time()
        comparison.created_at = comparison.created_at or now
        comparison.updated_at = now
        state = json.dumps(comparison.state(), ensure_ascii=False)
        self._run(
            "save the comparison",
            lambda conn: conn.execute(
                "INSERT INTO comparisons (id, name, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name, state = excluded.state,"
                " updated_at = excluded.updated_at",
                (comparison.id, comparison.name, state, comparison.created_at, now),
            ),
        )
        return comparison

    def get(self, comparison_id: str) -> Comparison | None:
        """The saved comparison with this id, or ``None``."""
        row = self._run(
            "read the comparison",
            lambda conn: conn.execute(
                "SELECT id, name, state, created_at, updated_at FROM comparisons WHERE id = ?", (comparison_id,)
            ).fetchone(),
        )
        return _from_row(row) if row else None

    def latest(self) -> Comparison | None:
        """The comparison changed most recently, or ``None`` when none is saved."""
        row = self._run(
            "read the comparisons",
            lambda conn: conn.execute(
                "SELECT id, name, state, created_at, updated_at FROM comparisons ORDER BY updated_at DESC LIMIT 1"
            ).fetchone(),
        )
        return _from_row(row) if row else None

    def list(self) -> list[ComparisonSummary]:
        """Every saved comparison, the most recently changed first."""
        rows = self._run(
            "list the comparisons",
            lambda conn: conn.execute(
                "SELECT id, name, state, updated_at FROM comparisons ORDER BY updated_at DESC"
            ).fetchall(),
        )
        return [ComparisonSummary(i, n, len(json.loads(s).get("versions") or []), t) for i, n, s, t in rows]

    def duplicate(self, comparison_id: str, name: str | None = None) -> Comparison:
        """A copy of a saved comparison under a new id (name: "<name> (copy)" unless given)."""
        original = self.get(comparison_id)
        if original is None:
            raise InputError("that comparison no longer exists")
        copy = comparison_from_state(original.state(), name or f"{original.name} (copy)")
        return self.save(copy)

    def delete(self, comparison_id: str) -> None:
        self._run(
            "delete the comparison",
            lambda conn: conn.execute("DELETE FROM comparisons WHERE id = ?", (comparison_id,)),
        )


def _from_row(row: tuple) -> Comparison:
    comparison_id, name, state, created, updated = row
    comparison = comparison_from_state(json.loads(state), name)
    comparison.id, comparison.created_at, comparison.updated_at = comparison_id, created, updated
    return comparison
