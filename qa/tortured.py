"""Tortured phrases without a reference: a set phrase with one word swapped for a synonym.

Text spinners replace words one by one with dictionary synonyms, so a multiword expression of the language
("armed forces", "prime minister", "death toll") comes out as a phrase nobody writes ("equipped forces",
"head minister", "passing toll").  The lexicon itself says which phrases are set: a word pair or triple is
*tortured* when it is no WordNet entry, but becomes one when one of its words is replaced by a WordNet
synonym of that word (for the head of the phrase also a broader term), the phrase is a noun phrase by its
words' usual parts of speech (WordNet's sense-tagged counts), and the entry's word is not much rarer than the
observed one (wordfreq), so that ordinary paraphrases and verb phrases stay out.

Nothing here is a list of phrases: the entries (64,000 multiword lemmas) and the synonyms come from
WordNet, the frequencies from ``wordfreq``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qa.checks import lexicon

MAX_SUBSTITUTE_ZIPF = 5.8  # a very frequent word ("make", "take") swapped in is a paraphrase, not a spinner's
MIN_ENTRY_WORD_ZIPF = 2.5
MAX_RARER = 0.8  # the entry's word may be rarer than the observed word (or its lemma) by at most this (zipf)


@dataclass(frozen=True)
class TorturedPhrase:
    """A phrase of the text (offsets into it) and the set phrase it most likely replaced."""

    start: int
    end: int
    text: str
    original: str  # the WordNet entry, e.g. "armed forces"
    swapped: str  # the word of the text that replaced ...
    replaced: str  # ... this word of the entry


def _wn():
    from qa import wordnet

    return wordnet


@lru_cache(maxsize=50_000)
def _substitutes(word: str, head: bool) -> frozenset[tuple[str, str]]:
    """(word, lexicographer file of the shared sense) a thesaurus built on WordNet offers for ``word``:
    synset members, similar adjectives, and for the head of a phrase its broader terms.
    A modifier only in its usual part of speech ("main" the adjective, not the water main)."""
    wn = _wn()
    usual = wn.dominant_pos(word)
    out = set()
    for synset in wn.synsets(word):
        pos = "a" if synset.pos() == "s" else synset.pos()
        if not head and pos != usual and not (usual == "v" and pos == "a"):  # participles modify as adjectives
            continue
        # a head may stand for a broader term ("expense" for "cost"); narrower terms, and any but synonyms for
        # a modifier, turn correct phrases into entries ("armed conflict" / "combat", "conflict zone" / "war")
        related = [synset, *synset.similar_tos(), *(synset.hypernyms() if head else [])]
        for s in related:
            for lemma in s.lemmas():
                name = lemma.name().lower()
                if "_" not in name and name != word:
                    out.add((name, synset.lexname()))
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _entry(words: tuple[str, ...]) -> bool:
    return _wn().is_multiword_entry(words)


@lru_cache(maxsize=50_000)
def _noun_entry(words: tuple[str, ...]) -> frozenset[str]:
    """Lexicographer files of the WordNet noun entry these words form (a set phrase naming a thing: "armed
    forces"; empty for a phrasal verb such as "go out", or no entry)."""
    key = _wn().entry_key(words)
    if not key:
        return frozenset()
    return frozenset(s.lexname() for s in _wn().wordnet().synsets(key) if s.pos() == "n")


def _usable(token: lexicon.Token) -> bool:
    word = token.text
    if any(ch.isdigit() for ch in word) or "-" in word or "'" in word or "’" in word:
        return False
    if lexicon.is_technical(token):
        return False
    return bool(_wn().synsets(word.lower()))


def find(text: str, offset: int = 0) -> list[TorturedPhrase]:
    """Tortured phrases of an English ``text``; offsets are shifted by ``offset``."""
    toks = lexicon.tokens(text)
    out: list[TorturedPhrase] = []
    taken: set[int] = set()
    for size in (3, 2):
        for i in range(len(toks) - size + 1):
            window = toks[i : i + size]
            if any(k in taken for k in range(i, i + size)) or not all(_usable(t) for t in (window[0], window[-1])):
                continue
            if not _gap_free(text, window) or not _one_case(window):
                continue
            words = tuple(t.text.lower() for t in window)
            if _function_word(words[0]) or _function_word(words[-1]):
                continue  # a set phrase opens and closes on content words ("state of emergency")
            if _entry(words) or not _noun_phrase(words):
                continue
            if i > 0 and _wn().dominant_pos(words[0]) == "v" and not _function_word(toks[i - 1].text.lower()):
                continue  # a participle after a content word is a verb ("the bank raised rates")
            found = _restore(words)
            if found is None:
                continue
            k, original_word = found
            entry = " ".join(original_word if j == k else w for j, w in enumerate(words))
            start, end = window[0].start, window[-1].end
            out.append(TorturedPhrase(start + offset, end + offset, text[start:end], entry, words[k], original_word))
            taken.update(range(i, i + size))
    return sorted(out, key=lambda p: p.start)


def _gap_free(text: str, window: list[lexicon.Token]) -> bool:
    """The words follow each other with nothing but spaces between them (no comma, dash or quote)."""
    return all(text[a.end : b.start].strip() == "" for a, b in zip(window, window[1:]))


def _noun_phrase(words: tuple[str, ...]) -> bool:
    """A noun phrase by the words' usual parts of speech: a noun head ("forces", or "cost" before "of")
    after nouns or adjectives ("equipped forces", not "still searching" or "water rose")."""
    wn = _wn()
    content = [w for w in words if not _function_word(w)]
    head = words[0] if len(words) == 3 and _function_word(words[1]) else words[-1]
    if wn.dominant_pos(head) != "n":
        return False
    return all(
        wn.dominant_pos(w) in ("n", "a") or (wn.dominant_pos(w) == "v" and wn.wordnet().synsets(w, "a"))
        for w in content
        if w != head
    )  # a participle with an adjective sense modifies nouns too ("equipped forces")


def _one_case(window: list[lexicon.Token]) -> bool:
    """All words capitalised ("Head Minister") or none (sentence-initial aside): a phrase does not straddle
    a name ("Red Cross set up")."""
    caps = [t.capitalised for t in window]
    if window[0].first:
        caps = caps[1:]
    return all(caps) or not any(caps)


def _restore(words: tuple[str, ...]) -> tuple[int, str] | None:
    """(position, entry word) when swapping one word for a synonym makes a WordNet noun entry; the most
    plausible one.  The head (the last word, or the first before "of") may be swapped for a broader or
    narrower term of the same kind of thing (the shared sense and the entry in one lexicographer file);
    a modifier only for a true synonym."""
    head_at = 0 if len(words) == 3 and _function_word(words[1]) else len(words) - 1
    best: tuple[float, int, str] | None = None
    for k, word in enumerate(words):
        z_word = lexicon.zipf(word, "en")
        if z_word >= MAX_SUBSTITUTE_ZIPF or _function_word(word):
            continue
        others = [w for j, w in enumerate(words) if j != k]
        if any(lexicon.zipf(w, "en") < MIN_ENTRY_WORD_ZIPF for w in others if not _function_word(w)):
            continue
        head = k == head_at
        z_base = max([z_word] + [lexicon.zipf(form, "en") for form in _lemma_forms(word)])
        for lemma in _lemma_forms(word):
            for candidate, sense_file in _substitutes(lemma, head):
                restored = tuple(candidate if j == k else w for j, w in enumerate(words))
                files = _noun_entry(restored)
                if not files or (head and sense_file not in files):
                    continue
                z_cand = lexicon.zipf(candidate, "en")
                score = z_cand - z_base
                if score < -MAX_RARER:
                    continue
                if best is None or score > best[0]:
                    best = (score, k, candidate)
    if best is None:
        return None
    return best[1], best[2]


def _lemma_forms(word: str) -> list[str]:
    forms = sorted(_wn().lemmas_of(word), key=lambda w: (w != word, w))
    return forms


@lru_cache(maxsize=20_000)
def _function_word(word: str) -> bool:
    from qa.worddiff import is_function_word

    return is_function_word(word)
