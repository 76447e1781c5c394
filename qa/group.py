"""Which articles of a pile are versions of the same report (``python -m qa group``), across languages.

1. Every article is segmented and its sentences embedded (tasks of :data:`ARTICLES_PER_TASK` articles, one
   encoder pass per task).  Its *lead vector* is the normalised mean of its first :data:`LEAD_SENTENCES`
   sentence vectors: the lead is what every republication, translation and truncated copy keeps.
2. Nearest neighbours of the lead vectors (each language's mean removed) through an HNSW graph index
   (``hnswlib``), :data:`NEIGHBOURS` per article above :data:`MIN_LEAD_COSINE`: candidate pairs grow
   linearly with the pile, not quadratically.
3. Each candidate pair is confirmed by sentence alignment (:func:`qa.align.align_embeddings`): the share of
   the shorter article's sentences that sit in a confident bead (:data:`MIN_BEAD_CONFIDENCE`) with the other
   must reach :data:`MIN_COVERAGE`.  Two reports on the same topic share a lead's vocabulary, not a
   sentence-by-sentence correspondence.
4. Groups are the connected components of confirmed pairs.  A group's reference is its earliest
   ``published`` member, else the most complete one (:func:`qa.nway.choose_reference`); each member's coverage
   against the reference is reported (its sentences found there, and the reference's found in it).

Articles that cannot be analysed (see :mod:`qa.articles`), have no sentence, or whose language cannot be told
are listed as singletons with their ``error``; nothing read is dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from qa.align import align_embeddings, text_length
from qa.articles import Article
from qa.engine import Engine, task_encoder
from qa.errors import InputError
from qa.segment import UNKNOWN_LANGUAGE, make_version

LEAD_SENTENCES = 3
NEIGHBOURS = 16  # nearest leads considered per article: more than the versions a story has
STRAY_PASSES = 2  # rounds of taking members their group's reference does not cover out into groups of their own
SEARCH_DEPTH = 4  # leads fetched per neighbour kept, before ranking them by shared facts
MIN_LANGUAGE_ARTICLES = 5  # a language's mean lead vector is removed when it has this many articles
MIN_LEAD_COSINE = 0.80  # below this two leads are about different things (e5 cosines of unrelated news ~0.7)
MIN_BEAD_CONFIDENCE = 0.5  # a bead better than its neighbours' mean (margin > 0)
MIN_COVERAGE = 0.75  # three quarters of the shorter article's sentences have a counterpart
COMMON_WORD_ZIPF = 3.0  # a capitalised word this frequent in the language is no name (Friday, Tonight, The)
MIN_SHARED_FACTS = 0.5
ARTICLES_PER_TASK = 64
PAIRS_PER_TASK = 400


_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*")


@dataclass
class Embedded:
    """An article's sentences and their vectors (``error`` set when it has none usable)."""

    id: str
    lang: str = UNKNOWN_LANGUAGE
    sentences: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None
    anchors: list[frozenset[str]] = field(default_factory=list)  # per sentence, see :func:`sentence_anchors`
    error: str | None = None


@dataclass
class Grouping:
    """The result of :func:`group_articles`: one record per group, the warnings, and where the time went."""

    groups: list[dict]
    warnings: list[str]
    timings: dict[str, float]
    pairs_checked: int = 0


def embed_articles(chunk: list[dict], model: str | None = None) -> list[Embedded]:
    """Task: segment and embed the articles of ``chunk`` (``{"id", "text", "lang"}``) in one encoder pass."""
    out: list[Embedded] = []
    for item in chunk:
        version = make_version(item["id"], item["text"], item.get("lang"))
        if not version.sentences:
            out.append(Embedded(item["id"], version.lang, error=f"{item['id']}: no sentences found"))
        elif version.lang == UNKNOWN_LANGUAGE:
            out.append(Embedded(item["id"], version.lang, error=f"{item['id']}: cannot tell which language this text is in; give its \"lang\""))
        else:
            texts = version.sentence_texts
            out.append(Embedded(item["id"], version.lang, texts, anchors=[sentence_anchors(t, version.lang) for t in texts]))
    texts = [s for e in out for s in e.sentences]
    vectors = task_encoder(model).encode(texts) if texts else np.zeros((0, 1), np.float32)
    at = 0
    for e in out:
        if e.sentences:
            e.vectors = vectors[at : at + len(e.sentences)]
            at += len(e.sentences)
    return out


