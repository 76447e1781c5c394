"""score-pairs: reading pair files, and translation risk that rises with real errors."""

from __future__ import annotations

import json

import pytest

from qa.errors import InputError
from qa.score_pairs import Pair, foreign_words, read_pairs, score_pairs

SRC = "Der Hafen von Aktau bleibt bis Freitag geschlossen, teilte die Hafenbehörde mit."
GOOD = "The port of Aktau will remain closed until Friday, the port authority said."
BAD = {
    "number": ("Der Tanker hatte 6400 Tonnen Rohöl an Bord.", "The tanker had 6,400 tonnes of crude oil on board.",
               "The tanker had 4,600 tonnes of crude oil on board."),
    "negation": (SRC, GOOD, "The port of Aktau will not remain closed until Friday, the port authority said."),
    "name": (SRC, GOOD, "The port of Aktobe will remain closed until Friday, the port authority said."),
    "codemix": (SRC, GOOD, "The port of Aktau will remain geschlossen until Friday, the port authority said."),
    "omission": (SRC, GOOD, "The port will remain closed, the authority said."),
    "shuffle": (SRC, GOOD, "Authority the Friday of will port until closed remain Aktau the port, said."),
}


def scored_pair(src: str, good: str, bad: str, src_lang: str, tgt_lang: str = "en") -> tuple[dict, dict]:
    """score-pairs' results for a faithful and a damaged translation of one source."""
    good_result, bad_result = score_pairs([Pair("g", src, good, src_lang, tgt_lang), Pair("b", src, bad, src_lang, tgt_lang)])
    return good_result, bad_result


def risk(src: str, tgt: str) -> float:
    [result] = score_pairs([Pair("x", src, tgt, "de", "en")])
    return result["risk"]


@pytest.mark.parametrize("kind", sorted(BAD))
def test_damaged_translation_is_riskier(kind):
    src, good, bad = BAD[kind]
    assert risk(src, bad) > risk(src, good)


def test_surface_changes_move_the_risk_little():
    base = risk(SRC, GOOD)
    surface = risk(SRC, GOOD.lower().replace(",", " ,"))
    damaged = risk(*BAD["negation"][::2])
    assert abs(surface - base) < (damaged - base) / 2


def test_result_shape_and_spans():
    results = score_pairs([{"id": 1, "src": BAD["number"][0], "tgt": BAD["number"][2]},
                           {"id": "b", "src": SRC, "tgt": GOOD, "src_lang": "de", "tgt_lang": "en"}])
    assert [r["id"] for r in results] == [1, "b"]
    for r, tgt in zip(results, [BAD["number"][2], GOOD]):
        assert 0.0 <= r["risk"] <= 1.0
        for flag in r["flags"]:
            side = tgt if flag["side"] == "tgt" else None
            if side is not None:
                assert side[flag["start"]:flag["end"]] == flag["text"]
    assert any(f["type"] == "number_mismatch" for f in results[0]["flags"])


@pytest.mark.parametrize("tgt", ["", "   ", "\0", "\0\0 The port \0", "😀🔥🚢", "x" * 1_000_000])
def test_hostile_text_is_scored(tgt):
    [result] = score_pairs([Pair("h", SRC, tgt)])
    assert 0.0 <= result["risk"] <= 1.0
    for flag in result["flags"]:
        assert 0 <= flag["start"] <= flag["end"] <= len(tgt)


def test_empty_translation_is_maximal_risk():
    assert risk(SRC, "") == 1.0


def test_foreign_words():
    words = [w for _, _, w, _ in foreign_words(SRC, "The port will remain geschlossen until Friday.", "de", "en")]
    assert words == ["geschlossen"]
    assert foreign_words("帕利重提2017年的事。", "Parly recalled the 2017 affair of 法国.", "zh", "en")[0][2] == "法国"
    assert foreign_words(SRC, GOOD, "de", "en") == []


