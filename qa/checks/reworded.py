"""Reworded copies: every word a same-language version changed against the reference, judged.

For each alignment row, the version's sentences are compared word by word with the reference's
(:mod:`qa.worddiff`: difflib over tokens with offsets, WordNet and the encoder's word vectors judge each
change).  Findings:

* ``reworded`` (minor): a synonym substituted ("blaze" for "fire"); major when it breaks a set phrase of the
  reference ("equipped forces" for "armed forces") or reads as a spinner's tortured phrase;
* a meaning change: another name or a misspelled one (``name_mismatch``), another number
  (``number_mismatch``), an antonym (``negation_flip``), or a title, role, date, quantity, attribution or
  modality word replaced by a non-synonym (``meaning_change``, major);
* content words inserted or deleted: ``addition`` / ``omission`` (major for a clause, minor for a word).

Form-only changes (case, punctuation, spelling variants, number formats) are never flagged.  Rows whose
wording differs throughout (a rewritten sentence, difflib ratio under ``CLOSE_ROW``) get no word-level
findings: there the numbers, names, negation and drift checks speak.  Negation words added or dropped are
the negation check's (it sees their scope); this check leaves them alone.
"""

from __future__ import annotations

from qa import tortured, wordnet
from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.crosscheck import version_name
from qa.checks.negation import CUES
from qa.worddiff import Edit, RowDiff, WordTok, version_diffs

NAME = "reworded"
SEVERITY = {"meaning_change": "major", "name_mismatch": "major", "number_mismatch": "critical",
            "negation_flip": "critical"}


def run(ctx: CheckContext) -> list[Flag]:
    """Flag synonym substitutions, meaning changes and inserted or deleted words against the reference."""
    if ctx.alignment is None or not wordnet.available():
        return []
    from qa.checks.crosscheck import prepare_word_vectors, rows

    prepare_word_vectors(ctx)
    reference = ctx.version(ctx.alignment.reference)
    # the cells the cross-version checks compare: real counterparts, not a sentence said word for word once its
    # dateline is set aside (qa.checks.crosscheck.rows); headlines too: a rewritten one is no "close" diff
    comparable = {(row.index, cell.label) for row in rows(ctx, furniture=True) for cell in row.cells}
    flags: list[Flag] = []
    for label, diffs in version_diffs(ctx.versions, ctx.alignment, ctx.model).items():
        version = ctx.version(label)
        where = version_name(reference.label, reference.lang)
        for row_index, diff in diffs.items():
            if not diff.close or (row_index, label) not in comparable:
                continue
            tortured_spans = _tortured_spans(version, diff)
            for edit in _joined(diff.edits):
                flag = _flag(ctx, version, diff, edit, where, tortured_spans)
                if flag is not None:
                    flags.append(flag)
    return flags


def _joined(edits: list[Edit]) -> list[Edit]:
    """Neighbouring synonym substitutions as one ("unrefined petroleum" for "crude oil")."""
    out: list[Edit] = []
    for edit in edits:
        last = out[-1] if out else None
        if (
            last is not None and edit.kind == last.kind == "synonym" and last.mine and edit.mine and last.ref
            and edit.ref and edit.mine[0].local - last.mine[-1].local - len(last.mine[-1].text) <= 1
            and edit.ref[0].local - last.ref[-1].local - len(last.ref[-1].text) <= 1
        ):
            out[-1] = Edit("synonym", last.ref + edit.ref, last.mine + edit.mine, last.detail, "reworded",
                           last.similarity, last.set_phrase or edit.set_phrase)
            continue
        out.append(edit)
    return out


def _tortured_spans(version, diff: RowDiff) -> list[tortured.TorturedPhrase]:
    if not diff.my_tokens:
        return []
    found = []
    for sentence in version.sentences:
        if sentence.start <= diff.my_tokens[0].start < sentence.end or diff.my_tokens[0].start <= sentence.start < diff.my_tokens[-1].end:
            found += tortured.find(sentence.text, sentence.start)
    return found


