"""A pile of articles in: a folder of files (any format the app takes) or a JSON Lines file.

Every article read becomes an :class:`Article`, also the ones that cannot be analysed (unreadable, binary,
empty, too large, malformed line): those carry an ``error`` with a one-line reason naming the article, so the
pile's listing never loses one.  A repeated id is renamed (``id~2``) and the renaming noted in ``problems``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qa.errors import InputError
from qa.inputs import MAX_BYTES, read_file_bytes, validate_text
from qa.languages import normalise_language

MAX_PILE_BYTES = 4 << 30  # one JSON Lines pile held in memory at once


@dataclass
class Article:
    """One article of the pile; ``error`` set when it cannot be analysed (it is listed all the same)."""

    id: str
    text: str = ""
    lang: str | None = None  # given by the user; None = detect
    url: str | None = None
    published: str | None = None  # ISO 8601 as given
    outlet: str | None = None
    source: str | None = None  # file (and line) it came from
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})

    def published_at(self) -> datetime | None:
        """``published`` as an aware datetime (naive times are taken as UTC), or None when missing or unparsable."""
        if not self.published:
            return None
        try:
            moment = datetime.fromisoformat(self.published.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_articles(path: str | Path) -> list[Article]:
    """All articles of ``path`` (a folder or a JSON Lines file), ids unique, bad ones with their ``error``.

    Raises :class:`InputError` only when ``path`` itself is missing or unreadable.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    articles = _read_folder(p) if p.is_dir() else _read_jsonl(p)
    return _unique_ids(articles)


def _read_folder(folder: Path) -> list[Article]:
    from qa.formats import read_upload

    articles = []
    files = sorted(f for f in folder.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts))
    for file in files:
        name = file.relative_to(folder).as_posix()
        try:
            data = read_file_bytes(file, MAX_BYTES)
            if len(data) > MAX_BYTES:
                raise InputError(f"{name}: more than {MAX_BYTES / 1e6:.0f} MB is too large for a news report")
            versions = read_upload(name, data)
        except InputError as exc:
            articles.append(Article(name, source=name, error=_named(str(exc), name)))
            continue
        for version in versions:
            article_id = name if len(versions) == 1 else f"{name}#{version.label}"
            articles.append(Article(article_id, version.text, version.lang, source=name))
    return articles


def _read_jsonl(file: Path) -> list[Article]:
    data = read_file_bytes(file, MAX_PILE_BYTES)
    if len(data) > MAX_PILE_BYTES:
        raise InputError(f"{file}: more than {MAX_PILE_BYTES >> 30} GB; split the pile into several files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: is not UTF-8 JSON Lines (byte {exc.start})") from exc
    articles = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            articles.append(_article_from_line(line, f"{file.name}:{number}"))
    return articles


def _article_from_line(line: str, where: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Article(where, source=where, error=f"{where}: not a JSON object ({exc.msg})")
    if not isinstance(record, dict):
        return Article(where, source=where, error=f"{where}: not a JSON object")
    article_id = str(record.get("id") or "").strip() or where
    article = Article(
        article_id,
        source=where,
        url=_optional_str(record.get("url")),
        published=_optional_str(record.get("published")),
        outlet=_optional_str(record.get("outlet")),
    )
    text = record.get("text")
    try:
        if not isinstance(text, str):
            raise InputError(f"{article_id}: has no \"text\" string")
        article.text = validate_text(text, article_id)
        article.lang = normalise_language(_optional_str(record.get("lang")), article_id)
    except InputError as exc:
        article.error = str(exc)
    if article.published and article.published_at() is None:
        article.problems.append(f"{article_id}: published '{article.published}' is not an ISO 8601 time; ignored")
    return article


def _optional_str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _named(message: str, name: str) -> str:
    return message if name in message else f"{name}: {message}"


def _unique_ids(articles: list[Article]) -> list[Article]:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            n = 2
            while f"{article.id}~{n}" in seen:
                n += 1
            new_id = f"{article.id}~{n}"
            article.problems.append(f"{article.id}: duplicate id (from {article.source}); listed as {new_id}")
            article.id = new_id
        seen.add(article.id)
    return articles
