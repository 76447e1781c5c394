"""Translation risk of (source, translation) pairs without a reference: ``python -m qa score-pairs``.

A pair is two one-sentence versions aligned one to one, so the cross-version checks (numbers,
names, negation, omission/addition, drift) run on it exactly as on a row of a multi-version
report; their flags say *what* looks wrong.  The risk adds continuous signals read from the
encoder's sentence and word vectors (:mod:`qa.checks.wordalign`), so that any damage moves it
a little even when no check fires:

* similarity of the two sentence vectors (on canonical text: case, punctuation and
  tokenisation do not move it);
* content-word coverage both ways (source words with no counterpart: something omitted;
  translation words with no counterpart: something added);
* word-order scrambling: crossing links among confident word links;
* code-mixing: translation words in the source's script, or words of the source language
  that are not words of the target language;
* length ratio far outside what a translation gives.

Each signal becomes a non-negative penalty; the risk is ``1 - exp(-sum)``, in [0, 1).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import regex

from qa import risk_model, wordnet
from qa.checks import names, negation, numbers, omission, polarity_probe, wordalign, wrong_language
from qa.checks.base import SEVERITY_WEIGHT, CheckContext, Flag
from qa.checks.langid import NOUN_CAPITALISING
from qa.checks.lexicon import language_scripts, word_script
from qa.errors import InputError
from qa.languages import base_language
from qa.nway import Alignment, AlignmentRow
from qa.safe_output import without_surrogates
from qa.segment import UNKNOWN_LANGUAGE, Sentence, Version, detect_language

MAX_PAIR_CHARS = 5000  # a sentence pair longer than this is scored on its first 5000 characters
MAX_FILE_BYTES = 256_000_000  # about 500,000 pairs of news sentences
MAX_LINE_BYTES = 8_000_000  # one pair; only its first MAX_PAIR_CHARS characters a side are scored
MAX_INT_DIGITS = 4000  # longer integer ids are kept as their digits (Python refuses int() beyond 4300)
PAIR_CHECKS = (numbers.CHECK, names.CHECK, negation.CHECK, polarity_probe.CHECK, omission.CHECK)
CHECK_WEIGHT = {  # how much a flag of each type adds to the penalty (times severity weight and confidence)
    "number_mismatch": 2.2,
    "name_mismatch": 1.6,
    "negation_flip": 2.0,
    "omission": 0.8,
    "addition": 0.8,
    "wrong_language": 3.0,
}

# penalty weights of the continuous signals (see :func:`risk`), set on the DEMETR development set
SIM_BASE, SIM_WEIGHT = 0.93, 3.0  # sentence cosine below which the penalty grows
OMIT_WEIGHT, LOOSE_WEIGHT, ADD_WEIGHT = 0.5, 0.1, 0.15  # per unit of omitted / loose / added content weight
CROSSING_BASE, CROSSING_WEIGHT = 0.15, 1.5
FOREIGN_WEIGHT = 1.6
LENGTH_WEIGHT = 1.0
RISK_SCALE = 4.0  # penalty that gives a risk of 1 - 1/e
# align-layer cosines: a source word's counterpart weakens below OMIT_OK (a soft, continuous omission
# measure); a translation word below ADD_OK has no counterpart at all (an addition)
OMIT_OK, ADD_OK = 0.85, 0.6


@dataclass
class Pair:
    """One input line: a source sentence and its translation."""

    id: object
    src: str
    tgt: str
    src_lang: str | None = None
    tgt_lang: str | None = None


@dataclass
class Signals:
    """The continuous evidence on one pair (all in comparable, language-neutral units)."""

    similarity: float = 0.0  # cosine of the sentence vectors
    recall: float = 0.0  # content-weighted coverage of source words in the translation
    precision: float = 0.0  # content-weighted coverage of translation words in the source
    omitted: float = 0.0  # content weight of source words without a good counterpart (not length-normalised)
    added: float = 0.0  # content weight of translation words without a counterpart
    loose: float = 0.0  # content weight of translation words whose counterpart is weak (soft, like ``omitted``)
    crossing: float = 0.0  # share of crossing word links
    foreign: float = 0.0  # code-mixed words in the translation (weighted count)
    length: float = 0.0  # |log| of the token-count ratio beyond what translations give
    foreign_spans: list[tuple[int, int, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: round(v, 4) for k, v in self.__dict__.items() if isinstance(v, float)}


# --- input -------------------------------------------------------------------------------------------------


def read_pairs(path: str | Path) -> list[Pair]:
    """Read a JSON-lines file of pairs; :class:`InputError` with a one-line reason when it is not one.

    The file is read line by line with capped reads (``MAX_LINE_BYTES`` a line, ``MAX_FILE_BYTES`` in all), so
    an endless input such as ``/dev/zero`` is refused after its first megabyte, not after gigabytes.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file")
    pairs = []
    total = 0
    try:
        with p.open("rb") as fh:
            for number in itertools.count(1):
                raw = fh.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    break
                total += len(raw)
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    raise InputError(f"{p}, line {number}: longer than {MAX_LINE_BYTES // 1_000_000} MB; one pair a line")
                if total > MAX_FILE_BYTES:
                    raise InputError(f"{p}: larger than {MAX_FILE_BYTES // 1_000_000} MB; split it into several files")
                if b"\0" in raw:
                    raise InputError(f"{p}, line {number}: holds NUL bytes; it looks like a binary file, not JSON lines")
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(f"{p}, line {number}: is not UTF-8 text (byte {exc.start})") from exc
                if not line.strip():
                    continue
                pairs.append(parse_pair(_json_line(line, f"{p}, line {number}"), f"{p}, line {number}", number))
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from exc
    if not pairs:
        raise InputError(f"{p}: holds no pairs")
    return pairs


