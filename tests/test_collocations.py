"""The English bigram table (symspellpy's Google Books counts) read offline, and what it says of phrases."""

from qa import collocations


def test_the_table_loads_offline_and_counts_pairs_writers_use():
    assert collocations.available()
    assert collocations.bigram_count("armed", "forces") > 50_000_000
    assert collocations.bigram_count("Armed", "Forces") == collocations.bigram_count("armed", "forces")
    assert collocations.bigram_count("equipped", "forces") == 0  # a spinner's phrase is not a pair in use


def test_association_tells_set_pairs_from_free_combinations():
    set_pair = collocations.association("armed", "forces")
    free_pair = collocations.association("new", "line")
    assert set_pair > 0.2 > 0.05 > free_pair > 0.0
    assert collocations.association("equipped", "forces") == 0.0


def test_partners_list_the_words_a_word_pairs_with():
    assert "forces" in collocations.partners("armed", 0)
    assert "armed" in collocations.partners("forces", 1)
    assert collocations.partners("qqqq", 0) == []
