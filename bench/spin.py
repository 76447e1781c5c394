"""Same-language copies: spun phrases, meaning changes and verdicts on stories written for this bench.

Each story folder (``bench/data/spin/*`` for development, ``bench/data/spin-heldout/*`` kept aside and never
used for tuning) holds a wire original and same-language versions: a machine-spun copy (20-40% of content
words swapped for dictionary synonyms, set phrases broken, a few meaning changes), a lightly edited house-style
republication, a truncated one, and in some stories a verbatim copy, a rewrite and another outlet's report.
``manifest.json`` gives each version's expected verdict, ``annotations.json`` every change that is a finding
(``bench/data/spin/build_annotations.py`` writes both).

Figures, per class of annotated problem:

* ``spin`` (``reworded``; tortured phrases are ``reworded`` major with a note "tortured: ..."): found by a
  ``reworded`` or ``garbled_phrase`` flag overlapping it;
* ``meaning`` (``meaning_change``, ``name_mismatch``, ``number_mismatch``, ``negation_flip``): found by a flag of
  one of those types;
* ``omission`` / ``addition``: by a flag of that type (for omissions also the one ``truncated`` flag that a copy
  ending early gets, :mod:`qa.checks.structure`).

A flag is *correct* when it overlaps an annotated problem of its class; *located* when it overlaps any
annotated problem (the class may be wrong).  Every flag on the spun, edited, truncated, verbatim and rewritten
versions counts (whatever check raised it); the other outlet's report is judged by its verdict only.

Reference-free tortured phrases: :func:`qa.tortured.find` alone on the spun copies (recall over the
"tortured" annotations) and on the clean texts (wire and edited copies): false flags over the noun phrases of
two or three words they contain (the "correct set phrases" a detector could trip on) and over the WordNet
multiword entries among them; for development also on clean sentences: our own news sentences and the English
reference translations of the DEMETR development set.

Targets: recall >= 0.9 of spun phrases and meaning changes, precision >= 0.9, every verdict right; tortured
phrases without reference: recall >= 0.8, false flags on <= 5% of correct set phrases.

    .venv/bin/python bench/spin.py [--out bench/results/spin.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import tortured, wordnet  # noqa: E402
from qa.checks.lexicon import tokens  # noqa: E402
from qa.corpus import load_corpus  # noqa: E402
from qa.encoder import get_encoder  # noqa: E402
from qa.pipeline import analyze  # noqa: E402
from qa.verdict import verdicts  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "spin.json"
DEV = ROOT / "bench" / "data" / "spin"
HELDOUT = ROOT / "bench" / "data" / "spin-heldout"
CLASSES = {
    "spin": {"reworded", "garbled_phrase"},
    "meaning": {"meaning_change", "name_mismatch", "number_mismatch", "negation_flip"},
    "omission": {"omission", "truncated"},  # a copy that stops early gets one structural "truncated" flag
    "addition": {"addition"},
}
JUDGED_FOR_FLAGS = {"spun", "edited", "truncated", "verbatim", "rewritten"}
TARGETS = {"recall": 0.9, "precision": 0.9, "tortured_recall": 0.8, "tortured_false_flags": 0.05}


def class_of(type_: str) -> str:
    return next((name for name, types in CLASSES.items() if type_ in types), "other")


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end:
        return b_start <= a_start <= b_end
    return a_start < b_end and b_start < a_end


def evaluate_story(folder: Path) -> dict:
    corpus = load_corpus(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    expected = {v["label"]: v.get("verdict") for v in manifest["versions"]}
    started = time.perf_counter()
    report = analyze(corpus.versions, reference=corpus.reference)
    seconds = time.perf_counter() - started
    judged = verdicts(report)
    problems = corpus.problems
    flags = [f for f in report.flags if f.version in JUDGED_FOR_FLAGS]
    per_class: dict[str, dict] = {}
    missed, false = [], []
    for p in problems:
        cls = class_of(p.type)
        tally = per_class.setdefault(cls, {"problems": 0, "found": 0, "flags": 0, "correct": 0, "located": 0})
        tally["problems"] += 1
        hit = any(f.version == p.version and class_of(f.type) == cls and overlaps(f.start, f.end, p.start, p.end)
                  for f in flags)
        tally["found"] += hit
        if not hit:
            touching = sorted({f.type for f in flags if f.version == p.version and overlaps(f.start, f.end, p.start, p.end)})
            missed.append({"story": folder.name, "version": p.version, "type": p.type, "text": p.text, "flagged_as": touching})
    for f in flags:
        cls = class_of(f.type)
        tally = per_class.setdefault(cls, {"problems": 0, "found": 0, "flags": 0, "correct": 0, "located": 0})
        tally["flags"] += 1
        near = [p for p in problems if p.version == f.version and overlaps(f.start, f.end, p.start, p.end)]
        tally["located"] += bool(near)
        ok = any(class_of(p.type) == cls for p in near)
        tally["correct"] += ok
        if not ok:
            false.append({"story": folder.name, "version": f.version, "type": f.type, "check": f.check, "text": f.text,
                          "message": f.message, "annotated_as": sorted({p.type for p in near})})
    verdict_rows = []
    for label, want in expected.items():
        if label == corpus.reference or want is None:
            continue
        got = judged.get(label)
        verdict_rows.append({"story": folder.name, "version": label, "expected": want,
                             "got": got.verdict if got else None, "right": bool(got and got.verdict == want),
                             "evidence": got.evidence if got else ""})
    return {"story": folder.name, "seconds": round(seconds, 2), "per_class": per_class, "missed": missed,
            "false_flags": false, "verdicts": verdict_rows}


def noun_phrases(text: str) -> list[tuple[int, int, str]]:
    """Two- and three-word noun phrases of ``text`` (by the words' usual parts of speech), with offsets."""
    toks = tokens(text)
    out = []
    for size in (2, 3):
        for i in range(len(toks) - size + 1):
            window = toks[i : i + size]
            if any(text[a.end : b.start].strip() for a, b in zip(window, window[1:])):
                continue
            words = tuple(t.text.lower() for t in window)
            if tortured._noun_phrase(words) and not (tortured._function_word(words[0]) or tortured._function_word(words[-1])):
                out.append((window[0].start, window[-1].end, " ".join(words)))
    return out


# clean English written for other benches (news) and literary English of the alignment dev set (../shared)
EXTRA_CLEAN = ([ROOT / "corpora" / "aktau-tanker-fire" / "wire.txt"]
               + sorted((ROOT / "bench" / "data" / "messy").glob("*/wire.txt"))
               + sorted((ROOT / "bench" / "data" / "messy").glob("*/other.txt"))
               + sorted((ROOT.parent / "shared" / "data" / "align-dev" / "mac-dev" / "en").glob("*/*"))[:3])
PHRASE_LISTS = ROOT / "bench" / "data" / "tortured"  # dev.tsv (tuned on), heldout.tsv (never tuned on)
# clean English sentences: ours (bench/data/news_sentences.jsonl) and the DEMETR development set's human
# reference translations (../shared; FLORES news and travel text none of our code was written against)
NEWS_SENTENCES = ROOT / "bench" / "data" / "news_sentences.jsonl"
DEMETR_DEV = ROOT.parent / "shared" / "data" / "qa-dev" / "demetr-dev"


def clean_sentences() -> dict[str, list[str]]:
    """Name -> clean English sentences for the false-flag measure of reference-free tortured phrases."""
    ours = [json.loads(line) for line in NEWS_SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    references: set[str] = set()
    for path in sorted(DEMETR_DEV.glob("*.json")):
        references.update(item["eng_sent"] for item in json.loads(path.read_text(encoding="utf-8")))
    return {"news_sentences": [r["text"] for r in ours if r["lang"] == "en"], "demetr_dev_references": sorted(references)}


def evaluate_clean_sentences(sentences: list[str]) -> dict:
    """False tortured flags on clean sentences, over the two- and three-word noun phrases they hold."""
    phrases = sum(len(noun_phrases(s)) for s in sentences)
    false = [f"{h.text} (as {h.original})" for s in sentences for h in tortured.find(s)]
    return {"sentences": len(sentences), "noun_phrases": phrases, "false_flags": len(false),
            "false_flag_rate": round(len(false) / phrases, 4) if phrases else None, "false_flagged": false}


def evaluate_phrase_list(path: Path) -> dict:
    """Tortured phrases in sentences (phrase, set phrase, sentence; phrase = set phrase: a correct set phrase):
    recall over the tortured ones, false flags over the correct ones and anywhere else in the sentences."""
    found = total = clean = clean_flagged = 0
    missed, false = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, original, sentence = line.split("\t")
        at = sentence.lower().index(phrase.lower())
        hits = tortured.find(sentence)
        on_phrase = [h for h in hits if overlaps(h.start, h.end, at, at + len(phrase))]
        false += [f"{h.text} (as {h.original})" for h in hits if h not in on_phrase]
        if phrase == original:
            clean += 1
            clean_flagged += bool(on_phrase)
            false += [f"{h.text} (as {h.original})" for h in on_phrase]
        else:
            total += 1
            found += bool(on_phrase)
            if not on_phrase:
                missed.append(f"{phrase} ({original})")
    return {"recall": round(found / total, 4) if total else None, "tortured": total, "found": found, "missed": missed,
            "correct_set_phrases": clean, "correct_flagged": clean_flagged, "false_flags": len(false), "false_flagged": false}


def evaluate_tortured(folders: list[Path], extra_clean: list[Path] | None = None) -> dict:
    found = total = 0
    missed, false, phrases, entries, entry_false = [], [], 0, 0, 0
    clean_paths: list[Path] = list(extra_clean or [])
    for folder in folders:
        problems = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))["problems"]
        spun = (folder / "spun.txt").read_text(encoding="utf-8")
        hits = tortured.find(spun)
        for p in problems:
            if p["version"] == "spun" and p["note"].startswith("tortured"):
                total += 1
                ok = any(overlaps(h.start, h.end, p["start"], p["end"]) for h in hits)
                found += ok
                if not ok:
                    missed.append(f"{folder.name}: {p['text']}")
        clean_paths += [folder / name for name in ("wire.txt", "edited.txt") if (folder / name).exists()]
    for path in clean_paths:
        name = f"{path.parent.name}/{path.name}"
        text = path.read_text(encoding="utf-8")
        candidates = noun_phrases(text)
        flagged = tortured.find(text)
        phrases += len(candidates)
        for start, end, words in candidates:
            is_entry = wordnet.is_multiword_entry(tuple(words.split()))
            entries += is_entry
            hit = any(overlaps(h.start, h.end, start, end) and h.text.lower() == words for h in flagged)
            entry_false += hit and is_entry
        false += [f"{name}: {h.text} (as {h.original})" for h in flagged]
    return {
        "recall": round(found / total, 4) if total else None, "tortured": total, "found": found, "missed": missed,
        "clean_noun_phrases": phrases, "false_flags": len(false),
        "false_flag_rate": round(len(false) / phrases, 4) if phrases else None, "false_flagged": false,
        "clean_wordnet_entries": entries, "false_flags_on_entries": entry_false,
    }