def _flag(ctx: CheckContext, version, diff: RowDiff, edit: Edit, where: str,
          tortured_spans: list[tortured.TorturedPhrase]) -> Flag | None:
    if edit.kind in ("form", "function") or not edit.type:
        return None
    toks = edit.ref + edit.mine
    if {t.key for t in toks} & CUES["en"] or any(t.text.lower().replace("’", "'").endswith("n't") for t in toks):
        return None  # negation words: the negation check judges them with their scope
    if edit.kind == "dropped" and _whole_sentence(diff, edit):
        return None  # a sentence with no counterpart: the omission check's finding
    ref_text, mine_text = edit.ref_text, edit.mine_text
    if edit.kind in ("synonym", "meaning"):
        start, end = edit.mine[0].start, edit.mine[-1].end
        if edit.kind == "synonym":
            spun = next((p for p in tortured_spans if p.start < end and start < p.end), None)
            if edit.set_phrase:
                severity, message = "major", (f"Set phrase broken: “{mine_text}” here, “{edit.set_phrase}” in "
                                              f"{where}")
            elif spun is not None:
                severity, message = "major", f"Spun phrase: “{spun.text}” here, “{ref_text}” in {where}"
            else:
                severity, message = "minor", f"Reworded: “{mine_text}” here, “{ref_text}” in {where}"
            confidence = 0.6
        else:
            severity = SEVERITY.get(edit.type, "major")
            label = {"name_mismatch": "Name differs", "number_mismatch": "Number differs",
                     "negation_flip": "Meaning inverted"}.get(edit.type, "Meaning changed")
            message = f"{label} ({edit.detail}): “{mine_text}” here, “{ref_text}” in {where}"
            confidence = 0.7
    else:
        clause = edit.detail.startswith("clause")
        severity = "major" if clause or edit.type in ("name_mismatch", "number_mismatch") else "minor"
        if edit.kind == "added":
            start, end = edit.mine[0].start, edit.mine[-1].end
            message = f"Added here ({'a clause' if clause else 'words'}): “{mine_text}”; not in {where}"
        else:
            start, end = _gap_span(diff, edit)
            message = f"Missing here ({'a clause' if clause else 'words'}): {where} has “{ref_text}”"
        confidence = 0.6
    sentence = next((s for s in version.sentences if s.start <= start < s.end or s.start <= start <= s.end),
                    version.sentences[-1])
    return sentence_flag(ctx, version, sentence, start, end, type=edit.type, severity=severity, message=message,
                         confidence=confidence, check=NAME, reason=f"word-level comparison with {where}: {edit.detail}")


def _whole_sentence(diff: RowDiff, edit: Edit) -> bool:
    """Whether the deleted words are (nearly) a whole sentence of the reference's cell."""
    dropped = set(edit.ref)
    starts = [k for k, t in enumerate(diff.ref_tokens) if t.first] + [len(diff.ref_tokens)]
    for a, b in zip(starts, starts[1:]):
        sentence = diff.ref_tokens[a:b]
        if sentence and sum(t in dropped for t in sentence) >= 0.8 * len(sentence):
            return True
    return False


def _gap_span(diff: RowDiff, edit: Edit) -> tuple[int, int]:
    """Where deleted words are missing: the version's words either side of the gap."""
    ref_index = diff.ref_tokens.index(edit.ref[0])
    before = after = None
    for tok in diff.my_tokens:
        if _ref_position(diff, tok) < ref_index:
            before = tok
        elif after is None:
            after = tok
    left: WordTok = before or after or diff.my_tokens[0]
    right: WordTok = after or before or diff.my_tokens[-1]
    return left.start, right.end


def _ref_position(diff: RowDiff, tok: WordTok) -> int:
    """Index of the reference token matched to ``tok`` (by the diff's order), or where it would sit."""
    import difflib

    matcher = difflib.SequenceMatcher(a=[t.key for t in diff.ref_tokens], b=[t.key for t in diff.my_tokens],
                                      autojunk=False)
    j = diff.my_tokens.index(tok)
    for block in matcher.get_matching_blocks():
        if block.b <= j < block.b + block.size:
            return block.a + (j - block.b)
        if block.b > j:
            return block.a - 1
    return len(diff.ref_tokens)


CHECK = Check(
    NAME,
    needs_alignment=True,
    run=run,
    description="synonym substitutions, meaning changes and inserted or deleted words against the reference",
)
