"""Non-words and foreign-language leakage: tokens that are no word of the sentence's language.

Decision per token, using ``wordfreq`` frequencies (zipf scale) in many languages:

* a token in another writing system (Chinese characters or a Cyrillic word in an English
  sentence) is a leaked foreign word, unless it stands in parentheses as a gloss;
* a token unknown to the version's language that splits into two frequent words of another
  language ("Kampfberg" = German Kampf + Berg) and much better than into words of its own
  language is a leaked foreign compound;
* a lower-case token that is rare or unknown in the version's language but common in another
  is a leaked foreign word (German nouns count even when capitalised);
* a lower-case token unknown to the version's language is a non-word (with the likely
  intended word when one is a single edit away); a rare token one edit from a much more
  frequent word is a misspelling ("tendancy");
* capitalised unknown tokens that are none of the above are names (Stepanakert, Khankendi,
  Terter), and so is any token that another version carries: only an interior letter swap
  of a frequent word ("Amercia") is flagged there.

Sentences written wholly in another language are left to the ``wrong_language`` check.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.langid import foreign_language
from qa.checks.lexicon import (
    COMPOUNDING_LANGS,
    FOREIGN_LANGS,
    LEXICON_LANGS,
    SCRIPT_NAMES,
    Token,
    base_lang,
    best_split,
    common_zipf,
    english_derivation,
    is_technical,
    language_scripts,
    nearest_word,
    swapped_word,
    tokens,
    word_script,
    word_zipf,
    zipf,
)
from qa.languages import language_name
from qa.segment import Version

NAME = "non_words"
UNKNOWN = 1.0  # below this zipf a token is not in the language's word list
RARE = 2.0  # below this zipf a token is rare enough to be a misspelling of a frequent neighbour
COMPOUND_PART = 4.0  # both parts of a leaked compound are at least this frequent in the other language
COMPOUND_MARGIN = 1.5  # ... and split that much better there than in the version's language
FOREIGN_WORD = 3.0  # a leaked single word is at least this frequent in its language
FOREIGN_MARGIN = 2.5  # ... and that much more frequent there than in the version's language
MISSPELT_MAX = 2.5  # below this zipf an English word one edit from a far more frequent one is misspelt
COMMON_MISSPELLING_MAX = 3.0  # web text lists frequent misspellings ("recieve", "goverment") up to about here
CLASSIC_MARGIN = 1.7  # an "ie"/"ei" swap, a doubled or an undoubled consonant: the correction is that much more frequent
LOAN_ELISION = 2.0  # an elided French form this frequent in English is part of a borrowed phrase ("coup d'état")
FUNCTION_WORD_MAX = 4.5  # a lower-case word this frequent here is never called foreign
TYPO_MAX = 3.5  # a token this frequent is a word, whatever its spelling neighbours
TYPO_MARGIN = 3.0  # a letter-swap misspelling's correction is that much more frequent
TYPO_NEIGHBOUR = 4.0  # ... and at least this frequent
SUGGEST = 3.0  # a non-word's closest spelling is offered when at least this frequent
PHRASE_WORDS = 4  # this many consecutive words of another language make an untranslated phrase
FOREIGN_COMPOUND_LANGS = ("de", "nl", "sv")  # languages whose closed compounds leak into others
NAME_SIMILARITY = 85  # a capitalised token this close to one in another version is the same name


@dataclass(frozen=True)
class Finding:
    type: str
    severity: str
    message: str
    confidence: float


def run(ctx: CheckContext) -> list[Flag]:
    """Flag non-words and foreign words in every version."""
    vocabularies = {v.label: _vocabulary(v) for v in ctx.versions}
    flags: list[Flag] = []
    for version in ctx.versions:
        lang = base_lang(version.lang)
        if lang not in LEXICON_LANGS:
            continue
        others = [(o, vocabularies[o.label]) for o in ctx.versions if o.label != version.label]
        own = vocabularies[version.label]
        for sentence in version.sentences:
            if foreign_language(sentence.text, lang) is not None:
                continue  # a whole sentence in another language: the wrong_language check's finding
            for start, end, finding in judge_sentence(sentence.text, lang, sentence.start, own, others):
                flags.append(
                    sentence_flag(ctx, version, sentence, start, end, type=finding.type, severity=finding.severity,
                                  message=finding.message, confidence=finding.confidence, check=NAME)
                )
    return flags


@dataclass
class _Vocabulary:
    words: set[str]  # every normalised token
    capitalised: list[str]  # normalised tokens written with a capital somewhere
    mid_capitalised: set[str]  # normalised tokens written capitalised inside a sentence


def _vocabulary(version: Version) -> _Vocabulary:
    words: set[str] = set()
    capitalised: set[str] = set()
    mid: set[str] = set()
    for sentence in version.sentences:
        for token in tokens(sentence.text):
            words.add(token.lower)
            if token.capitalised:
                capitalised.add(token.lower)
                if not token.first:
                    mid.add(token.lower)
    return _Vocabulary(words, sorted(capitalised), mid)


def judge_sentence(text: str, lang: str, offset: int = 0, own: _Vocabulary | None = None,
                   others: list[tuple[Version, _Vocabulary]] | None = None) -> list[tuple[int, int, Finding]]:
    """Every (start, end, finding) in one sentence of language ``lang``; offsets shifted by ``offset``."""
    lang = base_lang(lang)
    if lang not in LEXICON_LANGS:
        return []
    words = tokens(text, offset)
    keys = [_foreign_key(t, lang) for t in words]
    out: list[tuple[int, int, Finding]] = []
    i = 0
    while i < len(words):
        j = i
        while keys[i] and j + 1 < len(words) and keys[j + 1] == keys[i] and _adjacent(text, offset, words[j], words[j + 1]):
            j += 1
        run_start, run_end = words[i].start, words[j].end
        kind, value = keys[i] or ("", "")
        finding: Finding | None = None
        if kind == "script":
            finding = _other_script(words[i : j + 1], text[run_start - offset - 1 : run_end - offset + 1], lang, value)
        elif j > i:  # two or more words of another language: a name, a title or an untranslated phrase
            if j - i + 1 >= PHRASE_WORDS and not _quoted(text, run_start - offset):
                finding = Finding("foreign_word", "major",
                                  f"an untranslated {language_name(value)} phrase inside {_a(language_name(lang))} sentence",
                                  0.75)
        else:
            previous = words[i - 1] if i > 0 and _adjacent(text, offset, words[i - 1], words[i], " ") else None
            following = (
                words[i + 1] if i + 1 < len(words) and _adjacent(text, offset, words[i], words[i + 1], " ") else None
            )
            finding = judge(words[i], lang, own, others, (previous, following))
        if finding is not None:
            out.append((run_start, run_end, finding))
        i = j + 1
    return out


def _foreign_key(token: Token, lang: str) -> tuple[str, str] | None:
    """("script", S) for a word in another writing system; ("lang", L) for a common word of another
    language that is rare here; None otherwise."""
    script = word_script(token.text)
    if script == "OTHER":
        return None
    if script not in language_scripts(lang) and script != "LATIN":
        return ("script", script)  # digits next to it ("16万") do not make it a code
    if is_technical(token):
        return None
    if script not in language_scripts(lang):
        return ("script", script)
    if len(token.text) < 2:
        return None
    here = word_zipf(token.lower, lang)
    if here >= 5.0:
        return None
    other, there = max(((m, common_zipf(token.lower, m)) for m in FOREIGN_LANGS if m != lang), key=lambda item: item[1])
    margin = there - here
    return ("lang", other) if there >= FOREIGN_WORD and margin >= 1.5 and (here < 4.0 or margin >= 2.5) else None


def _adjacent(text: str, offset: int, left: Token, right: Token, allowed: str = " ,'’-") -> bool:
    """True when only a space (or a comma, apostrophe or hyphen, if allowed) separates two tokens."""
    gap = text[left.end - offset : right.start - offset]
    return 0 < len(gap) <= 3 and all(ch in allowed for ch in gap)


_QUOTES = "\"“”„«»‹›"


def _quoted(text: str, start: int) -> bool:
    """True when position ``start`` lies inside a quotation (an odd number of quote marks before it)."""
    return sum(text[:start].count(q) for q in _QUOTES) % 2 == 1


def judge(token: Token, lang: str, own: _Vocabulary | None = None,
          others: list[tuple[Version, _Vocabulary]] | None = None,
          neighbours: tuple[Token | None, Token | None] = (None, None)) -> Finding | None:
    """What is wrong with one same-script ``token`` in a sentence of language ``lang``, or None."""
    if is_technical(token) or len(token.text) < 3 or word_script(token.text) not in language_scripts(lang):
        return None
    word = token.lower
    z = word_zipf(word, lang)
    if z >= TYPO_MAX:
        # a frequent-looking word can still be a far more frequent word of another language ("und"),
        # unless it sits in a name ("von der Leyen")
        if z >= FUNCTION_WORD_MAX or token.capitalised or any(n is not None and n.capitalised for n in neighbours):
            return None
        return _foreign_word(token, lang, z, None, margin=FOREIGN_MARGIN + 0.5)
    carried = _carried_by(token, others or [])
    if carried is not None and (token.capitalised or base_lang(carried.lang) == lang):
        return None  # a name (or a word) the other versions carry too
    if token.capitalised:
        if own is not None and token.first and word in own.mid_capitalised:
            return None  # written capitalised inside sentences elsewhere: a name
        in_name = any(n is not None and n.capitalised for n in neighbours)
        return (
            _swapped_letters(token, lang, z)
            or _foreign_compound(token, lang, z)
            or (None if in_name else _capitalised_foreign(token, lang, z))
        )
    if carried is not None:
        return _foreign_word(token, lang, z, carried)
    return (
        _foreign_word(token, lang, z, None)
        or _swapped_letters(token, lang, z)
        or _misspelling(token, lang, z)
        or _foreign_compound(token, lang, z)
        or _non_word(token, lang, z)
    )


def _carried_by(token: Token, others: list[tuple[Version, _Vocabulary]]) -> Version | None:
    """Another version that carries the token (the same spelling, or a close one for names)."""
    word = token.lower
    for version, vocabulary in others:
        if word in vocabulary.words:
            return version
        if token.capitalised and len(word) >= 5:
            for candidate in vocabulary.capitalised:
                if abs(len(candidate) - len(word)) <= 3 and fuzz.ratio(word, candidate) >= NAME_SIMILARITY:
                    return version
    return None


def _other_script(run: list[Token], context: str, lang: str, script: str) -> Finding | None:
    """A run of words in another writing system: an untranslated word, unless it is a gloss in parentheses."""
    if context.startswith("(") and context.endswith(")"):
        return None  # "Moscow (Москва)": the original spelling as a gloss
    shown = " ".join(t.text for t in run)
    if script == "LATIN":
        # Latin words in, say, a Russian sentence are names unless lower-case common words of some language
        for token in run:
            if token.capitalised or len(token.text) < 3 or is_technical(token):
                continue
            other, there = max(((m, common_zipf(token.lower, m)) for m in FOREIGN_LANGS if m != lang), key=lambda x: x[1])
            if there >= FOREIGN_WORD:
                return Finding("foreign_word", "major",
                               f"“{shown}” is {language_name(other)}, left untranslated in {_a(language_name(lang))} sentence",
                               0.8)
        return None
    where = SCRIPT_NAMES.get(script, script.title())
    return Finding("foreign_word", "major",
                   f"“{shown}” is in {where} script inside {_a(language_name(lang))} sentence: left untranslated", 0.9)


def _foreign_compound(token: Token, lang: str, z: float) -> Finding | None:
    """An unknown token that reads as a compound of another language (Kampf + Berg)."""
    if z >= UNKNOWN or len(token.text) < 8 or "-" in token.text or "'" in token.lower:
        return None
    own_score, _ = best_split(token.lower, lang)
    best: tuple[float, str, tuple[str, ...]] = (0.0, "", ())
    for other in FOREIGN_COMPOUND_LANGS:
        if other == lang:
            continue
        score, parts = best_split(token.lower, other, common=True)
        if score > best[0]:
            best = (score, other, parts)
    score, other, parts = best
    if score < COMPOUND_PART or score - own_score < COMPOUND_MARGIN:
        return None
    if any(common_zipf(part, other) < zipf(part, lang) for part in parts):
        return None  # a part more at home in the version's language: not clearly a foreign compound
    if lang in COMPOUNDING_LANGS and own_score >= COMPOUND_PART - 1.0:
        return None  # a compound of the version's own language
    shown = " + ".join(_as_written(part, token.text, other) for part in parts)
    return Finding(
        "foreign_word", "major",
        f"“{token.text}” is not {language_name(lang)}: it reads as a {language_name(other)} compound ({shown}), "
        "likely leaked by machine translation or a text spinner",
        round(min(0.95, 0.55 + 0.1 * (score - own_score)), 2),
    )


def _as_written(part: str, original: str, lang: str) -> str:
    """A part of a split as that language writes it (German nouns capitalised)."""
    if lang == "de" or (original[:1].isupper() and original.lower().startswith(part)):
        return part.capitalize()
    return part


def _capitalised_foreign(token: Token, lang: str, z: float) -> Finding | None:
    """A capitalised word that is a common German noun (German capitalises nouns) but rare here,
    or a sentence's first word that is a common word of another language."""
    if z >= MISSPELT_MAX or len(token.text) < 4 or "-" in token.text:
        return None
    if token.first:
        return _foreign_word(token, lang, z, None, margin=FOREIGN_MARGIN + 0.5)
    if lang == "de":
        return None
    z_de = common_zipf(token.lower, "de")
    if z_de < FOREIGN_WORD + 1.0 or z_de - z < FOREIGN_MARGIN:
        return None
    return Finding("foreign_word", "major",
                   f"“{token.text}” is not {language_name(lang)}: it is a German word, left untranslated",
                   round(min(0.9, 0.4 + 0.1 * (z_de - z)), 2))


