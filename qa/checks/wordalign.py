"""Word-level alignment across languages from the sentence encoder's own token vectors.

The cross-version checks need to know which words of one sentence have a counterpart in
another ("is the noun of the source still in the translation?", "which target word matches
nothing in the source?").  Multilingual encoders place translations of a word close together
in their middle and upper layers (the idea behind SimAlign and BERTScore), so one forward pass
of the project's encoder gives, for every word, a vector comparable across languages, and the
mean of the last layer is exactly the sentence embedding.

Texts are first put in a canonical form (lower case, punctuation outside words dropped,
spaces collapsed, split clitics such as "did n't" rejoined) so that case, punctuation and
tokenisation differences, which do not change meaning, do not change the vectors either.
Every word keeps its offsets into the original text.

Everything here is cached per process (bounded); :func:`prepare` embeds many texts in
batches, which is how ``score-pairs`` stays fast on thousands of pairs.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

# hidden layer whose token vectors align words best across languages (of 12).  bench/wordalign_layers.py on
# 89 verifiable links (numbers and names written once on both sides of 160 short 1-1 dev beads, zh-en and de-fr):
# mutual argmax finds all of them on layers 0-9 (F1 1.00; 0.994 on 10-12), itermax adds wrong links to them
# (F1 0.90-0.97, best on layer 8).  Same-surface links cannot tell the layers apart; layer 8 is kept for the
# word coverage that needs meaning, not surface (no verifiable different-surface pair was found in those beads).
ALIGN_LAYER = 8
MAX_TOKENS = 256  # longer texts are truncated; words past the cut have no vector
BATCH = 32
CACHE_TEXTS = 6000

_CLITIC = re.compile(r"\s+(?=(?:n['’]t|['’](?:s|re|ve|ll|d|m))(?:\W|$))", re.I)
# scripts whose tokens are words of their own: Chinese, Japanese, Korean syllables, and those Unicode's line
# breaking puts in the complex-context class (Thai, Lao, Khmer, Myanmar: written without spaces between words)
_CJK = regex.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af\p{Line_Break=Complex_Context}]")
_DASHES = "-‐‑‒–—―/"


def canonical(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased with punctuation outside words removed, and for each kept character
    its offset in ``text``."""
    drop: set[int] = set()
    for match in _CLITIC.finditer(text):
        drop.update(range(match.start(), match.end()))
    chars: list[str] = []
    where: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if i in drop:
            continue
        if ch.isalnum() or (_in_word(ch) and chars and chars[-1] != " "):
            # a combining mark (Devanagari vowel signs, Thai tones) or joiner belongs to its letter
            low = ch.lower()
            chars.append(low if len(low) == 1 else ch)
            where.append(i)
        elif ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
        else:
            prev = chars[-1] if chars else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if prev.isalnum() and nxt.isalnum() and ch not in _DASHES and unicode_is_joiner(ch):
                chars.append(ch)
                where.append(i)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def _in_word(ch: str) -> bool:
    """A combining mark or a zero-width (non-)joiner: part of the word around it, though not alphanumeric."""
    return unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d"


def unicode_is_joiner(ch: str) -> bool:
    """Punctuation that belongs inside a word or number: apostrophes, dots, commas, colons."""
    return ch in "'’.,:·"


@dataclass(frozen=True)
class Word:
    """A word (or, in Chinese and Japanese, a token) with its offsets in the original text."""

    text: str  # canonical (lower-case) form
    start: int
    end: int


@dataclass(frozen=True)
class TextVectors:
    """A text's words with their vectors (align layer and last layer) and its sentence vector."""

    text: str
    words: tuple[Word, ...]
    align: np.ndarray  # (n_words, dim) float32, L2-normalised; zero rows past truncation
    deep: np.ndarray  # (n_words, dim) float32, L2-normalised, last layer
    sentence: np.ndarray  # (dim,) float32, L2-normalised: mean of the last layer over all tokens

    def __len__(self) -> int:
        return len(self.words)


class _Cache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str], TextVectors] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> TextVectors | None:
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key: tuple[str, str], value: TextVectors) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_cache = _Cache(CACHE_TEXTS)


