"""Translation errors in twelve languages the development sets do not have, on pairs we wrote ourselves.

    .venv/bin/python bench/multilingual.py [--out bench/results/multilingual.json]

Reads ``bench/data/multilingual/pairs.jsonl`` (see its README: 12 languages in 7 scripts, 8 news sentences
each, a faithful translation and six copies with one error each, into and out of English) and scores
every (source, translation) pair with :func:`qa.score_pairs.score_pairs`, the ``score-pairs`` code path.
Prints, per error type and per language, the pairwise accuracy (the damaged translation strictly riskier
than the faithful one of the same source), the share of damaged translations that carry a flag of the
type that names the error, and the flags on faithful translations (each one a false alarm).

Written for this project (not a public evaluation set). No threshold or weight was set on it, but it showed
defects that were then fixed as mechanisms (words cut at Indic vowel signs, Thai clauses read as one word,
source names read as code-mixing, Korean counters), so it is development data, not a held-out judge.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.score_pairs import Pair, score_pairs  # noqa: E402

DATA = ROOT / "bench" / "data" / "multilingual" / "pairs.jsonl"
RESULTS = ROOT / "bench" / "results" / "multilingual.json"
# the flag type that names each error (None: no check names it; the risk alone must rise)
NAMING_FLAG = {"name_removed": "name_mismatch", "name_replaced": "name_mismatch", "noun_removed": None,
               "number_changed": "number_mismatch", "negation": "negation_flip", "addition": "addition"}


def _langs(item: dict) -> tuple[str, str]:
    return ("en", item["lang"]) if item["direction"] == "en-xx" else (item["lang"], "en")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = []
    for item in items:
        src_lang, tgt_lang = _langs(item)
        pairs.append(Pair(f"{item['id']}:good", item["src"], item["good"], src_lang, tgt_lang))
        for kind, text in item["errors"].items():
            pairs.append(Pair(f"{item['id']}:{kind}", item["src"], text, src_lang, tgt_lang))
    scored = {r["id"]: r for r in score_pairs(pairs)}

    wins: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    named: dict[str, list[int]] = defaultdict(list)
    false_flags: list[str] = []
    for item in items:
        good = scored[f"{item['id']}:good"]
        false_flags += [f"{item['id']} {f['type']} '{f['text']}'" for f in good["flags"]]
        for kind in item["errors"]:
            bad = scored[f"{item['id']}:{kind}"]
            win = int(bad["risk"] > good["risk"])
            wins[kind][item["lang"]].append(win)
            wins[kind]["all"].append(win)
            if NAMING_FLAG[kind]:
                named[kind].append(int(any(f["type"] == NAMING_FLAG[kind] for f in bad["flags"])))

    languages = sorted({item["lang"] for item in items})
    print(f"{'error':16s} {'accuracy':>8s} {'flagged':>8s}  by language")
    per_type = {}
    for kind in NAMING_FLAG:
        row = wins[kind]
        accuracy = sum(row["all"]) / len(row["all"])
        flagged = sum(named[kind]) / len(named[kind]) if named.get(kind) else None
        by_lang = {lang: round(sum(row[lang]) / len(row[lang]), 3) for lang in languages}
        per_type[kind] = {"pairs": len(row["all"]), "accuracy": round(accuracy, 3),
                          "flagged_as_such": None if flagged is None else round(flagged, 3), "by_language": by_lang}
        shown = "-" if flagged is None else f"{flagged:.3f}"
        print(f"{kind:16s} {accuracy:8.3f} {shown:>8s}  " + " ".join(f"{k}={v:.2f}" for k, v in by_lang.items()))
    print(f"flags on {len(items)} faithful translations: {len(false_flags)}")
    for line in false_flags:
        print(f"  {line}")
    result = {"command": "python bench/multilingual.py", "data": str(DATA.relative_to(ROOT)), "items": len(items),
              "languages": languages, "per_type": per_type, "flags_on_faithful": len(false_flags),
              "flagged_faithful": false_flags}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
