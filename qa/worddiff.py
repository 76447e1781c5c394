"""Word-level comparison of two same-language texts: every changed word found and classified.

The texts (usually the reference's and a version's cells of one alignment row) are tokenised into words,
numbers and currency/percent signs that keep their character offsets (:func:`qa.checks.lexicon.tokens`);
``difflib`` opcodes over normalised keys give the changes, and each change becomes one :class:`Edit`:

* ``form``: the same words written otherwise: case, punctuation, hyphens and spacing ("90 km" / "90km",
  "fastest-growing" / "fastest growing"), diacritics ("Gdańsk"), inflection (WordNet's morphy gives one
  lemma), spelling variants and abbreviations (WordNet synonyms that are spelled nearly alike, "harbour" /
  "harbor", or where one is the other's abbreviation, "km" / "kilometres", "Oct" / "October"), the same
  number ("six" / "6", "1,800" / "1800"), a sign for its name ("%" / "percent", from the Unicode character
  name), and words that only moved within the sentence ("said X" / "X said");
* ``synonym``: a WordNet synonym (shared synset, direct hypernym, similar adjective, derivation), or,
  where WordNet links nothing and the words are no two members of one class, phrases the encoder's
  word vectors find close in context.  ``set_phrase`` names the reference's WordNet multiword entry the
  substitution breaks ("armed forces" -> "equipped forces");
* ``meaning``: another name or the same name spelled otherwise, another number, an antonym (polarity),
  a title, role, date, quantity, attribution or modality word replaced by a non-synonym;
* ``added`` / ``dropped``: content words inserted or deleted (a clause when several), ``function``: only
  function words inserted or deleted.

Nothing here flags: :mod:`qa.checks.reworded` turns edits into flags, the views draw them.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA, Levenshtein

from qa.checks import lexicon

Kind = str  # "form", "synonym", "meaning", "added", "dropped", "function"
SYMBOLS = re.compile(r"[%\u20a0-\u20cf$£¥€]")  # percent and currency signs: tokens of their own
CONTEXT_SYNONYM = 0.86  # cosine of the two phrases' word vectors in context above which they say the same
CONTEXT_BROKEN = 0.7  # the same, for a word swapped inside a multiword entry of the reference
CONTEXT_UNRELATED = 0.6  # ... below which they say different things
SPELLING_SIMILARITY = 0.75  # synonyms this alike (optimal string alignment, a swap counts once) are one spelling
CLOSE_ROW = 0.5  # difflib ratio below which a row is a rewrite, not an edited copy (no word-level findings)
CLAUSE_WORDS = 3  # content words inserted or deleted together that make a clause
FUNCTION_ZIPF = 5.0  # function words are at least this frequent in English (zipf)
FUNCTION_MARGIN = 4.3  # ... and tagged in WordNet's corpus less than 10 ** (zipf - this) times
NAME_ZIPF = 3.6  # a capitalised word rarer than this (or not in WordNet) is a name


@dataclass(frozen=True)
class WordTok:
    """A word, number or sign with its offsets in the version text and its comparison key."""

    text: str
    start: int  # offset in the version text
    end: int
    local: int  # offset in the compared text (the cell's sentences joined by a space)
    key: str
    first: bool  # first token of its sentence


@dataclass(frozen=True)
class Edit:
    """One change between the reference side (``ref``) and this version (``mine``)."""

    kind: Kind
    ref: tuple[WordTok, ...]
    mine: tuple[WordTok, ...]
    detail: str = ""  # e.g. "spelling variant", "antonym", "title or role"
    type: str = ""  # flag type for findings: reworded, meaning_change, name_mismatch, number_mismatch, ...
    similarity: float | None = None  # encoder cosine of the two phrases in context
    set_phrase: str = ""  # the reference's multiword entry this edit breaks
    at: int = -1  # offset in the compared text of this version where the edit sits (for deleted words)

    @property
    def ref_text(self) -> str:
        return " ".join(t.text for t in self.ref)

    @property
    def mine_text(self) -> str:
        return " ".join(t.text for t in self.mine)


@dataclass
class RowDiff:
    """All edits between two texts, and how close the texts are (difflib ratio over word keys)."""

    edits: list[Edit] = field(default_factory=list)
    ratio: float = 1.0
    ref_tokens: tuple[WordTok, ...] = ()
    my_tokens: tuple[WordTok, ...] = ()

    @property
    def close(self) -> bool:
        return self.ratio >= CLOSE_ROW


# --- tokens --------------------------------------------------------------------------------------


def symbol_word(sign: str) -> str:
    """The word a sign stands for, from its Unicode name: "%" -> "percent", "€" -> "euro"."""
    try:
        name = unicodedata.name(sign)
    except ValueError:
        return sign
    return name.split()[0].lower()


def key_of(word: str) -> str:
    """Comparison key: lower case, ASCII letters, no apostrophes, hyphens or dots; digits without separators."""
    if len(word) == 1 and SYMBOLS.match(word):
        return symbol_word(word)
    text = anyascii(lexicon.normalise(word)).lower()
    if any(ch.isdigit() for ch in text):
        text = re.sub(r"(?<=\d)[,\s](?=\d{3}\b)", "", text)
    return re.sub(r"[-'.’]", "", text)


def word_tokens(pieces: Sequence[tuple[str, int]]) -> list[WordTok]:
    """Tokens of the texts ``pieces`` ((sentence text, its offset in the version)), joined by one space."""
    out: list[WordTok] = []
    local = 0
    for text, offset in pieces:
        found = [(t.text, t.start) for t in lexicon.tokens(text, 0, numbers=True)]
        found += [(m.group(), m.start()) for m in SYMBOLS.finditer(text)]
        found.sort(key=lambda item: item[1])
        for k, (word, start) in enumerate(found):
            out.append(WordTok(word, offset + start, offset + start + len(word), local + start, key_of(word), k == 0))
        local += len(text) + 1
    return out


# --- lexical judgements ----------------------------------------------------------------------------


def _wn():
    from qa import wordnet

    return wordnet


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    return _wn().lemmas_of(key_of(word)) | {key_of(word)}


@lru_cache(maxsize=50_000)
def in_wordnet(word: str) -> bool:
    return bool(_wn().synsets(word.lower()))


def is_function_word(word: str) -> bool:
    """A closed-class word ("the", "would", "in", "but"): WordNet lists only nouns, verbs, adjectives and
    adverbs, so a frequent word it lacks, or whose senses it tags far more rarely than the word is used
    ("in" the inch, "will" the testament, "may" the month), carries grammar rather than content."""
    low = word.lower()
    if any(ch.isdigit() for ch in low) or SYMBOLS.match(low):
        return False
    z = lexicon.zipf(low, "en")
    if z < FUNCTION_ZIPF:
        return False
    return math.log10(_tagged_count(low) + 1) < z - FUNCTION_MARGIN


@lru_cache(maxsize=50_000)
def _tagged_count(word: str) -> int:
    """How often WordNet's sense-tagged corpus uses the word (any of its lemmas) in any sense."""
    wn = _wn()
    names = wn.lemmas_of(word)
    return sum(
        lemma.count() for s in wn.synsets(word) for lemma in s.lemmas() if lemma.name().lower() in names
    )