def supported(model: str | None = None) -> bool:
    """Whether ``model``'s encoder exposes token vectors (a Transformer-based sentence-transformers model)."""
    return _backend(model) is not None


def vectors(texts: list[str], model: str | None = None) -> list[TextVectors | None]:
    """Word and sentence vectors of each text (``None`` for every text if the model cannot give them)."""
    prepare(texts, model)
    name = _model_key(model)
    return [_cache.get((name, t)) or _empty(t) for t in texts] if supported(model) else [None] * len(texts)


def prepare(texts: list[str], model: str | None = None) -> None:
    """Embed every text not cached yet, in length-sorted batches."""
    backend = _backend(model)
    if backend is None:
        return
    name = _model_key(model)
    missing = [t for t in dict.fromkeys(texts) if _cache.get((name, t)) is None]
    wanted = len(dict.fromkeys(texts))
    if wanted + 256 > _cache.size:
        _cache.size = wanted + 256  # every text asked for together stays cached until it is used
    missing.sort(key=len)
    for i in range(0, len(missing), BATCH):
        batch = missing[i : i + BATCH]
        for text, item in zip(batch, backend.run(batch)):
            _cache.put((name, text), item)


def cached(texts: list[str], model: str | None = None) -> dict[str, TextVectors]:
    """The cached vectors of those ``texts`` embedded already (for saving them between runs)."""
    name = _model_key(model)
    out = {}
    for text in dict.fromkeys(texts):
        item = _cache.get((name, text))
        if item is not None:
            out[text] = item
    return out


def preload(items: dict[str, TextVectors], model: str | None = None) -> None:
    """Put vectors computed earlier (by :func:`cached`, same model) into the cache."""
    name = _model_key(model)
    if len(items) + len(_cache.items) > _cache.size:
        _cache.size = len(items) + len(_cache.items) + 256
    for text, item in items.items():
        _cache.put((name, text), item)


@contextmanager
def private_cache() -> Iterator[None]:
    """Run the block with an empty cache of its own, then put the process's cache back.  ``qa batch`` checks
    each group so: a group's vectors (int8 activations are scaled per batch) never depend on which groups ran
    before it, and the process cache the app and other callers see is left as it was."""
    global _cache
    saved, _cache = _cache, _Cache(CACHE_TEXTS)
    try:
        yield
    finally:
        _cache = saved


def _empty(text: str) -> TextVectors:
    dim = 1
    return TextVectors(text, (), np.zeros((0, dim), np.float32), np.zeros((0, dim), np.float32), np.zeros(dim, np.float32))


def _model_key(model: str | None) -> str:
    from qa.encoder import default_model_name

    return (model or default_model_name()).strip()