def sentence_anchors(text: str, lang: str) -> frozenset[str]:
    """The facts of a sentence that survive translation and spinning: numbers written in digits (separators
    dropped: 2,300 = 2.300 = 2300) and names (capitalised words inside the sentence that are not common words
    of its language, by ``wordfreq``), romanised and lower-cased so that scripts and cases compare."""
    from anyascii import anyascii
    from wordfreq import zipf_frequency

    found = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if any(ch.isdigit() for ch in word):
            found.add("#" + "".join(ch for ch in word if ch.isdigit()))
        elif match.start() > 0 and word[0].isupper() and zipf_frequency(word.lower(), lang) < COMMON_WORD_ZIPF:
            found.add(anyascii(word).lower())
    return frozenset(found)


def coverage(a: Embedded, b: Embedded) -> tuple[float, float]:
    """Share of ``a``'s and of ``b``'s sentences in a confident bead with the other article whose two sides
    do not contradict each other's facts: when both sides name numbers or names, at least half of the facts of
    the side with fewer are on the other side too.
    Two reports on one topic written alike ("A fire at a warehouse in X killed N people") align sentence by
    sentence; their facts differ."""
    beads = align_embeddings(a.vectors, b.vectors, a.sentences, b.sentences)
    covered_a = covered_b = 0
    for bead in beads:
        if not (bead.src and bead.tgt) or bead.score < MIN_BEAD_CONFIDENCE:
            continue
        facts_a = frozenset().union(*(a.anchors[i] for i in bead.src))
        facts_b = frozenset().union(*(b.anchors[j] for j in bead.tgt))
        if facts_a and facts_b and len(facts_a & facts_b) < MIN_SHARED_FACTS * min(len(facts_a), len(facts_b)):
            continue
        covered_a += len(bead.src)
        covered_b += len(bead.tgt)
    return covered_a / len(a.sentences), covered_b / len(b.sentences)


def confirm_pairs(pairs: list[tuple[str, str]], embedded: dict[str, Embedded]) -> list[tuple[float, float]]:
    """Task: the two coverages of each pair of article ids."""
    return [coverage(embedded[a], embedded[b]) for a, b in pairs]


