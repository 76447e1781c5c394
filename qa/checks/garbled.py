"""Garbled phrasing: repeated words, stuttered phrases, self-contradicting redundancy and spinner damage.

Each pattern is narrow on purpose, so clean copy passes:

* ``repeated_word``: the same word twice in a row ("remain remain", "the the"), or the same
  run of words twice in a row ("said on Monday said on Monday"); grammatical doublings
  ("had had", "that that", German "die die", French "nous nous") and names pass;
* ``garbled_phrase``, redundancy: a counted noun that comes back within a few words after
  "both"/"all"/"each" ("killing numerous sides from both sides", "four team members from both
  teams"): the phrase counts the thing and then divides it into itself, which no editor writes;
* ``garbled_phrase``, tortured phrases: fixed phrases that synonym spinners produce from set
  terms ("head minister" for prime minister, "equipped forces" for armed forces), each with
  the term it most likely replaced;
* ``garbled_phrase``, broken word order: closed-class words side by side that no grammatical
  sentence has (English "the of", "a the", "he the", "they is", "of he"; French "un le"; Spanish
  "el la"), a lower-case pronoun "i", or a sentence ending on an article or conjunction ("... and
  the."); two or more such breaks in one sentence are word salad (scrambled words, flagged as a
  whole sentence), a single one is a missing or misplaced word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.lexicon import Token, base_lang, tokens, zipf

NAME = "garbled"
MAX_GAP = 4  # words between a counted noun and its repetition after "both"
NAME_DOUBLING_MAX = 3.5  # a capitalised word written twice is a name ("Bora Bora") when rarer than this
MAX_STUTTER = 6  # longest run of words checked for an immediate repetition

# Doublings that grammar allows, per language.
_ALLOWED_DOUBLES = {
    "en": {"had", "that", "is", "her", "very", "so", "no", "bye", "ha", "knock", "chop", "tut", "yeah", "far"},
    "de": {"die", "der", "das", "dem", "den", "sie", "ha"},
    "fr": {"nous", "vous", "ha", "si", "très"},
    "es": {"ha", "muy"},
    "it": {"ha", "molto"},
    "ru": {"ха", "очень", "да", "нет"},
}
_QUANTITY = {
    "en": {"numerous", "many", "several", "dozens", "hundreds", "thousands", "scores", "some", "countless",
           "multiple", "various", "few", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "twenty", "fifty", "hundred", "thousand", "most", "plenty", "lots", "number"},
    "de": {"zahlreiche", "viele", "mehrere", "dutzende", "hunderte", "tausende", "einige", "zwei", "drei", "vier",
           "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"},
    "fr": {"nombreux", "nombreuses", "plusieurs", "dizaines", "centaines", "milliers", "quelques", "deux", "trois",
           "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "maints"},
}
_DIVIDERS = {
    "en": {"both", "all", "each", "either", "every"},
    "de": {"beiden", "beide", "allen", "alle", "jeder", "jeden"},
    "fr": {"deux", "tous", "toutes", "chaque"},
}
_PREPOSITIONS = {
    "en": {"from", "on", "of", "in", "among", "across", "between", "for", "at", "with", "by"},
    "de": {"von", "auf", "aus", "in", "unter", "bei", "zwischen"},
    "fr": {"des", "de", "du", "dans", "parmi", "entre", "chez", "sur"},
}
_LINKING = {"to", "by", "after", "and", "for", "upon", "zu", "für", "um", "à", "par", "après", "a", "por", "tras"}

# Closed word classes for the word-order check: pairs of them that no grammatical sentence has side by side.
_ART = {"a", "an", "the"}
_POSS = {"its", "their", "our", "my", "your"}  # "his" and "her" also stand alone
_PREP = {"of", "in", "on", "at", "from", "with", "into", "onto", "by", "to", "among", "between", "through", "during",
         "without", "within", "against", "towards", "toward", "across", "upon", "despite", "amid", "amongst",
         "throughout"}  # not "for", "as", "than", "before", "after": they also join clauses ("for he knew")
_SUBJ = {"he", "she", "they", "we", "i"}
_AUX = {"is", "are", "was", "were", "am", "has", "does", "did"}
_MODAL = {"could", "would", "should", "might", "shall"}  # not "will", "can", "may", "must": also nouns
_CONJ = {"and", "or", "but"}
_INVERTING = _AUX | _MODAL | {"have", "had", "do", "will", "can", "may", "must"}  # "is she a doctor?"
# (left class, right class, what the pair is) per language; the right word must be written in lower case.
_BAD_PAIRS: dict[str, list[tuple[set[str], set[str], str]]] = {
    "en": [
        (_ART, _ART | _POSS, "two determiners in a row"),
        (_ART, _PREP, "an article followed by a preposition"),
        (_ART, _CONJ, "an article followed by a conjunction"),
        (_ART, _AUX | _MODAL | {"be", "been"}, "an article followed by a verb"),
        (_ART, _SUBJ, "an article followed by a pronoun"),
        (_POSS, _ART | _SUBJ, "a possessive followed by an article or pronoun"),
        (_POSS, _AUX | _MODAL, "a possessive followed by a verb"),
        (_PREP, _SUBJ, "a preposition followed by a subject pronoun"),
        (_PREP | _SUBJ, {"of"}, "“of” where no noun precedes it"),
        ({"of"}, _AUX | _MODAL, "“of” followed by a verb"),
        (_MODAL, _AUX | _MODAL, "two finite verbs in a row"),
        (_SUBJ, _ART | _SUBJ, "a subject pronoun followed by an article or another pronoun"),
        ({"he", "she"}, {"are", "am", "have", "do"}, "a pronoun and a verb that do not agree"),
        ({"they", "we"}, {"is", "am", "has", "does", "was"}, "a pronoun and a verb that do not agree"),
        ({"i"}, {"is", "are", "has", "does"}, "a pronoun and a verb that do not agree"),
        (_CONJ, _CONJ, "two conjunctions in a row"),
    ],
    "fr": [
        ({"un", "une"}, {"le", "la", "les", "un", "une"}, "two articles in a row"),  # not "un des": "one of the"
        ({"du", "au", "aux"}, {"le", "la", "les", "au", "aux"}, "two articles in a row"),
    ],
    "es": [
        ({"el", "un", "una", "unos", "unas", "del", "al"}, {"el", "la", "los", "las", "un", "una", "unos", "unas"},
         "two articles in a row"),
    ],
    "it": [
        ({"il", "un"}, {"il", "lo", "la", "i", "gli", "le", "un", "uno", "una"}, "two articles in a row"),
    ],
}
# Words that cannot end a sentence (articles, possessive determiners, conjunctions, ...), per language.
_NO_END = {
    "en": _ART | _POSS | _CONJ | {"than", "because", "according"},  # not "of": "to take care of."
    "fr": {"le", "la", "les", "du", "au", "aux"},
    "es": {"el", "la", "los", "las", "un"},
    "it": {"il"},
}
SALAD_BREAKS = 2  # this many grammar breaks in one sentence make it word salad
SALAD_MIN_WORDS = 6

# Spinner output -> the set term it most likely replaced (English news vocabulary).
_TORTURED = {
    "head minister": "prime minister",
    "prime pastor": "prime minister",
    "prime clergyman": "prime minister",
    "unfamiliar minister": "foreign minister",
    "unfamiliar clergyman": "foreign minister",
    "outside minister": "foreign minister",
    "outside priest": "foreign minister",
    "equipped forces": "armed forces",
    "equipped powers": "armed forces",
    "furnished forces": "armed forces",
    "outfitted forces": "armed forces",
    "outfitted gatherings": "armed groups",
    "equipped gatherings": "armed groups",
    "harmony talks": "peace talks",
    "harmony arrangement": "peace agreement",
    "harmony bargain": "peace deal",
    "harmony understanding": "peace agreement",
    "passing toll": "death toll",
    "demise toll": "death toll",
    "squeeze gathering": "press conference",
    "question and answer session with the press": "press conference",
    "human privileges": "human rights",
    "basic liberties association": "civil liberties union",
    "common war": "civil war",
    "war wrongdoings": "war crimes",
    "atmosphere change": "climate change",
    "dangerous atmospheric devation": "global warming",
    "dangerous atmospheric deviation": "global warming",
    "worldwide local area": "international community",
    "global local area": "international community",
    "international local area": "international community",
    "wellbeing authorities": "health officials",
    "wellbeing specialists": "health experts",
    "wellbeing emergency": "health crisis",
    "boss executive": "chief executive",
    "boss administrator": "chief executive",
    "bosom malignancy": "breast cancer",
    "counterfeit consciousness": "artificial intelligence",
    "profound learning": "deep learning",
    "colossal information": "big data",
    "exile camp": "refugee camp",
    "joined countries": "United Nations",
    "unified countries": "United Nations",
    "assembled countries": "United Nations",
    "joined realm": "United Kingdom",
    "assembled realm": "United Kingdom",
    "joined states": "United States",
    "assembled states": "United States",
    "un safety council": "UN Security Council",
    "united nations safety council": "UN Security Council",
    "equipped clash": "armed conflict",
    "outfitted clash": "armed conflict",
    "furnished clash": "armed conflict",
    "harmony process": "peace process",
    "harmony exchanges": "peace talks",
    "philanthropic guide": "humanitarian aid",
    "compassionate guide": "humanitarian aid",
    "philanthropic emergency": "humanitarian crisis",
    "helpful emergency": "humanitarian crisis",
    "man-made consciousness": "artificial intelligence",
    "man-made brainpower": "artificial intelligence",
    "counterfeit brainpower": "artificial intelligence",
    "irregular woodland": "random forest",
    "profound neural organization": "deep neural network",
    "kidney disappointment": "kidney failure",
    "bosom disease": "breast cancer",
    "ozone harming substance": "greenhouse gas",
    "ozone depleting substance emissions": "greenhouse gas emissions",
}
_TORTURED_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _TORTURED), key=len, reverse=True)) + r")(?:s|es)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    type: str
    severity: str
    message: str
    confidence: float


def run(ctx: CheckContext) -> list[Flag]:
    """Flag repeated words, stutters and garbled phrasing in every version."""
    singles = set().union(*(_written_once(v.text) for v in ctx.versions))
    flags: list[Flag] = []
    for version in ctx.versions:
        lang = base_lang(version.lang)
        others = tuple(" ".join(v.text.lower().split()) for v in ctx.versions if v is not version)
        for sentence in version.sentences:
            for f in find_garbles(sentence.text, lang, sentence.start, singles, others):
                flags.append(
                    sentence_flag(ctx, version, sentence, f.start, f.end, type=f.type, severity=f.severity,
                                  message=f.message, confidence=f.confidence, check=NAME)
                )
    return flags


def _written_once(text: str) -> set[str]:
    """Words that ``text`` writes at least once without doubling them (so "Bishkek Bishkek" is a slip there)."""
    words = tokens(text, numbers=True)
    once = set()
    for i, word in enumerate(words):
        doubled_before = i > 0 and words[i - 1].lower == word.lower
        doubled_after = i + 1 < len(words) and words[i + 1].lower == word.lower
        if not doubled_before and not doubled_after:
            once.add(word.lower)
    return once


def find_garbles(
    text: str, lang: str, offset: int = 0, singles: set[str] | None = None, others: tuple[str, ...] = ()
) -> list[Finding]:
    """Every garble in one sentence; offsets shifted by ``offset``.

    ``singles``: words the versions also write undoubled; a doubled capitalised word among them is a slip,
    not a name like "Bora Bora".  ``others``: the other versions' texts (lower case); a phrase one of them
    writes too is the source's own wording, never a spinner's.
    """
    words = tokens(text, offset, numbers=True)
    found = _stutters(text, words, lang, offset, singles or set()) + _redundancies(words, lang)
    if lang == "en":
        found += [f for f in _tortured(text, offset) if not _in_others(text[f.start - offset : f.end - offset], others)]
    found += _broken_syntax(text, tokens(text, offset), lang, offset)
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    reach: dict[str, int] = {}  # per type, the furthest end of a kept finding (all kept ones start earlier)
    for f in found:  # one finding of a type per stretch of text: the first, widest one
        if f.end > reach.get(f.type, -1):
            kept.append(f)
            reach[f.type] = f.end
    return kept


def _in_others(phrase: str, others: tuple[str, ...]) -> bool:
    phrase = " ".join(phrase.lower().split())
    return any(phrase in other for other in others)


def _gap(text: str, offset: int, left: Token, right: Token) -> str:
    return text[left.end - offset : right.start - offset]


def _stutters(text: str, words: list[Token], lang: str, offset: int, singles: set[str]) -> list[Finding]:
    found: list[Finding] = []
    allowed = _ALLOWED_DOUBLES.get(lang, set())
    i = 0
    while i < len(words):
        match = None
        for n in range(1, MAX_STUTTER + 1):
            if i + 2 * n > len(words):
                break
            first, second = words[i : i + n], words[i + n : i + 2 * n]
            if [w.lower for w in first] != [w.lower for w in second]:
                continue
            if not _gap(text, offset, first[-1], second[0]).isspace():
                continue  # "No, no." or a list: punctuation between the copies
            inner_first = text[first[0].start - offset : first[-1].end - offset]
            inner_second = text[second[0].start - offset : second[-1].end - offset]
            if inner_first.lower() != inner_second.lower():
                continue  # same words, different punctuation inside
            if n == 1 and first[0].lower in allowed:
                continue
            if (n == 1 and second[0].capitalised and zipf(second[0].lower, lang) < NAME_DOUBLING_MAX
                    and second[0].lower not in singles):
                continue  # "Walla Walla", "Yao Yao": a name, not a common word written twice
            if n == 2 and first[1].lower in _LINKING:
                continue  # "from time to time to see", "day by day by": an idiom running into the next words
            if n == 1 and len(first[0].text) == 1 and not first[0].text.isalpha():
                continue
            match = n
            break
        if match is None:
            i += 1
            continue
        n = match
        end = i + 2 * n
        while end + n <= len(words) and [w.lower for w in words[end : end + n]] == [w.lower for w in words[i : i + n]] \
                and _gap(text, offset, words[end - 1], words[end]).isspace():
            end += n  # "food food food food": one flag for the whole run
        start_char, end_char = words[i].start, words[end - 1].end
        shown = text[start_char - offset : end_char - offset]
        copies = (end - i) // n
        what = "word" if n == 1 else "phrase"
        found.append(Finding(start_char, end_char, "repeated_word", "minor",
                             f"the {what} “{text[words[i].start - offset : words[i + n - 1].end - offset]}” is repeated "
                             f"{'twice' if copies == 2 else f'{copies} times'} (“{shown}”); delete the extra copy",
                             0.9 if n == 1 else 0.85))
        i = end
    return found


def _lemma(word: str, lang: str) -> str:
    """A crude singular, enough to match "teams" with "team" (and "Seiten" with "Seite")."""
    if lang == "en":
        if len(word) > 4 and word.endswith("ies"):
            return word[:-3] + "y"
        if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
            return word[:-2]
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
    elif lang == "de":
        for ending in ("en", "n", "e", "s"):
            if len(word) > 4 and word.endswith(ending):
                return word[: -len(ending)]
    elif lang == "fr" and len(word) > 3 and word.endswith(("s", "x")):
        return word[:-1]
    return word


def _redundancies(words: list[Token], lang: str) -> list[Finding]:
    """A counted noun repeated after "both"/"all" within a few words: "numerous sides from both sides"."""
    quantities, dividers, prepositions = _QUANTITY.get(lang), _DIVIDERS.get(lang), _PREPOSITIONS.get(lang)
    if not quantities or not dividers or not prepositions:
        return []
    found: list[Finding] = []
    for j in range(2, len(words)):
        divider = words[j - 1].lower
        if divider not in dividers:
            continue
        noun = _lemma(words[j].lower, lang)
        if len(noun) < 3:
            continue
        for i in range(max(0, j - 2 - MAX_GAP - 1), j - 2):
            if _lemma(words[i].lower, lang) != noun:
                continue
            between = [w.lower for w in words[i + 1 : j - 1]]
            if not any(w in prepositions for w in between):
                continue
            counted = [k for k in range(max(0, i - 2), i) if words[k].lower in quantities]
            if not counted:
                continue
            start = words[counted[0]].start
            phrase_words = " ".join(w.text for w in words[counted[0] : j + 1])
            found.append(Finding(
                start, words[j].end, "garbled_phrase", "major",
                f"“{words[j].text}” is counted and then split by “{words[j - 1].text}” within a few words "
                f"(“{phrase_words}”): redundant, self-contradicting phrasing, typical of a text spinner; "
                "check the original wording",
                0.85,
            ))
            break
    return found


def _tortured(text: str, offset: int) -> list[Finding]:
    """Tortured phrases: the lexicon mechanism (:mod:`qa.tortured`, WordNet set phrases with one word swapped
    for a synonym) where WordNet is installed, plus the hand-collected examples above."""
    from qa import tortured, wordnet

    found = []
    for match in _TORTURED_RE.finditer(text):  # first: on the same words, the collected term names the original
        term = _TORTURED[match.group(1).lower()]
        found.append(Finding(offset + match.start(), offset + match.end(), "garbled_phrase", "major",
                             f"“{match.group(1)}” is a synonym-spun form of the set term “{term}”; restore the term",
                             0.85))
    if wordnet.available():
        for p in tortured.find(text, offset):
            found.append(Finding(p.start, p.end, "garbled_phrase", "major",
                                 f"“{p.text}” reads as a synonym-spun form of the set phrase “{p.original}” "
                                 f"(“{p.swapped}” for “{p.replaced}”); restore the term", 0.7))
    return found


def grammar_breaks(text: str, lang: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, what) for every place where ``text`` breaks its language's grammar: closed-class words side by
    side that no sentence has ("the of", "he the", "they is"), a lower-case pronoun "i", or a sentence ending on an
    article or conjunction. Offsets shifted by ``offset``."""
    return [(s, e, what) for s, e, what, _shown in _breaks(text, tokens(text, offset), base_lang(lang), offset)]