def is_name(tok: WordTok) -> bool:
    """A capitalised token that is no common word (not sentence-initial unless rare or unknown to WordNet)."""
    if not tok.text[:1].isupper() or any(ch.isdigit() for ch in tok.text):
        return False
    low = tok.text.lower()
    rare = lexicon.zipf(low, "en") < NAME_ZIPF
    if tok.first:
        return rare and not in_wordnet(low)
    return rare or not in_wordnet(low)


def same_number(a: Sequence[WordTok], b: Sequence[WordTok]) -> bool | None:
    """True/False when both sides hold numbers (same values or not); None when either has none."""
    from qa.checks.numbers import extract

    va = {v for m in extract(" ".join(t.text for t in a), "en") for v in m.values}
    vb = {v for m in extract(" ".join(t.text for t in b), "en") for v in m.values}
    if not va or not vb:
        return None if not (va or vb) else False
    return bool(va & vb)


def _has_number(toks: Sequence[WordTok]) -> bool:
    from qa.checks.numbers import extract

    return any(ch.isdigit() for t in toks for ch in t.text) or bool(extract(" ".join(t.text for t in toks), "en"))


def is_abbreviation(short: str, long: str) -> bool:
    """"km" / "kilometres", "Oct" / "October": the letters of the short form, in order, starting the long one."""
    short, long = key_of(short), key_of(long)
    if len(short) > len(long):
        short, long = long, short
    if not short or len(short) > 4 or short[0] != long[0] or len(short) == len(long):
        return False
    pos = 0
    for ch in short:
        pos = long.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def form_pair(a: WordTok, b: WordTok) -> str:
    """Why two tokens are the same word written otherwise ("" when they are not)."""
    if a.key == b.key:
        return "case or punctuation" if a.text != b.text else ""
    if lemmas(a.text) & lemmas(b.text):
        return "inflection"
    if any(ch.isdigit() for ch in a.text + b.text) or SYMBOLS.match(a.text) or SYMBOLS.match(b.text):
        same = same_number([a], [b])
        if same:
            return "number format"
        if SYMBOLS.match(a.text) or SYMBOLS.match(b.text):
            return "sign for its name" if lemmas(a.key) & lemmas(b.key) else ""
        return ""
    if same_number([a], [b]):
        return "number format"
    wn = _wn()
    if wn.share_synset(a.key, b.key) or wn.share_synset(b.key, a.key):
        if OSA.normalized_similarity(a.key, b.key) >= SPELLING_SIMILARITY:
            return "spelling variant"  # metres / meters, centre / center, criticised / criticized
        if is_abbreviation(a.key, b.key):
            return "abbreviation"
    return ""


