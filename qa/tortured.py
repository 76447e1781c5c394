"""Tortured phrases without a reference: a set phrase with one word swapped for a synonym.

Text spinners replace words one by one with thesaurus synonyms, so a set phrase of the language ("armed
forces", "prime minister", "death toll") comes out as a phrase nobody writes ("equipped forces", "head
minister", "passing toll").  Three maintained sources say which phrases are set and which are in use:

* WordNet's multiword entries (64,000 lemmas: "armed forces", "head of state"),
* the English bigram counts of the Google Books Ngram data that ``symspellpy`` ships (:mod:`qa.collocations`:
  the 242,000 most frequent word pairs: "security forces", "interest rates"), and
* CMU Sphinx's English trigram language model that ``pocketsphinx`` ships (:mod:`qa.language_model`).

A word pair or triple is a candidate when it is in neither of the first two and reads as a noun phrase; the
thesaurus built on WordNet offers replacements for each of its words (a synonym in any part of speech, as
spinners use them; a similar adjective; for a noun also a broader or narrower term; a sibling term), none much
rarer than the word it replaces (``wordfreq``).  The phrase is tortured when one replacement gives a phrase
that the lexicon supports (a WordNet noun entry or a set pair of the bigram table) and the language model
confirms the swap: the words as written are no phrase it knows, the restored one is, and it fits the sentence
far better, word frequencies divided out.  Without the language model the lexicon alone decides, with stricter
bars.  A pair the bigram table lists is in use and never flagged.

Nothing here is a list of phrases: entries and synonyms come from WordNet, pair counts from Google Books via
symspellpy, word frequencies from ``wordfreq``, phrase probabilities from the Sphinx model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qa import collocations, language_model
from qa.checks import lexicon

MAX_SUBSTITUTE_ZIPF = 5.8  # a very frequent word ("make", "take") swapped in is a paraphrase, not a spinner's
MIN_ENTRY_WORD_ZIPF = 2.5
MIN_NOUN_SHARE = 0.1  # a verb heads a noun phrase after a determiner only if it is this often a noun
MAX_RARER = 0.8  # the restored word may be rarer than the observed word (or its lemma) by at most this (zipf)
# How set a restored pair must be (qa.collocations.association: the share of the fixed word's pairs it takes),
# by how the observed word relates to the restored one: a synonym, a broader or narrower noun, a sibling term.
MIN_SETNESS = 0.07
MIN_SETNESS_RELATED = 0.1
MIN_SETNESS_SIBLING = 0.3
# A two-word WordNet entry restored must still be a pair writers use ("civil defense" is not), or its word be
# clearly commoner than the one observed: spinners swap in rarer words ("petroleum tanker" for "oil tanker").
MIN_ENTRY_SETNESS = 0.01
MIN_COMMONER = 0.5
# With the language model (qa.language_model, log10 pointwise mutual information): the words as written are
# no phrase the model knows, the restored phrase is one, and it fits the sentence far better.
MAX_OBSERVED_ASSOCIATION = 0.5
MIN_RESTORED_ASSOCIATION = 1.0
MIN_FIT_GAIN = 2.5
MIN_FIT_GAIN_ENTRY = 1.5  # into a WordNet noun entry, which the lexicon already vouches for


@dataclass(frozen=True)
class TorturedPhrase:
    """A phrase of the text (offsets into it) and the set phrase it most likely replaced."""

    start: int
    end: int
    text: str
    original: str  # the set phrase, e.g. "armed forces"
    swapped: str  # the word of the text that replaced ...
    replaced: str  # ... this word of the set phrase


def _wn():
    from qa import wordnet

    return wordnet


@lru_cache(maxsize=50_000)
def _substitutes(word: str, head: bool) -> frozenset[tuple[str, str, str]]:
    """(word, relation, lexicographer file of the shared sense) a thesaurus built on WordNet offers for
    ``word``: members of its synsets and similar adjectives ("synonym"), and for its noun senses their
    broader and narrower terms ("broader" / "narrower": "exile" for "refugee"). The head of a phrase is
    read as a noun only; a modifier in any part of speech."""
    out = set()
    for synset in _wn().synsets(word, "n" if head else None):  # a head is a noun; a modifier any word
        related = [(synset, "synonym")] + [(s, "synonym") for s in synset.similar_tos()]
        if head:
            related += [(s, "broader") for s in synset.hypernyms()]
        if synset.pos() == "n":  # a modifier made vaguer ("exile camp"); made more specific it is a new phrase
            related += [(s, "narrower") for s in synset.hyponyms()]
        for s, relation in related:
            for lemma in s.lemmas():
                name = lemma.name().lower()
                if "_" not in name and name != word:
                    out.add((name, relation, synset.lexname()))
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


@lru_cache(maxsize=50_000)
def _pair_count(words: tuple[str, ...]) -> int:
    """The bigram table's count of a two-word phrase in any inflection of its words (0 for three words)."""
    if len(words) != 2:
        return 0
    first, second = words
    return max(collocations.bigram_count(a, b) for a in _forms(first) for b in _forms(second))


