"""Precision benchmark on messy real-looking copies: truncated, padded, reordered, late-starting, another story.

Stories in ``bench/data/messy/`` (written for this project; see its README): every folder is a story in the
corpora format plus ``structure.json``, the structural differences a good tool reports exactly once each
(``truncated``, ``late_start``, ``extra_material``, ``omitted_block``, ``moved``, ``different_story``); a
finding may list ``alternatives``, other opening words that describe the same change (two neighbouring blocks
of one size that swap places: either may be called the moved one).

Runs :func:`qa.pipeline.analyze` on each story (reference = the manifest's) and measures:

* planted errors (``annotations.json``): recall and precision per flag type, with the corpus benchmark's
  matching (a flag of a matching type overlapping the annotated span in the same version);
* structural findings (``report.structure``): an expected finding is found when a finding of the same
  version and kind covers a sentence that starts with the expected words; each expected one must be reported
  once; findings that match nothing are false;
* flags on unchanged content: every flag that is neither a planted error nor a structural flag, listed by
  version (the target is none in truncated, padded and late copies).

Prints the tables and writes ``bench/results/messy.json``.  Targets: no flag on unchanged content in
truncated or padded copies; planted errors precision >= 0.9 and recall >= 0.9; each structural difference
reported once.

    .venv/bin/python bench/messy.py [STORY_FOLDER ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import evaluate, false_positives, format_table, missed, tally, total  # noqa: E402

from qa.checks.structure import NAME as STRUCTURE_CHECK  # noqa: E402
from qa.corpus import load_corpus  # noqa: E402
from qa.encoder import get_encoder  # noqa: E402
from qa.pipeline import analyze  # noqa: E402
from qa.report import Report  # noqa: E402

DATA = ROOT / "bench" / "data" / "messy"
RESULTS = ROOT / "bench" / "results" / "messy.json"
TARGET_RECALL, TARGET_PRECISION = 0.9, 0.9
CLEAN_KINDS = ("trunc", "padded", "late")  # version labels whose story text is the wire's, word for word


def _key(text: str) -> str:
    """Letters and digits only, lower case: quotation marks and spacing do not decide a match."""
    return re.sub(r"\W+", "", text.lower())


def structure_matches(report: Report, expected: list[dict]) -> tuple[list[dict], list[dict]]:
    """(expected findings with found/times, reported findings that match no expected one)."""
    texts = {v.label: v for v in report.versions}
    ref = report.alignment.reference if report.alignment else None

    def sentences_of(finding) -> list[str]:
        out = [texts[finding.version].sentences[i].text for i in finding.sentences]
        if ref and finding.kind in {"truncated", "late_start", "omitted_block", "moved"}:
            out += [texts[ref].sentences[i].text for i in finding.reference_sentences]
        return out

    used: set[int] = set()
    results = []
    for item in expected:
        wants = [_key(t)[:40] for t in [item["text"], *item.get("alternatives", [])]]
        hits = [
            k for k, f in enumerate(report.structure)
            if f.version == item["version"] and f.kind == item["kind"]
            and any(_key(s).startswith(want) for s in sentences_of(f) for want in wants)
        ]
        used.update(hits)
        results.append({**item, "found": bool(hits), "times": len(hits)})
    unmatched = [f.to_dict() for k, f in enumerate(report.structure) if k not in used]
    return results, unmatched


def run(folders: list[Path]) -> dict:
    get_encoder()  # load the model first, so the timings are analysis only
    evaluations, structure, false_structure, seconds = [], [], [], {}
    for folder in folders:
        corpus = load_corpus(folder)
        started = time.perf_counter()
        report = analyze(corpus.versions, reference=corpus.reference)
        seconds[folder.name] = round(time.perf_counter() - started, 2)
        content_flags = [f for f in report.flags if f.check != STRUCTURE_CHECK]
        evaluations.append(evaluate(folder.name, corpus.problems, content_flags))
        expected = json.loads((folder / "structure.json").read_text(encoding="utf-8"))["findings"]
        found, unmatched = structure_matches(report, expected)
        structure += [{"story": folder.name, **item} for item in found]
        false_structure += [{"story": folder.name, **item} for item in unmatched]
    overall = total(evaluations)
    per_type = tally(evaluations, lambda item: item.type)
    false_flags = false_positives(evaluations)
    on_clean = [f for f in false_flags if f["version"] in CLEAN_KINDS]
    by_version: dict[str, int] = {}
    for f in false_flags:
        by_version[f["version"]] = by_version.get(f["version"], 0) + 1
    found_structure = sum(item["found"] for item in structure)
    repeated = sum(max(0, item["times"] - 1) for item in structure)
    kinds: dict[str, dict[str, int]] = {}
    for item in structure:
        k = kinds.setdefault(item["kind"], {"expected": 0, "found": 0, "repeated": 0, "false": 0})
        k["expected"] += 1
        k["found"] += item["found"]
        k["repeated"] += max(0, item["times"] - 1)
    for item in false_structure:
        kinds.setdefault(item["kind"], {"expected": 0, "found": 0, "repeated": 0, "false": 0})["false"] += 1

    print(format_table("Planted errors by type", per_type, overall))
    print("\nStructural findings by kind")
    print(f"  {'':16} {'expected':>8} {'found':>6} {'repeated':>8} {'false':>6}")
    for kind, k in sorted(kinds.items()):
        print(f"  {kind:16} {k['expected']:8d} {k['found']:6d} {k['repeated']:8d} {k['false']:6d}")
    print(f"\nFlags on unchanged content: {len(false_flags)} ({len(on_clean)} in truncated/padded/late copies); "
          f"by version: {by_version}")
    for f in false_flags:
        print(f"  {f['story']}/{f['version']} {f['type']} ({f['check']}) {f['text'][:60]!r}: {f['message'][:90]}")
    for item in structure:
        if not item["found"] or item["times"] > 1:
            print(f"  structure {'missed' if not item['found'] else 'repeated'}: {item['story']}/{item['version']} "
                  f"{item['kind']} {item['text']!r}")
    for item in false_structure:
        print(f"  structure false: {item['story']}/{item['version']} {item['kind']}: {item['message'][:100]}")
    for item in missed(evaluations):
        print(f"  missed: {item['story']}/{item['version']} {item['type']} {item['text'][:60]!r} "
              f"(flagged as {item['flagged_as']})")
    return {
        "stories": [f.name for f in folders],
        "planted": {"overall": overall.to_dict(), "per_type": {k: v.to_dict() for k, v in per_type.items()}},
        "structure": {
            "expected": len(structure),
            "found": found_structure,
            "repeated": repeated,
            "false": len(false_structure),
            "per_kind": kinds,
        },
        "flags_on_unchanged_content": len(false_flags),
        "flags_on_unchanged_content_in_clean_copies": len(on_clean),
        "false_flags": false_flags,
        "missed_structure": [i for i in structure if not i["found"]],
        "false_structure": false_structure,
        "seconds": seconds,
        "targets": {
            "flags_on_unchanged_content_in_clean_copies": 0,
            "precision": TARGET_PRECISION,
            "recall": TARGET_RECALL,
            "structure_each_once": True,
        },
        "met": {
            "clean_copies": not on_clean,
            "precision": (overall.precision or 0) >= TARGET_PRECISION,
            "recall": (overall.recall or 0) >= TARGET_RECALL,
            "structure_each_once": found_structure == len(structure) and not repeated and not false_structure,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", nargs="*", type=Path, help="story folders (default: all of bench/data/messy)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    folders = args.stories or sorted(p.parent for p in DATA.glob("*/manifest.json"))
    results = run(folders)
    print(f"\nmet: {results['met']}")
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
