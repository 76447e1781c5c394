"""Pairwise alignment: hand-made translation pairs give the exact beads; edge cases behave."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.align import (
    Bead,
    align_embeddings,
    align_pair,
    align_precision,
    align_texts,
    closes_quote,
    join_sentences,
    number_tokens,
    text_length,
    with_params,
)
from qa.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "align"


def lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def expected(name: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(o["src"]), tuple(o["tgt"])) for o in map(json.loads, lines(name))]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence of both sides exactly once, in order, and scores in [0, 1]."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n))
    assert tgt == list(range(m))
    assert all(b.src or b.tgt for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


@pytest.mark.parametrize("story, src, tgt", [("flood", "de", "en"), ("strike", "fr", "en")])
def test_translation_pair_gives_expected_beads(story: str, src: str, tgt: str) -> None:
    a, b = lines(f"{story}.{src}.txt"), lines(f"{story}.{tgt}.txt")
    assert len(a) >= 15 and len(b) >= 15
    beads = align_pair(a, b)
    assert_covers(beads, len(a), len(b))
    assert [(x.src, x.tgt) for x in beads] == expected(f"{story}.beads.jsonl")


def test_confident_where_translations_match() -> None:
    beads = align_pair(lines("flood.de.txt"), lines("flood.en.txt"))
    one_to_one = [x.score for x in beads if len(x.src) == 1 and len(x.tgt) == 1]
    assert np.median(one_to_one) > 0.8
    split = next(x for x in beads if x.tgt == (2, 3))
    assert split.score > 0.5


def test_reverse_direction_mirrors_beads() -> None:
    a, b = lines("strike.fr.txt"), lines("strike.en.txt")
    forward = {(x.src, x.tgt) for x in align_pair(a, b)}
    backward = {(x.tgt, x.src) for x in align_pair(b, a)}
    assert forward == backward


def test_empty_and_one_sentence_inputs() -> None:
    assert align_pair([], []) == []
    assert [(x.src, x.tgt) for x in align_pair(["Ein Satz."], [])] == [((0,), ())]
    assert [(x.src, x.tgt) for x in align_pair([], ["One.", "Two."])] == [((), (0,)), ((), (1,))]
    beads = align_pair(["Der Hund schläft."], ["The dog is asleep."])
    assert [(x.src, x.tgt) for x in beads] == [((0,), (0,))]
    assert beads[0].score > 0.5


def test_identical_inputs_align_one_to_one() -> None:
    a = lines("flood.en.txt")
    beads = align_pair(a, a)
    assert [(x.src, x.tgt) for x in beads] == [((i,), (i,)) for i in range(len(a))]


def test_same_language_with_a_sentence_removed() -> None:
    a = lines("quake.en.txt")
    b = a[:4] + a[5:]
    beads = align_pair(a, b)
    assert_covers(beads, len(a), len(b))
    assert ((4,), ()) in [(x.src, x.tgt) for x in beads]
    assert sum(1 for x in beads if len(x.src) == 1 and len(x.tgt) == 1) == len(b)


def test_unsupported_script_is_covered_without_error() -> None:
    a = ["𒀀𒀁𒀂 𒀃𒀄.", "𒀅𒀆 𒀇𒀈𒀉.", "𒀊𒀋𒀌."]
    b = ["⠓⠑⠇⠇⠕ ⠺⠕⠗⠇⠙", "⠁⠃⠉", "⠙⠑⠋ ⠛⠓⠊", "⠚⠅⠇"]
    assert_covers(align_pair(a, b), len(a), len(b))


def test_synthetic_embeddings_find_a_split_without_a_model() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(6, 32))
    src = base / np.linalg.norm(base, axis=1, keepdims=True)
    # target: sentence 2 split in two halves (each close to the whole), sentence 4 dropped
    parts = [src[0], src[1], src[2] + 0.3 * rng.normal(size=32), src[2] + 0.3 * rng.normal(size=32), src[3], src[5]]
    tgt = np.array([p / np.linalg.norm(p) for p in parts])
    beads = align_embeddings(src, tgt)
    assert [(x.src, x.tgt) for x in beads] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), ()), ((5,), (5,)),
    ]


@pytest.mark.parametrize(
    "text, closes",
    [
        ("'You'd better bring three taels yourself!'", True),
        ("说道：“明天再打，你也拿三两银子出来。”", True),
        ("Die Sprecherin sagte: „Wir prüfen das.“", True),
        ("Il a répondu « non ».", True),
        ("'A few more goes and I'd have had you, though—'", True),
        ("He said no.", False),
        ("The boys' toys were lost", False),
        ("", False),
    ],
)
def test_closes_quote(text: str, closes: bool) -> None:
    assert closes_quote(text) is closes


def ambiguous_boundary(src_texts: list[str], tgt_texts: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads of 6 source and 7 target sentences whose target 3 is half of source 2 and half of source 3:
    its vector cannot tell which bead it joins, so only ``src_texts``/``tgt_texts`` can."""
    rng = np.random.default_rng(3)
    src = rng.normal(size=(6, 64))
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    middle = (src[2] + src[3]) / np.linalg.norm(src[2] + src[3])
    tgt = np.array([src[0], src[1], src[2], middle, src[3], src[4], src[5]])
    beads = [(b.src, b.tgt) for b in align_embeddings(src, tgt, src_texts, tgt_texts)]
    assert beads[0] == ((0,), (0,)) and beads[-1] == ((5,), (6,))
    return beads