class _Backend:
    """Runs the encoder's transformer and turns its hidden states into word vectors."""

    def __init__(self, st_model, prefix: str, mean_pooling: bool) -> None:
        self.transformer = st_model[0].auto_model
        self.tokenizer = st_model.tokenizer
        self.prefix = prefix
        self.mean_pooling = mean_pooling
        self.encoder_model = st_model

    def run(self, texts: list[str]) -> list[TextVectors]:
        import torch

        canon = [canonical(t) for t in texts]
        inputs = [self.prefix + c for c, _ in canon]
        batch = self.tokenizer(
            inputs, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt",
            return_offsets_mapping=True,
        )
        offsets = batch.pop("offset_mapping").numpy()
        with torch.inference_mode():
            out = self.transformer(**batch, output_hidden_states=True)
        hidden = out.hidden_states
        layer = min(ALIGN_LAYER, len(hidden) - 1)
        mask = batch["attention_mask"].numpy().astype(bool)
        align_all = hidden[layer].float().numpy()
        deep_all = hidden[-1].float().numpy()
        results = []
        for k, (text, (canon_text, where)) in enumerate(zip(texts, canon)):
            n = int(mask[k].sum())
            deep = deep_all[k, :n]
            if self.mean_pooling:
                sentence = deep.mean(axis=0)
            else:
                sentence = np.asarray(
                    self.encoder_model.encode([self.prefix + canon_text], normalize_embeddings=False)[0], np.float32
                )
            sentence = sentence / (np.linalg.norm(sentence) or 1.0)
            groups = _word_groups(canon_text, offsets[k, :n], len(self.prefix))
            words, align_rows, deep_rows = [], [], []
            for start, end, token_ids in groups:
                words.append(Word(canon_text[start:end], where[start], where[end - 1] + 1))
                align_rows.append(_unit(align_all[k, token_ids].mean(axis=0)))
                deep_rows.append(_unit(deep_all[k, token_ids].mean(axis=0)))
            dim = align_all.shape[-1]
            results.append(
                TextVectors(
                    text,
                    tuple(words),
                    np.array(align_rows, np.float32).reshape(-1, dim),
                    np.array(deep_rows, np.float32).reshape(-1, dim),
                    sentence.astype(np.float32),
                )
            )
        return results


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _word_groups(canon_text: str, offsets: np.ndarray, shift: int) -> list[tuple[int, int, list[int]]]:
    """Group tokens into words: (start, end, token indices); each CJK token is a word of its own."""
    groups: list[tuple[int, int, list[int]]] = []
    prev_cjk = False
    for index, (a, b) in enumerate(offsets):
        a, b = max(int(a) - shift, 0), min(int(b) - shift, len(canon_text))
        if b <= a:
            continue
        while a < b and canon_text[a] == " ":
            a += 1
        if a >= b:
            continue
        cjk = bool(_CJK.search(canon_text[a:b]))
        starts_word = a == 0 or canon_text[a - 1] == " "
        if not groups or starts_word or cjk or prev_cjk:
            groups.append((a, b, [index]))
        else:
            start, _, ids = groups[-1]
            groups[-1] = (start, b, ids + [index])
        prev_cjk = cjk
    return groups


_backends: dict[str, _Backend | None] = {}
_backend_lock = threading.Lock()


def _backend(model: str | None) -> _Backend | None:
    name = _model_key(model)
    with _backend_lock:
        if name not in _backends:
            _backends[name] = _make_backend(name)
        return _backends[name]


def _make_backend(name: str) -> _Backend | None:
    from qa.encoder import get_encoder

    encoder = get_encoder(name)
    st_model = encoder.model
    try:
        first = st_model[0]
        first.auto_model  # noqa: B018 - probe: Transformer module of sentence-transformers
        tokenizer = st_model.tokenizer
        if not getattr(tokenizer, "is_fast", False):
            return None
    except (AttributeError, TypeError, IndexError, KeyError):
        return None
    mean_pooling = True
    try:
        pooling = st_model[1]
        mean_pooling = bool(getattr(pooling, "pooling_mode_mean_tokens", True)) and not any(
            getattr(pooling, attr, False) for attr in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
        )
    except (IndexError, KeyError, TypeError):
        pass
    return _Backend(st_model, encoder.prefix, mean_pooling)


# --- content weights ------------------------------------------------------------------------

_NO_WORDFREQ = {"zh", "ja", "ko", "th"}


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency of ``word`` in ``lang`` (0 when unknown or unsupported)."""
    from wordfreq import zipf_frequency

    lang = (lang or "").split("-")[0].lower()
    if not lang or lang == "und" or lang in _NO_WORDFREQ:
        return 0.0
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError, ImportError, OSError):
        return 0.0


@lru_cache(maxsize=200_000)
def weight(word: str, lang: str) -> float:
    """How much a word carries content: high for rare words, names and numbers, low for function words."""
    if any(ch.isdigit() for ch in word):
        return 3.0
    if _CJK.search(word):
        return 2.0 if len(word) > 1 else 1.5
    z = zipf(word, lang)
    if z == 0.0 and len(word) > 2:
        return 3.5  # unknown to the word list: a name, a rare word
    return float(min(4.0, max(0.15, 7.0 - z)))


def is_content(word: str, lang: str) -> bool:
    """A word whose loss changes what the sentence says (not a function word)."""
    return weight(word, lang) >= 1.6 and len(word) > 1


# --- alignment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WordMatch:
    """Similarities of every word of ``tgt`` to every word of ``src`` (rows: tgt, cols: src)."""

    src: TextVectors
    tgt: TextVectors
    align: np.ndarray  # (len(tgt), len(src)) cosine, align layer
    deep: np.ndarray  # (len(tgt), len(src)) cosine, last layer

    @property
    def src_cover(self) -> np.ndarray:
        """For each source word, its best match among the target words (align layer)."""
        return self.align.max(axis=0) if self.align.size else np.zeros(len(self.src), np.float32)

    @property
    def tgt_cover(self) -> np.ndarray:
        return self.align.max(axis=1) if self.align.size else np.zeros(len(self.tgt), np.float32)

    @property
    def src_claimed(self) -> np.ndarray:
        """For each source word, its best link to a target word that does not prefer another source word
        (:func:`claimed_cover`): a word that was dropped finds no partner in a neighbour's counterpart."""
        return claimed_cover(self.align) if self.align.size else np.zeros(len(self.src), np.float32)

    @property
    def tgt_claimed(self) -> np.ndarray:
        """For each target word, the same against the source words: an added word is no second partner."""
        return claimed_cover(self.align.T) if self.align.size else np.zeros(len(self.tgt), np.float32)


