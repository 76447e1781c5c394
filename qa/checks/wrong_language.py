"""Wrong-language sentences: a sentence written in another language than its version, e.g. left
untranslated in a translation.

The judgement is :func:`qa.checks.langid.foreign_language`: the writing system first (a Cyrillic
sentence in a French version), then ``langdetect`` (fixed seed) confirmed by a word-by-word
frequency vote, so that short sentences, names ("Al Jazeera’s Bernard Smith") and quotations
in another language inside a sentence of the right one do not fire. Web page residue lines are
left to the boilerplate check.

A sentence found unchanged in a version of another language (an XLIFF target equal to its source, a
sentence of the original pasted into the translation) is judged whatever its length by
:func:`qa.checks.langid.untranslated_copy`: flagged in the version whose language it is not written in, with
the other version's sentence as evidence.  A sentence of names and numbers only leans to no language and
passes.
"""

from __future__ import annotations

from qa.checks.base import Check, CheckContext, Evidence, Flag, sentence_flag
from qa.checks.boilerplate import classify
from qa.checks.langid import copied_language, foreign_language
from qa.checks.lexicon import base_lang
from qa.checks.wordalign import canonical
from qa.languages import language_name

NAME = "wrong_language"


def run(ctx: CheckContext) -> list[Flag]:
    """Flag every sentence written in another language than its version."""
    flags: list[Flag] = []
    for version in ctx.versions:
        lang = base_lang(version.lang)
        if not lang or lang == "und":
            continue
        for sentence in version.sentences:
            found = foreign_language(sentence.text, lang)
            if found is None or classify(sentence.text) is not None:
                continue
            how = "its script and wording" if found.by_script else "its wording"
            flags.append(sentence_flag(
                ctx, version, sentence, sentence.start, sentence.end, type="wrong_language", severity="major",
                message=(f"this sentence is in {language_name(found.lang)}, not {language_name(lang)} like the rest "
                         f"of the version ({how}): left untranslated?"),
                confidence=found.confidence, check=NAME,
            ))
    flagged = {(f.version, f.sentence) for f in flags}
    return flags + [f for f in copied_sentences(ctx) if (f.version, f.sentence) not in flagged]


def copied_sentences(ctx: CheckContext) -> list[Flag]:
    """Sentences found unchanged in a version of another language and written in that language."""
    index: dict[str, dict[str, int]] = {}
    for version in ctx.versions:
        seen: dict[str, int] = {}
        for sentence in version.sentences:
            seen.setdefault(canonical(sentence.text)[0], sentence.index)
        index[version.label] = seen
    flags: list[Flag] = []
    for version in ctx.versions:
        lang = base_lang(version.lang)
        if not lang or lang == "und":
            continue
        for sentence in version.sentences:
            key = canonical(sentence.text)[0]
            if not key or not any(ch.isalpha() for ch in key):
                continue
            for other in ctx.versions:
                other_lang = base_lang(other.lang)
                if other.label == version.label or other_lang in ("", "und", lang) or key not in index[other.label]:
                    continue
                found = copied_language(sentence.text, lang, other_lang)
                if found is None or classify(sentence.text) is not None:
                    continue
                twin = index[other.label][key]
                flags.append(sentence_flag(
                    ctx, version, sentence, sentence.start, sentence.end, type="wrong_language", severity="major",
                    message=(f"this sentence is the same as in {other.label} ({language_name(other_lang)}): left "
                             f"untranslated in {language_name(lang)}?"),
                    confidence=found.confidence, check=NAME,
                    evidence=[Evidence(other.label, (twin,), other.sentences[twin].text)],
                    reason=f"copied unchanged; told by its {'script' if found.by_script else 'wording'}",
                ))
                break
    return flags


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="sentences in another language than their version (left untranslated)",
)