@pytest.mark.parametrize("quoted_tgt, expected_split", [(3, ((2,), (2, 3))), (2, ((2,), (2,)))])
def test_closing_quotation_settles_an_ambiguous_merge_boundary(quoted_tgt: int, expected_split: tuple) -> None:
    # the source's quotation closes at sentence 2, and so does the target's, at sentence ``quoted_tgt``
    src_texts = ["a" * 59 + "."] * 6
    src_texts[2] = "a" * 58 + ".”"
    tgt_texts = ["b" * 39 + "."] * 7
    tgt_texts[quoted_tgt] = "b" * 38 + ".'"
    assert expected_split in ambiguous_boundary(src_texts, tgt_texts)


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("rund 4.600 Tonnen", {"4600": 1}),
        ("about 4,600 tonnes", {"4600": 1}),
        ("environ 4 600 tonnes", {"4600": 1}),
        ("3,5 km and 3.5 km", {"3": 2, "5": 2}),
        ("in 1952 1953 und 1954/55", {"1952": 1, "1953": 1, "1954": 1, "55": 1}),
        ("约有三两上下，16万人", {"16": 1}),
        ("no digits here", {}),
    ],
)
def test_number_tokens_ignore_locale_grouping(text: str, numbers: dict) -> None:
    assert dict(number_tokens(text)) == numbers


@pytest.mark.parametrize("numbered_src, expected_split", [(2, ((2,), (2, 3))), (3, ((3,), (3, 4)))])
def test_shared_numbers_settle_an_ambiguous_merge_boundary(numbered_src: int, expected_split: tuple) -> None:
    # target 3 carries the year 1953 in digits, and so does source ``numbered_src``
    src_texts = ["a" * 59 + "."] * 6
    src_texts[numbered_src] = "a" * 54 + " 1953."
    tgt_texts = ["b" * 39 + "."] * 7
    tgt_texts[3] = "b" * 34 + " 1953."
    assert expected_split in ambiguous_boundary(src_texts, tgt_texts)


def test_text_length_counts_cjk_wider() -> None:
    assert text_length("我们") == 5.0
    assert text_length("ab c") == 3.0
    assert join_sentences(["第一句。", "第二句。"]) == "第一句。第二句。"
    assert join_sentences(["One.", "Two."]) == "One. Two."


def test_align_texts_segments_plain_text() -> None:
    src = "Der Hund schläft. Die Katze spielt.\n\nEs regnet."
    tgt = "The dog is asleep. The cat is playing.\n\nIt is raining."
    beads = align_texts(src, tgt, src_lang="de", tgt_lang="en")
    assert [(x.src, x.tgt) for x in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_cli_align_output_covers_every_sentence_in_order(tmp_path: Path, capsys) -> None:
    out = tmp_path / "beads.jsonl"
    code = main(
        ["align", str(FIXTURES / "flood.de.txt"), str(FIXTURES / "flood.en.txt"), "--out", str(out), "--presegmented"]
    )
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == {"src", "tgt", "score"} for r in rows)
    beads = [Bead(tuple(r["src"]), tuple(r["tgt"]), r["score"]) for r in rows]
    assert_covers(beads, len(lines("flood.de.txt")), len(lines("flood.en.txt")))
    assert [(x.src, x.tgt) for x in beads] == expected("flood.beads.jsonl")


def test_refinement_embeds_only_merged_blocks_on_the_path() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=(5, 32))
    src = base / np.linalg.norm(base, axis=1, keepdims=True)
    halves = [src[1] + 0.3 * rng.normal(size=32), src[1] + 0.3 * rng.normal(size=32)]
    tgt_raw = [src[0], *halves, src[2], src[3], src[4]]
    tgt = np.array([v / np.linalg.norm(v) for v in tgt_raw])
    src_texts = [f"s{i} word" for i in range(5)]
    tgt_texts = [f"t{j} word" for j in range(6)]
    table = {**dict(zip(src_texts, src)), **dict(zip(tgt_texts, tgt))}
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        out = []
        for text in texts:
            parts = [f"{a} {b}" for a, b in zip(text.split()[::2], text.split()[1::2])]
            v = sum(table[p] for p in parts)
            out.append(v / np.linalg.norm(v))
        return np.array(out)

    params = with_params(refine_rounds=2)
    beads = align_embeddings(src, tgt, src_texts, tgt_texts, embed=embed, params=params)
    assert [(x.src, x.tgt) for x in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))]
    assert calls == [["t1 word t2 word"]]


def test_align_command_embeds_in_float32_unless_told_otherwise(monkeypatch) -> None:
    from qa.encoder import PRECISION_ENV, get_encoder

    monkeypatch.delenv(PRECISION_ENV, raising=False)
    assert align_precision() == "float32"
    encoder = get_encoder(None, "float32")
    before = encoder.embedded_count
    align_texts("Der Hund schläft im Garten.\nDie Katze jagt eine Maus.", "The dog sleeps in the garden.\nThe cat chases a mouse.",
                presegmented=True)
    assert encoder.embedded_count == before + 4
    monkeypatch.setenv(PRECISION_ENV, "int8")
    assert align_precision() == "int8"