@lru_cache(maxsize=50_000)
def _association(words: tuple[str, ...]) -> float:
    """How set a two-word phrase is (:func:`qa.collocations.association`, best inflection; 0 for three words)."""
    if len(words) != 2:
        return 0.0
    first, second = words
    return max(collocations.association(a, b) for a in _forms(first) for b in _forms(second))


def _forms(word: str) -> set[str]:
    """The word, its WordNet lemmas, and the plural of a singular noun ("chain" / "chains")."""
    forms = set(_wn().lemmas_of(word)) | {word}
    return forms | {f + "s" for f in forms if not f.endswith("s")}


def in_use(words: tuple[str, ...]) -> bool:
    """Whether the phrase is one the language uses: a WordNet entry, or a pair the bigram table lists."""
    return _entry(words) or _pair_count(words) > 0


def _usable(token: lexicon.Token) -> bool:
    word = token.text
    if any(ch.isdigit() for ch in word) or "-" in word or "'" in word or "’" in word:
        return False
    if lexicon.is_technical(token) or _numeral(word.lower()) or _proper_name(word.lower()):
        return False
    return bool(_wn().synsets(word.lower()))


@lru_cache(maxsize=20_000)
def _proper_name(word: str) -> bool:
    """A word WordNet knows only as a named instance ("Romania", "Ireland"): a name, not a set phrase's word."""
    nouns = _wn().synsets(word, "n")
    return bool(nouns) and len(nouns) == len(_wn().synsets(word)) and all(s.instance_hypernyms() for s in nouns)


@lru_cache(maxsize=20_000)
def _numeral(word: str) -> bool:
    """A number word ("two", "dozen"): a count, never part of a set phrase a spinner broke."""
    from qa.quantities import number_words

    return number_words(word, "en") is not None


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
            opens_sentence = i == 0 or any(ch in ".!?:;\n" for ch in text[toks[i - 1].end : window[0].start])
            if not _gap_free(text, window) or not _one_case(window, opens_sentence):
                continue
            words = tuple(t.text.lower() for t in window)
            if _function_word(words[0]) or _function_word(words[-1]):
                continue  # a set phrase opens and closes on content words ("state of emergency")
            after_function_word = i == 0 or _function_word(toks[i - 1].text.lower())
            if in_use(words):
                continue
            usual = _noun_phrase(words, after_function_word) and not (
                not after_function_word and _wn().dominant_pos(words[0]) == "v"
            )  # a participle after a content word is a verb ("the bank raised rates")
            if language_model.available():
                if not (usual or _noun_phrase_by_senses(words)):
                    continue
                found = _restore_by_model(words, _sentence_context(text, toks, i, size), loose=not usual)
            elif usual:
                found = _restore(words)
            else:
                continue
            if found is None:
                continue
            k, original_word = found
            if k == _head_index(words):
                original_word = _inflect_like(words[k], original_word)
            entry = " ".join(original_word if j == k else w for j, w in enumerate(words))
            start, end = window[0].start, window[-1].end
            out.append(TorturedPhrase(start + offset, end + offset, text[start:end], entry, words[k], original_word))
            taken.update(range(i, i + size))
    return sorted(out, key=lambda p: p.start)


