"""Encoder benchmark: throughput and fidelity of each speed variant, cold start, memory, conversion time.

Usage: ``.venv/bin/python bench/encoder.py [--reps 3] [--skip-conversion]``

On the 500 news sentences of ``bench/data/news_sentences.jsonl`` (12 languages, mixed lengths) it measures,
per variant, sentences per second of a warm batch encode (best of ``--reps``, a fresh cache each time) and
the cosine of each sentence's embedding to the float32 sentence-transformers reference (min and mean).
Then, in fresh subprocesses: cold start (process start to first embedding, model already converted) and
peak RSS for the default and the float32 encoder, and the one-off conversion time into a temporary cache.
Prints a table and writes ``bench/results/encoder.json``.  Timings on a shared machine are noisy: the
load average at start and end is recorded with them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data" / "news_sentences.jsonl"
OUT = ROOT / "bench" / "results" / "encoder.json"

COLD_START = r"""
import json, sys, time
t0 = time.perf_counter()
from qa.encoder import get_encoder
t_import = time.perf_counter()
encoder = get_encoder()
t_load = time.perf_counter()
encoder.encode(["Parliament approved the budget by 214 votes to 187."])
t_first = time.perf_counter()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
encoder.encode(texts)
print(json.dumps({
    "precision": encoder.precision,
    "import_s": t_import - t0, "load_s": t_load - t_import, "first_embedding_s": t_first - t_load,
    "in_process_to_first_s": t_first - t0, "first_embedding_at": time.time() - (time.perf_counter() - t_first),
    "peak_rss_mb": PEAK_RSS_MB(),
}))
"""

CONVERSION = r"""
import json, time
from qa.bundled_model import materialise
t0 = time.perf_counter()
materialise()
print(json.dumps({"seconds": time.perf_counter() - t0, "peak_rss_mb": PEAK_RSS_MB()}))
"""

# Peak RSS of the child itself.  getrusage's ru_maxrss is not used: Linux carries it over fork and exec, so a
# child of this (large) benchmark process would report the parent's peak.  VmHWM belongs to the new image.
PEAK_RSS = r"""
def PEAK_RSS_MB():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def machine() -> dict:
    import torch

    return {
        "cpu_count": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "load_average_at_start": list(os.getloadavg()),
    }


def load_texts() -> list[str]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def timed(fn, reps: int) -> tuple[float, float, np.ndarray]:
    """Best wall time and best process CPU time of ``reps`` calls after one warm-up call, and the last result."""
    result = fn()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(reps):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, np.asarray(result, dtype=np.float32)


