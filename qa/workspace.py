"""The editable set of versions behind the app: drafts in, validated pipeline inputs out.

A :class:`Draft` is one version as the user is editing it (label, text, chosen language, where it came from).
:func:`to_inputs` checks the whole set and turns it into :class:`~qa.pipeline.VersionInput` objects, raising an
:class:`~qa.errors.InputError` with a message the page can show as is. :func:`run_analysis` is the one call the
app (and ``bench/app_latency.py``) makes to analyse them.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from functools import lru_cache

from qa.errors import InputError
from qa.languages import language_name, normalise_language
from qa.pipeline import Progress, VersionInput, analyze_versions, prepare_versions
from qa.report import Report
from qa.segment import UNKNOWN_LANGUAGE, Version, detect_language

MAX_VERSIONS = 16
_ids = itertools.count(1)


@dataclass
class Draft:
    """One version being edited."""

    id: str
    label: str
    text: str
    lang: str | None = None  # the user's choice; None = use the detected language
    origin: str = "pasted"  # "sample", "pasted", a file name or a URL


def new_draft(label: str, text: str, lang: str | None = None, origin: str = "pasted") -> Draft:
    """A draft with a fresh, session-unique id (used for widget keys)."""
    return Draft(f"v{next(_ids)}", label, text, lang, origin)


def drafts_from_inputs(inputs: list[VersionInput], origin: str | None = None, taken: list[str] | None = None) -> list[Draft]:
    """Drafts for ``inputs``, labels made unique against ``taken`` and each other."""
    used = list(taken or [])
    out = []
    for item in inputs:
        label = unique_label(item.label or "version", used)
        used.append(label)
        out.append(new_draft(label, item.text, item.lang, origin or item.path or "pasted"))
    return out


def drafts_from_saved(saved: list) -> list[Draft]:
    """Fresh drafts for the versions of a saved comparison (:class:`qa.comparisons.SavedVersion`)."""
    return [new_draft(v.label, v.text, v.lang, v.origin) for v in saved]


def saved_versions(drafts: list[Draft]) -> list:
    """The drafts as :class:`qa.comparisons.SavedVersion` objects, to store."""
    from qa.comparisons import SavedVersion

    return [SavedVersion(d.label, d.text, d.lang, d.origin) for d in drafts]


def unique_label(label: str, taken: list[str]) -> str:
    """``label``, or ``label 2``, ``label 3``, ... if already taken."""
    label = " ".join(label.split()) or "version"
    if label not in taken:
        return label
    n = 2
    while f"{label} {n}" in taken:
        n += 1
    return f"{label} {n}"


@lru_cache(maxsize=256)
def detected_language(text: str) -> str:
    """The detected language of ``text`` (cached: the page asks on every rerun)."""
    return detect_language(text)


def language_status(draft: Draft) -> str:
    """A short line for the page: which language is used and whether it was detected."""
    detected = detected_language(draft.text) if draft.text.strip() else UNKNOWN_LANGUAGE
    if draft.lang:
        differs = draft.lang != detected and detected != UNKNOWN_LANGUAGE
        return language_name(draft.lang) + (f" (but looks like {language_name(detected)})" if differs else "")
    return f"{language_name(detected)} (detected)" if detected != UNKNOWN_LANGUAGE else "language not recognised"


def to_inputs(drafts: list[Draft]) -> list[VersionInput]:
    """Validate the drafts and return pipeline inputs (raises :class:`InputError` with a page-ready message)."""
    from qa.inputs import validate_text

    if not drafts:
        raise InputError("no versions yet: paste a text, upload a file or import a URL")
    if len(drafts) > MAX_VERSIONS:
        raise InputError(f"{len(drafts)} versions is too many; at most {MAX_VERSIONS} can be compared at once")
    labels = [" ".join(d.label.split()) for d in drafts]
    if any(not label for label in labels):
        raise InputError("every version needs a label (the outlet's name, e.g. 'Reuters' or 'Le Monde')")
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated:
        raise InputError(f"version labels must be unique; repeated: {', '.join(repeated)}")
    inputs = []
    for draft, label in zip(drafts, labels):
        validate_text(draft.text, label)
        lang = normalise_language(draft.lang, label)
        if lang is None and detected_language(draft.text) == UNKNOWN_LANGUAGE:
            raise InputError(
                f"{label}: cannot tell which language this text is in{script_hint(draft.text)}; "
                "choose its language in the Versions tab"
            )
        inputs.append(VersionInput(label, draft.text, lang, draft.origin if draft.origin != "pasted" else None))
    return inputs


def script_hint(text: str) -> str:
    """`` (written in the script of Amharic or Tigrinya)`` when few languages share the text's script, else ``""``."""
    from qa.languages import script_candidates

    names = script_candidates(text)
    if not 1 < len(names) <= 4:
        return ""
    return f" (its script is that of {', '.join(names[:-1])} or {names[-1]})"


def inputs_key(inputs: list[VersionInput]) -> tuple[tuple[str, str, str | None], ...]:
    """A hashable key of everything that changes an analysis (labels, texts, languages)."""
    return tuple((i.label, i.text, i.lang) for i in inputs)


def file_stem(name: str) -> str:
    """A file-name-safe stem for a user-given name ("Aktau fire / v2" -> "Aktau-fire-v2")."""
    import re

    return re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.")[:80] or "comparison"


def digest(key: tuple) -> str:
    """A short stable hash of an inputs key (for cache keys and file names)."""
    h = hashlib.sha256()
    for part in key:
        h.update(repr(part).encode("utf-8"))
    return h.hexdigest()[:16]


@lru_cache(maxsize=64)
def segmented(label: str, text: str, lang: str | None) -> Version:
    """One validated, segmented version (cached: a re-analysis after an edit segments only the edited version).

    The returned :class:`~qa.segment.Version` is shared between analyses; nothing downstream changes it.
    """
    return prepare_versions([VersionInput(label, text, lang)])[0]


@lru_cache(maxsize=32)
def reference_choice(key: tuple[tuple[str, str, str | None], ...], model: str | None = None):
    """Why the automatic reference is the one it is (:func:`qa.reference.choose` on these inputs; cached)."""
    from qa.reference import choose, encode_versions

    versions = [segmented(label, text, lang) for label, text, lang in key]
    return choose(versions, encode_versions(versions, model))


def run_analysis(
    key: tuple[tuple[str, str, str | None], ...],
    reference: str | None = None,
    model: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Analyse the versions in ``key`` (see :func:`inputs_key`): the app's and the latency benchmark's path.

    Same result as :func:`qa.pipeline.analyze` on these inputs; versions whose label, text and language did not
    change since an earlier call are not segmented again (and the encoder's cache skips their sentences).
    """
    step = progress or (lambda _stage, _done: None)
    step("Segmenting", 0.0)
    if not key:
        raise InputError("no versions given")
    labels = [label for label, _, _ in key]
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated:
        raise InputError(f"version labels must be unique; repeated: {', '.join(repeated)}")
    versions = [segmented(label, text, lang) for label, text, lang in key]
    if reference is not None and reference not in labels:
        reference = None
    return analyze_versions(versions, reference=reference, model=model, progress=step)
