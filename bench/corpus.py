"""Precision and recall of the checks on the annotated sample corpus (``corpora/``).

Runs :func:`qa.pipeline.analyze` on every story (reference = the manifest's reference) and compares the flags
with the annotated problems. A problem is *found* when a flag of a matching type overlaps its span in the same
version; a flag is *correct* when it overlaps some annotated problem of a matching type. Matching types are equal
types, except that ``non_word`` and ``foreign_word`` match each other (a leaked compound such as "Kampfberg" is
both), and so do ``boilerplate`` and ``extra_material`` (residue lines after the story are one block). recall = problems found / problems; precision = correct flags / flags.

Prints per-type and per-version tables, the missed problems (with any flag of another type that touched them)
and the false positives with their text, and writes ``bench/results/corpus.json``.
Targets: recall >= 0.9, precision >= 0.8.

    .venv/bin/python bench/corpus.py [STORY_FOLDER ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.checks.base import Flag  # noqa: E402
from qa.corpus import CORPORA_DIR, Problem, load_corpus  # noqa: E402
from qa.encoder import get_encoder  # noqa: E402
from qa.pipeline import analyze  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "corpus.json"
TARGET_RECALL, TARGET_PRECISION = 0.9, 0.8
# a leaked compound such as "Kampfberg" is both a non-word and a foreign word; lines of web residue after the
# story are one block of extra material (structure check) as much as boilerplate lines; a tortured phrase is spin
EQUIVALENT_TYPES = [
    frozenset({"non_word", "foreign_word"}),
    frozenset({"boilerplate", "extra_material"}),
    frozenset({"reworded", "garbled_phrase"}),
]
# Flag types by the kind of check that raises them (reported as two groups besides the overall figures).
REFERENCE_FREE_TYPES = frozenset(
    {"non_word", "foreign_word", "garbled_phrase", "repeated_word", "boilerplate", "mojibake", "wrong_language"}
)


def group_of(item) -> str:
    """"reference-free" or "cross-version", by the type of a Problem or a Flag."""
    return "reference-free" if item.type in REFERENCE_FREE_TYPES else "cross-version"


def types_match(flag_type: str, problem_type: str) -> bool:
    """Whether a flag of ``flag_type`` counts as finding a problem of ``problem_type``."""
    return flag_type == problem_type or any({flag_type, problem_type} <= group for group in EQUIVALENT_TYPES)


def overlaps(flag: Flag, problem: Problem) -> bool:
    """Same version and overlapping spans (a zero-width flag counts when it sits inside or at the span's edge)."""
    if flag.version != problem.version:
        return False
    if flag.start == flag.end:
        return problem.start <= flag.start <= problem.end
    return flag.start < problem.end and problem.start < flag.end


@dataclass
class Tally:
    """Counts for one slice (a type, a version, or everything)."""

    problems: int = 0
    found: int = 0
    flags: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.problems if self.problems else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.flags if self.flags else None

    def to_dict(self) -> dict:
        return {
            "problems": self.problems,
            "found": self.found,
            "recall": _round(self.recall),
            "flags": self.flags,
            "correct_flags": self.correct,
            "precision": _round(self.precision),
        }


@dataclass
class Evaluation:
    """The comparison of one analysis with its annotations."""

    story: str
    problems: list[Problem]
    flags: list[Flag]
    found: list[bool] = field(default_factory=list)  # per problem
    correct: list[bool] = field(default_factory=list)  # per flag


def evaluate(story: str, problems: list[Problem], flags: list[Flag]) -> Evaluation:
    """Match flags against problems (type-compatible overlap in the same version)."""
    found = [any(types_match(f.type, p.type) and overlaps(f, p) for f in flags) for p in problems]
    correct = [any(types_match(f.type, p.type) and overlaps(f, p) for p in problems) for f in flags]
    return Evaluation(story, problems, flags, found, correct)


def tally(evaluations: Iterable[Evaluation], key) -> dict[str, Tally]:
    """Tallies grouped by ``key(item)``, where item is a Problem or a Flag (both have .type and .version)."""
    out: dict[str, Tally] = {}
    for ev in evaluations:
        for problem, hit in zip(ev.problems, ev.found):
            t = out.setdefault(key(problem), Tally())
            t.problems += 1
            t.found += hit
        for flag, ok in zip(ev.flags, ev.correct):
            t = out.setdefault(key(flag), Tally())
            t.flags += 1
            t.correct += ok
    return dict(sorted(out.items()))


def total(evaluations: list[Evaluation]) -> Tally:
    return tally(evaluations, lambda _item: "all").get("all", Tally())


def missed(evaluations: list[Evaluation]) -> list[dict]:
    """Problems no matching flag found, with the flags of other types that touched them (type confusions)."""
    out = []
    for ev in evaluations:
        for problem, hit in zip(ev.problems, ev.found):
            if hit:
                continue
            touching = sorted({f.type for f in ev.flags if overlaps(f, problem)})
            out.append(
                {
                    "story": ev.story,
                    "version": problem.version,
                    "type": problem.type,
                    "severity": problem.severity,
                    "start": problem.start,
                    "end": problem.end,
                    "text": problem.text,
                    "note": problem.note,
                    "flagged_as": touching,
                }
            )
    return out


def false_positives(evaluations: list[Evaluation]) -> list[dict]:
    """Flags that overlap no annotated problem of a matching type."""
    out = []
    for ev in evaluations:
        for flag, ok in zip(ev.flags, ev.correct):
            if ok:
                continue
            out.append(
                {
                    "story": ev.story,
                    "version": flag.version,
                    "type": flag.type,
                    "severity": flag.severity,
                    "check": flag.check,
                    "sentence": flag.sentence,
                    "start": flag.start,
                    "end": flag.end,
                    "text": flag.text,
                    "message": flag.message,
                    "confidence": round(flag.confidence, 3),
                }
            )
    return out


def format_table(title: str, rows: dict[str, Tally], overall: Tally) -> str:
    lines = [title, f"  {'':22} {'problems':>8} {'found':>6} {'recall':>7} {'flags':>6} {'correct':>8} {'precision':>9}"]
    for name, t in [*rows.items(), ("ALL", overall)]:
        lines.append(
            f"  {name:22} {t.problems:8d} {t.found:6d} {_pct(t.recall):>7} {t.flags:6d} {t.correct:8d} {_pct(t.precision):>9}"
        )
    return "\n".join(lines)


def run(folders: list[Path]) -> dict:
    """Analyse every story, print the tables and return the results document."""
    evaluations = []
    seconds = {}
    model = None
    get_encoder()  # load the model first, so the timings below are analysis only
    for folder in folders:
        corpus = load_corpus(folder)
        started = time.perf_counter()
        report = analyze(corpus.versions, reference=corpus.reference)
        seconds[folder.name] = round(time.perf_counter() - started, 2)
        model = report.model
        evaluations.append(evaluate(folder.name, corpus.problems, report.flags))
    overall = total(evaluations)
    per_type = tally(evaluations, lambda item: item.type)
    per_version = tally(evaluations, lambda item: item.version)
    per_group = tally(evaluations, group_of)
    misses, fps = missed(evaluations), false_positives(evaluations)

    print(f"stories: {', '.join(f.name for f in folders)}; model {model}; analysis seconds {seconds}")
    print(format_table("\nPer type (a flag counts under its own type, a problem under its annotated type)", per_type, overall))
    print(format_table("\nPer version", per_version, overall))
    print(format_table("\nPer group of checks", per_group, overall))
    print(f"\nMissed problems ({len(misses)}):")
    for m in misses:
        other = f"  [flagged only as: {', '.join(m['flagged_as'])}]" if m["flagged_as"] else ""
        print(f"  {m['version']:6} {m['type']:16} {m['severity']:8} {_short(m['text'])!r}{other}")
    print(f"\nFalse positives ({len(fps)}):")
    for fp in fps:
        print(f"  {fp['version']:6} {fp['type']:16} {fp['check']:14} s{fp['sentence']} {_short(fp['text'])!r}: {fp['message']}")
    meets = (
        overall.recall is not None
        and overall.precision is not None
        and overall.recall >= TARGET_RECALL
        and overall.precision >= TARGET_PRECISION
    )
    print(
        f"\nrecall {_pct(overall.recall)} (target {TARGET_RECALL:.0%}), precision {_pct(overall.precision)} "
        f"(target {TARGET_PRECISION:.0%}): {'meets' if meets else 'does not meet'} the targets"
    )
    return {
        "stories": [f.name for f in folders],
        "model": model,
        "analysis_seconds": seconds,
        "matching": "same version, overlapping span, equal type (non_word ~ foreign_word, reworded ~ garbled_phrase)",
        "targets": {"recall": TARGET_RECALL, "precision": TARGET_PRECISION},
        "meets_targets": meets,
        "overall": overall.to_dict(),
        "per_type": {k: v.to_dict() for k, v in per_type.items()},
        "per_version": {k: v.to_dict() for k, v in per_version.items()},
        "per_group": {k: v.to_dict() for k, v in per_group.items()},
        "missed": misses,
        "false_positives": fps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stories", nargs="*", type=Path, help="story folders (default: every story under corpora/)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default: {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    folders = args.stories or sorted(p.parent for p in CORPORA_DIR.glob("*/manifest.json"))
    if not folders:
        print(f"error: no story under {CORPORA_DIR}", file=sys.stderr)
        return 2
    results = run(folders)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
