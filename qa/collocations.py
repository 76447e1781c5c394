"""English word-pair (bigram) counts: which two-word phrases the language actually uses.

The counts are the bigram dictionary that the PyPI package ``symspellpy`` ships
(``frequency_bigramdictionary_en_243_342.txt``: 242,342 frequent English word pairs that the SymSpell project
took from the Google Books Ngram data, counts from about 6.4 million up; CC BY 3.0).  A phrase in the table is one writers use ("armed forces",
"fire service"); a phrase missing from it is at least rare.  Nothing is downloaded: the file comes with the
package, and is read once per process on first use (about 0.3 s).
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources

BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
_lock = threading.Lock()


@cache
def _table() -> dict[tuple[str, str], int]:
    with _lock:
        path = resources.files("symspellpy") / BIGRAM_FILE
        table: dict[tuple[str, str], int] = {}
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 3 and parts[2].isdigit():
                    table[(parts[0], parts[1])] = int(parts[2])
        return table


def available() -> bool:
    """Whether the bigram table can be read (symspellpy installed with its data)."""
    try:
        return bool(_table())
    except (ModuleNotFoundError, OSError):
        return False


def bigram_count(first: str, second: str) -> int:
    """How often ``first second`` occurs in the table's corpus (0: not among its most frequent bigrams)."""
    return _table().get((first.lower(), second.lower()), 0)


@cache
def _totals() -> tuple[dict[str, int], dict[str, int]]:
    """Per word, the summed counts of the pairs it opens and of the pairs it closes."""
    opening: dict[str, int] = {}
    closing: dict[str, int] = {}
    for (first, second), count in _table().items():
        opening[first] = opening.get(first, 0) + count
        closing[second] = closing.get(second, 0) + count
    return opening, closing


@cache
def _partners() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    after: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for first, second in _table():
        after.setdefault(first, []).append(second)
        before.setdefault(second, []).append(first)
    return after, before


def partners(word: str, position: int) -> list[str]:
    """The words the table pairs with ``word``: those that follow it (``position`` 0: ``word`` opens the
    pair) or precede it (``position`` 1)."""
    after, before = _partners()
    return (after if position == 0 else before).get(word.lower(), [])


def association(first: str, second: str) -> float:
    """How set the pair is: the larger of P(second | first) and P(first | second) over the table's pairs.

    "armed forces" 0.4 (most pairs opening on "armed" close on "forces"), "larger part" 0.07, "new line" 0.01;
    0.0 when the pair is not listed."""
    count = bigram_count(first, second)
    if not count:
        return 0.0
    opening, closing = _totals()
    return max(count / opening[first.lower()], count / closing[second.lower()])


def preload() -> None:
    """Read the table now (a worker or the app warms it once, before the first request)."""
    _table()