def _json_line(line: str, where: str) -> object:
    """One decoded JSON line. Numbers a strict JSON writer could not echo (NaN, Infinity, 1e999) and integers
    too long for Python's int conversion are kept as their literal text, so every id is echoed as valid JSON."""
    try:
        return json.loads(line, parse_constant=str, parse_float=_json_float, parse_int=_json_int)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{where}: not valid JSON ({getattr(exc, 'msg', 'too deeply nested')})") from exc


def _json_float(literal: str) -> float | str:
    value = float(literal)
    return value if math.isfinite(value) else literal


def _json_int(literal: str) -> int | str:
    return int(literal) if len(literal) <= MAX_INT_DIGITS else literal


def parse_pair(item: object, where: str = "pair", default_id: object = None) -> Pair:
    """A :class:`Pair` from one decoded JSON object (``src`` and ``tgt`` strings required)."""
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected an object with \"src\" and \"tgt\", got {type(item).__name__}")
    for key in ("src", "tgt"):
        if key not in item:
            raise InputError(f"{where}: \"{key}\" is missing")
        if not isinstance(item[key], str):
            raise InputError(f"{where}: \"{key}\" must be a string")
    langs = []
    for key in ("src_lang", "tgt_lang"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: \"{key}\" must be a string")
        langs.append(value.strip().lower() or None if isinstance(value, str) else None)
    pair_id = item.get("id", default_id)
    if isinstance(pair_id, float) and not math.isfinite(pair_id):
        pair_id = str(pair_id)  # given from Python, not read from JSON: still echoed as valid JSON
    elif pair_id is not None and not isinstance(pair_id, str | int | float | bool):
        raise InputError(f"{where}: \"id\" must be a string or a number")
    return Pair(pair_id, item["src"], item["tgt"], langs[0], langs[1])


# --- scoring -----------------------------------------------------------------------------------------------


