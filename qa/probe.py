"""Counterfactual probes: does a sentence match its counterpart better once some words are taken out?

A negation cue that one version has and the other lacks is a flip only if the counterpart *means* the
un-negated sentence.  Translations often carry the same polarity in other words ("run out of ideas" /
"keine Ideen mehr", "fossil-free" / "sans énergie fossile", "only" / "ne ... que"), which a cue-by-cue
comparison cannot see.  The encoder can: embed the sentence as it is, without the cue, and without each of
the words next to it (the control: taking any word out of a sentence moves it a little), and see whether
losing the cue brings the sentence closer to the counterpart than losing a neighbour does.
"""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
CONTROL_REACH = 3  # words either side of the edit taken out one at a time as the control


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