def group_articles(articles: list[Article], engine: Engine, model: str | None = None) -> Grouping:
    """Group ``articles`` (ids unique) into versions of the same report; see the module docstring."""
    timings: dict[str, float] = {}
    warnings = [p for a in articles for p in a.problems] + [a.error for a in articles if a.error]
    by_id = {a.id: a for a in articles}
    usable = [a for a in articles if not a.error]

    start = time.perf_counter()
    chunks = [
        [{"id": a.id, "text": a.text, "lang": a.lang} for a in usable[i : i + ARTICLES_PER_TASK]]
        for i in range(0, len(usable), ARTICLES_PER_TASK)
    ]
    embedded: dict[str, Embedded] = {}
    for outcome in engine.map(embed_articles, chunks, model, label="embedding", weights=[len(c) for c in chunks]):
        if outcome.error:
            for item in chunks[outcome.index]:
                by_id[item["id"]].error = f"{item['id']}: not embedded ({outcome.error})"
            continue
        for e in outcome.value:
            if e.error:
                by_id[e.id].error = e.error
            else:
                embedded[e.id] = e
    for a in usable:
        if a.error:
            warnings.append(a.error)
    timings["embed_s"] = time.perf_counter() - start

    start = time.perf_counter()
    ids = [a.id for a in usable if a.id in embedded]  # pile order: deterministic
    candidates = candidate_pairs([embedded[i].vectors[:LEAD_SENTENCES] for i in ids], [embedded[i].lang for i in ids],
                                 facts=[frozenset().union(*embedded[i].anchors) for i in ids])
    pairs = [(ids[i], ids[j]) for i, j in candidates]
    timings["index_s"] = time.perf_counter() - start

    start = time.perf_counter()
    covers = _coverages(pairs, embedded, engine)
    confirmed = [p for p in pairs if _same_story(covers[p], embedded[p[0]], embedded[p[1]])]
    components = connected_components(ids, confirmed)
    checked = len(pairs)
    settled: list[tuple[list[str], str]] = []
    for _ in range(STRAY_PASSES + 1):
        references = [choose_group_reference([by_id[m] for m in members], embedded) for members in components]
        member_pairs = [(m, ref) for members, ref in zip(components, references) for m in members
                        if m != ref and (m, ref) not in covers and (ref, m) not in covers]
        covers.update(_coverages(member_pairs, embedded, engine))
        checked += len(member_pairs)
        strays: list[str] = []
        for members, ref in zip(components, references):
            kept = [m for m in members if m == ref or _same_story(_cover(covers, m, ref), embedded[m], embedded[ref])]
            kept += _contained([m for m in members if m not in kept], kept, covers)
            strays += [m for m in members if m not in kept]
            settled.append((kept, ref))
        if not strays:
            break
        # a member linked only through another member, that its group's reference does not cover: regroup
        # the strays among themselves (single links chain a look-alike report into a group)
        stray_set = set(strays)
        components = connected_components(strays, [p for p in confirmed if p[0] in stray_set and p[1] in stray_set])
    else:
        settled += [([m], m) for members in components for m in members]
    records = [group_record(members, ref, by_id, embedded, covers) for members, ref in settled]
    for a in articles:
        if a.id not in embedded:
            records.append(group_record([a.id], a.id, by_id, embedded, covers))
    timings["align_s"] = time.perf_counter() - start
    records.sort(key=lambda r: (-len(r["members"]), r["reference"]))
    return Grouping(records, warnings, timings, checked)


def _contained(strays: list[str], kept: list[str], covers: dict) -> list[str]:
    """The strays mostly found inside a kept member (a truncated translation of a translation the reference
    covers), repeatedly; a look-alike report is not contained in the short copy that chained it in."""
    found: list[str] = []
    members = list(kept)
    changed = True
    while changed:
        changed = False
        for m in strays:
            if m in found:
                continue
            if any(((m, k) in covers or (k, m) in covers) and _cover(covers, m, k)[0] >= MIN_COVERAGE for k in members):
                found.append(m)
                members.append(m)
                changed = True
    return found


def _cover(covers: dict, member: str, reference: str) -> tuple[float, float]:
    """(member's coverage, reference's coverage) from the table, whichever way the pair was computed."""
    if (member, reference) in covers:
        return covers[(member, reference)]
    ref, own = covers[(reference, member)]
    return own, ref


def _same_story(cover: tuple[float, float], a: Embedded, b: Embedded) -> bool:
    """The shorter article (fewer sentences) is mostly found in the other."""
    shorter = cover[0] if len(a.sentences) <= len(b.sentences) else cover[1]
    return shorter >= MIN_COVERAGE


def _coverages(pairs: list[tuple[str, str]], embedded: dict[str, Embedded], engine: Engine) -> dict:
    """Coverage of every pair, computed in tasks of :data:`PAIRS_PER_TASK` pairs; a failed task gives -1."""
    chunks = [pairs[i : i + PAIRS_PER_TASK] for i in range(0, len(pairs), PAIRS_PER_TASK)]
    needed = {x for p in pairs for x in p}
    shared = {k: embedded[k] for k in needed}
    out: dict[tuple[str, str], tuple[float, float]] = {}
    if not chunks:
        return out
    for outcome in engine.map(confirm_pairs, chunks, shared, label="aligning", weights=[len(c) for c in chunks]):
        if outcome.error:
            raise RuntimeError(f"aligning failed: {outcome.error}")
        values = outcome.value
        out.update(zip(chunks[outcome.index], values))
    return out


