"""Which encoder layer and which SimAlign method align words best, on word pairs that can be verified.

    .venv/bin/python bench/wordalign_layers.py [--beads 300] [--out bench/results/wordalign_layers.json]

Verifiable pairs, from the short one-to-one beads of the alignment development sets (zh-en mac-dev, de-fr
bleualign-dev): a number or a capitalised name written once in each sentence of the pair
(``same surface``), and numbers of equal value written differently, read by the numbers check's parser
(``30.000`` / ``30 000``, ``三`` / ``3``; ``other surface``, the harder, cross-lingual part).  For each
hidden layer of the encoder (0 = embeddings) and each method, the links proposed for those words are
scored: ``argmax`` (mutual best matches, SimAlign's default) and ``itermax`` (argmax, then again among the
words one side left unaligned).  Prints precision, recall and F1 per layer and method; writes the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from synthetic_data import _align_dev_pairs  # noqa: E402

from qa.checks import numbers, wordalign  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "wordalign_layers.json"


def hidden_word_vectors(texts: list[str]) -> list[tuple[tuple[wordalign.Word, ...], list[np.ndarray]]]:
    """For each text: its words (as :mod:`qa.checks.wordalign` groups them) and per layer a (words, dim) array."""
    import torch

    backend = wordalign._backend(None)
    out = []
    for start in range(0, len(texts), 16):
        batch = texts[start:start + 16]
        canon = [wordalign.canonical(t) for t in batch]
        enc = backend.tokenizer([backend.prefix + c for c, _ in canon], padding=True, truncation=True,
                                max_length=wordalign.MAX_TOKENS, return_tensors="pt", return_offsets_mapping=True)
        offsets = enc.pop("offset_mapping").numpy()
        with torch.inference_mode():
            hidden = backend.transformer(**enc, output_hidden_states=True).hidden_states
        mask = enc["attention_mask"].numpy().astype(bool)
        for k, (canon_text, where) in enumerate(canon):
            n = int(mask[k].sum())
            groups = wordalign._word_groups(canon_text, offsets[k, :n], len(backend.prefix))
            words = tuple(wordalign.Word(canon_text[a:b], where[a], where[b - 1] + 1) for a, b, _ in groups)
            layers = []
            for h in hidden:
                rows = np.array([h[k, ids].float().numpy().mean(axis=0) for _, _, ids in groups]).reshape(len(groups), -1)
                rows /= np.linalg.norm(rows, axis=1, keepdims=True) + 1e-9
                layers.append(rows)
            out.append((words, layers))
    return out


def argmax_links(sims: np.ndarray) -> set[tuple[int, int]]:
    if not sims.size:
        return set()
    fwd, bwd = sims.argmax(axis=1), sims.argmax(axis=0)
    return {(i, int(j)) for i, j in enumerate(fwd) if bwd[j] == i}


def itermax_links(sims: np.ndarray, rounds: int = 2) -> set[tuple[int, int]]:
    links = argmax_links(sims)
    for _ in range(rounds - 1):
        left = {i for i, _ in links}
        right = {j for _, j in links}
        masked = sims.copy()
        for i in left:
            for j in right:
                masked[i, j] = -1.0  # both words aligned already
        new = {(i, j) for i, j in argmax_links(masked) if i not in left or j not in right}
        if not new:
            break
        links |= new
    return links


def gold_links(src: str, tgt: str, sl: str, tl: str, sw, tw) -> dict[str, set[tuple[int, int]]]:
    """Verifiable links (word indices): same surface, and numbers of equal value written differently."""
    def index(words, start, end):
        hits = [k for k, w in enumerate(words) if w.start < end and w.end > start]
        return hits[0] if len(hits) == 1 else None

    same = set()
    s_counts: dict[str, int] = {}
    t_counts: dict[str, int] = {}
    for w in sw:
        s_counts[w.text] = s_counts.get(w.text, 0) + 1
    for w in tw:
        t_counts[w.text] = t_counts.get(w.text, 0) + 1
    for i, w in enumerate(sw):
        original = src[w.start:w.end]
        if s_counts[w.text] == 1 and t_counts.get(w.text) == 1 and len(w.text) > 1 and (
                any(ch.isdigit() for ch in w.text) or original[:1].isupper()):
            j = next(k for k, v in enumerate(tw) if v.text == w.text)
            same.add((i, j))
    other = set()
    ms, mt = numbers.extract(src, sl), numbers.extract(tgt, tl)
    for a in ms:
        if not a.strong:
            continue
        partners = [b for b in mt if b.strong and a.matches(b)]
        if len(partners) == 1 and wordalign.canonical(a.text)[0] != wordalign.canonical(partners[0].text)[0]:
            i, j = index(sw, a.start, a.end), index(tw, partners[0].start, partners[0].end)
            if i is not None and j is not None:
                other.add((i, j))
    return {"same surface": same, "other surface": other}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beads", type=int, default=300, help="short one-to-one beads per set")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    by_set: dict[str, list] = {}
    for corpus, src, tgt, sl, tl in _align_dev_pairs():
        if len(src) <= 200 and len(tgt) <= 200:
            by_set.setdefault(corpus, []).append((src, tgt, sl, tl))
    pairs = [p for items in by_set.values() for p in items[: args.beads]]
    vectors = hidden_word_vectors([t for p in pairs for t in p[:2]])
    counts: dict[tuple[int, str, str], list[int]] = {}  # (layer, method, gold kind) -> [correct, proposed, gold]
    for k, (src, tgt, sl, tl) in enumerate(pairs):
        (sw, s_layers), (tw, t_layers) = vectors[2 * k], vectors[2 * k + 1]
        gold = gold_links(src, tgt, sl, tl, sw, tw)
        if not any(gold.values()):
            continue
        for layer, (a, b) in enumerate(zip(s_layers, t_layers)):
            sims = a @ b.T
            for method, links in (("argmax", argmax_links(sims)), ("itermax", itermax_links(sims))):
                for kind, g in gold.items():
                    sources = {i for i, _ in g}
                    proposed = {(i, j) for i, j in links if i in sources}
                    row = counts.setdefault((layer, method, kind), [0, 0, 0])
                    row[0] += len(proposed & g)
                    row[1] += len(proposed)
                    row[2] += len(g)
    result: dict[str, dict] = {}
    print(f"{'layer':>5} {'method':<8} {'gold':<14}{'P':>7}{'R':>7}{'F1':>7}{'links':>7}")
    for (layer, method, kind), (correct, proposed, gold) in sorted(counts.items()):
        p = correct / proposed if proposed else 0.0
        r = correct / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[f"{layer}/{method}/{kind}"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                                              "gold": gold}
        print(f"{layer:>5} {method:<8} {kind:<14}{p:>7.3f}{r:>7.3f}{f:>7.3f}{gold:>7}")
    best = {kind: max(((k, v) for k, v in result.items() if k.endswith(kind)), key=lambda kv: kv[1]["f1"])[0]
            for kind in ("same surface", "other surface")}
    print("best:", best)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"beads_per_set": args.beads, "pairs": len(pairs), "best": best,
                                    "results": result}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
