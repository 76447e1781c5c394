"""App latency on the sample corpus: first analysis in a fresh process, then re-analysis after a one-sentence edit.

Targets (issue 5): first analysis at most 15 s in a fresh process with the model already materialised (imports and
model load included); re-analysis after editing one sentence at most 2 s, with only the changed sentence embedded
again. Each measurement runs in a fresh subprocess, through the app's own call (``qa.workspace.run_analysis``).
The breakdown splits the run into imports, model load and the pipeline stages (segment, embed, align, check, with
the time of every check).

Run: ``.venv/bin/python bench/app_latency.py [--runs 3]`` -> prints the figures and writes
``bench/results/app_latency.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "app_latency.json"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
FIRST_TARGET_S = 15.0
EDIT_TARGET_S = 2.0
STAGES = ("segment", "embed", "align", "check")
# progress stage names of qa.pipeline -> our stage names
_STAGE_OF = {"Segmenting": "segment", "Embedding": "embed", "Aligning": "align", "Checking": "check"}


def _timed_analysis(key, reference, model) -> tuple[object, dict[str, float], dict[str, float], float]:
    """Run the app's analysis call; returns (report, stage seconds, check seconds, total seconds)."""
    from qa import checks, workspace

    marks: list[tuple[str, float]] = []

    def progress(stage: str, _done: float) -> None:
        marks.append((stage, time.perf_counter()))

    per_check: dict[str, float] = {}
    original = list(checks.CHECKS)

    def timed(check):
        def run(ctx):
            t = time.perf_counter()
            try:
                return check.run(ctx)
            finally:
                per_check[check.name] = per_check.get(check.name, 0.0) + time.perf_counter() - t

        return type(check)(check.name, check.needs_alignment, run, check.description)

    checks.CHECKS[:] = [timed(c) for c in original]
    try:
        start = time.perf_counter()
        report = workspace.run_analysis(key, reference, model, progress)
        total = time.perf_counter() - start
    finally:
        checks.CHECKS[:] = original
    stages = dict.fromkeys(STAGES, 0.0)
    for (name, t0), (_, t1) in zip(marks, marks[1:]):
        stage = _STAGE_OF.get(name.split(" (", 1)[0])  # "Checking (names)" -> check
        if stage:
            stages[stage] += t1 - t0
    return report, {k: round(v, 3) for k, v in stages.items()}, {k: round(v, 3) for k, v in per_check.items()}, total