def score_pairs(pairs: Iterable[Pair | dict], model: str | None = None) -> list[dict]:
    """Score each pair: ``{"id", "risk", "flags", "signals"}``; never raises on odd text."""
    items = [p if isinstance(p, Pair) else parse_pair(p) for p in pairs]
    prepared = [_prepare(p) for p in items]
    texts = [t for src, tgt in prepared for t in (src.text, tgt.text)]
    if any(base_language(v.lang) == "en" for pair in prepared for v in pair):
        wordnet.preload()  # read while the encoder works: the names check asks it for English common words
    model_ok = wordalign.supported(model)
    if model_ok:
        wordalign.prepare([_clip(t) for t in texts], model)
    return [_score_isolated(pair, src, tgt, model, model_ok) for pair, (src, tgt) in zip(items, prepared)]


def _score_isolated(pair: Pair, src: Version, tgt: Version, model: str | None, model_ok: bool) -> dict:
    """:func:`_score`, and if scoring the pair fails outside the checks, a result saying so: one bad pair never
    stops a run of thousands (``risk`` is then None, ``problems`` says why)."""
    try:
        return _score(pair, src, tgt, model, model_ok)
    except Exception as exc:  # a bug on odd text: reported with the pair, the run goes on
        return {"id": pair.id, "risk": None, "flags": [], "signals": {},
                "problems": [f"scoring failed ({type(exc).__name__}: {exc})"]}


def _run_pair_checks(ctx: CheckContext, problems: list[str]) -> list[Flag]:
    """The flags of every pair check; a check that raises is reported in ``problems`` and the others still run."""
    flags: list[Flag] = []
    for check in PAIR_CHECKS:
        try:
            flags.extend(check.run(ctx))
        except Exception as exc:  # the pair keeps its risk from the other checks and signals
            problems.append(f"check {check.name} failed ({type(exc).__name__}: {exc}); scored without it")
    return flags


def _clip(text: str) -> str:
    return text[:MAX_PAIR_CHARS]


_lang_cache: dict[str, str] = {}


def _language(text: str, given: str | None) -> str:
    if given:
        return given.split("-")[0].split("_")[0]
    key = text[:500]
    if key not in _lang_cache:
        if len(_lang_cache) > 100_000:
            _lang_cache.clear()
        _lang_cache[key] = detect_language(key) if key.strip() else UNKNOWN_LANGUAGE
    return _lang_cache[key]


def _version(label: str, text: str, lang: str) -> Version:
    """A one-sentence version over the whole text (offsets into the text as given)."""
    clipped = _clip(text)
    stripped = clipped.strip()
    sentences = []
    if stripped:
        start = clipped.index(stripped)
        sentences.append(Sentence(0, stripped, start, start + len(stripped), 0))
    return Version(label, text, lang, sentences, lang)


def _prepare(pair: Pair) -> tuple[Version, Version]:
    src = without_surrogates(pair.src.replace("\0", " "))
    tgt = without_surrogates(pair.tgt.replace("\0", " "))
    # offsets stay valid: NUL and lone surrogates (unencodable in UTF-8) are replaced one for one
    src_lang = _language(src, pair.src_lang)
    tgt_lang = _language(tgt, pair.tgt_lang)
    return _version("src", src, src_lang), _version("tgt", tgt, tgt_lang)