def _breaks(text: str, words: list[Token], lang: str, offset: int) -> list[tuple[int, int, str, str]]:
    pairs, no_end = _BAD_PAIRS.get(lang, []), _NO_END.get(lang, set())
    out: list[tuple[int, int, str, str]] = []
    for k, (left, right) in enumerate(zip(words, words[1:])):
        if _gap(text, offset, left, right) != " " or (right.text != right.text.lower() and right.text != "I"):
            continue
        a, b = left.lower, right.lower
        if lang == "en" and a == "i" and left.text != "I":
            a = ""  # a lower-case "i" is flagged on its own below
        previous = words[k - 1] if k > 0 else None
        for lefts, rights, what in pairs:
            if a not in lefts or b not in rights or a == b:
                continue
            if a in _SUBJ and previous is not None and (previous.lower in _INVERTING or previous.lower.endswith("n't")):
                break  # "is she a doctor", "did she have": an inverted question or clause
            if left.text == "I" and previous is not None and previous.capitalised:
                break  # "World War I was", "Phase I has": a Roman numeral
            out.append((left.start, right.end, what, f"{left.text} {right.text}"))
            break
    if lang == "en":
        out += [(w.start, w.end, "the pronoun “I” written in lower case, a sign of mangled text", w.text) for w in words if w.chunk == "i"]
    if words and no_end:
        last = words[-1]
        tail = text[last.end - offset :].strip().lstrip("\"'”’»)")
        if tail[:1] in (".", "!", "?") and last.lower in no_end and last.text != "A":
            out.append((last.start, last.end, f"a sentence cannot end on “{last.text}”", last.text))
    return sorted(out)


def _broken_syntax(text: str, words: list[Token], lang: str, offset: int) -> list[Finding]:
    """Word salad (several grammar breaks in one sentence) or single misplaced or missing words."""
    breaks = _breaks(text, words, lang, offset)
    if not breaks:
        return []
    if len(breaks) >= SALAD_BREAKS and len(words) >= SALAD_MIN_WORDS:
        shown = ", ".join(f"“{b[3]}”" for b in breaks[:4])
        start, end = words[0].start, words[-1].end
        return [Finding(start, end, "garbled_phrase", "major",
                        f"word salad: the grammar breaks in {len(breaks)} places ({shown}); the words look scrambled, "
                        "check the original sentence", round(min(0.95, 0.6 + 0.1 * len(breaks)), 2))]
    return [Finding(s, e, "garbled_phrase", "minor",
                    f"“{shown}”: {what}" + ("" if shown == "i" else "; a word is missing, superfluous or out of place"),
                    0.7)
            for s, e, what, shown in breaks]


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="repeated words, stuttered phrases, self-contradicting redundancy and synonym-spun set phrases",
)
