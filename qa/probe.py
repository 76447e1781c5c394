"""Counterfactual probes: does a sentence match its counterpart better once some words are taken out?

A negation cue that one version has and the other lacks is a flip only if the counterpart *means* the
un-negated sentence.  Translations often carry the same polarity in other words ("run out of ideas" /
"keine Ideen mehr", "fossil-free" / "sans énergie fossile", "only" / "ne ... que"), which a cue-by-cue
comparison cannot see.  The encoder can: embed the sentence as it is, without the cue, and without each of
the words next to it (the control: taking any word out of a sentence moves it a little), and see whether
losing the cue brings the sentence closer to the counterpart than losing a neighbour does.
"""

from __future__ import annotations

import numpy as np
import regex

_WORD = regex.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
CONTROL_REACH = 3  # words either side of the edit taken out one at a time as the control
WINDOW_REACH = 6  # words either side of an edit in the local probe (aligned_window)
WINDOW_LINK = 0.45  # align-layer cosine for a window word to place the counterpart window


def relative_deletion_gain(text: str, edits: list[tuple[int, int, str]], counterpart: str, model: str | None = None) -> float:
    """How much closer (cosine) ``text`` comes to ``counterpart`` with ``edits`` applied ((start, end,
    replacement) spans), minus the mean of the same for deleting each neighbouring word instead.

    Positive: the counterpart reads like the edited sentence.  All variants are embedded together in one
    batch (not from the cache), so differences measure the edits and not quantisation noise."""
    from qa.encoder import get_encoder

    edited = apply_edits(text, edits)
    if edited == text or not edits:
        return 0.0
    touched = [(s, e) for s, e, _ in edits]
    words = [m for m in _WORD.finditer(text) if not any(s < m.end() and m.start() < e for s, e in touched)]
    first = min(s for s, _ in touched)
    k = next((n for n, m in enumerate(words) if m.start() >= first), len(words))
    controls = [apply_edits(text, [(m.start(), m.end(), "")]) for m in words[max(0, k - CONTROL_REACH) : k + CONTROL_REACH]]
    vectors = get_encoder(model).encode_together([text, edited, *controls, counterpart])
    sims = vectors[:-1] @ vectors[-1]
    gain = float(sims[1] - sims[0])
    control = float(np.mean(sims[2:] - sims[0])) if controls else 0.0
    return gain - control


def aligned_window(text: str, start: int, end: int, counterpart: str, model: str | None = None) -> tuple[int, int, str] | None:
    """The words of ``text`` within ``WINDOW_REACH`` words of the span ``[start, end)``, and the stretch of
    ``counterpart`` those words align to (encoder word vectors, :mod:`qa.checks.wordalign`), one word wider
    each side: ``(window start, window end, counterpart stretch)``, or None without word vectors or a link.

    A long sentence dilutes the effect of deleting one word on its embedding; the same deletion in the
    clause around it, against the clause it corresponds to, is measured more sharply."""
    from qa.checks import wordalign

    if not wordalign.supported(model):
        return None
    here, there = wordalign.vectors([text, counterpart], model)
    if here is None or there is None or not len(here) or not len(there):
        return None
    inside = wordalign.words_in(here, start, end)
    if not inside:
        return None
    sims = wordalign.match(there, here).align
    lo, hi = max(0, inside[0] - WINDOW_REACH), min(len(here), inside[-1] + WINDOW_REACH + 1)
    targets = [int(sims[j].argmax()) for j in range(lo, hi) if j not in inside and sims[j].max() >= WINDOW_LINK]
    if not targets:
        return None
    t0, t1 = max(0, min(targets) - 1), min(len(there) - 1, max(targets) + 1)
    return here.words[lo].start, here.words[hi - 1].end, counterpart[there.words[t0].start : there.words[t1].end]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end) span replaced; overlapping spans keep the first; spaces tidied."""
    out, at = [], 0
    for start, end, replacement in sorted(edits):
        if start < at:
            continue
        out += [text[at:start], replacement]
        at = end
    out.append(text[at:])
    return " ".join("".join(out).split())