def _score(pair: Pair, src: Version, tgt: Version, model: str | None, model_ok: bool,
           want_features: bool = False) -> dict:
    if not src.sentences or not tgt.sentences:
        empty_side = "tgt" if not tgt.sentences else "src"
        value = 1.0 if not tgt.sentences and src.sentences else 0.5 if src.sentences == tgt.sentences else 0.9
        reason = "the translation is empty" if empty_side == "tgt" else "the source is empty"
        return {"id": pair.id, "risk": value, "flags": [_whole_flag(tgt if empty_side == "tgt" else src, reason)],
                "signals": {}}
    vecs = wordalign.vectors([_clip(src.text), _clip(tgt.text)], model) if model_ok else [None, None]
    sv, tv = vecs
    sim = float(np.dot(np.asarray(sv.sentence, np.float32), np.asarray(tv.sentence, np.float32))) \
        if sv is not None and tv is not None and len(sv) and len(tv) else 0.0
    alignment = Alignment("src", [AlignmentRow(0, {"src": (0,), "tgt": (0,)}, {"src": 1.0, "tgt": sim})], {})
    embeddings = {}
    if sv is not None and tv is not None and len(sv) and len(tv) and sv.sentence.shape == tv.sentence.shape:
        embeddings = {"src": np.asarray(sv.sentence, np.float32)[None, :], "tgt": np.asarray(tv.sentence, np.float32)[None, :]}
    ctx = CheckContext([src, tgt], alignment, embeddings, model if model_ok else None)
    problems: list[str] = []
    flags = _run_pair_checks(ctx, problems)
    try:
        flags.extend(f for f in wrong_language.copied_sentences(ctx) if f.version == "tgt")  # left untranslated
    except Exception as exc:  # the pair keeps its risk from the other checks and signals
        problems.append(f"check wrong_language failed ({type(exc).__name__}: {exc}); scored without it")
    sig = signals(sv, tv, src.lang, tgt.lang, src.sentences[0].text, tgt.sentences[0].text, sim)
    for start, end, word in sig.foreign_spans:
        offset = tgt.sentences[0].start
        flags.append(Flag("foreign_word", "critical", "tgt", 0, offset + start, offset + end,
                          tgt.text[offset + start:offset + end],
                          f"Not translated: \"{word}\" is a word of the source language or script", 0.7,
                          "score_pairs", row=0))
    caseless = names.caseless_script(src.sentences[0].text)
    if want_features:
        return features(sig, flags, caseless)
    value = risk(sig, flags, caseless_source=caseless)
    result = {"id": pair.id, "risk": round(value, 6), "flags": [_out_flag(f) for f in flags], "signals": sig.to_dict()}
    if problems:
        result["problems"] = problems
    return result


def pair_features(pairs: Iterable[Pair | dict], model: str | None = None) -> list[dict[str, float]]:
    """The risk model's features of each pair (what ``bench/fit_risk.py`` fits on)."""
    items = [p if isinstance(p, Pair) else parse_pair(p) for p in pairs]
    prepared = [_prepare(p) for p in items]
    model_ok = wordalign.supported(model)
    if model_ok:
        wordalign.prepare([_clip(t) for src, tgt in prepared for t in (src.text, tgt.text)], model)
    return [_score(pair, src, tgt, model, model_ok, want_features=True) for pair, (src, tgt) in zip(items, prepared)]


def _whole_flag(version: Version, reason: str) -> dict:
    return {"type": "omission", "severity": "critical", "side": version.label, "start": 0, "end": 0, "text": "",
            "message": reason.capitalize(), "confidence": 1.0}


def _out_flag(flag: Flag) -> dict:
    return {"type": flag.type, "severity": flag.severity, "side": flag.version, "start": flag.start, "end": flag.end,
            "text": flag.text, "message": flag.message, "confidence": round(flag_confidence(flag), 3),
            "check": flag.check}


def features(sig: Signals, flags: list[Flag], caseless_source: bool = False) -> dict[str, float]:
    """The risk model's inputs (:mod:`qa.risk_model`): signals, flags per type, the hand-set penalty."""
    out = {name: float(getattr(sig, name)) for name in risk_model.SIGNAL_FEATURES}
    for kind in risk_model.FLAG_FEATURES:
        out[f"flag_{kind}"] = 0.0
    seen: set[tuple[str, int, int]] = set()
    for flag in flags:
        key = (flag.type, flag.start, flag.end)
        if key in seen or f"flag_{flag.type}" not in out or (flag.type == "name_mismatch" and caseless_source):
            continue
        seen.add(key)
        out[f"flag_{flag.type}"] += SEVERITY_WEIGHT[flag.severity] * flag.confidence
    out["hand_penalty"] = penalty(sig, flags, caseless_source)
    return out