def _gap_free(text: str, window: list[lexicon.Token]) -> bool:
    """The words follow each other with nothing but spaces between them (no comma, dash or quote)."""
    return all(text[a.end : b.start].strip() == "" for a, b in zip(window, window[1:]))


def _head_index(words: tuple[str, ...]) -> int:
    """The head of the phrase: the last word, or the first before "of" ("state of emergency")."""
    return 0 if len(words) == 3 and _function_word(words[1]) else len(words) - 1


def _noun_phrase(words: tuple[str, ...], after_function_word: bool = False) -> bool:
    """A noun phrase by the words' usual parts of speech: a noun head ("forces", or "cost" before "of")
    after nouns or adjectives ("equipped forces", not "still searching" or "water rose").  After a
    determiner or preposition ("a general hit") the head may be a verb that is also a noun."""
    wn = _wn()
    content = [w for w in words if not _function_word(w)]
    head = words[_head_index(words)]
    usual = wn.dominant_pos(head)
    if usual != "n" and not (after_function_word and usual == "v" and _noun_share(head) >= MIN_NOUN_SHARE):
        return False
    return all(
        wn.dominant_pos(w) in ("n", "a") or (wn.dominant_pos(w) == "v" and wn.wordnet().synsets(w, "a"))
        for w in content
        if w != head
    )  # a participle with an adjective sense modifies nouns too ("equipped forces")


@lru_cache(maxsize=20_000)
def _noun_share(word: str) -> float:
    """Share of the word's sense-tagged uses in WordNet that are nouns ("hit" often, "have" never)."""
    names = _wn().lemmas_of(word)
    counts = {"n": 0, "other": 0}
    for synset in _wn().synsets(word):
        used = sum(lemma.count() for lemma in synset.lemmas() if lemma.name().lower() in names)
        counts["n" if synset.pos() == "n" else "other"] += used
    total = counts["n"] + counts["other"]
    return counts["n"] / total if total else 0.0


def _noun_phrase_by_senses(words: tuple[str, ...]) -> bool:
    """A noun phrase by the words' possible parts of speech: a head with a noun sense after words with a noun
    or adjective sense ("exile camp", "boundary crossing", although "exile" and "crossing" are mostly verbs)."""
    wn = _wn()
    head = words[_head_index(words)]
    if not wn.synsets(head, "n"):
        return False
    return all(wn.synsets(w, "n") or wn.synsets(w, "a") for w in words if w != head and not _function_word(w))


def _one_case(window: list[lexicon.Token], opens_sentence: bool) -> bool:
    """All words capitalised ("Head Minister") or none (sentence-initial aside): a phrase does not straddle
    a name ("Red Cross set up")."""
    caps = [t.capitalised for t in window]
    if opens_sentence:
        caps = caps[1:]
    return all(caps) or not any(caps)