def form_span(a: Sequence[WordTok], b: Sequence[WordTok]) -> str:
    """Why two token runs are the same words written otherwise ("" when they are not)."""
    if not a or not b:
        return ""
    if "".join(t.key for t in a) == "".join(t.key for t in b):
        return "spacing or hyphenation"
    if len(a) == len(b):
        reasons = [form_pair(x, y) or ("same" if x.key == y.key else "") for x, y in zip(a, b)]
        if all(reasons):
            return next((r for r in reasons if r != "same"), "case or punctuation")
    if same_number(a, b) and not any(not _has_number([t]) and t.key not in {u.key for u in b} for t in a):
        return "number format"
    return ""


def _phrase_key(toks: Sequence[WordTok]) -> str:
    return " ".join(t.key for t in toks)


def synonyms_in_wordnet(a: Sequence[WordTok], b: Sequence[WordTok]) -> bool:
    wn = _wn()
    pa, pb = _phrase_key(a), _phrase_key(b)
    if wn.share_synset(pa, pb):
        return True
    if len(a) == len(b):  # word by word: every differing pair synonymous
        return all(x.key == y.key or wn.share_synset(x.key, y.key) for x, y in zip(a, b))
    return False


def antonym_pair(a: Sequence[WordTok], b: Sequence[WordTok]) -> tuple[str, str] | None:
    wn = _wn()
    for x in a:
        for y in b:
            if x.key != y.key and wn.are_antonyms(x.key, y.key):
                return x.text, y.text
    return None