def risk(sig: Signals, flags: list[Flag], caseless_source: bool = False) -> float:
    """The pair's risk in [0, 1): the calibrated model's probability of a translation error, or without the
    model file the hand-set penalty mapped to [0, 1)."""
    model = risk_model.load()
    if model is None:
        return 1.0 - math.exp(-penalty(sig, flags, caseless_source) / RISK_SCALE)
    return model.probability(features(sig, flags, caseless_source))


def flag_confidence(flag: Flag) -> float:
    """A flag's confidence from the model: the risk of an otherwise typical clean pair carrying this flag."""
    model = risk_model.load()
    name = f"flag_{flag.type}"
    if model is None or name not in model.features:
        return flag.confidence
    return model.probability({**model.clean_values(), name: SEVERITY_WEIGHT[flag.severity] * flag.confidence})


def penalty(sig: Signals, flags: list[Flag], caseless_source: bool = False) -> float:
    """The hand-set combination of signals and flags (a non-negative penalty; one feature of the model).

    Names flagged against a source in a script without capitals (Chinese, Japanese, Arabic, ...) are
    shown but not counted: names cannot be told there, so such flags are mostly translated names."""
    penalty = SIM_WEIGHT * _excess(SIM_BASE - sig.similarity)
    penalty += OMIT_WEIGHT * sig.omitted + LOOSE_WEIGHT * sig.loose + ADD_WEIGHT * sig.added
    penalty += CROSSING_WEIGHT * _excess(sig.crossing - CROSSING_BASE)
    penalty += FOREIGN_WEIGHT * sig.foreign
    penalty += LENGTH_WEIGHT * sig.length
    seen: set[tuple[str, int, int]] = set()
    for flag in flags:
        key = (flag.type, flag.start, flag.end)
        if key in seen or flag.type == "foreign_word" or (flag.type == "name_mismatch" and caseless_source):
            continue
        seen.add(key)
        penalty += CHECK_WEIGHT.get(flag.type, 0.5) * SEVERITY_WEIGHT[flag.severity] * flag.confidence
    return max(penalty, 0.0)


def _excess(x: float) -> float:
    """A smooth hinge: ~0 below zero, ~x above (so small changes still move the risk)."""
    return math.log1p(math.exp(x * 20.0)) / 20.0


# --- signals -----------------------------------------------------------------------------------------------

_TOKEN = regex.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