def test_read_pairs(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"id": "first", "src": "a", "tgt": "b", "src_lang": "de"}) + "\n\n"
                    + json.dumps({"src": "c", "tgt": "d"}) + "\n", encoding="utf-8")
    pairs = read_pairs(path)
    assert [(p.id, p.src, p.tgt, p.src_lang) for p in pairs] == [("first", "a", "b", "de"), (3, "c", "d", None)]


@pytest.mark.parametrize(
    "content",
    ["", "\n\n", "{not json}\n", "[1, 2]\n", '{"id": 1, "src": "a"}\n', '{"id": 1, "src": 5, "tgt": "b"}\n',
     '{"src": "a", "tgt": "b", "src_lang": 7}\n'],
)
def test_read_pairs_rejects_bad_files(tmp_path, content):
    path = tmp_path / "pairs.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_pairs(path)
    assert "\n" not in str(info.value)


def test_read_pairs_missing_file(tmp_path):
    with pytest.raises(InputError):
        read_pairs(tmp_path / "nope.jsonl")


def test_a_translation_left_in_the_source_language_is_untranslated():
    [copied, faithful] = score_pairs([Pair("c", "Nobody was hurt.", "Nobody was hurt.", "en", "de"),
                                      Pair("f", "Nobody was hurt.", "Niemand wurde verletzt.", "en", "de")])
    assert any(f["type"] == "wrong_language" and f["text"] == "Nobody was hurt." for f in copied["flags"])
    assert copied["risk"] > faithful["risk"]
    assert not faithful["flags"]


@pytest.mark.parametrize(
    ("src", "good", "bad", "src_lang", "tgt_lang"),
    [
        ("On Wednesday the council approved the budget.", "Le conseil a approuvé le budget mercredi.",
         "Le conseil a approuvé le budget jeudi.", "en", "fr"),
        ("Am Freitag stimmte der Rat zu.", "The council agreed on Friday.", "The council agreed on Thursday.",
         "de", "en"),
        ("Es fielen 500 mm Regen.", "Il est tombé 500 millimètres de pluie.", "Il est tombé 500 centimètres de pluie.",
         "de", "fr"),
        ("10 people died and 20 were injured.", "10 Menschen starben, 20 wurden verletzt.",
         "20 Menschen starben, 10 wurden verletzt.", "en", "de"),
    ],
)
def test_weekdays_units_and_swaps_raise_the_risk(src, good, bad, src_lang, tgt_lang):
    good_result, bad_result = scored_pair(src, good, bad, src_lang, tgt_lang)
    assert bad_result["risk"] > good_result["risk"]
    assert any(f["type"] == "number_mismatch" for f in bad_result["flags"]) and not good_result["flags"]


@pytest.mark.parametrize(
    ("src", "good", "bad", "src_lang"),
    [
        ("岸田首相は広島で記者会見を開いた。", "Prime Minister Kishida held a press conference in Hiroshima.",
         "The prime minister held a press conference.", "ja"),
        ("张伟明在杭州接受采访时说，新桥将于十月通车。",
         "Zhang Weiming told an interview in Hangzhou that the new bridge would open in October.",
         "He told an interview in Hangzhou that the new bridge would open in October.", "zh"),
    ],
)
def test_a_name_dropped_from_a_translation_out_of_another_script_raises_the_risk(src, good, bad, src_lang):
    # the source's name is linked to the translation's through romanisation, so dropping it leaves a gap
    good_result, bad_result = scored_pair(src, good, bad, src_lang)
    assert bad_result["risk"] > good_result["risk"] + 0.03


def test_words_of_scripts_with_vowel_signs_stay_whole():
    # Devanagari, Bengali and Tamil write vowels as combining marks; a word must not break at them
    from qa.checks import wordalign

    assert wordalign.canonical("प्रधानमंत्री ने दिल्ली में")[0] == "प्रधानमंत्री ने दिल्ली में"
    [faithful] = score_pairs([Pair("hi", "प्रधानमंत्री ने दिल्ली में नए पुल का उद्घाटन किया।",
                                   "The prime minister opened the new bridge in Delhi.", "hi", "en")])
    assert faithful["risk"] < 0.5 and faithful["signals"]["recall"] > 0.6