def run_variants(texts: list[str], reps: int) -> tuple[list[dict], dict]:
    import torch
    from sentence_transformers import SentenceTransformer

    from qa.bundled_model import materialise
    from qa.encoder import BUNDLED_FLOAT_LAYERS, E5_PREFIX, FLOAT32, INT8, Encoder, quantise_int8

    path = str(materialise())
    prefixed = [E5_PREFIX + t for t in texts]

    def fresh():
        model = SentenceTransformer(path, device="cpu", local_files_only=True)
        model.eval()
        return model

    def st_encode(model):
        def go():
            with torch.inference_mode():
                return model.encode(prefixed, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

        return go

    def ours(model, precision):
        return lambda: Encoder("bundled", model, E5_PREFIX, precision=precision).encode(texts)

    # (label, prepare the loaded float32 model, make the encode call, timed repetitions: rejected variants once)
    variants = [
        ("float32, sentence-transformers encode (batch 32, PyTorch intra-op threads)", lambda m: m, st_encode, reps),
        ("float32, qa.encoder (length-sorted batches of 16, one worker thread per core)", lambda m: m,
         lambda m: ours(m, FLOAT32), reps),
        ("int8 default: qa.encoder, FFN outputs of layers 0,4,5 float32, 8-bit activations",
         lambda m: quantise_int8(m, BUNDLED_FLOAT_LAYERS), lambda m: ours(m, INT8), reps),
        ("int8 as default, through sentence-transformers encode (PyTorch intra-op threads)",
         lambda m: quantise_int8(m, BUNDLED_FLOAT_LAYERS), st_encode, 1),
        ("int8, all Linear layers", lambda m: quantise_int8(m), lambda m: ours(m, INT8), 1),
        ("int8 as default but PyTorch's 7-bit activations (reduce_range)",
         lambda m: quantise_int8(m, BUNDLED_FLOAT_LAYERS, full_range=False), lambda m: ours(m, INT8), 1),
    ]
    tokens = fresh().tokenizer(prefixed)["input_ids"]
    corpus = {"sentences": len(texts), "languages": None, "tokens_mean": float(np.mean([len(t) for t in tokens])),
              "tokens_max": max(len(t) for t in tokens)}
    reference = None
    rows = []
    for label, prepare, runner, n in variants:
        model = prepare(fresh())
        seconds, cpu_seconds, vectors = timed(runner(model), n)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        if reference is None:
            reference = vectors
        cosine = (vectors * reference).sum(axis=1)
        rows.append({
            "variant": label,
            "sentences_per_s": round(len(texts) / seconds, 1),
            "best_seconds": round(seconds, 2),
            "timed_runs": n,
            # Work per sentence, less sensitive to other processes than wall time (spinning threads inflate it).
            "sentences_per_cpu_s": round(len(texts) / cpu_seconds, 1),
            "cosine_to_float32_min": round(float(cosine.min()), 5),
            "cosine_to_float32_mean": round(float(cosine.mean()), 5),
            "meets_target": bool(len(texts) / seconds >= 100 and cosine.min() >= 0.99),
            "load_average_after": round(os.getloadavg()[0], 2),
        })
        print(f"{rows[-1]['sentences_per_s']:7.1f}/s {rows[-1]['sentences_per_cpu_s']:6.1f}/cpu-s  cos min {cosine.min():.5f} mean {cosine.mean():.5f}  "
              f"load {os.getloadavg()[0]:5.2f}  {label}", flush=True)
        del model
        gc.collect()
    return rows, corpus


def subprocess_json(code: str, *args: str, env: dict | None = None) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS + code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    wall = time.perf_counter() - start
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def cold_starts() -> list[dict]:
    rows = []
    for precision in ("auto", "float32"):
        env = {**os.environ, "PARALLAX_ENCODER_PRECISION": precision, "TOKENIZERS_PARALLELISM": "false"}
        launched = time.time()
        _, child = subprocess_json(COLD_START, str(DATA), env=env)
        child["requested"] = precision
        child["process_start_to_first_embedding_s"] = child.pop("first_embedding_at") - launched
        rows.append({k: round(v, 2) if isinstance(v, float) else v for k, v in child.items()})
        print(f"cold start {precision:8s}: {child['process_start_to_first_embedding_s']:.1f} s to first embedding "
              f"(import {child['import_s']:.1f}, load {child['load_s']:.1f}); peak RSS {child['peak_rss_mb']:.0f} MB",
              flush=True)
    return rows


def conversion() -> dict:
    with tempfile.TemporaryDirectory(prefix="parallax-bench-cache-") as tmp:
        env = {**os.environ, "PARALLAX_CACHE": tmp}
        wall, child = subprocess_json(CONVERSION, env=env)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    result = {"seconds": round(child["seconds"], 2), "process_wall_s": round(wall, 2),
              "peak_rss_mb": round(child["peak_rss_mb"]), "disk_mb": round(size / 2**20)}
    print(f"conversion: {result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']} MB, {result['disk_mb']} MB on disk",
          flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions per variant (best is kept)")
    parser.add_argument("--skip-conversion", action="store_true", help="do not time a fresh conversion")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    texts = load_texts()
    info = machine()
    print(f"{len(texts)} sentences; {info['cpu_count']} CPUs ({info['torch_cpu_capability']}), "
          f"load average {info['load_average_at_start']}", flush=True)
    from qa.encoder import resolve_precision

    rows, corpus = run_variants(texts, args.reps)
    with DATA.open(encoding="utf-8") as fh:
        corpus["languages"] = len({json.loads(line)["lang"] for line in fh if line.strip()})
    result = {
        "machine": info,
        "corpus": corpus,
        "default_precision": resolve_precision(None, "bundled"),
        "target": "sentences_per_s >= 100 at cosine_to_float32_min >= 0.99",
        "variants": rows,
        "cold_start": cold_starts(),
        "conversion": None if args.skip_conversion else conversion(),
    }
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