def _foreign_word(token: Token, lang: str, z: float, carried: Version | None,
                  margin: float = FOREIGN_MARGIN) -> Finding | None:
    """A lower-case token that is common in another language but rare or unknown here."""
    if lang == "en" and "'" in token.lower and z >= LOAN_ELISION:
        return None  # "coup d'état", "raison d'être", "hors d'oeuvre": borrowed set phrases
    candidates = [(m, common_zipf(token.lower, m)) for m in FOREIGN_LANGS if m != lang]
    if carried is not None:
        candidates = [c for c in candidates if c[0] == base_lang(carried.lang)]
    if not candidates:
        return None
    other, z_other = max(candidates, key=lambda item: item[1])
    if z_other < FOREIGN_WORD or z_other - z < margin:
        return None
    if lang in COMPOUNDING_LANGS and best_split(token.lower, lang)[0] >= COMPOUND_PART - 1.0:
        return None
    return Finding("foreign_word", "major",
                   f"“{token.text}” is not {language_name(lang)}: it is {_a(language_name(other))} word, left untranslated",
                   round(min(0.9, 0.5 + 0.1 * (z_other - z)), 2))


def _swapped_letters(token: Token, lang: str, z: float) -> Finding | None:
    """A rare token that is a far more frequent word with two neighbouring letters swapped ("thier", "Amercia")."""
    word = token.lower
    if len(word) < 4 or "'" in word or "-" in word:
        return None
    candidate, z_candidate = swapped_word(word, lang)
    if not candidate or z_candidate < max(TYPO_NEIGHBOUR, z + TYPO_MARGIN):
        return None
    if token.capitalised and (candidate[0] != word[0] or z >= UNKNOWN + 0.5):
        return None  # names: only a slip inside a frequent word, never a change of the first letter
    shown = candidate.capitalize() if token.capitalised else candidate
    return Finding("non_word", "minor", f"“{token.text}” looks misspelt; did you mean “{shown}”?",
                   round(min(0.9, 0.4 + 0.1 * (z_candidate - z)), 2))


