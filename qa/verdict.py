"""A verdict per same-language version against the reference: verbatim, lightly edited, rewritten,
machine-spun or a different report, with the evidence it rests on.

The evidence comes from the word-level comparison of every aligned row (:mod:`qa.worddiff`) and the
alignment itself:

* ``coverage``: share of the reference's sentences the version has a counterpart for;
* ``close_rows``: share of those rows that are edited copies (most words kept in order) rather than
  sentences written anew;
* ``substituted``: share of the reference's content words (in close rows) replaced by another word,
  synonym or not;
* ``tortured``: set phrases broken or tortured phrases found; ``meaning_changes``: names, numbers,
  polarity, titles, quantities, attribution or modality changed; ``form_edits``: spelling, case,
  punctuation and number-format changes (house style).

Decision, in order: few reference sentences matched closely in meaning -> *different report*; most matched
rows written anew -> *rewritten*; many words substituted or several set phrases broken in otherwise kept
sentences -> *machine-spun*; any change at all (form, a few words, a cut) -> *lightly edited*; else *verbatim*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from qa.worddiff import RowDiff, is_function_word, version_diffs

SAME_REPORT_SIMILARITY = 0.9  # sentence cosine (bundled e5) above which an aligned row says the same thing ...
SAME_REPORT_WORDS = 0.3  # ... or the share of words it keeps in order (difflib ratio)
MIN_SAME_REPORT = 0.5  # share of the version's sentences that must do so for it to be the same report
MIN_CLOSE_ROWS = 0.6  # share of compared rows that must be edited copies, else the version is a rewrite
SPUN_SUBSTITUTED = 0.1  # share of content words substituted from which a kept-structure copy is spun
SPUN_TORTURED = 2  # set phrases broken or tortured phrases from which a copy is spun

VERDICTS = ("verbatim", "lightly edited", "rewritten", "machine-spun", "different report")


@dataclass
class Verdict:
    """The verdict on one version and its evidence."""

    label: str
    verdict: str
    coverage: float
    close_rows: float
    substituted: float
    content_words: int
    tortured: int
    meaning_changes: int
    form_edits: int
    truncated: bool
    evidence: str

    def to_dict(self) -> dict:
        return asdict(self)


def verdicts(report) -> dict[str, Verdict]:
    """A verdict for every version in the reference's language (English: the judgements need WordNet)."""
    alignment = report.alignment
    if alignment is None:
        return {}
    from qa import wordnet

    if not wordnet.available():
        return {}
    diffs = version_diffs(report.versions, alignment, report.model)
    by_label = {v.label: v for v in report.versions}
    ref = by_label[alignment.reference]
    out = {}
    for label, rows in diffs.items():
        version = by_label[label]
        flags = [f for f in report.flags if f.version == label]
        out[label] = judge(label, rows, ref, version, alignment, flags)
    return out


def judge(label: str, rows: dict[int, RowDiff], ref, version, alignment, flags) -> Verdict:
    """The verdict on one version from its row diffs, the alignment and its flags."""
    ref_total = len(ref.sentences)
    covered = sum(len(r.cells.get(ref.label, ())) for r in alignment.rows if r.cells.get(label) and r.cells.get(ref.label))
    coverage = covered / ref_total if ref_total else 0.0
    matched = [r for r in alignment.rows if r.cells.get(label) and r.cells.get(ref.label)]
    version_total = len(version.sentences)
    same = sum(
        len(r.cells[label]) for r in matched
        if r.similarity.get(label, 1.0) >= SAME_REPORT_SIMILARITY
        or (r.index in rows and rows[r.index].ratio >= SAME_REPORT_WORDS)
    )
    same_share = same / version_total if version_total else 0.0
    close = [d for d in rows.values() if d.close]
    close_share = len(close) / len(rows) if rows else 0.0
    content = substituted = form = meaning = broken = 0
    for diff in close:
        content += sum(1 for t in diff.ref_tokens if not is_function_word(t.text))
        for edit in diff.edits:
            if edit.kind == "form":
                form += 1
            elif edit.kind in ("synonym", "meaning"):
                substituted += sum(1 for t in edit.ref if not is_function_word(t.text)) or 1
                meaning += edit.kind == "meaning"
                broken += bool(edit.set_phrase)
    spun_flags = sum(
        1 for f in flags
        if (f.type == "garbled_phrase" and "synonym-spun" in f.message) or (f.type == "reworded" and f.severity == "major")
    )  # one per phrase after the report's merge
    tortured = max(broken, spun_flags)
    share = substituted / content if content else 0.0
    last_ref = max((max(r.cells[ref.label]) for r in matched), default=-1)
    truncated = last_ref < ref_total - 1 and coverage < 1.0
    changed = bool(form or substituted or any(d.edits for d in rows.values())) or coverage < 1.0 or bool(
        set(range(version_total)) - {i for r in matched for i in r.cells[label]}
    )
    if same_share < MIN_SAME_REPORT:
        verdict = "different report"
    elif close_share < MIN_CLOSE_ROWS:
        verdict = "rewritten"
    elif share >= SPUN_SUBSTITUTED or tortured >= SPUN_TORTURED:
        verdict = "machine-spun"
    elif changed:
        verdict = "lightly edited"
    else:
        verdict = "verbatim"
    evidence = (
        f"{share:.0%} of {content} content words substituted, {tortured} set phrases broken or tortured, "
        f"{meaning} meaning changes, {form} form-only edits; {coverage:.0%} of the reference's sentences "
        f"covered{' (truncated)' if truncated else ''}, {close_share:.0%} of rows edited copies, "
        f"{same_share:.0%} of sentences say the same as the reference"
    )
    return Verdict(label, verdict, round(coverage, 3), round(close_share, 3), round(share, 3), content, tortured,
                   meaning, form, truncated, evidence)
