"""The report stage: one flag per flagged word, however many checks raised it."""

from __future__ import annotations

from qa.checks.base import Flag
from qa.report import merge_same_span

ORDER = ["non_words", "garbled", "names", "negation", "omission"]


def flag(check: str, type_: str, severity: str, start: int, end: int, text: str, message: str) -> Flag:
    return Flag(type_, severity, "spun", 0, start, end, text, message, 0.8, check)


def test_two_checks_on_one_word_become_one_flag_that_keeps_both_messages():
    foreign = flag("non_words", "foreign_word", "major", 10, 21, "Flammenberg", "“Flammenberg” is not English")
    name = flag("names", "name_mismatch", "major", 10, 21, "Flammenberg", "Name not in wire (EN): Flammenberg")
    other = flag("names", "name_mismatch", "major", 30, 36, "Aktobe", "Name differs: Aktobe here")
    merged = merge_same_span([name, foreign, other], ORDER)
    assert [(f.check, f.text) for f in merged] == [("non_words", "Flammenberg"), ("names", "Aktobe")]
    assert "Name not in wire (EN): Flammenberg" in merged[0].reason


def test_the_more_severe_flag_wins_whatever_the_order():
    minor = flag("non_words", "non_word", "minor", 0, 5, "Terer", "not a word")
    critical = flag("names", "name_mismatch", "critical", 0, 5, "Terer", "Name differs")
    assert [f.severity for f in merge_same_span([minor, critical], ORDER)] == ["critical"]


def test_sentence_spans_keep_every_check_s_finding():
    sentence = "Es bestehe eine Gefahr für die Trinkwasserversorgung."
    negation = flag("negation", "negation_flip", "critical", 0, len(sentence), sentence, "Negation missing here")
    omission = flag("omission", "omission", "major", 0, len(sentence), sentence, "The next sentence is missing")
    assert merge_same_span([negation, omission], ORDER) == [negation, omission]


def test_overlapping_phrase_flags_of_two_checks_become_one():
    tortured = flag("garbled", "garbled_phrase", "major", 10, 25, "equipped forces", "a tortured phrase")
    reworded = flag("reworded", "reworded", "major", 10, 18, "equipped", "Set phrase broken")
    elsewhere = flag("reworded", "reworded", "minor", 40, 45, "blaze", "Reworded")
    merged = merge_same_span([reworded, tortured, elsewhere], ORDER + ["reworded"])
    assert [(f.check, f.text) for f in merged] == [("garbled", "equipped forces"), ("reworded", "blaze")]
    assert "Set phrase broken" in merged[0].reason
