"""The English trigram model (qa.language_model): association of phrases and fit of a wording in context."""

import pytest

from qa import language_model

pytestmark = pytest.mark.skipif(not language_model.available(), reason="pocketsphinx's English model is missing")


def test_a_set_phrase_is_strongly_associated_and_a_spun_one_is_not():
    assert language_model.association(("armed", "forces")) > 2.0
    assert language_model.association(("death", "toll")) > 2.0
    for spun in (("equipped", "forces"), ("passing", "toll"), ("focal", "bank")):
        assert language_model.association(spun) < 0.5, spun


def test_association_does_not_reward_frequency():
    # "the minister" is far more frequent than "prime minister" but no tighter a phrase
    assert language_model.association(("prime", "minister")) > language_model.association(("the", "minister"))


def test_unknown_words_give_no_figure():
    assert language_model.log_prob("qqzzxv") is None
    assert not language_model.known("qqzzxv")
    assert language_model.association(("qqzzxv", "minister")) is None
    assert language_model.fit_gain(["the"], ["qqzzxv", "bank"], ["central", "bank"], ["raised"]) is None


def test_history_changes_the_probability_and_case_does_not():
    alone = language_model.log_prob("minister")
    after = language_model.log_prob("minister", ("the", "prime"))
    assert after is not None and alone is not None and after > alone + 1.0
    assert language_model.log_prob("Minister", ("The", "Prime")) == after


def test_the_restored_wording_fits_its_sentence_better():
    gain = language_model.fit_gain(["the"], ["equipped", "forces"], ["armed", "forces"], ["moved"])
    assert gain is not None and gain > 2.5
    assert language_model.fit_gain(["the"], ["armed", "forces"], ["equipped", "forces"], ["moved"]) < -2.5
    # an unknown context word is left out rather than spoiling the comparison
    with_unknown = language_model.fit_gain(["qqzzxv", "the"], ["equipped", "forces"], ["armed", "forces"], [])
    assert with_unknown is not None and with_unknown > 2.5