def meaning_detail(a: Sequence[WordTok], b: Sequence[WordTok], next_tok: WordTok | None) -> str:
    """What kind of meaning a non-synonym substitution changes ("" when nothing says it is more than a
    looser synonym), from WordNet's lexicographer files of each word's most frequent sense."""
    wn = _wn()
    words = list(a) + list(b)
    classes = set()
    for t in words:
        first = wn.synsets(t.key)
        if first:
            classes.add(first[0].lexname())
    if all(is_function_word(t.text) for t in words):
        return "modality or function word"
    degree = [t for t in words if lexicon.zipf(t.key, "en") >= FUNCTION_ZIPF and any(
        s.pos() in "asr" for s in wn.synsets(t.key)[:1])]
    if degree and (len(degree) == len(words) or (next_tok is not None and _has_number([next_tok]))):
        return "quantity or degree"  # "most" / "some", "about 2,300" / "more than 2,300"
    if classes == {"noun.quantity"}:
        return "quantity"
    if classes <= {"noun.person"} and all(wn.synsets(t.key) for t in words):
        return "title or role"
    if classes <= {"noun.time"} and all(wn.synsets(t.key) for t in words):
        return "date or time"
    if classes <= {"verb.communication", "verb.cognition", "verb.emotion"} and len(classes) == 2:
        return "attribution"  # "said" (communication) / "feared" (emotion), "denied" / "thought"
    return ""


# --- set phrases -----------------------------------------------------------------------------------


def entry_of(toks: Sequence[WordTok]) -> str:
    """The WordNet multiword entry these tokens form ("" when none): inflection allowed on each word."""
    if len(toks) < 2 or any(any(ch.isdigit() for ch in t.text) for t in toks):
        return ""
    wn = _wn()
    words = tuple(t.key for t in toks)
    if wn.is_multiword_entry(words):
        return " ".join(t.text.lower() for t in toks)
    return ""


def broken_set_phrase(ref: Sequence[WordTok], i1: int, i2: int, mine: Sequence[WordTok], j1: int, j2: int) -> str:
    """The reference's multiword entry (2-3 words) overlapping ``ref[i1:i2]`` that the version breaks: its
    counterpart (``mine[j1:j2]`` with the same neighbours) keeps some of the entry's words but is no entry
    ("armed forces" -> "equipped forces").  An entry replaced whole ("broke out" -> "erupted") is a
    rewording, not a broken phrase."""
    for size in (3, 2):
        for start in range(max(0, i1 - size + 1), min(i2, len(ref) - size + 1)):
            window = ref[start : start + size]
            if start + size <= i1 or start >= i2:
                continue
            entry = entry_of(window)
            if not entry:
                continue
            before, after = i1 - start, start + size - i2
            lo, hi = j1 - max(before, 0), j2 + max(after, 0)
            counterpart = mine[max(lo, 0) : min(hi, len(mine))]
            kept = {t.key for t in window} & {t.key for t in counterpart}
            if kept and not entry_of(counterpart):
                return entry
    return ""


# --- the diff --------------------------------------------------------------------------------------

Similarity = Callable[[Sequence[WordTok], Sequence[WordTok]], float | None]


