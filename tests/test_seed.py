"""The seed article (``../shared/seeds/000_c1ec7c4833dfdd3f.txt``), checked alone, reference-free.

A machine-spun copy of a news report: the checks must flag the leaked German compound "Kampfberg", the
self-contradicting "killing numerous sides from both sides" and the two scraped comment-form lines, and must leave
every real name alone (no flag of any type may cover Stepanakert, Khankendi, Terter, Martuni, Pashinyan, Aliyev,
Minsk or Le Monde).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.pipeline import VersionInput, analyze

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_c1ec7c4833dfdd3f.txt"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED} (../shared missing)")

MUST_FLAG = [
    ("Kampfberg", {"foreign_word", "non_word"}),
    ("killing numerous sides from both sides", {"garbled_phrase"}),
    ("Please enter your comment!", {"boilerplate"}),
    ("Please enter your name here", {"boilerplate"}),
]
NAMES = ["Stepanakert", "Khankendi", "Terter", "Martuni", "Pashinyan", "Aliyev", "Minsk", "Le Monde"]


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    report = analyze([VersionInput("seed", text, path=str(SEED))])
    return text, report


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def test_seed_is_read_as_one_english_version(seed):
    text, report = seed
    [version] = report.versions
    assert version.lang == "en"
    assert report.alignment is None  # one version: reference-free checks only
    for flag in report.flags:
        assert flag.version == "seed" and text[flag.start : flag.end] == flag.text, flag


@pytest.mark.parametrize(("phrase", "types"), MUST_FLAG, ids=[p for p, _ in MUST_FLAG])
def test_damage_is_flagged(seed, phrase, types):
    text, report = seed
    [(start, end)] = _spans(text, phrase)
    hits = [f for f in report.flags if f.start < end and start < f.end and f.type in types]
    assert hits, f"{phrase!r} not flagged as {sorted(types)}; flags: {[(f.type, f.text) for f in report.flags]}"
    assert all(f.message and f.severity in {"critical", "major"} for f in hits), hits


def test_comment_form_lines_are_flagged_whole(seed):
    text, report = seed
    for line in ("Please enter your comment!", "Please enter your name here"):
        [(start, end)] = _spans(text, line)
        assert any(f.type == "boilerplate" and f.start <= start and end <= f.end for f in report.flags), line


@pytest.mark.parametrize("name", NAMES)
def test_real_names_are_not_flagged(seed, name):
    text, report = seed
    occurrences = _spans(text, name)
    assert occurrences, f"{name} is not in the seed"
    for start, end in occurrences:
        covering = [f for f in report.flags if f.start < end and start < f.end]
        assert not covering, f"{name} at {start} is covered by {[(f.type, f.text, f.message) for f in covering]}"


def test_seed_stays_quiet_elsewhere(seed):
    """The seed is otherwise ordinary news English: only the four planted problems may be flagged."""
    text, report = seed
    damaged = [span for phrase, _ in MUST_FLAG for span in _spans(text, phrase)]
    stray = [f for f in report.flags if not any(f.start < end and start < f.end for start, end in damaged)]
    assert not stray, [(f.type, f.text, f.message) for f in stray]