def summarise(stories: list[dict]) -> dict:
    classes: dict[str, dict] = {}
    for story in stories:
        for cls, t in story["per_class"].items():
            acc = classes.setdefault(cls, {"problems": 0, "found": 0, "flags": 0, "correct": 0, "located": 0})
            for key in acc:
                acc[key] += t[key]
    for t in classes.values():
        t["recall"] = round(t["found"] / t["problems"], 4) if t["problems"] else None
        t["precision"] = round(t["correct"] / t["flags"], 4) if t["flags"] else None
        t["located_precision"] = round(t["located"] / t["flags"], 4) if t["flags"] else None
    target = [classes.get(c, {}) for c in ("spin", "meaning")]
    problems = sum(t.get("problems", 0) for t in target)
    found = sum(t.get("found", 0) for t in target)
    flags = sum(t["flags"] for t in classes.values())
    correct = sum(t["correct"] for t in classes.values())
    verdict_rows = [v for s in stories for v in s["verdicts"]]
    return {
        "per_class": classes,
        "recall_spin_and_meaning": round(found / problems, 4) if problems else None,
        "precision_all_flags": round(correct / flags, 4) if flags else None,
        "verdicts_right": sum(v["right"] for v in verdict_rows), "verdicts": len(verdict_rows),
    }