def compare(
    ref_pieces: Sequence[tuple[str, int]], my_pieces: Sequence[tuple[str, int]], similarity: Similarity | None = None
) -> RowDiff:
    """Every change between the reference's text and this version's (both given as (sentence, offset) pieces).

    ``similarity(ref_tokens, my_tokens)``: the encoder's cosine of the two phrases in their sentences, or
    None when unavailable (then undecided substitutions count as meaning changes only with WordNet evidence).
    """
    ref = word_tokens(ref_pieces)
    mine = word_tokens(my_pieces)
    my_text = " ".join(p[0] for p in my_pieces)
    matcher = difflib.SequenceMatcher(a=[t.key for t in ref], b=[t.key for t in mine], autojunk=False)
    diff = RowDiff([], matcher.ratio(), tuple(ref), tuple(mine))
    opcodes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    moved = _moved(ref, mine, opcodes)
    for _op, i1, i2, j1, j2 in opcodes:
        at = mine[j1].local if j1 < len(mine) else len(my_text)
        first = len(diff.edits)
        a = [t for t in ref[i1:i2] if t not in moved]
        b = [t for t in mine[j1:j2] if t not in moved]
        for t in ref[i1:i2]:
            if t in moved:
                diff.edits.append(Edit("form", (t,), (), "moved", at=at))
        for t in mine[j1:j2]:
            if t in moved:
                diff.edits.append(Edit("form", (), (t,), "moved"))
        if not a and not b:
            continue
        next_tok = mine[j2] if j2 < len(mine) else None
        if a and b and _repaired(my_text[b[0].local : b[-1].local + len(b[-1].text)], a):
            diff.edits.append(Edit("form", tuple(a), tuple(b), "encoding damage (mojibake)", at=at))
            continue
        diff.edits.extend(_classify(ref, mine, a, b, i1, i2, j1, j2, next_tok, similarity))
        diff.edits[first:] = [replace(e, at=at) if e.at < 0 else e for e in diff.edits[first:]]
    return diff


def _repaired(raw: str, ref: Sequence[WordTok]) -> bool:
    """Whether ``raw`` is the reference's words with their encoding damaged ("Kazakhstanâ€™s")."""
    import ftfy

    fixed = ftfy.fix_text(raw)
    return fixed != raw and "".join(t.key for t in word_tokens([(fixed, 0)])) == "".join(t.key for t in ref)


def _moved(ref: list[WordTok], mine: list[WordTok], opcodes: list[tuple]) -> set[WordTok]:
    """Tokens deleted in one place and inserted in another with the same key or lemma (pure reordering)."""
    deleted = [t for op, i1, i2, _, _ in opcodes if op in ("delete", "replace") for t in ref[i1:i2]]
    inserted = [t for op, _, _, j1, j2 in opcodes if op in ("insert", "replace") for t in mine[j1:j2]]
    out: set[WordTok] = set()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "replace":
            continue  # a replaced word is a substitution, unless its twin was inserted elsewhere (below)
        side = ref[i1:i2] if op == "delete" else mine[j1:j2]
        others = inserted if op == "delete" else deleted
        for t in side:
            twin = next((o for o in others if o not in out and (o.key == t.key or lemmas(o.text) & lemmas(t.text))), None)
            if twin is not None:
                out.update((t, twin))
    return out


def _classify(
    ref: list[WordTok], mine: list[WordTok], a: list[WordTok], b: list[WordTok],
    i1: int, i2: int, j1: int, j2: int, next_tok: WordTok | None, similarity: Similarity | None,
) -> list[Edit]:
    if not b:
        return [_insert_delete("dropped", a, ())]
    if not a:
        return [_insert_delete("added", (), b)]
    reason = form_span(a, b) or _abbreviation_in_context(ref, mine, i1, i2, j1, j2)
    if reason:
        return [Edit("form", tuple(a), tuple(b), reason)]
    # a substitution of equal length is judged word by word ("carried four" -> "conveyed three" is a synonym
    # and a number), so "head minister" is one change, not two
    if len(a) == len(b) and len(a) > 1:
        out: list[Edit] = []
        for x, y in zip(a, b):
            why = form_pair(x, y)
            if why:
                out.append(Edit("form", (x,), (y,), why))
            elif x.key != y.key:
                out.extend(_substitution(ref, mine, [x], [y], next_tok, similarity))
        return out
    return _substitution(ref, mine, a, b, next_tok, similarity)


