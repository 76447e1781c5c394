"""Reference choice: the version the others agree with, never the one padded with residue or unrelated text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus import load_corpus
from qa.nway import align_versions
from qa.reference import choose, encode_versions
from qa.segment import make_version

STORY = Path(__file__).parent / "fixtures" / "reference"


def story(*names: str):
    return [make_version(name.split(".")[0], (STORY / f"{name}.txt").read_text(encoding="utf-8"), name.split(".")[1])
            for name in names]


@pytest.mark.parametrize(
    "names",
    [
        ("padded.en", "original.en", "translation.de", "translation.fr"),
        ("translation.de", "padded.en", "translation.fr", "original.en"),
        ("padded.en", "changed.en", "translation.fr", "original.en", "translation.de"),
    ],
    ids=["padded-first", "padded-second", "with-changed-numbers"],
)
def test_the_padded_copy_is_never_the_reference(names):
    versions = story(*names)
    choice = choose(versions, encode_versions(versions))
    assert choice.label != "padded"
    assert choice.label in ("original", "translation")  # a faithful version, whatever the upload order
    padded = next(a for a in choice.ranking if a.label == "padded")
    assert padded.unsupported >= 5  # its residue and the unrelated story are in no other version
    assert "not padded, the longest" in choice.reason


def test_changed_numbers_lose_against_the_original():
    versions = story("changed.en", "original.en", "translation.de", "translation.fr")
    choice = choose(versions, encode_versions(versions))
    scores = {a.label: a for a in choice.ranking}
    assert scores["original"].facts > scores["changed"].facts
    assert choice.label != "changed"


def test_two_versions_take_the_one_holding_more_of_the_other():
    versions = story("original.en", "translation.de")
    short = make_version("short", "\n".join(versions[0].sentence_texts[:3]) + "\n", "en")
    choice = choose([short, versions[1]], encode_versions([short, versions[1]]))
    assert choice.label == "translation" and "holds more" in choice.reason


def test_sample_corpus_reference_is_not_the_scraped_copy():
    corpus = load_corpus()
    versions = [make_version(v.label, v.text, v.lang) for v in corpus.versions]
    alignment = align_versions(versions)
    assert alignment.reference not in ("spun", "de", "fr")  # residue, planted omissions and changed numbers
    choice = choose(versions, encode_versions(versions))
    assert choice.label == alignment.reference and choice.reason
