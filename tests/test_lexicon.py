"""The word-frequency helpers the reference-free checks share (qa.checks.lexicon)."""

from __future__ import annotations

import pytest
from wordfreq import zipf_frequency

from qa.checks.lexicon import COMMON_ZIPF, _common_words, best_split, common_zipf

WORDS = [
    ("house", "en"), ("the", "en"), ("thoroughfare", "en"), ("south-east", "en"), ("south-east", "ru"),
    ("l'eau", "fr"), ("l'eau", "de"), ("c'est", "en"), ("aujourd'hui", "fr"), ("porte-parole", "fr"),
    ("d'atteindre", "fr"), ("kazakhstan's", "en"), ("und", "en"), ("und", "de"), ("Hafen", "de"),
    ("brand", "sv"), ("xqzzv", "it"), ("vice-premier", "pl"), ("4,600", "de"), ("москва", "ru"),
]


@pytest.mark.parametrize(("word", "lang"), WORDS)
def test_common_zipf_is_wordfreq_above_the_cut_and_zero_below(word: str, lang: str) -> None:
    expected = zipf_frequency(word, lang)
    assert common_zipf(word, lang) == (expected if expected >= COMMON_ZIPF else 0.0)


def test_common_table_holds_only_common_words() -> None:
    table = _common_words("sv")
    assert table["och"] > 6
    assert min(table.values()) >= COMMON_ZIPF
    assert "fartygsbrand" not in table  # rare in Swedish web text: only in the full table


def test_compound_split_with_common_parts_matches_the_full_table_when_parts_are_common() -> None:
    full = best_split("kampfberg", "de")
    common = best_split("kampfberg", "de", common=True)
    assert full[0] >= COMMON_ZIPF and common == full
    assert best_split("xqzzvblorpt", "de", common=True) == (0.0, ())


@pytest.mark.parametrize("lang", ["en", "fr", "de", "ru"])
def test_common_zipf_matches_wordfreq_on_sampled_words_and_compounds(lang: str) -> None:
    # words around the cut (zipf 2-6) and hyphen/apostrophe compounds of them, where the combination formula matters
    import random

    from wordfreq import get_frequency_list

    rng = random.Random(lang)
    words = [w for bucket in get_frequency_list(lang)[300:700] for w in bucket if w.isalpha()]
    sample = rng.sample(words, 400)
    sample += [rng.choice(words) + rng.choice("-'") + rng.choice(words) for _ in range(400)]
    for word in sample:
        expected = zipf_frequency(word, lang)
        assert common_zipf(word, lang) == (expected if expected >= COMMON_ZIPF else 0.0), word


def test_an_elided_word_opening_a_token_is_measured_not_listed():
    from qa.checks.lexicon import elided_prefix

    assert [elided_prefix(w) for w in ("l’Una", "dell’Aquila", "n’avons", "d'Umeå")] == [2, 5, 2, 2]
    assert [elided_prefix(w) for w in ("didn't", "O'Brien", "aujourd'hui", "Umeå")] == [0, 0, 0, 0]