COMPETITION_MARGIN = 0.05  # a link this close to its partner's own best link counts in full


def claimed_cover(sims: np.ndarray) -> np.ndarray:
    """Best link of each column to the rows, each link discounted by how far it falls short of that row's
    own best link (beyond COMPETITION_MARGIN): the argmax idea of word aligners, made continuous. A column
    whose only good partner is a row that belongs to another column ("the mayor" for a dropped "Vienna
    mayor") is left uncovered, where the plain maximum would count it as translated."""
    best_of_row = sims.max(axis=1, keepdims=True)
    return (sims - np.maximum(0.0, best_of_row - sims - COMPETITION_MARGIN)).max(axis=0)


def match(src: TextVectors, tgt: TextVectors) -> WordMatch:
    """Word-to-word similarities between two texts."""
    if len(src) and len(tgt):
        align = np.asarray(tgt.align, np.float32) @ np.asarray(src.align, np.float32).T
        deep = np.asarray(tgt.deep, np.float32) @ np.asarray(src.deep, np.float32).T
    else:
        align = np.zeros((len(tgt), len(src)), np.float32)
        deep = np.zeros((len(tgt), len(src)), np.float32)
    return WordMatch(src, tgt, align, deep)


def with_links(m: WordMatch, links: list[tuple[int, int]], cosine: float) -> WordMatch:
    """``m`` with each (target word, source word) link raised to at least ``cosine`` (evidence other than the
    vectors that two words correspond, such as a name spelled alike in two scripts)."""
    if not links:
        return m
    align = m.align.copy()
    for t, s in links:
        align[t, s] = max(align[t, s], cosine)
    return WordMatch(m.src, m.tgt, align, m.deep)


def bertscore(m: WordMatch, src_lang: str, tgt_lang: str) -> tuple[float, float, float]:
    """Content-weighted greedy-match precision, recall and F1 on the last layer (BERTScore-style)."""
    if not len(m.src) or not len(m.tgt):
        return 0.0, 0.0, 0.0
    ws = np.array([weight(w.text, src_lang) for w in m.src.words])
    wt = np.array([weight(w.text, tgt_lang) for w in m.tgt.words])
    recall = float((m.deep.max(axis=0) * ws).sum() / ws.sum())
    precision = float((m.deep.max(axis=1) * wt).sum() / wt.sum())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def aligned_recall(m: WordMatch, src_lang: str) -> float:
    """Content-weighted mean of each source word's best match in the target (align layer)."""
    if not len(m.src) or not len(m.tgt):
        return 0.0
    ws = np.array([weight(w.text, src_lang) for w in m.src.words])
    return float((m.src_cover * ws).sum() / ws.sum())


def crossing_rate(m: WordMatch, min_sim: float = 0.5) -> float:
    """Share of crossing links among mutual-best word links: high when word order is scrambled."""
    if len(m.src) < 3 or len(m.tgt) < 3:
        return 0.0
    best_src = m.align.argmax(axis=1)
    best_tgt = m.align.argmax(axis=0)
    links = [
        (int(best_src[i]), i)
        for i in range(len(m.tgt))
        if best_tgt[best_src[i]] == i and m.align[i, best_src[i]] >= min_sim
    ]
    if len(links) < 3:
        return 0.0
    links.sort()
    crossings = total = 0
    for a in range(len(links)):
        for b in range(a + 1, len(links)):
            total += 1
            if links[b][1] < links[a][1]:
                crossings += 1
    return crossings / total


