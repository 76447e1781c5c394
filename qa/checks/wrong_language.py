"""Wrong-language sentences: a sentence written in another language than its version, e.g. left
untranslated in a translation.

The judgement is :func:`qa.checks.langid.foreign_language`: the writing system first (a Cyrillic
sentence in a French version), then ``langdetect`` (fixed seed) confirmed by a word-by-word
frequency vote, so that short sentences, names ("Al Jazeera’s Bernard Smith") and quotations
in another language inside a sentence of the right one do not fire. Web page residue lines are
left to the boilerplate check.
"""

from __future__ import annotations

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.checks.boilerplate import classify
from qa.checks.langid import foreign_language
from qa.checks.lexicon import base_lang
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
    return flags


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="sentences in another language than their version (left untranslated)",
)
