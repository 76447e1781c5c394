"""Negations in languages the negation check has no cues for, found by the encoder.

The negation check reads cues from a list per language. For any other language (Hindi, Indonesian,
Vietnamese, Arabic, ...) this check looks for what an added or dropped negation leaves behind: a frequent
word of the language (a particle, not a content word) with no counterpart in the other version, whose
removal brings its sentence closer to the other version than removing a neighbouring word does
(:func:`qa.probe.relative_deletion_gain`). "tidak" in "Pemerintah tidak akan menambah 60 bus" against
"The city will add 60 buses" is such a word; an article, a classifier or a word the translation merely
adds ("also") moves the sentence far less. Flags name the word and say that it reads as a negation; the
type is ``negation_flip``, one severity below the cue-based check's.
"""

from __future__ import annotations

import regex

from qa import probe
from qa.checks import names, negation, wordalign
from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import Cell, Row, cell_evidence, counterparts, prepare_word_vectors, rows, version_name
from qa.languages import base_language

NAME = "polarity_probe"
PARTICLE_ZIPF = 5.0  # a word at least this frequent in its language is a function word or particle
UNLINKED = 0.6  # claimed align-layer cover below which a word has no counterpart
MIN_GAIN = 0.015  # deletion gain (over the neighbours') that reads as a reversed meaning
MAX_PROBES = 6  # candidate words probed per sentence pair, the most frequent first
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")  # letters and their marks (Devanagari vowel signs): no digits


def _has_cues(lang: str) -> bool:
    code = base_language(lang)
    return code in negation.CUES or code in {"zh", "ja"}


def _reversing_word(here: Cell, there: Cell, model: str | None) -> tuple[int, int, str] | None:
    """The word of ``here`` (version offsets and text) with no counterpart in ``there`` whose removal makes
    ``here`` read most like ``there``, when that gain reaches MIN_GAIN."""
    here_vec, there_vec = wordalign.vectors([here.text, there.text], model)
    if here_vec is None or there_vec is None or not len(here_vec) or not len(there_vec):
        return None
    cover = names.linked_match(there_vec, here_vec, there.lang, here.lang).tgt_claimed
    frequency = [wordalign.zipf(w.text, here.lang) for w in here_vec.words]
    candidates = [(frequency[k], k) for k, w in enumerate(here_vec.words)
                  if cover[k] < UNLINKED and frequency[k] >= PARTICLE_ZIPF and _WORD.fullmatch(w.text)]
    best: tuple[float, int] | None = None
    for _, k in sorted(candidates, reverse=True)[:MAX_PROBES]:
        word = here_vec.words[k]
        gain = probe.relative_deletion_gain(here.text, [(word.start, word.end, "")], there.text, model)
        if gain >= MIN_GAIN and (best is None or gain > best[0]):
            best = (gain, k)
    if best is None:
        return None
    word = here_vec.words[best[1]]
    pieces = list(here.pieces())
    start = wordalign.version_offset(pieces, word.start)
    end = wordalign.version_offset(pieces, word.end)
    return start, end, here.version.text[start:end]


def _pair_flags(ctx: CheckContext, row: Row, cell: Cell, judge: Cell) -> list[Flag]:
    where = version_name(judge.label, judge.lang)
    out: list[Flag] = []
    if not _has_cues(cell.lang):
        found = _reversing_word(cell, judge, ctx.model)
        if found:
            start, end, text = found
            out.append(sentence_flag(
                ctx, cell.version, cell.sentence_at(start), start, end, type="negation_flip", severity="major",
                message=f"Negation added? \"{text}\" has no counterpart in {where}, and without it this sentence "
                        f"reads like {where}", confidence=0.55, check=NAME, evidence=cell_evidence(row, cell, ctx),
            ))
    if not _has_cues(judge.lang) and not out:
        found = _reversing_word(judge, cell, ctx.model)
        if found:
            _, _, text = found
            out.append(sentence_flag(
                ctx, cell.version, cell.sentences[0], cell.start, cell.end, type="negation_flip", severity="major",
                message=f"Negation missing here? {where} has \"{text}\", which has no counterpart here, and without "
                        f"it {where} reads like this sentence", confidence=0.55, check=NAME,
                evidence=cell_evidence(row, cell, ctx),
            ))
    return out


def run(ctx: CheckContext) -> list[Flag]:
    """Flag negations added or dropped in languages without a cue list, each against the row's reference."""
    if not wordalign.supported(ctx.model):
        return []
    prepare_word_vectors(ctx)
    flags: list[Flag] = []
    for row in rows(ctx):
        judge = next((c for c in row.cells if c.label == row.reference), None)
        if judge is None:
            continue
        for cell in row.cells:
            if cell is judge or (_has_cues(cell.lang) and _has_cues(judge.lang)):
                continue
            if base_language(cell.lang) == base_language(judge.lang) or not counterparts(ctx, cell, judge):
                continue
            flags.extend(_pair_flags(ctx, row, cell, judge))
    return flags


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="negations added or dropped in languages without a cue list (encoder deletion probe)",
)
