"""Synthetic translation errors made from real translation pairs (for fitting and testing the risk model).

Sources, all in ``../shared`` (development data, never copied into the repository):

* the one-to-one beads of the alignment development sets: German-French (bleualign-dev) and
  Chinese-English (mac-dev), in both directions;
* the DEMETR development set's *good* translations only (source -> English, and English -> source); its
  perturbed sentences are the development benchmark and are never read here.

Each source sentence gives a clean pair, harmless surface variants (case, final punctuation, spacing; label
0) and, where they apply, errors made in the translation (label 1): a name dropped or swapped for another
name of the same language, a content word dropped, the sentence's subject dropped, a number changed, two
numbers swapped, a negation dropped or added, a clause or a word added from another sentence, a word code-mixed
(replaced by its aligned source word), words shuffled.  Everything is seeded from the text, so the same
files give the same pairs.  A source belongs to the held-apart evaluation split when its hash says so
(``split(src) == "eval"``): no sentence of it, nor any perturbation of it, is fitted on.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
ALIGN_DEV = SHARED / "align-dev"
DEMETR_DEV = SHARED / "qa-dev" / "demetr-dev"
DEMETR_LANGS = {"chinese_simple": "zh", "german": "de", "russian": "ru", "french": "fr"}
PER_SET = 45  # sources per (set, direction): enough to fit a dozen weights, small enough to embed in minutes
EVAL_SHARE = 5  # one source in five is held apart for evaluation
ERROR_TYPES = ("drop_name", "swap_name", "drop_noun", "drop_subject", "change_number", "swap_numbers", "negate",
               "add_clause", "add_word", "codemix", "shuffle")
HARMLESS_TYPES = ("clean", "lower_first", "no_final_punct", "spaced_punct")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_NUM = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_EN_AUXILIARIES = ("is", "was", "are", "were", "will", "would", "can", "could", "has", "have", "had", "should")


@dataclass(frozen=True)
class Item:
    """One synthetic pair: which source it comes from, which perturbation, and its label (1 = error)."""

    source_id: str
    kind: str
    label: int
    src: str
    tgt: str
    src_lang: str
    tgt_lang: str
    corpus: str


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def split(src: str) -> str:
    """``"eval"`` for the held-apart fifth of sources, else ``"fit"``."""
    return "eval" if _digest(src) % EVAL_SHARE == 0 else "fit"


def _ok(src: str, tgt: str) -> bool:
    return 20 <= len(src) <= 400 and 20 <= len(tgt) <= 400


def _align_dev_pairs() -> list[tuple[str, str, str, str, str]]:
    out = []
    bleu = ALIGN_DEV / "bleualign-dev"
    if bleu.exists():
        de = (bleu / "de.txt").read_text(encoding="utf-8").splitlines()
        fr = (bleu / "fr.txt").read_text(encoding="utf-8").splitlines()
        for line in (bleu / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            bead = json.loads(line)
            if len(bead["src"]) == 1 and len(bead["tgt"]) == 1:
                out.append(("bleualign-dev", de[bead["src"][0]].strip(), fr[bead["tgt"][0]].strip(), "de", "fr"))
    mac = ALIGN_DEV / "mac-dev"
    if mac.exists():
        docs: dict[str, tuple[list[str], list[str]]] = {}
        for line in (mac / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            bead = json.loads(line)
            doc = bead["doc"]
            if doc not in docs:
                docs[doc] = ((mac / "zh" / doc).read_text(encoding="utf-8").splitlines(),
                             (mac / "en" / doc).read_text(encoding="utf-8").splitlines())
            zh, en = docs[doc]
            if len(bead["src"]) == 1 and len(bead["tgt"]) == 1:
                out.append(("mac-dev", zh[bead["src"][0]].strip(), en[bead["tgt"][0]].strip(), "zh", "en"))
    return out


def _demetr_good_pairs() -> list[tuple[str, str, str, str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for path in sorted(DEMETR_DEV.glob("*.json")):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for item in items if isinstance(items, list) else []:
            lang = DEMETR_LANGS.get(str(item.get("lang_tag", "")).lower())
            src, mt = item.get("src_sent"), item.get("mt_sent")  # the good translation only, never pert_sent
            if lang and isinstance(src, str) and isinstance(mt, str) and (src, mt) not in seen:
                seen.add((src, mt))
                out.append(("demetr-dev-good", src.strip(), mt.strip(), lang, "en"))
    return out


def real_pairs() -> list[tuple[str, str, str, str, str]]:
    """(corpus, src, tgt, src_lang, tgt_lang) in both directions, ``PER_SET`` per set and direction."""
    groups: dict[tuple[str, str, str], list[tuple[str, str, str, str, str]]] = {}
    for corpus, src, tgt, sl, tl in _align_dev_pairs() + _demetr_good_pairs():
        if not _ok(src, tgt):
            continue
        groups.setdefault((corpus, sl, tl), []).append((corpus, src, tgt, sl, tl))
        groups.setdefault((corpus, tl, sl), []).append((corpus, tgt, src, tl, sl))
    out = []
    for key in sorted(groups):
        chosen = sorted(groups[key], key=lambda p: _digest(p[1]))[:PER_SET]
        out.extend(chosen)
    return out


# --- perturbations -------------------------------------------------------------------------------------------


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _cut(text: str, start: int, end: int) -> str:
    out = (text[:start].rstrip() + " " + text[end:].lstrip()).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", out)


def _names(text: str) -> list[re.Match]:
    words = _words(text)
    return [w for k, w in enumerate(words) if k > 0 and w.group()[:1].isupper() and len(w.group()) > 2]


def _content(text: str, lang: str) -> list[re.Match]:
    from qa.checks import wordalign

    return [w for k, w in enumerate(_words(text)) if k > 0 and not w.group()[:1].isupper()
            and wordalign.is_content(w.group().lower(), lang) and len(w.group()) > 3]


def perturb(kind: str, src: str, tgt: str, tgt_lang: str, rng: random.Random, pool: list[str]) -> str | None:
    """The translation ``tgt`` with one error (or harmless change) of ``kind``; ``None`` where it does not apply."""
    cjk = bool(_CJK.search(tgt))
    if kind == "clean":
        return tgt
    if kind == "lower_first":
        return tgt[:1].lower() + tgt[1:] if tgt[:1].isupper() else None
    if kind == "no_final_punct":
        return tgt.rstrip(".!?。！？") if tgt.rstrip()[-1:] in ".!?。！？" else None
    if kind == "spaced_punct":
        out = re.sub(r"(?<=\w)([,.;:!?])", r" \1", tgt)
        return out if out != tgt else None
    if kind == "drop_name":
        names = _names(tgt)
        if not names:
            return None
        w = rng.choice(names)
        return _cut(tgt, w.start(), w.end())
    if kind == "swap_name":
        names = _names(tgt)
        others = sorted({w.group() for text in pool for w in _names(text)} - {w.group() for w in names})
        if not names or not others:
            return None
        w = rng.choice(names)
        return tgt[:w.start()] + rng.choice(others) + tgt[w.end():]
    if kind == "drop_noun":
        if cjk:
            runs = [m for m in re.finditer(r"[\u3400-\u9fff]{2}", tgt)]
            if len(runs) < 4:
                return None
            m = rng.choice(runs[1:])
            return tgt[:m.start()] + tgt[m.end():]
        content = _content(tgt, tgt_lang)
        if not content:
            return None
        w = rng.choice(content)
        return _cut(tgt, w.start(), w.end())
    if kind == "drop_subject":
        if cjk:
            return tgt[2:] if len(tgt) > 10 and _CJK.match(tgt) else None
        words = _words(tgt)
        if len(words) < 6:
            return None
        cut = words[1].end() if not words[1].group()[:1].isupper() else words[0].end()
        rest = tgt[cut:].lstrip(" ,")
        return rest[:1].upper() + rest[1:] if rest else None
    if kind == "change_number":
        nums = list(_NUM.finditer(tgt))
        if not nums:
            return None
        m = rng.choice(nums)
        digits = re.sub(r"\D", "", m.group())
        value = int(digits[:9]) if digits else 0
        new = str(value + rng.choice([1, 2, 3, 5, 10, 20]) * (1 if rng.random() < 0.6 else -1) or value + 7)
        return tgt[:m.start()] + new + tgt[m.end():]
    if kind == "swap_numbers":
        nums = [m for m in _NUM.finditer(tgt)]
        if len(nums) < 2 or nums[0].group() == nums[1].group():
            return None
        a, b = nums[0], nums[1]
        return tgt[:a.start()] + b.group() + tgt[a.end():b.start()] + a.group() + tgt[b.end():]
    if kind == "negate":
        from qa.checks.negation import cues

        found = cues(tgt, tgt_lang)
        if found:
            cue = rng.choice(found)
            return _cut(tgt, cue.start, cue.end)
        if tgt_lang == "en":
            for w in _words(tgt):
                if w.group().lower() in _EN_AUXILIARIES:
                    return tgt[:w.end()] + " not" + tgt[w.end():]
        return None
    if kind == "add_clause":
        donors = [t for t in pool if t != tgt]
        if not donors:
            return None
        donor = rng.choice(donors)
        if cjk:
            piece = donor[: max(4, min(12, len(donor) // 2))].rstrip("，。")
            return tgt.rstrip("。") + "，" + piece + "。"
        words = _words(donor)
        if len(words) < 5:
            return None
        k = rng.randrange(0, len(words) - 4)
        piece = donor[words[k].start():words[min(len(words) - 1, k + rng.randrange(3, 7))].end()]
        body = tgt.rstrip(".!?")
        return f"{body}, {piece.lower() if not piece[:1].isupper() or k else piece}{tgt[len(body):] or '.'}"
    if kind == "add_word":  # one content word of another sentence slipped in before a content word
        donors = [t for t in pool if t != tgt]
        if not donors:
            return None
        donor = rng.choice(donors)
        if cjk:
            runs = list(re.finditer(r"[\u3400-\u9fff]{2}", donor))
            spots = [m.start() for m in re.finditer(r"[\u3400-\u9fff]", tgt)][2:]
            if not runs or not spots:
                return None
            at = rng.choice(spots)
            return tgt[:at] + rng.choice(runs).group() + tgt[at:]
        words = [w.group().lower() for w in _content(donor, tgt_lang)]
        spots = _content(tgt, tgt_lang)
        words = [w for w in words if w not in tgt.lower()]
        if not words or not spots:
            return None
        at = rng.choice(spots).start()
        return tgt[:at] + rng.choice(words) + " " + tgt[at:]
    if kind == "codemix":
        return None  # made in :func:`codemix` (needs the word alignment)
    if kind == "shuffle":
        if cjk:
            chars = list(tgt)
            if len(chars) < 10:
                return None
            k = rng.randrange(0, len(chars) - 8)
            window = chars[k:k + 8]
            rng.shuffle(window)
            out = "".join(chars[:k] + window + chars[k + 8:])
            return out if out != tgt else None
        words = tgt.split()
        if len(words) < 6:
            return None
        k = rng.randrange(0, len(words) - 4)
        window = words[k:k + 5]
        rng.shuffle(window)
        out = " ".join(words[:k] + window + words[k + 5:])
        return out if out != tgt else None
    raise ValueError(kind)


def codemix(src: str, tgt: str, src_lang: str, tgt_lang: str, rng: random.Random, model: str | None = None) -> str | None:
    """One content word of ``tgt`` replaced by the source word the word alignment links it to."""
    import numpy as np

    from qa.checks import wordalign

    if not wordalign.supported(model) or _CJK.search(tgt):
        return None
    sv, tv = wordalign.vectors([src, tgt], model)
    if sv is None or tv is None or not len(sv) or not len(tv):
        return None
    sims = np.asarray(tv.align, np.float32) @ np.asarray(sv.align, np.float32).T
    candidates = [k for k, w in enumerate(tv.words) if wordalign.is_content(w.text, tgt_lang) and len(w.text) > 3
                  and not tgt[w.start:w.start + 1].isupper()]
    rng.shuffle(candidates)
    for k in candidates:
        j = int(sims[k].argmax())
        if sims[k, j] >= 0.5 and sv.words[j].text != tv.words[k].text and not any(ch.isdigit() for ch in sv.words[j].text):
            w = tv.words[k]
            return tgt[:w.start] + src[sv.words[j].start:sv.words[j].end] + tgt[w.end:]
    return None


def items(which: str | None = None, model: str | None = None) -> list[Item]:
    """Every synthetic pair (``which``: "fit", "eval" or None for both), in a fixed order."""
    from qa.checks import wordalign

    pairs = [p for p in real_pairs() if not which or split(p[1]) == which]
    pools: dict[str, list[str]] = {}
    for _, _src, tgt, _, tl in pairs:
        pools.setdefault(tl, []).append(tgt)
    if wordalign.supported(model):
        wordalign.prepare([t for p in pairs for t in (p[1], p[2])], model)  # batched, for the code-mixing
    out: list[Item] = []
    for corpus, src, tgt, sl, tl in pairs:
        part = split(src)
        if which and part != which:
            continue
        sid = f"{corpus}:{_digest(src):x}"
        pool = [t for t in pools[tl] if split(t) == part]  # donors from the same split only
        for kind in HARMLESS_TYPES + ERROR_TYPES:
            rng = random.Random(_digest(f"{kind}\n{src}\n{tgt}"))
            new = codemix(src, tgt, sl, tl, rng, model) if kind == "codemix" else perturb(kind, src, tgt, tl, rng, pool)
            if new is None or not new.strip() or (kind in ERROR_TYPES and new == tgt):
                continue
            out.append(Item(sid, kind, int(kind in ERROR_TYPES), src, new, sl, tl, corpus))
    return out