# --- counterparts of a span ------------------------------------------------------------------------

COUNTERPART_SIM = 0.45  # align-layer cosine below which a word has no counterpart worth pointing at


def text_offset(pieces: list[tuple[str, int]], version_offset: int) -> int:
    """Offset in the joined text (``pieces`` = (sentence text, its version offset), joined by one space)
    of a version offset."""
    pos, base = 0, None
    for text, offset in pieces:
        if offset <= version_offset or base is None:
            base = (offset, pos)
        pos += len(text) + 1
    return version_offset - base[0] + base[1] if base else version_offset


def version_offset(pieces: list[tuple[str, int]], joined_offset: int) -> int:
    """The version offset of an offset into the joined text of ``pieces``."""
    pos = 0
    for text, offset in pieces:
        if joined_offset <= pos + len(text):
            return offset + max(0, joined_offset - pos)
        pos += len(text) + 1
    last_text, last_offset = pieces[-1]
    return last_offset + len(last_text)


def words_in(vec: TextVectors, start: int, end: int) -> list[int]:
    """Indices of ``vec``'s words overlapping ``[start, end)`` (offsets into ``vec.text``)."""
    return [k for k, w in enumerate(vec.words) if w.start < end and w.end > start]


def counterpart_word(src: TextVectors, tgt: TextVectors, start: int, end: int, after: bool = False,
                     min_sim: float = COUNTERPART_SIM) -> Word | None:
    """The word of ``tgt`` that best corresponds to the span ``[start, end)`` of ``src`` (argmax on the align
    layer, mutual best preferred), or ``None`` when nothing corresponds well enough.

    ``after``: stand in for the span by the content word right after it (a dropped "not" is pointed at
    through the verb it negated)."""
    idx = words_in(src, start, end)
    if not idx or not len(tgt):
        return None
    if after:
        nxt = [k for k in range(max(idx) + 1, min(len(src), max(idx) + 4)) if len(src.words[k].text) > 1]
        if not nxt:
            return None
        idx = nxt[:1]
    sims = np.asarray(tgt.align, np.float32) @ np.asarray(src.align[idx], np.float32).T  # (tgt words, span)
    best = sims.max(axis=1)
    k = int(best.argmax())
    if best[k] < min_sim:
        return None
    lo = hi = k
    # a name in Chinese or Japanese is several tokens (博|纳|奇|尼): take the touching ones that match nearly as well
    close = max(min_sim, float(best[k]) - 0.1)
    while lo > 0 and tgt.words[lo - 1].end == tgt.words[lo].start and best[lo - 1] >= close:
        lo -= 1
    while hi + 1 < len(tgt) and tgt.words[hi].end == tgt.words[hi + 1].start and best[hi + 1] >= close:
        hi += 1
    first, last = tgt.words[lo], tgt.words[hi]
    return first if lo == hi else Word(tgt.text[first.start:last.end].lower(), first.start, last.end)


def counterpart_span(model: str | None, cell, judge, start: int, end: int, after: bool = False) -> tuple[int, int] | None:
    """Version offsets in ``cell`` of the word standing where ``judge`` has the version span ``[start, end)``.

    ``cell`` and ``judge`` are aligned cells (:class:`qa.checks.crosscheck.Cell`: ``.text`` and ``.pieces()``);
    ``after`` as in :func:`counterpart_word`, falling back to the span itself.  ``None`` without a usable model
    or a good enough counterpart."""
    if not supported(model):
        return None
    here, there = vectors([cell.text, judge.text], model)
    if here is None or there is None or not len(here) or not len(there):
        return None
    pieces = list(judge.pieces())
    a, b = text_offset(pieces, start), text_offset(pieces, end)
    word = (counterpart_word(there, here, a, b, after=True) if after else None) or counterpart_word(there, here, a, b)
    if word is None:
        return None
    mine = list(cell.pieces())
    return version_offset(mine, word.start), version_offset(mine, word.end)
