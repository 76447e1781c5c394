"""N-way alignment: rows across four versions, moved passages, reference choice, edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.nway import align_versions, choose_reference
from qa.segment import Version, presegmented

FIXTURES = Path(__file__).parent / "fixtures" / "align"


def version(label: str, name: str, lang: str) -> Version:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Version(label, text, lang, presegmented(text), lang)


def cells(alignment) -> list[dict[str, tuple[int, ...]]]:
    return [row.cells for row in alignment.rows]


def assert_every_sentence_once(alignment, versions: list[Version]) -> None:
    for v in versions:
        seen = sorted(i for row in alignment.rows for i in row.cells[v.label])
        assert seen == list(range(len(v.sentences))), v.label
    assert [row.index for row in alignment.rows] == list(range(len(alignment.rows)))


def test_four_versions_give_expected_rows() -> None:
    versions = [
        version("en", "quake.en.txt", "en"),
        version("de", "quake.de.txt", "de"),
        version("fr", "quake.fr.txt", "fr"),
        version("es", "quake.es.txt", "es"),
    ]
    alignment = align_versions(versions, reference="en")
    assert alignment.reference == "en"
    assert_every_sentence_once(alignment, versions)
    expected = [
        ({"en": (0,), "de": (0,), "fr": (0,), "es": (0,)}, set()),
        ({"en": (1,), "de": (1,), "fr": (1, 2), "es": (1,)}, set()),
        ({"en": (2,), "de": (2,), "fr": (3,), "es": (2,)}, set()),
        ({"en": (3,), "de": (3,), "fr": (), "es": (3,)}, set()),
        ({"en": (4,), "de": (4,), "fr": (4,), "es": (4,)}, set()),
        ({"en": (), "de": (), "fr": (), "es": (5,)}, set()),
        ({"en": (5,), "de": (8,), "fr": (5,), "es": (6,)}, {"de"}),
        ({"en": (6,), "de": (9,), "fr": (6,), "es": (7,)}, {"de"}),
        ({"en": (7,), "de": (5,), "fr": (7,), "es": (8,)}, set()),
        ({"en": (8,), "de": (6,), "fr": (8,), "es": (9,)}, set()),
        ({"en": (9,), "de": (7,), "fr": (9,), "es": (10,)}, set()),
    ]
    assert [(row.cells, set(row.moved)) for row in alignment.rows] == expected
    assert all(0.0 < s <= 1.0 for row in alignment.rows for s in row.similarity.values())
    assert set(alignment.pairs) == {"de", "fr", "es"}


def test_moved_paragraph_in_a_translation_pair_is_aligned_and_marked() -> None:
    de, en = version("de", "flood.de.txt", "de"), version("en", "flood.en.txt", "en")
    alignment = align_versions([de, en], reference="de")
    assert_every_sentence_once(alignment, [de, en])
    moved = [(row.cells["de"], row.cells["en"]) for row in alignment.rows if row.moved]
    assert moved == [((7,), (15,)), ((8,), (16,))]
    assert all(row.moved == frozenset({"en"}) for row in alignment.rows if row.moved)
    # the omitted and the added sentence stay on their own
    assert {"de": (11,), "en": ()} in cells(alignment)
    assert {"de": (), "en": (12,)} in cells(alignment)


def test_reference_chosen_automatically_is_the_most_complete() -> None:
    full = version("full", "quake.en.txt", "en")
    text = "\n".join(full.sentence_texts[:6]) + "\n"
    short = Version("short", text, "en", presegmented(text), "en")
    assert choose_reference([short, full]) == "full"
    alignment = align_versions([short, full])
    assert alignment.reference == "full"
    assert cells(alignment)[6:] == [{"short": (), "full": (i,)} for i in range(6, 10)]


def test_edge_cases() -> None:
    assert align_versions([]).rows == []
    one = version("en", "quake.en.txt", "en")
    alone = align_versions([one])
    assert alone.reference == "en" and len(alone.rows) == len(one.sentences) and alone.pairs == {}
    empty = Version("empty", "", "en", [], "en")
    both = align_versions([one, empty])
    assert both.reference == "en"
    assert all(row.cells["empty"] == () for row in both.rows)
    with pytest.raises(ValueError):
        align_versions([one, empty], reference="nope")


def test_identical_versions_align_row_by_row() -> None:
    a, b = version("a", "strike.en.txt", "en"), version("b", "strike.en.txt", "en")
    alignment = align_versions([a, b], reference="a")
    assert cells(alignment) == [{"a": (i,), "b": (i,)} for i in range(len(a.sentences))]
    assert not any(row.moved for row in alignment.rows)
