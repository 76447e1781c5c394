"""DEMETR pairwise accuracy of ``score-pairs``: is a perturbed translation riskier than the good one?

For every item with ``pert_check`` true in each ``*.json`` file of the DEMETR folder, scores
(source, good translation) and (source, perturbed translation) with :func:`qa.score_pairs.score_pairs`
(the code path of ``python -m qa score-pairs``) and counts the item as a success when the perturbed
pair is strictly riskier (a tie is a miss).  Prints the accuracy per perturbation type against the
targets, and the mean risk raise of the minor surface types (case, punctuation, tokenisation) over
that of the critical types (target < 0.5).  Writes ``bench/results/demetr.json``.

    .venv/bin/python bench/demetr.py [FOLDER] [--cache /tmp/demetr-vectors.pkl] [--limit N] [--types targets]

``--cache`` keeps the encoder's word vectors of every text in a pickle between runs (development only).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.checks import wordalign  # noqa: E402
from qa.score_pairs import MAX_PAIR_CHARS, Pair, score_pairs  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "qa-dev" / "demetr-dev"
RESULTS = ROOT / "bench" / "results" / "demetr.json"
LANGS = {  # DEMETR's lang_tag -> ISO 639-1 (sources); the translations are English
    "chinese_simple": "zh", "chinese": "zh", "german": "de", "russian": "ru", "french": "fr", "italian": "it",
    "spanish": "es", "polish": "pl", "czech": "cs", "japanese": "ja", "hindi": "hi", "english": "en",
}
TARGETS = {
    "numbers_replaced": 0.95, "ne_replaced": 0.90, "negation": 0.85, "addition": 0.85, "codemix": 0.95,
    "ne_removed": 0.80, "noun_removed": 0.80, "subj_removed": 0.80, "shuffled": 0.90, "antonym": 0.70,
}
MINOR_SURFACE = ("case", "final_punc_removed", "punc_addition", "tokenized", "full_lower", "first_lower")
CRITICAL = tuple(TARGETS)


def short_name(pert_name: str) -> str:
    """``critical_id10_numbers_replaced`` -> ``numbers_replaced``."""
    parts = pert_name.split("_", 2)
    return parts[2] if len(parts) == 3 and parts[1].startswith("id") else pert_name


def load(folder: Path) -> dict[str, list[dict]]:
    """Items with ``pert_check`` true, by perturbation type."""
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict) and item.get("pert_check") and all(
                    isinstance(item.get(k), str) for k in ("src_sent", "mt_sent", "pert_sent")):
                name = short_name(str(item.get("pert_name") or path.stem))
                out.setdefault(name, []).append(item)
    return out


def interleave(items: list[dict]) -> list[dict]:
    """Items reordered round-robin over languages, so that a prefix covers every language alike."""
    rank: dict[str, int] = {}
    keyed = []
    for position, item in enumerate(items):
        lang = str(item.get("lang_tag"))
        keyed.append((rank.get(lang, 0), lang, position, item))
        rank[lang] = rank.get(lang, 0) + 1
    return [item for *_, item in sorted(keyed, key=lambda t: t[:3])]


def _pairs(item: dict, key: str, tag: str) -> Pair:
    src_lang = LANGS.get(str(item.get("lang_tag", "")).lower())
    return Pair(f"{tag}:{item.get('id')}", item["src_sent"], item[key], src_lang, "en")


def load_cache(path: Path | None) -> None:
    if path and path.exists():
        with path.open("rb") as fh:
            wordalign.preload(pickle.load(fh))


def save_cache(path: Path | None, texts: list[str]) -> None:
    if not path:
        return
    items = {}
    if path.exists():
        with path.open("rb") as fh:
            items = pickle.load(fh)  # keep what other runs (other types) embedded
    items.update({t: replace(v, align=v.align.astype(np.float16), deep=v.deep.astype(np.float16))
                  for t, v in wordalign.cached([t[:MAX_PAIR_CHARS] for t in texts]).items()})
    with path.open("wb") as fh:
        pickle.dump(items, fh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    parser.add_argument("--cache", type=Path, help="pickle of word vectors kept between runs (development)")
    parser.add_argument("--limit", type=int, default=0,
                        help="at most N items per type, taken round-robin over the languages (quick runs)")
    parser.add_argument("--types", help="comma-separated perturbation types (default: all); 'targets' = the targeted "
                                        "and minor surface types")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--dump", type=Path, help="write every item's two scores here (.jsonl) for inspection")
    args = parser.parse_args(argv)

    data = load(Path(args.folder))
    if not data:
        print(f"no DEMETR items with pert_check true under {args.folder}", file=sys.stderr)
        return 2
    if args.types:
        wanted = set(CRITICAL + MINOR_SURFACE) if args.types == "targets" else set(args.types.split(","))
        data = {k: v for k, v in data.items() if k in wanted}
    if args.limit:
        data = {k: interleave(v)[: args.limit] for k, v in data.items()}
    load_cache(args.cache)
    started = time.time()
    pairs: list[Pair] = []
    for items in data.values():
        for item in items:
            pairs += [_pairs(item, "mt_sent", "mt"), _pairs(item, "pert_sent", "pert")]
    unique: dict[tuple, Pair] = {}
    for p in pairs:
        unique.setdefault((p.src, p.tgt, p.src_lang), p)
    scored = dict(zip(unique, score_pairs(list(unique.values()))))
    seconds = time.time() - started
    save_cache(args.cache, [t for p in unique.values() for t in (p.src, p.tgt)])

    per_type: dict[str, dict] = {}
    dump = []
    for name, items in sorted(data.items()):
        wins, raises = 0, []
        by_lang: dict[str, list[int]] = {}
        for item in items:
            good = scored[(item["src_sent"], item["mt_sent"], LANGS.get(str(item.get("lang_tag", "")).lower()))]
            bad = scored[(item["src_sent"], item["pert_sent"], LANGS.get(str(item.get("lang_tag", "")).lower()))]
            win = bad["risk"] > good["risk"]
            wins += win
            raises.append(bad["risk"] - good["risk"])
            by_lang.setdefault(str(item.get("lang_tag")), []).append(int(win))
            if args.dump:
                dump.append({"type": name, "lang": item.get("lang_tag"), "id": item.get("id"), "win": win,
                             "src": item["src_sent"],
                             "mt": item["mt_sent"], "pert": item["pert_sent"], "good": good, "bad": bad})
        per_type[name] = {
            "items": len(items),
            "accuracy": round(wins / len(items), 4),
            "mean_raise": round(float(np.mean(raises)), 4),
            "target": TARGETS.get(name),
            "meets_target": None if name not in TARGETS else wins / len(items) >= TARGETS[name],
            "by_language": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_lang.items())},
        }
    crit = [per_type[n]["mean_raise"] for n in CRITICAL if n in per_type]
    minor = [per_type[n]["mean_raise"] for n in MINOR_SURFACE if n in per_type]
    ratio = float(np.mean(minor) / np.mean(crit)) if crit and minor and np.mean(crit) > 0 else None
    met = [v["meets_target"] for v in per_type.values() if v["meets_target"] is not None]

    print(f"{'type':<22}{'items':>6}{'accuracy':>10}{'target':>8}{'raise':>8}  by language")
    for name, row in per_type.items():
        target = f"{row['target']:.2f}" if row["target"] else ""
        mark = "" if row["meets_target"] is None else (" ok" if row["meets_target"] else " MISS")
        langs = " ".join(f"{k[:2]}={v:.2f}" for k, v in row["by_language"].items())
        print(f"{name:<22}{row['items']:>6}{row['accuracy']:>10.3f}{target:>8}{row['mean_raise']:>8.3f}  {langs}{mark}")
    if ratio is not None:
        print(f"minor surface types raise / critical types raise = {ratio:.3f} (target < 0.5)")
    print(f"targets met: {sum(met)}/{len(met)}; scored {len(unique)} pairs in {seconds:.1f} s (shared machine)")

    result = {
        "folder": str(args.folder),
        "limit_per_type": args.limit or None,
        "per_type": per_type,
        "minor_to_critical_raise_ratio": None if ratio is None else round(ratio, 4),
        "minor_types": list(MINOR_SURFACE),
        "critical_types": list(CRITICAL),
        "targets_met": sum(met),
        "targets": len(met),
        "pairs_scored": len(unique),
        "seconds": round(seconds, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for row in dump:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