def foreign_words(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[tuple[int, int, str, float]]:
    """Words of the translation left in the source's script or language: (start, end, word, weight)."""
    tgt_script = word_script(tgt)
    src_script = word_script(src)
    src_words = {m.group().lower() for m in _TOKEN.finditer(src)}
    # words of the source's names, and its capitalised words ("Krakowie", "İzmir'de", "Bình"): a name keeps its
    # form and its capital in translation, where a code-mixed word would be lower case
    src_names = [part for mention in names.extract(src, src_lang) for part in mention.parts]
    if src_lang.split("-")[0] not in NOUN_CAPITALISING:  # German capitals mark nouns, not names
        src_names += [regex.split(r"['’]", m.group())[0] for m in _TOKEN.finditer(src) if m.group()[:1].isupper()]
    own_scripts = language_scripts(tgt_lang) | {tgt_script}  # Japanese mixes kanji, hiragana and katakana
    out = []
    tokens = list(_TOKEN.finditer(tgt))
    for k, m in enumerate(tokens):
        word = m.group()
        low = word.lower()
        script = word_script(word)
        if script not in own_scripts and script != "LATIN" and script != "OTHER":
            # another script inside the translation (Latin is left alone: names, acronyms, brands)
            weight = 1.0 if script == src_script or low in src_words else 0.6
            out.append((m.start(), m.end(), word, weight))
            continue
        if script != tgt_script or script != src_script or len(low) < 3 or src_lang == tgt_lang:
            continue
        if word[:1].isupper() and (word in src_names if k == 0 else
                                   any(names.same_name(word, part, src_lang, src_lang) for part in src_names)):
            continue  # a name of the source, kept as names are ("Kraków" for "Krakowie", "Binh" for "Bình")
        zt = wordalign.zipf(low, tgt_lang)
        zs = wordalign.zipf(low, src_lang)
        known = zs >= (3.0 if word[:1].isupper() else 2.0)
        if zt == 0.0 and len(low) >= 4 and low in src_words and (known or names.is_compound(low, src_lang)):
            # copied from the source and no word of the target language, not even a name used in it
            out.append((m.start(), m.end(), word, 1.0))
            continue
        if zt >= 4.5 or zs < 2.0:
            continue
        first = k == 0
        name_like = word[:1].isupper() and not first and zs < 4.2
        if name_like:
            continue
        gap = zs - zt - 1.0
        if gap <= 0:
            continue
        weight = min(1.0, gap / 2.0) * (1.0 if low in src_words else 0.7)
        out.append((m.start(), m.end(), word, weight))
    return out


def signals(sv, tv, src_lang: str, tgt_lang: str, src: str, tgt: str, sim: float) -> Signals:
    """The continuous signals of one pair of sentences ``src``/``tgt`` (``sv``/``tv``: their word vectors, or
    None without a usable model); foreign-word spans are offsets into ``tgt``."""
    sig = Signals(similarity=sim)
    foreign = foreign_words(src, tgt, src_lang, tgt_lang)
    sig.foreign = float(sum(w for *_, w in foreign))
    sig.foreign_spans = [(a, b, w) for a, b, w, weight in foreign if weight >= 0.5]
    if sv is None or tv is None or not len(sv) or not len(tv):
        sig.recall = sig.precision = 0.0 if (sv is not None and tv is not None) else 1.0
        sig.similarity = sim if sv is not None else SIM_BASE
        return sig
    m = names.linked_match(sv, tv, src_lang, tgt_lang)
    sig.recall = wordalign.aligned_recall(m, src_lang)
    sig.precision = _aligned_precision(m, tgt_lang)
    ws = np.array([wordalign.weight(w.text, src_lang) for w in m.src.words])
    wt = np.array([wordalign.weight(w.text, tgt_lang) for w in m.tgt.words])
    src_cover, tgt_cover = m.src_claimed, m.tgt_claimed  # a word's counterpart must not belong to another word
    sig.omitted = float((ws * np.maximum(0.0, OMIT_OK - src_cover)).sum())
    sig.added = float((wt * np.maximum(0.0, ADD_OK - tgt_cover)).sum())
    sig.loose = float((wt * np.maximum(0.0, OMIT_OK - tgt_cover)).sum())
    sig.crossing = wordalign.crossing_rate(m)
    sig.length = _length_penalty(len(sv), len(tv), src, tgt)
    return sig


def _aligned_precision(m: wordalign.WordMatch, tgt_lang: str) -> float:
    if not len(m.src) or not len(m.tgt):
        return 0.0
    wt = np.array([wordalign.weight(w.text, tgt_lang) for w in m.tgt.words])
    return float((m.tgt_cover * wt).sum() / wt.sum())


def _length_penalty(n_src: int, n_tgt: int, src: str, tgt: str) -> float:
    """How far the translation's length is outside a generous band around the source's."""
    a = _units(src)
    b = _units(tgt)
    if a < 3 or b < 1:
        return 0.0
    ratio = abs(math.log(b / a))
    return max(0.0, ratio - math.log(2.2))


def _units(text: str) -> float:
    """Length in word-like units: words, and CJK characters counted as ~0.6 of a word each."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]", text))
    words = len(re.findall(r"[^\W\d_]+|\d+", unicodedata.normalize("NFC", re.sub(
        r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]", " ", text))))
    return words + 0.6 * cjk


__all__ = ["Pair", "Signals", "features", "flag_confidence", "foreign_words", "pair_features", "parse_pair", "penalty",
           "read_pairs", "risk", "score_pairs", "signals"]
