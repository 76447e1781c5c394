"""The annotated sample corpus in ``corpora/``: versions plus their known, planted problems."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import InputError
from qa.inputs import read_text_file
from qa.pipeline import VersionInput

CORPORA_DIR = Path(__file__).resolve().parent.parent / "corpora"


@dataclass(frozen=True)
class Problem:
    """One annotated problem: where it is, what kind, how severe."""

    version: str
    start: int
    end: int
    text: str
    type: str
    severity: str
    note: str = ""


@dataclass
class Corpus:
    title: str
    reference: str | None
    versions: list[VersionInput]
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None


def default_corpus_dir() -> Path:
    """The story the app opens with: the first folder (by name) under corpora/ with a manifest."""
    stories = sorted(p.parent for p in CORPORA_DIR.glob("*/manifest.json"))
    if not stories:
        raise InputError(f"no sample corpus found under {CORPORA_DIR}")
    return stories[0]


def load_corpus(folder: str | Path | None = None) -> Corpus:
    """Read a story's manifest, version texts and annotations; spans are checked against the texts."""
    folder = Path(folder) if folder else default_corpus_dir()
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder}: unreadable manifest.json ({exc})") from exc
    versions = [
        VersionInput(v["label"], read_text_file(folder / v["file"]), v.get("lang"), str(folder / v["file"]))
        for v in manifest["versions"]
    ]
    problems: list[Problem] = []
    annotations = folder / "annotations.json"
    if annotations.exists():
        texts = {v.label: v.text for v in versions}
        for item in json.loads(annotations.read_text(encoding="utf-8"))["problems"]:
            problem = Problem(**item)
            if texts.get(problem.version, "")[problem.start : problem.end] != problem.text:
                raise InputError(f"{annotations}: span {problem.start}-{problem.end} of '{problem.version}' "
                                 f"does not hold {problem.text!r}")
            problems.append(problem)
    return Corpus(manifest.get("title", folder.name), manifest.get("reference"), versions, problems, folder)
