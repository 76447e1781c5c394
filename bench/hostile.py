"""Hostile input and cost (issue 15): peak memory and time per hostile upload, and cost per sentence.

Three parts, figures printed and written to ``bench/results/hostile.json``:

1. every crafted hostile case of ``tests/hostile_files.py`` (zip bombs, crafted Markdown, billion laughs,
   a dripping web server, endless and oversized score-pairs input), each in a fresh process under a 1 GB
   address-space cap: outcome, wall time, peak resident memory (target: none over 256 MB or 10 s);
2. alignment alone on synthetic sentence vectors (no model) up to 20,000 sentences a version: time and the
   fitted exponent of time against size (target ~1);
3. the whole pipeline (``qa.pipeline.analyze``: segmentation, embedding, alignment, every check) on a
   generated story of N short sentences and a lightly edited copy (2 versions of N sentences), each size in
   a fresh process: time per sentence, time per stage, peak memory, and the fitted exponent (target: flat
   time per sentence, exponent ~1).

    .venv/bin/python bench/hostile.py           # quick: pipeline up to 1,600 sentences (~10 min on 2 cores)
    .venv/bin/python bench/hostile.py --full    # pipeline up to 20,000 sentences (about an hour on 2 cores)
    .venv/bin/python bench/hostile.py --parts cases alignment   # only these parts (the rest kept from the file)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile_files  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "hostile.json"
QUICK_SIZES = [100, 300, 800, 1600]
FULL_SIZES = [100, 300, 1000, 3000, 10000, 20000]
ALIGN_SIZES = [1000, 5000, 20000]
MEMORY_TARGET_MB, TIME_TARGET_S = 256, 10.0

CITIES = ["Aktau", "Berlin", "Lyon", "Porto", "Gdansk", "Tartu", "Bilbao", "Graz", "Turin", "Malmo", "Ghent", "Split", "Brno", "Cork", "Varna", "Kaunas", "Oulu"]
NOUNS = ["workers", "tourists", "students", "farmers", "drivers", "nurses", "pilots", "miners", "fishermen", "engineers", "teachers", "voters"]
VERBS = ["evacuated", "injured", "hired", "questioned", "rescued", "arrested", "registered", "counted", "tested", "vaccinated"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TAILS = ["officials said", "the ministry reported", "police confirmed", "local media reported", "a spokesman said"]


def story(n: int, seed: int) -> tuple[str, str]:
    """A wire text of ``n`` short sentences (5 a paragraph) and a copy with every 50th sentence dropped and
    every 20th negated: the kinds of change the checks look for, at a steady rate."""
    rnd = random.Random(seed)
    wire = [
        f"In {rnd.choice(CITIES)}, {rnd.randint(2, 900)} {rnd.choice(NOUNS)} were {rnd.choice(VERBS)} on "
        f"{rnd.choice(DAYS)}, {rnd.choice(TAILS)}."
        for _ in range(n)
    ]
    copy = [s.replace(" were ", " were not ", 1) if i % 20 == 3 else s for i, s in enumerate(wire) if i % 50 != 7]

    def text(sentences: list[str]) -> str:
        return "\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)) + "\n"

    return text(wire), text(copy)


_PIPELINE_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from bench.hostile import story
from qa.encoder import get_encoder
from qa.pipeline import VersionInput, analyze
get_encoder(None).encode(["warm up"])
warm_wire, warm_copy = story(40, seed=1)  # one-time loads (word lists, language profiles, word vectors) first
analyze([VersionInput("wire", warm_wire, "en"), VersionInput("copy", warm_copy, "en")], reference="wire")
n = int(sys.argv[1])
wire, copy = story(n, seed=n)
stages, last = {}, [None, time.perf_counter()]
def progress(stage, done):
    now = time.perf_counter()
    if last[0] is not None:
        key = last[0] if last[0].startswith("Checking") else last[0].split(" (")[0]
        stages[key] = stages.get(key, 0.0) + now - last[1]
    last[0], last[1] = stage, now
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu_before = usage.ru_utime + usage.ru_stime
start = time.perf_counter()
report = analyze([VersionInput("wire", wire, "en"), VersionInput("copy", copy, "en")], reference="wire",
                 progress=progress)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu_before
print(json.dumps({"sentences": n, "seconds": round(seconds, 2), "ms_per_sentence": round(1000 * seconds / n, 2),
                  "cpu_seconds": round(cpu, 2), "cpu_ms_per_sentence": round(1000 * cpu / n, 2),
                  "stages_s": {k: round(v, 2) for k, v in stages.items()}, "flags": len(report.flags),
                  "rows": len(report.alignment.rows), "problems": report.problems,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "rss_after_model_mb": round(rss_before, 1)}))
"""


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """The slope of log(time) against log(size): 1 is linear, 2 quadratic."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def bench_uploads() -> list[dict]:
    out = []
    print("hostile cases (fresh process each, 1 GB address-space cap):")
    for case in hostile_files.ALL_CASES:
        figures = {"case": case, **hostile_files.run_case(case)}
        ok = figures["peak_rss_mb"] is not None and figures["peak_rss_mb"] <= MEMORY_TARGET_MB \
            and figures["seconds"] <= TIME_TARGET_S
        figures["within_target"] = ok
        out.append(figures)
        print(f"  {case:55s} {figures['seconds']:>7}s {figures['peak_rss_mb']:>7} MB  {'ok ' if ok else 'OVER'}"
              f"  {figures['outcome'][:90]}", flush=True)
    return out


def bench_alignment(sizes: list[int]) -> dict:
    from qa.nway_long import align_versions_bounded
    from tests.test_cost import synthetic

    rows = []
    print("alignment alone (synthetic vectors, 2 versions):")
    for n in sizes:
        versions, vectors = synthetic(n, set(range(7, n, 50)), seed=n, dim=384)
        start = time.perf_counter()
        alignment = align_versions_bounded(versions, "ref", None, vectors)
        seconds = time.perf_counter() - start
        rows.append({"sentences": n, "seconds": round(seconds, 2), "rows": len(alignment.rows),
                     "ms_per_sentence": round(1000 * seconds / n, 3)})
        print(f"  {n:>6} sentences: {seconds:6.2f} s ({1000 * seconds / n:.2f} ms a sentence)", flush=True)
    fitted = exponent([r["sentences"] for r in rows], [r["seconds"] for r in rows])
    print(f"  fitted exponent: {fitted:.2f}")
    return {"sizes": rows, "exponent": round(fitted, 3)}


def bench_pipeline(sizes: list[int]) -> dict:
    rows = []
    print("whole pipeline (2 versions of N sentences, fresh process each, model load not counted):")
    for n in sizes:
        proc = subprocess.run([sys.executable, "-c", _PIPELINE_CHILD, str(n), str(ROOT)], cwd=ROOT,
                              capture_output=True, text=True, timeout=7200)
        if proc.returncode != 0:
            print(f"  {n}: failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(figures)
        stages = ", ".join(f"{k.lower()} {v:.1f}" for k, v in figures["stages_s"].items())
        print(f"  {n:>6} sentences: {figures['seconds']:7.1f} s wall = {figures['ms_per_sentence']:6.1f} ms a sentence,"
              f" {figures['cpu_ms_per_sentence']:6.1f} ms CPU; peak {figures['peak_rss_mb']:.0f} MB; stages (s): {stages}",
              flush=True)
    if len(rows) < 2:
        return {"sizes": rows, "exponent": None}
    sizes_ = [r["sentences"] for r in rows]
    wall, cpu = exponent(sizes_, [r["seconds"] for r in rows]), exponent(sizes_, [r["cpu_seconds"] for r in rows])
    print(f"  fitted exponent: {cpu:.2f} on CPU time (CPU ms a sentence {rows[0]['cpu_ms_per_sentence']:.0f} -> "
          f"{rows[-1]['cpu_ms_per_sentence']:.0f}), {wall:.2f} on wall time (a shared machine's load moves it)")
    return {"sizes": rows, "exponent": round(cpu, 3), "exponent_wall": round(wall, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help=f"pipeline sizes {FULL_SIZES} instead of {QUICK_SIZES}")
    parser.add_argument("--sizes", type=int, nargs="+", help="pipeline sizes (sentences a version)")
    parser.add_argument("--parts", nargs="+", choices=["cases", "alignment", "pipeline"],
                        default=["cases", "alignment", "pipeline"], help="what to measure (the rest is kept from the file)")
    args = parser.parse_args()
    sizes = args.sizes or (FULL_SIZES if args.full else QUICK_SIZES)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["targets"] = {"memory_mb": MEMORY_TARGET_MB, "seconds": TIME_TARGET_S, "exponent": 1.0}
    results["cores"] = os.cpu_count()
    load = [round(x, 2) for x in os.getloadavg()]
    if "cases" in args.parts:
        results["hostile_cases"] = bench_uploads()
        results["all_cases_within_target"] = all(c["within_target"] for c in results["hostile_cases"])
        _save(results)
    if "alignment" in args.parts:
        results["alignment"] = {**bench_alignment(ALIGN_SIZES), "load_average_at_start": load}
        _save(results)
    if "pipeline" in args.parts:
        results["pipeline"] = {**bench_pipeline(sizes), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
        _save(results)


def _save(results: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