def candidate_pairs(
    leads: list[np.ndarray], langs: list[str] | None = None, neighbours: int = NEIGHBOURS, min_cosine: float = MIN_LEAD_COSINE,
    facts: list[frozenset[str]] | None = None,
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, whose lead vectors are among each other's nearest, above ``min_cosine``.

    ``leads`` are each article's lead sentence vectors.  Neighbours are sought after removing each language's
    mean lead vector (``langs``): multilingual encoders place texts of one language closer together, so in a
    pile with many reports on one topic the nearest leads of an article would otherwise all be in its own
    language, its translations crowded out.  ``min_cosine`` applies to the plain cosine of the leads.

    With ``facts`` (each article's numbers and names, :func:`sentence_anchors`), :data:`SEARCH_DEPTH` times as
    many neighbours are fetched and the ``neighbours`` sharing most facts kept: in a pile with many reports on
    one topic written alike, the leads of other reports crowd out a translation, whose facts are the same.
    """
    n = len(leads)
    if n < 2:
        return []
    plain = np.stack([_unit(lead.mean(axis=0)) for lead in leads]).astype(np.float32)
    centred = plain.copy()
    langs = langs or [""] * n
    for lang in set(langs):
        rows = [k for k, x in enumerate(langs) if x == lang]
        if len(rows) >= MIN_LANGUAGE_ARTICLES:
            centred[rows] -= centred[rows].mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    k = min((neighbours * (SEARCH_DEPTH if facts else 1)) + 1, n)
    labels, _ = _knn(centred, k)
    pairs = set()
    for i in range(n):
        near = [int(j) for j in labels[i] if int(j) != i and float(plain[i] @ plain[int(j)]) >= min_cosine]
        if facts:
            near.sort(key=lambda j: (-_shared_facts(facts[i], facts[j]), -float(centred[i] @ centred[j]), j))
        for j in near[:neighbours]:
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _shared_facts(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the facts of the article with fewer that the other one has too (0 when either has none)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _knn(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``k`` nearest rows of every row by inner product (hnswlib; ``ef`` well above ``k`` for high recall)."""
    import hnswlib

    n, dim = matrix.shape
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=200, M=16, random_seed=0)
    index.set_num_threads(1)  # deterministic graph: insertion order is the pile's
    index.add_items(matrix, np.arange(n))
    index.set_ef(max(64, 4 * k))
    return index.knn_query(matrix, k=k)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def connected_components(ids: list[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (union-find), each in pile order, components ordered by their first member."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    position = {i: k for k, i in enumerate(ids)}
    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=position.__getitem__)
            parent[second] = first
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def choose_group_reference(members: list[Article], embedded: dict[str, Embedded]) -> str:
    """The earliest ``published`` member; without dates, the most complete (most text), ties to the first."""
    dated = [(m.published_at(), k, m.id) for k, m in enumerate(members) if m.published_at() is not None]
    if dated:
        return min(dated)[2]
    return max(members, key=lambda m: sum(text_length(s) for s in embedded[m.id].sentences) if m.id in embedded else 0).id


def group_id(reference: str, members: list[str]) -> str:
    """A stable, file-name-safe id: the reference's name and a hash of the members."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", reference.rsplit("/", 1)[-1]).strip("-").lower()[:40] or "group"
    digest = hashlib.sha256("\n".join(sorted(members)).encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def group_record(members: list[str], reference: str, by_id: dict[str, Article], embedded: dict[str, Embedded], covers: dict) -> dict:
    """One line of GROUPS.jsonl: the group, its reference and every member with its coverage and text."""
    rows = []
    for m in members:
        article = by_id[m]
        row = article.to_dict()
        row["lang"] = embedded[m].lang if m in embedded else article.lang
        if m == reference:
            row["coverage"] = row["covers"] = 1.0 if m in embedded else None
        elif (m, reference) in covers:
            own, ref = covers[(m, reference)]
            row["coverage"], row["covers"] = round(own, 3), round(ref, 3)
        else:
            ref, own = covers[(reference, m)]
            row["coverage"], row["covers"] = round(own, 3), round(ref, 3)
        rows.append(row)
    rows.sort(key=lambda r: r["id"] != reference)
    return {"group": group_id(reference, members), "reference": reference, "size": len(members), "members": rows}


def write_groups(grouping: Grouping, path: str) -> None:
    """Write one JSON line per group."""
    lines = "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in grouping.groups)
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(lines)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
