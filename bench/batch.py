"""Archive scale: ``qa group`` and ``qa batch`` on a generated pile (bench/pile.py) with the true grouping known.

Prints and writes ``bench/results/batch.json``:
- grouping: pairwise precision / recall of "same story";
- vector index: hnswlib, usearch, faiss HNSW on the pile's lead vectors (build + query time, recall@k vs exact);
- throughput of group and batch with 1 and 2 local workers, speed-up, share of time embedding / aligning /
  checking, peak memory per worker;
- encoder efficiency: sentences/s against the bound from multiply-adds per token and a measured matmul rate;
- scaling of group with the pile size, and the fitted exponent;
- the same run through a ``dask scheduler`` + two ``dask worker`` processes: identical outputs.

``--quick`` (default) uses a small pile; ``--full`` the issue's sizes (2,000 articles, scaling to 4,000).
Run: ``.venv/bin/python bench/batch.py [--full]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pile import make_pile  # noqa: E402

from qa.articles import read_articles  # noqa: E402
from qa.batch import run_batch  # noqa: E402
from qa.engine import Engine, task_encoder  # noqa: E402
from qa.group import LEAD_SENTENCES, NEIGHBOURS, embed_articles, group_articles, write_groups  # noqa: E402

SEED = 7  # the grouping thresholds were set on seed 1; the tests use seed 3


def write_pile(articles: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def pairwise(truth: dict[str, str], groups_file: Path) -> dict:
    predicted = {m["id"]: g["group"] for line in groups_file.read_text().splitlines() for g in [json.loads(line)] for m in g["members"]}
    tp = fp = fn = 0
    by_story: dict[str, list[str]] = {}
    for a, s in truth.items():
        by_story.setdefault(s, []).append(a)
    true_pairs = {tuple(sorted(p)) for ids in by_story.values() for p in itertools.combinations(ids, 2)}
    by_group: dict[str, list[str]] = {}
    for a, g in predicted.items():
        by_group.setdefault(g, []).append(a)
    pred_pairs = {tuple(sorted(p)) for ids in by_group.values() for p in itertools.combinations(ids, 2)}
    tp, fp, fn = len(true_pairs & pred_pairs), len(pred_pairs - true_pairs), len(true_pairs - pred_pairs)
    return {"precision": round(tp / max(1, tp + fp), 4), "recall": round(tp / max(1, tp + fn), 4), "true_pairs": len(true_pairs),
            "false_pairs": fp, "missed_pairs": fn, "listed": len(predicted) == len(truth)}


def run_group(pile: Path, out: Path, workers: int) -> dict:
    articles = read_articles(pile)
    with Engine(workers=workers, progress=False) as engine:
        start = time.perf_counter()
        grouping = group_articles(articles, engine)
        wall = time.perf_counter() - start
        memory = engine.worker_memory_mb()
    write_groups(grouping, str(out))
    return {"workers": workers, "articles": len(articles), "wall_s": round(wall, 2),
            "articles_per_min": round(60 * len(articles) / wall, 1), "pairs_aligned": grouping.pairs_checked,
            "time_s": {k: round(v, 2) for k, v in grouping.timings.items()}, "peak_memory_mb": memory}


def run_batch_once(groups: Path, out: Path, workers: int) -> dict:
    articles = sum(len(json.loads(line)["members"]) for line in groups.read_text().splitlines())
    with Engine(workers=workers, progress=False) as engine:
        result = run_batch(groups, out, engine)
        memory = engine.worker_memory_mb()
    t = result.timings
    work = t["embed_s"] + t["align_s"] + t["check_s"]
    return {"workers": workers, "groups": result.total, "articles": articles, "failed": len(result.failures),
            "wall_s": round(t["wall_s"], 2), "articles_per_min": round(60 * articles / t["wall_s"], 1),
            "share": {k[:-2]: round(t[k] / work, 3) for k in ("embed_s", "align_s", "check_s")} if work else {},
            "peak_memory_mb": memory}


def index_comparison(leads: np.ndarray, k: int) -> dict:
    """Build + query time and recall@k against exact search for three maintained HNSW libraries (one thread)."""
    exact = np.argsort(-(leads @ leads.T), axis=1)[:, :k]

    def recall(found) -> float:
        return round(float(np.mean([len(set(map(int, a)) & set(map(int, b))) / k for a, b in zip(found, exact)])), 4)

    out = {}
    import hnswlib

    start = time.perf_counter()
    index = hnswlib.Index(space="ip", dim=leads.shape[1])
    index.init_index(max_elements=len(leads), ef_construction=200, M=16, random_seed=0)
    index.set_num_threads(1)
    index.add_items(leads, np.arange(len(leads)))
    index.set_ef(max(64, 4 * k))
    labels, _ = index.knn_query(leads, k=k)
    out["hnswlib"] = {"seconds": round(time.perf_counter() - start, 3), "recall": recall(labels)}
    try:
        from usearch.index import Index

        start = time.perf_counter()
        u = Index(ndim=leads.shape[1], metric="ip", dtype="f32", connectivity=16, expansion_add=200, expansion_search=max(64, 4 * k))
        u.add(np.arange(len(leads)), leads, threads=1)
        found = u.search(leads, k, threads=1).keys
        out["usearch"] = {"seconds": round(time.perf_counter() - start, 3), "recall": recall(found)}
    except ImportError:
        out["usearch"] = "not installed (requirements-dev.txt)"
    try:
        import faiss

        faiss.omp_set_num_threads(1)
        start = time.perf_counter()
        f = faiss.IndexHNSWFlat(leads.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
        f.hnsw.efConstruction = 200
        f.add(leads)
        f.hnsw.efSearch = max(64, 4 * k)
        _, found = f.search(leads, k)
        out["faiss_hnsw"] = {"seconds": round(time.perf_counter() - start, 3), "recall": recall(found)}
    except ImportError:
        out["faiss_hnsw"] = "not installed (requirements-dev.txt)"
    return out


def encoder_efficiency(sentences: list[str]) -> dict:
    """Sentences/s of one encoder thread against the bound: multiply-adds / (measured matmul multiply-adds per s)."""
    import torch

    torch.set_num_threads(1)
    encoder = task_encoder()
    model = encoder.model
    config = model[0].auto_model.config
    d, ffn, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    ids = model.tokenizer([encoder.prefix + s for s in sentences], truncation=True, max_length=512)["input_ids"]
    tokens = np.array([len(x) for x in ids])
    # per token per layer: Q, K, V, O projections (4 d^2), feed-forward (2 d ffn), attention scores and mix (2 L d)
    macs = float(sum(layers * (4 * d * d + 2 * d * ffn + 2 * n * d) * n for n in tokens))
    start = time.perf_counter()
    encoder.encode(sentences)
    seconds = time.perf_counter() - start

    a, b = torch.randn(2048, d), torch.randn(d, ffn)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    reps = 20
    for _ in range(reps):
        a @ b
    fp32_rate = reps * 2048 * d * ffn / (time.perf_counter() - start)
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    linear = torch.nn.Linear(d, ffn)
    linear.qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
    q = DynamicLinear.from_float(linear)
    for _ in range(3):
        q(a)
    start = time.perf_counter()
    for _ in range(reps):
        q(a)
    int8_rate = reps * 2048 * d * ffn / (time.perf_counter() - start)
    rate = int8_rate if encoder.precision == "int8" else fp32_rate
    achieved = macs / seconds
    return {"precision": encoder.precision, "sentences": len(sentences), "tokens": int(tokens.sum()),
            "mean_tokens": round(float(tokens.mean()), 1), "sentences_per_s": round(len(sentences) / seconds, 1),
            "gmacs_per_s_achieved": round(achieved / 1e9, 2), "gmacs_per_s_float32_matmul": round(fp32_rate / 1e9, 2),
            "gmacs_per_s_int8_matmul": round(int8_rate / 1e9, 2),
            "bound_sentences_per_s": round(len(sentences) * rate / macs, 1), "ratio_to_bound": round(achieved / rate, 3)}


def scaling(sizes: list[int], folder: Path) -> dict:
    times = []
    for n in sizes:
        pile = write_pile(make_pile(n, seed=SEED + n), folder / f"scale-{n}.jsonl")
        result = run_group(pile, folder / f"scale-{n}.groups.jsonl", workers=0)
        times.append(result["wall_s"])
        print(f"  group {n} articles: {result['wall_s']} s, {result['pairs_aligned']} pairs aligned", flush=True)
    exponent = float(np.polyfit(np.log(sizes), np.log(times), 1)[0])
    return {"sizes": sizes, "seconds": times, "exponent": round(exponent, 3)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cluster_identity(pile: Path, folder: Path) -> dict:
    """group + batch through `dask scheduler` and two `dask worker` processes vs in this process: same files?"""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    dask = str(Path(sys.executable).with_name("dask"))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    time.sleep(3)
    procs += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        def cli(*args: str) -> int:
            done = subprocess.run([sys.executable, "-m", "qa", *args, "--no-progress"], env=env, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode:
                print(f"  {' '.join(args[:1])}: exit {done.returncode}: {done.stderr.strip()[-300:]}", flush=True)
            return done.returncode

        codes = [cli("group", str(pile), "--out", str(folder / "c.groups.jsonl"), "--cluster", address),
                 cli("batch", str(folder / "c.groups.jsonl"), "--out", str(folder / "c.out"), "--cluster", address),
                 cli("group", str(pile), "--out", str(folder / "p.groups.jsonl"), "--workers", "0"),
                 cli("batch", str(folder / "p.groups.jsonl"), "--out", str(folder / "p.out"), "--workers", "0")]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    same_groups = (folder / "c.groups.jsonl").read_text() == (folder / "p.groups.jsonl").read_text()
    names = sorted(p.name for p in (folder / "p.out").glob("*.json"))
    same_reports = names == sorted(p.name for p in (folder / "c.out").glob("*.json")) and all(
        (folder / "c.out" / n).read_bytes() == (folder / "p.out" / n).read_bytes() for n in names)
    same_table = (folder / "c.out" / "flags.csv").read_bytes() == (folder / "p.out" / "flags.csv").read_bytes()
    return {"exit_codes": codes, "identical_groups": same_groups, "identical_reports": same_reports,
            "identical_flag_table": same_table, "reports": len(names) - 1}


def _save(results: dict, out: str) -> None:
    """Write what is measured so far (a long run on a busy machine keeps its finished sections)."""
    Path(out).write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes (slow on 2 shared cores)")
    parser.add_argument("--grouping-only", action="store_true", help="only grouping quality and group throughput (2 workers)")
    parser.add_argument("--out", default=None, help="results file (default bench/results/batch.json, or batch_grouping.json)")
    args = parser.parse_args()
    name = "batch_grouping.json" if args.grouping_only else "batch.json"
    args.out = args.out or str(ROOT / "bench" / "results" / name)
    n_pile, n_batch = (2000, 400) if args.full else (200, 80)
    sizes = [500, 1000, 2000, 4000] if args.full else [100, 200, 400]
    results: dict = {"mode": "full" if args.full else "quick", "cores": os.cpu_count(), "seed": SEED,
                     "load_average_at_start": [round(x, 1) for x in os.getloadavg()]}
    folder = Path(tempfile.mkdtemp(prefix="parallax-bench-batch-"))
    articles = make_pile(n_pile, seed=SEED)
    pile = write_pile(articles, folder / "pile.jsonl")
    truth = {a["id"]: a["story"] for a in articles}
    stories = {a["story"] for a in articles}
    multi = {s for s in stories if sum(a["story"] == s for a in articles) > 1}
    results["pile"] = {"articles": len(articles), "stories": len(stories), "stories_with_versions": len(multi),
                       "languages": sorted({a["language"] for a in articles}),
                       "versions_per_story": [min(counts := [sum(a["story"] == s for a in articles) for s in multi]), max(counts)]}
    print(f"pile: {results['pile']}", flush=True)

    results["group"] = {}
    if args.grouping_only:
        r = run_group(pile, folder / "groups-2.jsonl", 2)
        results["group"]["2_workers"] = r
        results["grouping"] = pairwise(truth, folder / "groups-2.jsonl")
        results["targets_met"] = {"precision>=0.97": results["grouping"]["precision"] >= 0.97,
                                  "recall>=0.97": results["grouping"]["recall"] >= 0.97}
        results["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
        print(f"group: {r}\ngrouping: {results['grouping']}")
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
        return
    for workers in (1, 2):
        r = run_group(pile, folder / f"groups-{workers}.jsonl", workers)
        results["group"][f"{workers}_workers"] = r
        print(f"group, {workers} worker(s): {r}", flush=True)
    results["group"]["speedup"] = round(results["group"]["1_workers"]["wall_s"] / results["group"]["2_workers"]["wall_s"], 2)
    results["grouping"] = pairwise(truth, folder / "groups-2.jsonl")
    results["group"]["identical_1_vs_2_workers"] = (folder / "groups-1.jsonl").read_text() == (folder / "groups-2.jsonl").read_text()
    print(f"grouping: {results['grouping']}", flush=True)
    _save(results, args.out)

    small = write_pile(articles[:n_batch], folder / "small.jsonl")
    run_group(small, folder / "small.groups.jsonl", workers=0)
    results["batch"] = {}
    for workers in (1, 2):
        r = run_batch_once(folder / "small.groups.jsonl", folder / f"batch-{workers}", workers)
        results["batch"][f"{workers}_workers"] = r
        print(f"batch, {workers} worker(s): {r}", flush=True)
        _save(results, args.out)
    results["batch"]["speedup"] = round(results["batch"]["1_workers"]["wall_s"] / results["batch"]["2_workers"]["wall_s"], 2)

    chunk = [{"id": a["id"], "text": a["text"], "lang": a["lang"]} for a in articles[:200]]
    embedded = [e for e in embed_articles(chunk) if e.vectors is not None]
    results["encoder"] = encoder_efficiency([s for e in embedded for s in e.sentences][:1200])
    print(f"encoder: {results['encoder']}", flush=True)
    _save(results, args.out)
    leads = []
    for i in range(0, len(articles), 200):
        part = [{"id": a["id"], "text": a["text"], "lang": a["lang"]} for a in articles[i : i + 200]]
        leads += [e.vectors[:LEAD_SENTENCES].mean(axis=0) for e in embed_articles(part) if e.vectors is not None]
    lead_matrix = np.stack(leads).astype(np.float32)
    lead_matrix /= np.linalg.norm(lead_matrix, axis=1, keepdims=True)
    results["index"] = {"pile": index_comparison(lead_matrix, NEIGHBOURS + 1)}
    rng = np.random.default_rng(0)  # a crawl-sized set: the pile's leads, each repeated with noise
    big = np.repeat(lead_matrix, max(1, 10_000 // len(lead_matrix)), axis=0)
    big = (big + rng.normal(scale=0.02, size=big.shape)).astype(np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    results["index"][f"{len(big)}_noisy_copies"] = index_comparison(big, NEIGHBOURS + 1)
    print(f"index: {results['index']}", flush=True)
    _save(results, args.out)

    results["scaling"] = scaling(sizes, folder)
    print(f"scaling: {results['scaling']}", flush=True)
    _save(results, args.out)
    results["cluster"] = cluster_identity(write_pile(articles[:30], folder / "cluster.jsonl"), folder)
    print(f"cluster: {results['cluster']}", flush=True)
    results["targets_met"] = {"precision>=0.97": results["grouping"]["precision"] >= 0.97,
                              "recall>=0.97": results["grouping"]["recall"] >= 0.97,
                              "scaling_about_linear": results["scaling"]["exponent"] <= 1.2,
                              "cluster_identical": all(results["cluster"][k] for k in ("identical_groups", "identical_reports", "identical_flag_table"))}
    results["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["targets_met"]), f"-> {args.out}")
    if not math.isfinite(results["scaling"]["exponent"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