@lru_cache(maxsize=20_000)
def _candidates(words: tuple[str, ...]) -> tuple[tuple[int, str, str, str], ...]:
    """(position, word, relation, lexicographer file) for every word a thesaurus built on WordNet offers in
    place of one word of the phrase (:func:`_substitutes`), not much rarer than the word it would replace and
    not a function word; a phrase with a rare word besides the swapped one offers none."""
    head_at = _head_index(words)
    out = []
    for k, word in enumerate(words):
        if lexicon.zipf(word, "en") >= MAX_SUBSTITUTE_ZIPF or _function_word(word):
            continue
        others = [w for j, w in enumerate(words) if j != k]
        if any(lexicon.zipf(w, "en") < MIN_ENTRY_WORD_ZIPF for w in others if not _function_word(w)):
            continue
        for lemma in _lemma_forms(word):
            z_base = lexicon.zipf(lemma, "en")  # "works" the plant is rarer than "work", its other lemma
            for candidate, relation, sense_file in _substitutes(lemma, k == head_at):
                if lexicon.zipf(candidate, "en") - z_base >= -MAX_RARER and not _function_word(candidate):
                    out.append((k, candidate, relation, sense_file))
    return tuple(out)


@lru_cache(maxsize=20_000)
def _siblings(words: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """(position, word) for sibling terms (WordNet co-hyponyms among nouns: "trade" for "exchange"; verbs'
    classes are too broad) of one word of a two-word phrase that the bigram table pairs with the other word."""
    if len(words) != 2:
        return ()
    out = []
    for k, word in enumerate(words):
        other = words[1 - k]
        for candidate in collocations.partners(other, 1 - k):
            if lexicon.zipf(candidate, "en") - lexicon.zipf(word, "en") < -MAX_RARER:
                continue
            if any(_wn().co_hyponyms(lemma, candidate, "n") for lemma in _lemma_forms(word)) and not _function_word(
                candidate
            ):
                out.append((k, candidate))
    return tuple(out)


def _lexicon_support(words: tuple[str, ...], k: int, candidate: str, relation: str, sense_file: str) -> int:
    """How well the lexicon supports restoring ``candidate`` at position ``k``: 2 when the restored phrase is a
    WordNet noun entry (for a broader or narrower noun, one naming the same kind of thing: the shared sense
    and the entry in one lexicographer file) that writers use or whose word is clearly commoner; 1 when it
    is a set pair of the bigram table (a sibling term only a strongly set one); 0 when neither."""
    restored = tuple(candidate if j == k else w for j, w in enumerate(words))
    setness = _association(restored)
    if relation == "sibling":
        return int(setness >= MIN_SETNESS_SIBLING)
    files = _noun_entry(restored)
    z_gain = lexicon.zipf(candidate, "en") - max(lexicon.zipf(w, "en") for w in _lemma_forms(words[k]))
    if files and (relation == "synonym" or sense_file in files) and (
        len(words) == 3 or setness >= MIN_ENTRY_SETNESS or z_gain >= MIN_COMMONER
    ):
        return 2
    return int(setness >= (MIN_SETNESS if relation == "synonym" or files else MIN_SETNESS_RELATED))


def _offers(words: tuple[str, ...]) -> list[tuple[int, str, str, str]]:
    """Every restoration the thesaurus offers: :func:`_candidates`, then the sibling terms."""
    return [*_candidates(words), *((k, c, "sibling", "") for k, c in _siblings(words))]


def _restore(words: tuple[str, ...]) -> tuple[int, str] | None:
    """(position, set-phrase word) when swapping one word for a related one makes a set phrase, judged by the
    lexicon alone (where the language model is missing): the best supported one, a commoner word first."""
    best: tuple[tuple[int, float], int, str] | None = None
    for k, candidate, relation, sense_file in _offers(words):
        support = _lexicon_support(words, k, candidate, relation, sense_file)
        if not support:
            continue
        if relation == "sibling":  # the weakest relation, ranked by how set its pair is
            restored = tuple(candidate if j == k else w for j, w in enumerate(words))
            score = (0, _association(restored))
        else:
            score = (support, lexicon.zipf(candidate, "en") - lexicon.zipf(words[k], "en"))
        if best is None or score > best[0]:
            best = (score, k, candidate)
    return None if best is None else (best[1], best[2])


def _restore_by_model(
    words: tuple[str, ...], context: tuple[list[str], list[str]], loose: bool = False
) -> tuple[int, str] | None:
    """(position, set-phrase word) judged by the language model as well as the lexicon: the observed words are
    no phrase the model knows (association at most :data:`MAX_OBSERVED_ASSOCIATION`), while one word swapped
    for a related one gives a phrase the lexicon supports (a synonym into any pair the bigram table lists)
    that the model knows as a set phrase (at least :data:`MIN_RESTORED_ASSOCIATION`) and that fits the
    sentence far better (by :data:`MIN_FIT_GAIN`, word frequencies divided out). The best fitting one.
    ``loose``: the words make a noun phrase only by their rarer senses, so a head that is mostly a verb is
    read as one ("wages rose") and keeps its word."""
    observed = _content_association(words)
    if observed is None or observed > MAX_OBSERVED_ASSOCIATION:
        return None
    left, right = context
    head_at = _head_index(words)
    best: tuple[float, int, str] | None = None
    for k, candidate, relation, sense_file in _offers(words):
        if loose and k == head_at and _wn().dominant_pos(words[k]) == "v":
            continue
        restored_raw = tuple(candidate if j == k else w for j, w in enumerate(words))
        support = _lexicon_support(words, k, candidate, relation, sense_file)
        if not support and not (relation == "synonym" and _pair_count(restored_raw) > 0):
            continue
        written = _inflect_like(words[k], candidate) if k == head_at else candidate
        restored = tuple(written if j == k else w for j, w in enumerate(words))
        setness = _content_association(restored)
        if setness is None or setness < MIN_RESTORED_ASSOCIATION:
            continue
        gain = language_model.fit_gain(left, list(words), list(restored), right)
        needed = MIN_FIT_GAIN_ENTRY if support == 2 else MIN_FIT_GAIN
        if gain is not None and gain >= needed and (best is None or gain > best[0]):
            best = (gain, k, candidate)
    return None if best is None else (best[1], best[2])


def _content_association(words: tuple[str, ...]) -> float | None:
    """How strongly the language model binds the phrase's content words (log10 PMI): for "X of Y" how much
    "X of" predicts "Y" beyond "of" alone, otherwise the association of the whole phrase."""
    if len(words) == 3 and _function_word(words[1]):
        with_head = language_model.log_prob(words[2], words[:2])
        alone = language_model.log_prob(words[2], words[1:2])
        if with_head is None or alone is None or not language_model.known(words[0]):
            return None
        return with_head - alone
    return language_model.association(words)


def _sentence_context(
    text: str, toks: list[lexicon.Token], i: int, size: int
) -> tuple[list[str], list[str]]:
    """The (at most) two words before the phrase and the one after it, where only spaces separate them from
    it: the context the language model judges a wording in."""
    left: list[str] = []
    j = i - 1
    while j >= 0 and len(left) < 2 and text[toks[j].end : toks[j + 1].start].strip() == "":
        left.insert(0, toks[j].text.lower())
        j -= 1
    after = i + size
    right = []
    if after < len(toks) and text[toks[after - 1].end : toks[after].start].strip() == "":
        right.append(toks[after].text.lower())
    return left, right


def _inflect_like(observed: str, restored: str) -> str:
    """The restored word with the observed word's regular ending ("powers" -> "force" -> "forces")."""
    for lemma in _wn().lemmas_of(observed):
        ending = observed[len(lemma):] if observed.startswith(lemma) and lemma != observed else ""
        if ending in ("s", "es") and not restored.endswith("s"):
            # the restored word's own regular plural ("buses" -> "car" -> "cars", not "cares")
            return restored + ("es" if restored.endswith(("s", "x", "z", "ch", "sh")) else "s")
    return restored


def _lemma_forms(word: str) -> list[str]:
    return sorted(_wn().lemmas_of(word), key=lambda w: (w != word, w))


@lru_cache(maxsize=20_000)
def _function_word(word: str) -> bool:
    from qa.worddiff import is_function_word

    return is_function_word(word)