def _abbreviation_in_context(ref: Sequence[WordTok], mine: Sequence[WordTok], i1: int, i2: int, j1: int, j2: int) -> str:
    """"abbreviation" when one word abbreviates the other and, with a word both sides share beside it, the two
    name one WordNet concept ("degrees C" / "degrees Celsius": "C" is a lemma of the entry "degree Celsius")."""
    if i2 - i1 != 1 or j2 - j1 != 1 or not is_abbreviation(ref[i1].key, mine[j1].key):
        return ""
    shared = []
    if i1 > 0 and j1 > 0 and ref[i1 - 1].key == mine[j1 - 1].key:
        shared.append((ref[i1 - 1 : i1 + 1], mine[j1 - 1 : j1 + 1]))
    if i2 < len(ref) and j2 < len(mine) and ref[i2].key == mine[j2].key:
        shared.append((ref[i1 : i2 + 1], mine[j1 : j2 + 1]))
    wn = _wn()
    for run_a, run_b in shared:
        for long_run, short in ((run_a, mine[j1]), (run_b, ref[i1])):
            entry = wn.entry_key(tuple(t.key for t in long_run))
            if entry and set(wn.synsets(entry)) & set(wn.synsets(short.key)):
                return "abbreviation"
    return ""


def _insert_delete(kind: str, a: Sequence[WordTok], b: Sequence[WordTok]) -> Edit:
    toks = list(a) + list(b)
    content = [t for t in toks if not is_function_word(t.text)]
    if not content:
        return Edit("function", tuple(a), tuple(b), "function words")
    clause = len(content) >= CLAUSE_WORDS
    detail = ("clause " if clause else "words ") + kind
    typ = "omission" if kind == "dropped" else "addition"
    if any(is_name(t) for t in content) and not clause:
        typ = "name_mismatch"
    elif _has_number(content) and not clause:
        typ = "number_mismatch"
    return Edit(kind, tuple(a), tuple(b), detail, typ)


def _substitution(
    ref: list[WordTok], mine: list[WordTok], a: list[WordTok], b: list[WordTok],
    next_tok: WordTok | None, similarity: Similarity | None,
) -> list[Edit]:
    a_t, b_t = tuple(a), tuple(b)
    i1, i2 = ref.index(a[0]), ref.index(a[-1]) + 1
    j1, j2 = mine.index(b[0]), mine.index(b[-1]) + 1
    if _has_number(a) or _has_number(b):
        if same_number(a, b):
            return [Edit("form", a_t, b_t, "number format")]
        return [Edit("meaning", a_t, b_t, "number", "number_mismatch")]
    if any(is_name(t) for t in a + b):
        close = Levenshtein.normalized_similarity(_phrase_key(a), _phrase_key(b)) >= 0.7
        if (any(is_name(t) for t in a) or any(is_name(t) for t in b)) and not synonyms_in_wordnet(a, b):
            return [Edit("meaning", a_t, b_t, "name spelled differently" if close else "other name", "name_mismatch")]
    if len(a) == len(b) == 1 and is_function_word(a[0].text) and is_function_word(b[0].text) and (
        a[0].key.startswith(b[0].key) or b[0].key.startswith(a[0].key)
    ):
        return [Edit("form", a_t, b_t, "grammatical agreement")]  # "an oil" / "a petroleum"
    opposite = antonym_pair(a, b)
    if opposite:
        return [Edit("meaning", a_t, b_t, f"antonym ({opposite[0]} / {opposite[1]})", "negation_flip")]
    sim = similarity(a, b) if similarity is not None else None
    function_swap = all(is_function_word(t.text) for t in a + b)
    wn = _wn()
    if synonyms_in_wordnet(a, b) and not function_swap:
        synonym = True
    elif function_swap:
        synonym = False
    elif len(a) == len(b) == 1 and wn.co_hyponyms(a[0].key, b[0].key):
        synonym = False  # two members of one class: Tuesday / Wednesday, leader / member
    elif len(a) == len(b) == 1 and (in_wordnet(a[0].key) and in_wordnet(b[0].key)) and sim is None:
        synonym = False
    else:
        synonym = sim is not None and sim >= CONTEXT_SYNONYM
    phrase = broken_set_phrase(ref, i1, i2, mine, j1, j2)
    detail = "" if synonym else meaning_detail(a, b, next_tok)
    if not synonym and phrase and not detail and not function_swap and not (len(a) == len(b) == 1 and wn.co_hyponyms(a[0].key, b[0].key)):
        synonym = sim is None or sim >= CONTEXT_BROKEN  # a set phrase with one word swapped: a spinner's
    if not synonym:
        if detail or (sim is not None and sim < CONTEXT_UNRELATED):
            return [Edit("meaning", a_t, b_t, detail or "meaning", "meaning_change", sim)]
        # no dictionary link, but nothing says the meaning moved: a looser rewording
        return [Edit("synonym", a_t, b_t, "no dictionary synonym", "reworded", sim, phrase)]
    return [Edit("synonym", a_t, b_t, "synonym" + (f", breaks '{phrase}'" if phrase else ""), "reworded", sim, phrase)]


