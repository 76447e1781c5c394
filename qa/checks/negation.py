"""Negation and polarity flips between aligned sentences, and meaning inversions.

Negation cues are listed per language (en, de, fr, es, it, pt, nl, ru, uk, pl, zh, ja at least;
Chinese cues exclude the many words that only contain a negative character: 不断, 不同, 非常,
未来, ...).  A cue is *supported* when the counterpart has a cue near the same place: the word
the cue negates (its scope, the next content word) is mapped to the counterpart with the
encoder's word vectors (:mod:`qa.checks.wordalign`) and a counterpart cue must sit within a few
words of it.  Without word vectors, cue counts are compared.  An unsupported cue here is an
added negation; an unsupported counterpart cue is a dropped one.  A cue whose clause has no
counterpart at all (the other version left the clause out) is the omission check's finding.

Between two versions in the same language, word pairs of opposite meaning that replace each
other ("carried out" / "suppressed", "rose" / "fell", "confirmed" / "denied") are flagged as
meaning inversions; across languages such inversions are left to the semantic-drift check.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import regex

from qa import probe
from qa.checks import lexicon, wordalign
from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import (
    Cell,
    Row,
    cell_evidence,
    counterparts,
    flagged_cells,
    flagged_versions,
    prepare_word_vectors,
    rows,
    version_name,
)
from qa.checks.langid import untranslated_copy
from qa.quantities import disjunction_words

NAME = "negation"
WINDOW = 4  # words between a cue and its counterpart's position
MIN_LINK = 0.55  # align-layer cosine for mapping a scope word to the counterpart
# A negation whose removal moves the sentence away from its counterpart by more than removing a neighbouring
# word does (qa.probe) is the same polarity said in other words, not a flip.
MIN_REMOVAL_GAIN = -0.0025
CLEAR_REMOVAL_GAIN = 0.01  # a gain this large on the whole sentences is a flip without asking the clause
CLAUSE_SHARE = 0.5  # share of the words around a cue that must link for its clause to count as translated

CUES: dict[str, set[str]] = {
    "en": {"not", "n't", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without",
           "cannot", "noone"},
    "de": {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "niemand",
           "nichts", "weder", "ohne", "nirgends", "nirgendwo"},
    "fr": {"ne", "n", "pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "guère", "non", "nullement"},
    "es": {"no", "nunca", "jamás", "nada", "nadie", "ningún", "ninguno", "ninguna", "ni", "sin", "tampoco"},
    "it": {"non", "mai", "niente", "nulla", "nessuno", "nessuna", "senza", "né"},
    "pt": {"não", "nunca", "nada", "ninguém", "nenhum", "nenhuma", "sem", "nem"},
    "nl": {"niet", "geen", "nooit", "niets", "niemand", "zonder", "noch", "nergens"},
    "ru": {"не", "нет", "ни", "никогда", "никто", "ничто", "ничего", "никакой", "никакого", "никакие", "никаких",
           "никакая", "без", "нельзя", "нигде", "ниоткуда"},
    "uk": {"не", "ні", "немає", "ніколи", "ніхто", "ніщо", "нічого", "жоден", "жодного", "без"},
    "pl": {"nie", "nigdy", "nic", "nikt", "żaden", "żadna", "żadne", "bez", "ani"},
}
# Words that negate without a cue: they support a cue of the other version but never raise a flag.
IMPLICIT = {
    "declined", "declines", "refused", "refuses", "prevent", "prevented", "prevents", "stop", "stopped", "avoid",
    "avoided", "failed", "fails", "lack", "lacked", "unable", "denied", "denies", "earliest", "absent",
    "verhindern", "verhindert", "verhinderte", "frühestens", "lehnte", "abgelehnt", "verweigert", "weigerte",
    "fehlt", "fehlte", "vermeiden", "refusé", "refuse", "empêcher", "empêché", "éviter", "évité", "manque",
    "nié", "evitar", "impedir", "negó", "rechazó", "falta",
}
# French "ne ... pas" is one negation: the second half counts only without a "ne" before it.
_FR_SECOND = {"pas", "jamais", "rien", "aucun", "aucune", "guère", "nullement", "personne", "plus"}
_ZH_CUES = re.compile(r"不|没有|没|未|无|非|别|勿|否|莫|毫无|並非|并非")
# Chinese words that contain a negative character without negating anything.
_ZH_NOT_NEGATION = re.compile(
    r"不断|不同|不过|不仅|不久|不少|不但|不管|不论|不得不|不可思议|不错|不如|不禁|不免|不一定|不时|不停|"
    r"无论|非常|未来|无数|除非|非洲|是非|并非不|莫斯科|别人|别的|特别|分别|区别|告别|级别|类别|个别|性别|"
    r"否则|是否|能否|可否|无限|无线|未免|非法|无辜|毫不犹豫|无比|无疑|无关|莫名"
)
_JA_CUES = re.compile(r"ない|ません|なかった|ず|無|未|非")
_WORD = regex.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|n['’]t", re.I)

# Opposites an editor would call a meaning inversion, for versions in the same language.
_OPPOSITES_EN = [
    ("carried out", "suppressed"), ("launched", "suppressed"), ("launched", "repelled"), ("attacked", "defended"),
    ("unleashed", "brought under control"), ("increase", "decrease"), ("increased", "decreased"),
    ("rise", "fall"), ("rose", "fell"), ("risen", "fallen"), ("higher", "lower"), ("more", "less"),
    ("more", "fewer"), ("most", "least"), ("win", "lose"), ("won", "lost"), ("accept", "reject"),
    ("accepted", "rejected"), ("allow", "ban"), ("allowed", "banned"), ("allowed", "prohibited"),
    ("open", "closed"), ("opened", "closed"), ("start", "end"), ("started", "ended"), ("began", "ended"),
    ("confirm", "deny"), ("confirmed", "denied"), ("support", "oppose"), ("supported", "opposed"),
    ("agreed", "refused"), ("agree", "refuse"), ("approve", "reject"), ("approved", "rejected"),
    ("guilty", "innocent"), ("guilty", "not guilty"), ("alive", "dead"), ("survived", "died"),
    ("first", "last"), ("before", "after"), ("entered", "left"), ("arrived", "departed"), ("gained", "lost"),
    ("strengthened", "weakened"), ("expanded", "reduced"), ("raised", "lowered"), ("raised", "cut"),
    ("included", "excluded"), ("found", "lost"), ("success", "failure"), ("succeeded", "failed"),
    ("safe", "dangerous"), ("legal", "illegal"), ("possible", "impossible"), ("likely", "unlikely"),
    ("able", "unable"), ("always", "never"), ("all", "none"), ("everyone", "no one"), ("under control", "out of control"),
    ("lifted", "imposed"), ("eased", "tightened"), ("released", "arrested"), ("released", "detained"),
    ("acquitted", "convicted"), ("peace", "war"), ("ceasefire", "offensive"), ("advance", "retreat"),
    ("advanced", "retreated"), ("victory", "defeat"), ("ally", "enemy"), ("profit", "loss"), ("export", "import"),
    ("exports", "imports"), ("north", "south"), ("east", "west"), ("maximum", "minimum"), ("past", "current"),
    ("past", "future"), ("previous", "next"), ("early", "late"), ("earlier", "later"), ("inside", "outside"),
]
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES_EN:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)


@dataclass(frozen=True)
class Cue:
    """A negation cue: its text, offsets in the version text and word position in the cell."""

    text: str
    start: int
    end: int
    position: int  # index among the cell's words (characters for CJK)


def _lang(code: str) -> str:
    return (code or "").split("-")[0].lower()


def cues(text: str, lang: str, offset: int = 0) -> list[Cue]:
    """Negation cues of ``text`` (language ``lang``), offsets shifted by ``offset``."""
    lang = _lang(lang)
    if lang == "zh" or (lang not in CUES and lang != "ja" and re.search(r"[\u4e00-\u9fff]", text)):
        blocked = [(m.start(), m.end()) for m in _ZH_NOT_NEGATION.finditer(text)]
        return [
            Cue(m.group(), offset + m.start(), offset + m.end(), m.start())
            for m in _ZH_CUES.finditer(text)
            if not any(a <= m.start() < b for a, b in blocked)
        ]
    if lang == "ja":
        return [Cue(m.group(), offset + m.start(), offset + m.end(), m.start()) for m in _JA_CUES.finditer(text)]
    words = list(_WORD.finditer(text))
    # English cues count in every language: a sentence left untranslated keeps its negation
    vocab = CUES.get(lang, CUES["en"]) | CUES["en"] if lang not in {"es", "it", "pt"} else CUES[lang]
    alternatives = disjunction_words(lang) | disjunction_words("en")
    out: list[Cue] = []
    for k, m in enumerate(words):
        word = m.group().lower().replace("’", "'")
        if k and words[k - 1].group().lower() in alternatives:
            continue  # "whether or not", "faire appel ou non", "ob … oder nicht": an alternative, no polarity
        if word.endswith("n't") and word != "n't":
            out.append(Cue(m.group(), offset + m.start(), offset + m.end(), k))
            continue
        if lang == "fr":
            if word in {"n'", "n"} or word.startswith("n'") or word == "ne":
                out.append(Cue(m.group(), offset + m.start(), offset + m.end(), k))
                continue
            if word in _FR_SECOND:
                before = [w.group().lower() for w in words[max(0, k - 4):k]]
                if not any(b in {"ne", "n"} or b.startswith("n'") for b in before) and word != "plus" \
                        and word != "personne":
                    out.append(Cue(m.group(), offset + m.start(), offset + m.end(), k))
                continue
        if word in vocab:
            out.append(Cue(m.group(), offset + m.start(), offset + m.end(), k))
    return out


def _cell_cues(cell: Cell) -> list[Cue]:
    out: list[Cue] = []
    base = 0
    for text, offset in cell.pieces():
        for cue in cues(text, cell.lang, offset):
            out.append(Cue(cue.text, cue.start, cue.end, cue.position + base))
        base += len(_WORD.findall(text)) if _lang(cell.lang) not in {"zh", "ja"} else len(text) + 1
    return out


@dataclass
class _Polarity:
    added: list[Cue]  # cues here with no counterpart cue near their place
    dropped: list[Cue]  # counterpart cues with none here
    inversions: list[tuple[int, int, str, str]]  # (start, end, here, there) opposite words


def _word_index_of(vectors: wordalign.TextVectors, offset: int) -> int | None:
    for k, word in enumerate(vectors.words):
        if word.start <= offset < word.end:
            return k
    return None


def _implicit_positions(vec: wordalign.TextVectors | None) -> list[int]:
    """Word positions of words that negate without a negation cue ("declined", "verhindern", "frühestens")."""
    if vec is None:
        return []
    return [k for k, w in enumerate(vec.words) if w.text in IMPLICIT]


def _unsupported(cues_a: list[Cue], cues_b: list[Cue], va, vb, base_a: int, base_b: int, lang_a: str,
                 sims) -> list[Cue]:
    """Cues of A whose negated word maps to a place in B with no B cue (or implicit negation) nearby."""
    if not cues_a:
        return []
    if va is None or vb is None or sims is None or not len(va) or not len(vb):
        # without word vectors: compare cue counts
        return list(cues_a[len(cues_b):]) if len(cues_a) > len(cues_b) else []
    implicit = _implicit_positions(vb)
    b_positions = list(implicit)
    for cue in cues_b:
        k = _word_index_of(vb, cue.start - base_b)
        if k is not None:
            b_positions.append(k)
    out = []
    for cue in cues_a:
        k = _word_index_of(va, cue.start - base_a)
        if k is None:
            continue
        # the cue's scope: it and the next content words
        scope = [k] + [j for j in range(k + 1, min(len(va), k + 4)) if wordalign.is_content(va.words[j].text, lang_a)]
        targets = []
        for j in scope:
            best = int(sims[j].argmax())
            if sims[j, best] >= MIN_LINK:
                targets.append(best)
        if not targets:
            # the negated words have no counterpart: a dropped negation only when the words around
            # the cue are there and the other version has no negation at all; otherwise the whole
            # clause is missing, which is the omission check's finding
            if not b_positions and _clause_present(sims, k):
                out.append(cue)
            continue
        window = WINDOW + (2 if len(vb) > 40 else 0)
        if not any(abs(t - p) <= window for t in targets for p in b_positions):
            out.append(cue)
    return out


def _removal_gain(cell: Cell, cue: Cue, other: Cell, model: str | None) -> float:
    """How much closer (encoder cosine) ``cell`` comes to ``other`` with the negation ``cue`` taken out, against
    taking out a neighbouring word (:func:`qa.probe.relative_deletion_gain`): a flip gains, the same polarity
    said in other words loses.  Measured on the whole sentences and on the clause around the cue against
    the words it aligns to (:func:`qa.probe.aligned_window`); the smaller gain counts, so that either view
    can show the polarity is there in other words ("sans énergie fossile" / "fossil-free")."""
    start, end = cue.start - cell.start, cue.end - cell.start
    gain = probe.relative_deletion_gain(*_deletion_job(cell.text, start, end, cell.lang, other.text), model)
    if not MIN_REMOVAL_GAIN <= gain < CLEAR_REMOVAL_GAIN:
        return gain  # the whole sentences already tell; the clause is asked only when they hardly do
    window = probe.aligned_window(cell.text, start, end, other.text, model)
    if window is None:
        return gain
    w0, w1, there = window
    clause = cell.text[w0:w1]
    if len(_WORD.findall(cell.text)) < 2 * len(_WORD.findall(clause)):
        return gain  # in a sentence under twice the clause's length the two views are alike
    return min(gain, probe.relative_deletion_gain(*_deletion_job(clause, start - w0, end - w0, cell.lang, there),
                                                  model))


def _deletion_job(text: str, start: int, end: int, lang: str, other: str) -> tuple[str, list[tuple[int, int, str]], str]:
    """The probe arguments (:func:`qa.probe.relative_deletion_gain`) for taking the cue at ``[start, end)`` out of
    ``text``, against ``other``."""
    word = text[start:end]
    low = word.lower().replace("’", "'")
    elided = lexicon.elided_prefix(word)
    if elided:  # the cue is an elided word ("n’avons"): the verb it sits on stays
        edits = [(start, start + elided, "")]
    elif low.endswith("n't") and low != "n't":  # the contraction cues() reads: "didn't" -> "did"
        edits = [(end - 3, end, "")]
    else:
        edits = [(start, end, "")]
    if _lang(lang) == "fr":  # the second half of "ne ... pas" goes with the first
        for m in list(_WORD.finditer(text, end))[:4]:
            if m.group().lower() in _FR_SECOND:
                edits.append((m.start(), m.end(), ""))
                break
    return text, edits, other


def _clause_present(sims, k: int, reach: int = 3) -> bool:
    """Whether most words within ``reach`` of word ``k`` (itself excluded) link to the other version."""
    around = [j for j in range(max(0, k - reach), min(sims.shape[0], k + reach + 1)) if j != k]
    return bool(around) and sum(float(sims[j].max()) >= MIN_LINK for j in around) >= CLAUSE_SHARE * len(around)


def _compare(ctx: CheckContext, a: Cell, b: Cell, cues_a: list[Cue], cues_b: list[Cue]) -> _Polarity:
    va = vb = sims = None
    if (cues_a or cues_b) and wordalign.supported(ctx.model):
        va, vb = wordalign.vectors([a.text, b.text], ctx.model)
        if va is not None and vb is not None and len(va) and len(vb):
            sims = wordalign.match(vb, va).align
    added = _unsupported(cues_a, cues_b, va, vb, a.start, b.start, a.lang, sims)
    dropped = _unsupported(cues_b, cues_a, vb, va, b.start, a.start, b.lang, None if sims is None else sims.T)
    if sims is not None:  # a real encoder: keep only the cues whose removal brings the sentence to its counterpart
        added = [c for c in added if _removal_gain(a, c, b, ctx.model) >= MIN_REMOVAL_GAIN]
        dropped = [c for c in dropped if _removal_gain(b, c, a, ctx.model) >= MIN_REMOVAL_GAIN]
    inversions = _inversions(a, b) if _lang(a.lang) == _lang(b.lang) == "en" else []
    return _Polarity(added, dropped, inversions)


def _inversions(a: Cell, b: Cell) -> list[tuple[int, int, str, str]]:
    """Word runs of A replaced in B by their opposite (same-language versions)."""
    words_a = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", a.text)]
    words_b = [m.group().lower() for m in re.finditer(r"[^\W\d_]+", b.text)]
    matcher = difflib.SequenceMatcher(a=[w for w, _, _ in words_a], b=words_b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        mine = " ".join(w for w, _, _ in words_a[i1:i2])
        theirs = " ".join(words_b[j1:j2])
        for size in range(min(4, i2 - i1), 0, -1):
            for s in range(i1, i2 - size + 1):
                phrase = " ".join(w for w, _, _ in words_a[s:s + size])
                if phrase in _OPPOSITE and any(o in theirs.split() or o in theirs for o in _OPPOSITE[phrase]):
                    other = next(o for o in _OPPOSITE[phrase] if o in theirs)
                    start = _cell_offset(a, words_a[s][1])
                    end = _cell_offset(a, words_a[s + size - 1][2] - 1) + 1
                    out.append((start, end, phrase, other))
                    break
            else:
                continue
            break
        del mine
    return out


def _cell_offset(cell: Cell, index: int) -> int:
    """Version offset of character ``index`` of the cell text (sentences joined by one space)."""
    pos = 0
    for text, offset in cell.pieces():
        if index < pos + len(text) + 1:
            return offset + min(index - pos, len(text) - 1)
        pos += len(text) + 1
    return cell.end - 1


def run(ctx: CheckContext) -> list[Flag]:
    """Flag negations added, dropped or meanings inverted between aligned sentences."""
    prepare_word_vectors(ctx)
    flags: list[Flag] = []
    for row in rows(ctx):
        found = {c.label: _cell_cues(c) for c in row.cells}
        same_lang_en = sum(1 for c in row.cells if _lang(c.lang) == "en") >= 2
        if not any(found.values()) and not same_lang_en:
            continue
        results: dict[tuple[str, str], _Polarity] = {}
        disagrees = {c.label: set() for c in row.cells}
        for i, a in enumerate(row.cells):
            for b in row.cells[i + 1:]:
                if untranslated_copy(a.text, a.lang, b.text, b.lang) or untranslated_copy(b.text, b.lang, a.text, a.lang):
                    pol = _Polarity([], [], [])  # left untranslated: the wrong_language check's finding
                else:
                    pol = _compare(ctx, a, b, found[a.label], found[b.label])
                results[(a.label, b.label)] = pol
                results[(b.label, a.label)] = _Polarity(pol.dropped, pol.added, _inversions(b, a)
                                                        if pol.inversions else [])
                if (pol.added or pol.dropped or pol.inversions) and counterparts(ctx, a, b):
                    disagrees[a.label].add(b.label)
                    disagrees[b.label].add(a.label)
        targets = flagged_versions(row, disagrees)
        for (a_label, b_label), pol in results.items():
            # an inversion can only be judged between versions of one language: against the reference it decides
            if pol.inversions and a_label != row.reference and b_label == row.reference and b_label in disagrees[a_label]:
                targets.add(a_label)
        for cell, judge in flagged_cells(row, disagrees, targets):
            flags.extend(_flags(ctx, row, cell, judge, results[(cell.label, judge.label)]))
    return flags


def _flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell, pol: _Polarity) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    evidence = cell_evidence(row, cell, ctx)
    out: list[Flag] = []

    def flag(start: int, end: int, severity: str, message: str, confidence: float) -> None:
        out.append(
            sentence_flag(ctx, cell.version, cell.sentence_at(start), start, end, type="negation_flip",
                          severity=severity, message=message, confidence=confidence, check=NAME, evidence=evidence)
        )

    for cue in pol.added:
        flag(cue.start, cue.end, "critical", f"Negation added: \"{cue.text}\" here, no negation in {where}", 0.7)
    if pol.dropped:
        shown = ", ".join(f"\"{c.text}\"" for c in pol.dropped[:2])
        at = wordalign.counterpart_span(ctx.model, cell, judge, pol.dropped[0].start, pol.dropped[0].end, after=True)
        start, end = at or (cell.start, cell.end)
        flag(start, end, "critical", f"Negation missing here: {where} has {shown}", 0.7)
        if at:
            out[-1].reason = f"the words negated there correspond to \"{out[-1].text}\" here (word alignment)"
    for start, end, mine, theirs in pol.inversions:
        flag(start, end, "critical", f"Meaning inverted: \"{mine}\" here, \"{theirs}\" in {where}", 0.75)
    return out


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="negation added or dropped, and meanings inverted, between aligned sentences",
)