def edit_one_sentence(key: tuple, label: str) -> tuple[tuple, str, str]:
    """``key`` with one mid-text sentence of version ``label`` reworded (a word appended before its final stop)."""
    from qa.segment import make_version

    items = list(key)
    pos = next(i for i, item in enumerate(items) if item[0] == label)
    lab, text, lang = items[pos]
    version = make_version(lab, text, lang)
    sentence = version.sentences[len(version.sentences) // 2]
    body = sentence.text.rstrip(".!?")
    edited = body + " today" + sentence.text[len(body) :]
    items[pos] = (lab, text[: sentence.start] + edited + text[sentence.end :], lang)
    return tuple(items), sentence.text, edited


def child(spawned_at: float) -> dict:
    """One fresh-process measurement (printed as JSON on stdout); ``spawned_at``: the parent's time.time() at spawn."""
    t_start = time.perf_counter()
    startup = time.time() - spawned_at  # interpreter start-up and this module's imports
    from qa import workspace
    from qa.corpus import load_corpus
    from qa.encoder import default_model_name, get_encoder

    t_imports = time.perf_counter()
    corpus = load_corpus()
    drafts = workspace.drafts_from_inputs(corpus.versions, origin="sample")
    key = workspace.inputs_key(workspace.to_inputs(drafts))
    model = default_model_name()
    t_inputs = time.perf_counter()
    encoder = get_encoder(model)  # the app loads it first too (st.cache_resource)
    t_model = time.perf_counter()
    report, stages, per_check, analysis_s = _timed_analysis(key, corpus.reference, model)
    first_embedded = encoder.embedded_count
    first = {
        "from_spawn_s": round(time.time() - spawned_at, 3),  # the headline: process start to report ready
        "startup_s": round(startup, 3),
        "total_s": round(time.perf_counter() - t_start, 3),
        "imports_s": round(t_imports - t_start, 3),
        "inputs_s": round(t_inputs - t_imports, 3),
        "model_load_s": round(t_model - t_inputs, 3),
        "analysis_s": round(analysis_s, 3),
        "stages_s": stages,
        "checks_s": per_check,
        "sentences": sum(len(v.sentences) for v in report.versions),
        "embedded": first_embedded,
        "flags": len(report.flags),
    }
    edits = []
    for label in [v.label for v in report.versions]:
        edited_key, before, after = edit_one_sentence(key, label)
        count = encoder.embedded_count
        report2, stages2, per_check2, total2 = _timed_analysis(edited_key, corpus.reference, model)
        edits.append(
            {
                "version": label,
                "sentence_before": before,
                "sentence_after": after,
                "analysis_s": round(total2, 3),
                "stages_s": stages2,
                "checks_s": per_check2,
                "embedded": encoder.embedded_count - count,
                "flags": len(report2.flags),
            }
        )
    return {"first": first, "edits": edits, "precision": encoder.precision}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes to measure (median reported)")
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return

    runs, failures = [], []
    for i in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", repr(time.time())], cwd=ROOT, capture_output=True, text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            tail = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
            failures.append({"run": i + 1, "error": tail[0][:300]})
            print(f"run {i + 1} failed:\n{proc.stderr[-3000:]}", file=sys.stderr)
            continue
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["process_wall_s"] = round(wall, 3)  # the whole child: first analysis and the five edits
        runs.append(result)
        first = result["first"]
        worst_edit = max(e["analysis_s"] for e in result["edits"])
        print(
            f"run {i + 1}: first analysis {first['from_spawn_s']:.2f} s in a fresh process (model load "
            f"{first['model_load_s']:.2f} s, analysis {first['analysis_s']:.2f} s); one-sentence edit: at most "
            f"{worst_edit:.2f} s, embedded {sorted({e['embedded'] for e in result['edits']})} sentence(s)"
        )

    if not runs:
        sys.exit("every run failed")
    first_wall = statistics.median(r["first"]["from_spawn_s"] for r in runs)
    edit_times = [e["analysis_s"] for r in runs for e in r["edits"]]
    edit_median = statistics.median(edit_times)
    edit_worst = max(edit_times)
    embedded_on_edit = max(e["embedded"] for r in runs for e in r["edits"])
    median_run = sorted(runs, key=lambda r: r["first"]["from_spawn_s"])[len(runs) // 2]
    summary = {
        "benchmark": "app_latency",
        "corpus": "corpora/aktau-tanker-fire (5 versions)",
        "command": "python bench/app_latency.py --runs " + str(args.runs),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "precision": runs[0]["precision"],
        "targets": {"first_analysis_s": FIRST_TARGET_S, "edit_reanalysis_s": EDIT_TARGET_S},
        "first_analysis_s": round(first_wall, 3),
        "first_analysis_meets_target": first_wall <= FIRST_TARGET_S,
        "edit_reanalysis_median_s": round(edit_median, 3),
        "edit_reanalysis_worst_s": round(edit_worst, 3),
        "edit_reanalysis_meets_target": edit_worst <= EDIT_TARGET_S,
        "sentences_embedded_on_edit_max": embedded_on_edit,
        "breakdown_of_median_run": median_run,
        "runs": [
            {"first_s": r["first"]["from_spawn_s"], "edits_s": [e["analysis_s"] for e in r["edits"]]} for r in runs
        ],
        "failed_runs": failures,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    first = median_run["first"]
    print(
        f"\nfirst analysis (median of {len(runs)}): {first_wall:.2f} s (target {FIRST_TARGET_S:.0f} s) — start-up "
        f"{first['startup_s']:.2f}, imports {first['imports_s']:.2f}, model {first['model_load_s']:.2f}, "
        + ", ".join(f"{k} {v:.2f}" for k, v in first["stages_s"].items())
        + " s\n  checks: "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(first["checks_s"].items(), key=lambda kv: -kv[1]))
    )
    print(
        f"re-analysis after a one-sentence edit: median {edit_median:.2f} s, worst {edit_worst:.2f} s "
        f"(target {EDIT_TARGET_S:.0f} s), at most {embedded_on_edit} sentence(s) embedded again"
    )
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