# --- every aligned row of same-language versions ------------------------------------------------------


def context_similarity(ref_text: str, my_text: str, model: str | None = None) -> Similarity | None:
    """The encoder's cosine between two token runs in their texts (last-layer word vectors, averaged)."""
    from qa.checks import wordalign

    if not wordalign.supported(model):
        return None
    ref_vec, my_vec = wordalign.vectors([ref_text, my_text], model)
    if ref_vec is None or my_vec is None:
        return None

    def phrase(vectors, toks: Sequence[WordTok]):
        rows = [k for k, w in enumerate(vectors.words) if any(w.start < t.local + len(t.text) and w.end > t.local for t in toks)]
        if not rows:
            return None
        v = vectors.deep[rows].mean(axis=0)
        norm = float((v @ v) ** 0.5)
        return v / norm if norm else None

    def similarity(a: Sequence[WordTok], b: Sequence[WordTok]) -> float | None:
        x, y = phrase(ref_vec, a), phrase(my_vec, b)
        return None if x is None or y is None else float(x @ y)

    return similarity


_diff_cache: dict[tuple, RowDiff] = {}


def compare_cells(ref_pieces: tuple[tuple[str, int], ...], my_pieces: tuple[tuple[str, int], ...],
                  model: str | None = None) -> RowDiff:
    """:func:`compare` with the encoder's similarity, cached per process (the check, the verdict and the views
    ask for the same rows)."""
    key = (ref_pieces, my_pieces, model)
    if key not in _diff_cache:
        if len(_diff_cache) > 20_000:
            _diff_cache.clear()
        sim = context_similarity(" ".join(p[0] for p in ref_pieces), " ".join(p[0] for p in my_pieces), model)
        _diff_cache[key] = compare(ref_pieces, my_pieces, sim)
    return _diff_cache[key]


def same_language(a: str | None, b: str | None) -> bool:
    return bool(a) and lexicon.base_lang(a) == lexicon.base_lang(b) and lexicon.base_lang(a) not in ("", "und")


def version_diffs(versions, alignment, model: str | None = None) -> dict[str, dict[int, RowDiff]]:
    """For each version in the reference's language: alignment row index -> its diff against the reference."""
    if alignment is None:
        return {}
    by_label = {v.label: v for v in versions}
    ref = by_label.get(alignment.reference)
    if ref is None or lexicon.base_lang(ref.lang) != "en":
        return {}  # the lexical judgements need English WordNet
    out: dict[str, dict[int, RowDiff]] = {}
    for version in versions:
        if version.label == ref.label or not same_language(version.lang, ref.lang):
            continue
        rows: dict[int, RowDiff] = {}
        for row in alignment.rows:
            ri, vi = row.cells.get(ref.label, ()), row.cells.get(version.label, ())
            if not ri or not vi:
                continue
            rp = tuple((ref.sentences[i].text, ref.sentences[i].start) for i in ri)
            vp = tuple((version.sentences[i].text, version.sentences[i].start) for i in vi)
            rows[row.index] = compare_cells(rp, vp, model)
        out[version.label] = rows
    return out