def print_block(title: str, stories: list[dict], summary: dict, tort: dict) -> None:
    print(f"\n== {title}: {', '.join(s['story'] for s in stories)}")
    print(f"  {'class':10} {'problems':>8} {'found':>6} {'recall':>7} {'flags':>6} {'correct':>8} {'precision':>9} {'located':>8}")
    for cls, t in sorted(summary["per_class"].items()):
        rec = "n/a" if t["recall"] is None else f"{t['recall']:.0%}"
        pre = "n/a" if t["precision"] is None else f"{t['precision']:.0%}"
        loc = "n/a" if t["located_precision"] is None else f"{t['located_precision']:.0%}"
        print(f"  {cls:10} {t['problems']:8d} {t['found']:6d} {rec:>7} {t['flags']:6d} {t['correct']:8d} {pre:>9} {loc:>8}")
    print(f"  recall (spin + meaning) {summary['recall_spin_and_meaning']}, precision (all flags) "
          f"{summary['precision_all_flags']}, verdicts right {summary['verdicts_right']}/{summary['verdicts']}")
    for s in stories:
        for v in s["verdicts"]:
            mark = "ok " if v["right"] else "XX "
            print(f"  {mark}{s['story']:20} {v['version']:10} expected {v['expected']:16} got {v['got']!s:16} {v['evidence']}")
    for s in stories:
        for m in s["missed"]:
            print(f"  missed  {m['story']:20} {m['version']:9} {m['type']:15} {m['text'][:60]!r} {m['flagged_as']}")
        for f in s["false_flags"]:
            print(f"  false   {f['story']:20} {f['version']:9} {f['type']:15} {f['check']:10} {f['text'][:40]!r} "
                  f"{f['annotated_as']} {f['message'][:90]}")
    print(f"  tortured phrases without reference: recall {tort['recall']} ({tort['found']}/{tort['tortured']}), "
          f"false flags {tort['false_flags']} on {tort['clean_noun_phrases']} clean noun phrases "
          f"(rate {tort['false_flag_rate']}), {tort['false_flags_on_entries']} on {tort['clean_wordnet_entries']} "
          f"WordNet entries; missed {tort['missed']}; false {tort['false_flagged']}")
    for key, c in tort.get("clean_sentences", {}).items():
        print(f"  tortured phrases on clean sentences ({key}): false flags {c['false_flags']} on {c['noun_phrases']} "
              f"noun phrases of {c['sentences']} sentences (rate {c['false_flag_rate']}); {c['false_flagged']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--dev-only", action="store_true", help="skip the held-out stories (while tuning)")
    args = parser.parse_args(argv)
    if not wordnet.available():
        print("error: WordNet is not installed (Debian packages wordnet-base, wordnet-sense-index)", file=sys.stderr)
        return 2
    get_encoder()
    results = {"targets": TARGETS}
    sets = [("development", DEV)] + ([] if args.dev_only else [("held_out", HELDOUT)])
    for name, root in sets:
        folders = sorted(p.parent for p in root.glob("*/manifest.json"))
        stories = [evaluate_story(f) for f in folders]
        summary = summarise(stories)
        tort = evaluate_tortured(folders, EXTRA_CLEAN if name == "development" else None)
        if name == "development":
            tort["clean_sentences"] = {key: evaluate_clean_sentences(v) for key, v in clean_sentences().items()}
        print_block(name, stories, summary, tort)
        results[name] = {"stories": stories, "summary": summary, "tortured_without_reference": tort}
        listed = evaluate_phrase_list(PHRASE_LISTS / ("dev.tsv" if name == "development" else "heldout.tsv"))
        results[name]["tortured_phrase_list"] = listed
        print(f"  tortured phrase list: recall {listed['recall']} ({listed['found']}/{listed['tortured']}), correct set "
              f"phrases flagged {listed['correct_flagged']}/{listed['correct_set_phrases']}, false flags "
              f"{listed['false_flags']}; missed {listed['missed']}; false {listed['false_flagged']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
