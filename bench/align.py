"""Alignment benchmark: the CLI's code path on the development sets, scored strict and lax.

    .venv/bin/python bench/align.py                 # headline: fresh process, empty embedding cache
    .venv/bin/python bench/align.py --embed-cache /tmp/aligner/cache.pkl   # while iterating

Each document pair goes through :func:`qa.align.align_texts` with ``presegmented=True``,
exactly what ``python -m qa align SRC TGT --presegmented`` runs, and the beads are scored
with ``../shared/tools/score_alignment.py`` (imported by path, never copied).  Wall time
includes embedding (and, for the first set, loading the model); whether embeddings came
from a disk cache is recorded.  Writes ``bench/results/align.json`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.align import AlignParams, align_precision, align_texts, bead_json, with_params  # noqa: E402
from qa.encoder import get_encoder  # noqa: E402
from qa.inputs import read_text_file  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "align-dev"
SCORER = SHARED / "tools" / "score_alignment.py"
RESULTS = ROOT / "bench" / "results" / "align.json"


def dev_sets() -> dict[str, dict]:
    """name -> {pairs: [(doc, src_path, tgt_path)], gold, languages}."""
    mac = DATA / "mac-dev"
    docs = sorted(p.name for p in (mac / "zh").iterdir())
    return {
        "mac-dev": {
            "languages": "zh-en",
            "pairs": [(d, mac / "zh" / d, mac / "en" / d) for d in docs],
            "gold": mac / "gold.jsonl",
        },
        "bleualign-dev": {
            "languages": "de-fr",
            "pairs": [("dev", DATA / "bleualign-dev" / "de.txt", DATA / "bleualign-dev" / "fr.txt")],
            "gold": DATA / "bleualign-dev" / "gold.jsonl",
        },
    }


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_alignment", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_set(name: str, spec: dict, params: AlignParams, model: str | None, scorer, out_dir: Path | None) -> dict:
    start = time.perf_counter()
    pred: dict[str, list] = {}
    lines = []
    for doc, src, tgt in spec["pairs"]:
        beads = align_texts(read_text_file(src), read_text_file(tgt), presegmented=True, model=model, params=params)
        pred[doc] = [(list(b.src), list(b.tgt)) for b in beads]
        lines += [json.dumps({"doc": doc, **bead_json(b)}) for b in beads]
    wall = time.perf_counter() - start
    if out_dir is not None:
        (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = scorer.read_jsonl(str(spec["gold"]))
    result = scorer.score(gold, pred)
    per_doc = {d: round(scorer.score({d: gold[d]}, {d: pred.get(d, [])})["f1_strict"], 4) for d in gold}
    return {
        "languages": spec["languages"],
        "documents": len(spec["pairs"]),
        **{k: round(v, 4) for k, v in result.items() if k != "counts"},
        "counts": result["counts"],
        "per_doc_f1_strict": per_doc,
        "wall_s": round(wall, 2),
    }


def news_pair_timing(spec: dict, params: AlignParams, model: str | None, runs: int = 5) -> dict:
    """Time one 40 + 40 sentence alignment once its sentences are embedded (median of ``runs``)."""
    from qa.align import align_pair

    _, src, tgt = spec["pairs"][0]
    a = read_text_file(src).splitlines()[:40]
    b = read_text_file(tgt).splitlines()[:40]
    precision = align_precision()
    align_pair(a, b, model=model, params=params, precision=precision)  # embeds (normally cached by the run above)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        align_pair(a, b, model=model, params=params, precision=precision)
        times.append(time.perf_counter() - start)
    return {"sentences": [len(a), len(b)], "align_ms": round(1000 * sorted(times)[len(times) // 2], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="mac-dev,bleualign-dev", help="comma-separated development sets")
    parser.add_argument("--model", help="encoder model (default: bundled)")
    parser.add_argument("--embed-cache", help="pickle of text -> vector to preload and extend (iterating only)")
    parser.add_argument("--param", action="append", default=[], metavar="K=V", help="override an AlignParams field")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--pred-dir", help="also write the predicted beads here")
    args = parser.parse_args(argv)

    overrides = {}
    for item in args.param:
        key, _, value = item.partition("=")
        overrides[key] = type(getattr(AlignParams(), key))(float(value))
    params = with_params(**overrides)
    scorer = load_scorer()
    sets = dev_sets()

    load_start = time.perf_counter()
    encoder = get_encoder(args.model, align_precision())  # the align command's encoder
    load_s = time.perf_counter() - load_start
    cached = 0
    if args.embed_cache and Path(args.embed_cache).exists():
        with open(args.embed_cache, "rb") as fh:
            store = pickle.load(fh)
        encoder._cache.update(store)  # bench-only: preload the encoder's per-process cache
        cached = len(store)

    results: dict = {}
    out_dir = Path(args.pred_dir) if args.pred_dir else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.sets.split(","):
        before = encoder.embedded_count
        res = run_set(name, sets[name], params, args.model, scorer, out_dir)
        res["texts_embedded"] = encoder.embedded_count - before
        results[name] = res
        print(
            f"{name:14s} strict P/R/F1 {res['precision_strict']:.3f}/{res['recall_strict']:.3f}/"
            f"{res['f1_strict']:.3f}  lax {res['precision_lax']:.3f}/{res['recall_lax']:.3f}/{res['f1_lax']:.3f}  "
            f"{res['wall_s']:.1f} s  ({res['texts_embedded']} texts embedded)"
        )
    news = news_pair_timing(sets["mac-dev"], params, args.model)
    print(f"news-length pair (40 + 40 sentences, embeddings cached): {news['align_ms']:.0f} ms per alignment")
    if args.embed_cache:
        with open(args.embed_cache, "wb") as fh:
            pickle.dump(dict(encoder._cache), fh)
    summary = {
        "command": "python bench/align.py" + (" " + " ".join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ""),
        "model": encoder.name,
        "precision": encoder.precision,
        "model_load_s": round(load_s, 2),
        "embeddings_cached": bool(cached),
        "cached_texts_preloaded": cached,
        "params": asdict(params),
        "sets": results,
        "news_pair": news,
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
