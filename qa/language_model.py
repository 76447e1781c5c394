"""An English trigram language model: how strongly words belong together, and which of two wordings fits its
context better.

The model is CMU Sphinx's generic US English trigram model, ``en-us.lm.bin``, which the PyPI package
``pocketsphinx`` ships (BSD licence) and reads with its own maintained n-gram code.  Nothing is downloaded; the
file is memory-mapped on first use (well under a second) and shared by every caller in the process.

Log probabilities are base 10.  The *association* of a phrase is its pointwise mutual information under the
model: how much likelier the words are together than each on its own ("armed forces" about +3.7, "equipped
forces" about -0.6, below chance, because the model never saw the pair and backs off).  It does not reward a
word for being frequent, so a rare but apt word is not taken for a wrong one.
"""

from __future__ import annotations

import math
import threading
from functools import cache, lru_cache

MODEL_FILE = ("en-us", "en-us.lm.bin")
_LOG10_OF_LOGMATH = math.log10(1.0001)  # pocketsphinx returns log probabilities in base 1.0001
_UNKNOWN = -(2**28)  # below this the model does not know the word (it returns about -2**29)
_lock = threading.Lock()


@cache
def _model():
    import os

    import pocketsphinx

    with _lock:  # one reader at a time (the model's own lookups are not documented as thread-safe)
        return pocketsphinx.NGramModel.readfile(os.path.join(pocketsphinx.get_model_path(), *MODEL_FILE))


def available() -> bool:
    """Whether the model can be read (``pocketsphinx`` installed with its English model)."""
    try:
        return _model() is not None
    except (ImportError, OSError, RuntimeError, ValueError):
        return False


@lru_cache(maxsize=200_000)
def log_prob(word: str, history: tuple[str, ...] = ()) -> float | None:
    """log10 P(word | the last two words of ``history``); None when the model does not know the word."""
    query = [word.lower(), *reversed([w.lower() for w in history[-2:]])]
    model = _model()
    with _lock:
        value = model.prob(query)
    return None if value < _UNKNOWN else value * _LOG10_OF_LOGMATH


def known(word: str) -> bool:
    """Whether the model's vocabulary holds the word."""
    return log_prob(word) is not None


def sequence_log_prob(words: list[str] | tuple[str, ...]) -> float | None:
    """log10 of the words in this order (each given the two before it); None if one is unknown."""
    total = 0.0
    for i, word in enumerate(words):
        value = log_prob(word, tuple(words[max(0, i - 2) : i]))
        if value is None:
            return None
        total += value
    return total


def association(words: tuple[str, ...]) -> float | None:
    """Pointwise mutual information of the phrase (log10): its sequence probability over the product of its
    words' own probabilities. None if a word is unknown."""
    together, alone = sequence_log_prob(words), _alone(words)
    return None if together is None or alone is None else together - alone


def fit_gain(left: list[str], observed: list[str], replacement: list[str], right: list[str]) -> float | None:
    """How much better ``replacement`` fits between ``left`` and ``right`` than ``observed`` does, in log10,
    with each wording's own word frequencies divided out (so that a rarer word is not penalised for its
    rarity alone). Unknown context words are left out; None if either wording has an unknown word."""
    left = _known_run(left[::-1])[::-1]  # the known words next to the phrase
    right = _known_run(right)
    fits = []
    for words in (observed, replacement):
        together, alone = sequence_log_prob(left + words + right), _alone(words)
        if together is None or alone is None:
            return None
        fits.append(together - alone)
    return fits[1] - fits[0]


def _alone(words: list[str] | tuple[str, ...]) -> float | None:
    """log10 of the words each on its own (their unigram probabilities); None if one is unknown."""
    probs = [log_prob(w) for w in words]
    return None if None in probs else sum(probs)


def _known_run(words: list[str]) -> list[str]:
    """The words up to the first one the model does not know."""
    out: list[str] = []
    for word in words:
        if not known(word):
            break
        out.append(word)
    return out
