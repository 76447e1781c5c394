"""The whole flow as one call: texts -> segmented versions -> embeddings -> alignment -> checks -> report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from qa import checks, wordnet
from qa.checks import CheckContext, Flag, run_checks_isolated
from qa.checks.crosscheck import DOUBTFUL
from qa.encoder import default_model_name, get_encoder
from qa.errors import InputError
from qa.inputs import validate_text
from qa.nway import Alignment
from qa.nway_long import align_versions_bounded
from qa.report import Report, merge_same_span, score
from qa.segment import Version, make_version
from qa.structure import StructuralFinding, find_structure
from qa.verdict import verdicts

Progress = Callable[[str, float], None]  # (stage description, fraction done 0..1)
LOWER = {"critical": "major", "major": "minor", "minor": "minor"}

# Input limits. The cost of an analysis is linear in its sentences (bench/hostile.py measures it: about
# 40-55 ms of CPU a sentence for two versions, most of it the encoder and word vectors), so these bound it:
# far beyond any news report.
MAX_SENTENCES = 20_000  # a version
MAX_TOTAL_SENTENCES = 60_000  # all versions of one analysis together
MAX_TOTAL_CHARS = 6_000_000  # all versions together (a version: qa.inputs.MAX_CHARS)


@dataclass
class VersionInput:
    """One version as the user supplies it."""

    label: str
    text: str
    lang: str | None = None  # None: detect
    path: str | None = None


def prepare_versions(inputs: list[VersionInput]) -> list[Version]:
    """Validate and segment the inputs; labels must be unique and each text non-empty."""
    if not inputs:
        raise InputError("no versions given")
    labels = [i.label for i in inputs]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise InputError(f"version labels must be unique; repeated: {', '.join(dupes)}")
    if sum(len(i.text) for i in inputs) > MAX_TOTAL_CHARS:
        raise InputError(
            f"{len(inputs)} versions of {sum(len(i.text) for i in inputs):,} characters in all are too long "
            f"(limit {MAX_TOTAL_CHARS:,}); analyse fewer or shorter versions at a time"
        )
    versions = []
    for item in inputs:
        validate_text(item.text, item.label)
        version = make_version(item.label, item.text, item.lang, item.path)
        if not version.sentences:
            raise InputError(f"{item.label}: no sentences found")
        if len(version.sentences) > MAX_SENTENCES:
            raise InputError(
                f"{item.label}: {len(version.sentences):,} sentences is too many (limit {MAX_SENTENCES:,} a version)"
            )
        versions.append(version)
    total = sum(len(v.sentences) for v in versions)
    if total > MAX_TOTAL_SENTENCES:
        raise InputError(
            f"{len(versions)} versions of {total:,} sentences in all are too many (limit {MAX_TOTAL_SENTENCES:,}); "
            "analyse fewer versions at a time"
        )
    return versions


def analyze(
    inputs: list[VersionInput],
    reference: str | None = None,
    model: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Analyse one or more versions of a report and return every flag with its evidence."""
    step = progress or (lambda _stage, _done: None)
    step("Segmenting", 0.0)
    versions = prepare_versions(inputs)
    return analyze_versions(versions, reference, model, step)


def analyze_versions(
    versions: list[Version],
    reference: str | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
) -> Report:
    """Like :func:`analyze` for already segmented versions.

    ``embeddings`` (label -> sentence vectors) may be given by a caller that embedded many versions at once
    (``qa batch`` embeds all groups of a task in one pass); versions missing from it are embedded here.
    """
    step = progress or (lambda _stage, _done: None)
    model = model or default_model_name()
    if reference is not None and reference not in {v.label for v in versions}:
        raise InputError(f"reference '{reference}' is not one of the versions")
    if any(v.lang.split("-")[0] == "en" for v in versions):
        wordnet.preload()  # read while the encoder works: the English word-level checks need it
    step("Embedding", 0.2)
    embeddings = dict(embeddings or {})
    for i, v in enumerate(versions):
        if v.label not in embeddings:
            step(f"Embedding ({v.label})", 0.2 + 0.3 * i / len(versions))
            embeddings[v.label] = get_encoder(model).encode(v.sentence_texts)
    alignment = None
    if len(versions) > 1:
        step("Aligning", 0.5)
        alignment = align_versions_bounded(versions, reference, model, embeddings)
    ctx = CheckContext(versions, alignment, embeddings, model, find_structure(versions, alignment))
    names = [c.name for c in checks.CHECKS]
    found = []
    failures: list[str] = []
    for i, name in enumerate(names):  # one check at a time, so long checks show progress
        step(f"Checking ({name})", 0.7 + 0.3 * i / len(names))
        found += run_checks_isolated(ctx, [name], failures)
    found = doubtful_rows_marked(inside_blocks_dropped(found, ctx.structure), alignment)
    flags = sorted(merge_same_span(found, names), key=lambda f: (f.version, f.start, f.end, f.type))
    version_scores, row_scores = score(flags, versions, alignment)
    report = Report(versions, alignment, flags, model, version_scores, row_scores, ctx.structure, problems=failures)
    report.verdicts = verdicts(report)
    step("Done", 1.0)
    return report


def doubtful_rows_marked(flags: list[Flag], alignment: Alignment | None) -> list[Flag]:
    """Cross-version flags on a row whose alignment the aligner doubts say so and drop a severity level."""
    if alignment is None:
        return flags
    cross = {c.name for c in checks.CHECKS if c.needs_alignment and c.name != "structure"}
    out = []
    for flag in flags:
        row = alignment.rows[flag.row] if flag.check in cross and flag.row is not None and flag.row < len(alignment.rows) else None
        sure = row.confidence.get(flag.version, 1.0) if row is not None else 1.0
        if sure < DOUBTFUL:
            note = f"the alignment of this row is doubtful (confidence {sure:.2f}): check the counterpart first"
            flag = replace(flag, severity=LOWER[flag.severity], reason=f"{flag.reason}; {note}" if flag.reason else note)
        out.append(flag)
    return out


def inside_blocks_dropped(flags: list[Flag], findings: list[StructuralFinding]) -> list[Flag]:
    """The flags, less those on sentences of an extra block (links, a second article, comments):
    the block's one finding (the structure check's flag) speaks for all of them."""
    flagged = {f.version for f in flags if f.check == "structure" and f.type == "extra_material"}
    extra = {(f.version, i) for f in findings if f.kind == "extra_material" and f.version in flagged for i in f.sentences}
    return [f for f in flags if f.check == "structure" or (f.version, f.sentence) not in extra]