def test_scripts_written_without_spaces_are_read_token_by_token():
    # Thai runs its words together; each encoder token is a word, as in Chinese, not the whole clause
    from qa.checks import wordalign

    src = "นายกรัฐมนตรีเปิดสะพานใหม่ในกรุงเทพฯ เมื่อวันพุธ"
    [vec] = wordalign.vectors([src])
    assert len(vec) >= 6 and "กรุงเทพฯ" in [w.text for w in vec.words]
    good, bad = scored_pair(src, "The prime minister opened the new bridge in Bangkok on Wednesday.",
                            "The prime minister opened the new bridge on Wednesday.", "th")
    assert bad["risk"] > good["risk"]


def test_a_link_counts_only_as_far_as_its_partner_prefers_it():
    # columns: source words; rows: target words. Row 0 prefers column 0; column 1's only good partner is row 0
    import numpy as np

    from qa.checks import wordalign

    sims = np.array([[0.9, 0.8], [0.2, 0.3]], np.float32)
    cover = wordalign.claimed_cover(sims)
    assert cover[0] == pytest.approx(0.9)
    assert cover[1] < 0.8 - 0.04  # row 0 belongs to column 0: column 1 is left nearly uncovered
    near = wordalign.claimed_cover(np.array([[0.9, 0.87]], np.float32))
    assert near[1] == pytest.approx(0.87)  # within the margin: both links count in full


@pytest.mark.parametrize(
    ("src", "good", "bad", "lang"),
    [
        ("Die Feuerwehr brachte den Brand im Hafenlager am Dienstagabend unter Kontrolle.",
         "Firefighters brought the fire in the port warehouse under control on Tuesday evening.",
         "Firefighters brought the fire under control on Tuesday evening.", "de"),
        ("La cosecha de aceitunas en Jaén cayó un 30 por ciento por la sequía.",
         "The olive harvest in Jaén fell by 30 percent because of the drought.",
         "The harvest in Jaén fell by 30 percent because of the drought.", "es"),
    ],
)
def test_a_dropped_noun_is_not_covered_by_its_neighbours_counterpart(src, good, bad, lang):
    good_result, bad_result = scored_pair(src, good, bad, lang)
    assert bad_result["risk"] > good_result["risk"] + 0.03


@pytest.mark.parametrize(
    ("src", "tgt", "src_lang", "tgt_lang"),
    [
        ("Powódź zalała ulice w Poznaniu i Gnieźnie w nocy z wtorku na środę.",
         "Floods swept the streets of Poznań and Gniezno overnight from Tuesday to Wednesday.", "pl", "en"),
        ("Galatasaray, Beşiktaş'ı 3-1 yenerek liderliğe yükseldi.",
         "Galatasaray beat Beşiktaş 3-1 to move to the top of the table.", "tr", "en"),
        ("Trận lũ ở tỉnh Quảng Bình làm 12 người thiệt mạng.", "The flood in Quang Binh province killed 12 people.",
         "vi", "en"),
        ("The museum in Kyoto will reopen in April.", "京都の博物館は4月に再開する。", "en", "ja"),
    ],
)
def test_names_kept_in_translation_and_mixed_scripts_of_one_language_are_no_foreign_words(src, tgt, src_lang, tgt_lang):
    assert foreign_words(src, tgt, src_lang, tgt_lang) == []


def test_a_common_word_left_from_a_noun_capitalising_source_is_still_foreign():
    # German capitalises every noun: a capital says nothing about names there
    spans = foreign_words("Der Hafen bleibt bis Freitag geschlossen.", "The Hafen will remain closed until Friday.",
                          "de", "en")
    assert [w for _, _, w, _ in spans] == ["Hafen"]
