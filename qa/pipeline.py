"""The whole flow as one call: texts -> segmented versions -> embeddings -> alignment -> checks -> report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa import checks
from qa.checks import CheckContext, run_checks
from qa.encoder import default_model_name, get_encoder
from qa.errors import InputError
from qa.inputs import validate_text
from qa.nway import align_versions
from qa.report import Report, merge_same_span, score
from qa.segment import Version, make_version

Progress = Callable[[str, float], None]  # (stage description, fraction done 0..1)


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
    versions = []
    for item in inputs:
        validate_text(item.text, item.label)
        version = make_version(item.label, item.text, item.lang, item.path)
        if not version.sentences:
            raise InputError(f"{item.label}: no sentences found")
        versions.append(version)
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
    step("Embedding", 0.2)
    embeddings = dict(embeddings or {})
    for i, v in enumerate(versions):
        if v.label not in embeddings:
            step(f"Embedding ({v.label})", 0.2 + 0.3 * i / len(versions))
            embeddings[v.label] = get_encoder(model).encode(v.sentence_texts)
    alignment = None
    if len(versions) > 1:
        step("Aligning", 0.5)
        alignment = align_versions(versions, reference, model, embeddings)
    ctx = CheckContext(versions, alignment, embeddings, model)
    names = [c.name for c in checks.CHECKS]
    found = []
    for i, name in enumerate(names):  # one check at a time, so long checks show progress
        step(f"Checking ({name})", 0.7 + 0.3 * i / len(names))
        found += run_checks(ctx, [name])
    flags = sorted(merge_same_span(found, names), key=lambda f: (f.version, f.start, f.end, f.type))
    version_scores, row_scores = score(flags, versions, alignment)
    step("Done", 1.0)
    return Report(versions, alignment, flags, model, version_scores, row_scores)