def _misspelling(token: Token, lang: str, z: float) -> Finding | None:
    """A rare English word one edit from a far more frequent one ("diffrent", "expecially"), or a common
    misspelling that web text lists often: "ie" for "ei" or a doubled or undoubled consonant ("recieve", "occured",
    "untill")."""
    word = token.lower
    if lang != "en" or z >= COMMON_MISSPELLING_MAX or len(word) < 4 or "'" in word or "-" in word:
        return None
    classic, z_classic = _classic_correction(word, lang)
    if classic and z_classic >= max(TYPO_NEIGHBOUR, z + CLASSIC_MARGIN):
        return Finding("non_word", "minor", f"“{token.text}” looks misspelt; did you mean “{classic}”?",
                       round(min(0.85, 0.3 + 0.15 * (z_classic - z)), 2))
    if z >= MISSPELT_MAX or english_derivation(word):
        return None
    neighbour, z_neighbour = nearest_word(word, lang)
    if z_neighbour < max(TYPO_NEIGHBOUR, z + TYPO_MARGIN):
        return None
    return Finding("non_word", "minor", f"“{token.text}” looks misspelt; did you mean “{neighbour}”?",
                   round(min(0.85, 0.3 + 0.1 * (z_neighbour - z)), 2))


def _classic_correction(word: str, lang: str) -> tuple[str, float]:
    """The most frequent word that ``word`` becomes by swapping "ie" and "ei", doubling a consonant or undoubling a
    doubled one: the slips behind most common misspellings."""
    candidates = set()
    for i in range(len(word) - 1):
        pair = word[i : i + 2]
        if pair in ("ie", "ei"):
            candidates.add(word[:i] + pair[::-1] + word[i + 2 :])
        elif pair[0] == pair[1] and pair[0] not in "aeiouy":
            candidates.add(word[:i] + word[i + 1 :])
    for i, ch in enumerate(word):
        if ch.isalpha() and ch not in "aeiouy" and word[i + 1 : i + 2] != ch and word[i - 1 : i] != ch:
            candidates.add(word[: i + 1] + word[i:])
    candidates.discard(word)
    return max(((c, zipf(c, lang)) for c in candidates), key=lambda item: item[1], default=("", 0.0))


def _non_word(token: Token, lang: str, z: float) -> Finding | None:
    """A lower-case token absent from the language's word list (judged for English only, whose list is
    large enough; elsewhere only letter swaps and leaked words are flagged)."""
    word = token.lower
    if lang != "en" or z >= UNKNOWN or "'" in word or "-" in word or len(word) < 4 or english_derivation(word):
        return None
    split_score, parts = best_split(word, lang)
    if split_score >= COMPOUND_PART - 0.5:
        return Finding("non_word", "minor",
                       f"“{token.text}” is not an English word: two words run together ({' '.join(parts)})?", 0.6)
    neighbour, z_neighbour = nearest_word(word, lang)
    if z_neighbour >= SUGGEST:
        return Finding("non_word", "minor", f"“{token.text}” is not an English word; did you mean “{neighbour}”?", 0.75)
    return Finding("non_word", "major", f"“{token.text}” is not an English word", 0.6)


def _a(name: str) -> str:
    return ("an " if name[:1] in "AEIOU" else "a ") + name


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="tokens that are no word of the sentence's language, and words or compounds leaked from another",
)
