"""Segmentation keeps exact offsets; language detection is deterministic and overridable."""

from __future__ import annotations

import pytest

from qa.segment import UNKNOWN_LANGUAGE, detect_language, make_version, presegmented, segment_text

TEXTS = {
    "en": "The mayor spoke on Tuesday.  He said 2,000 people left.\n\nDr. Smith disagreed! Why?\r\nNo one knows.",
    "de": "Der Bürgermeister sprach am Dienstag. Er sagte, 2.000 Menschen seien gegangen.\n  Niemand weiß es.  ",
    "fr": "Le maire a parlé mardi. « Deux mille personnes sont parties », a-t-il dit.\nPersonne ne sait.",
    "zh": "市长周二发表讲话。他说有两千人离开了！\n没有人知道原因。",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_offsets_are_exact(lang: str) -> None:
    text = TEXTS[lang]
    sentences = segment_text(text, lang)
    assert len(sentences) >= 3
    for k, s in enumerate(sentences):
        assert s.index == k
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))


def test_paragraphs_are_lines() -> None:
    sentences = segment_text(TEXTS["en"], "en")
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1, 2]
    assert [s.text for s in segment_text(TEXTS["zh"], "zh")] == ["市长周二发表讲话。", "他说有两千人离开了！", "没有人知道原因。"]


def test_presegmented_keeps_line_numbers_and_offsets() -> None:
    text = "one\r\n\nthree\nfour"
    sentences = presegmented(text)
    assert [s.text for s in sentences] == ["one", "", "three", "four"]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert len(presegmented("a\nb\n")) == 2


def test_language_detection_is_deterministic_and_overridable() -> None:
    sample = "Die Regierung hat heute neue Maßnahmen gegen die Inflation angekündigt, sagte ein Sprecher."
    assert {detect_language(sample) for _ in range(5)} == {"de"}
    assert detect_language(TEXTS["zh"]) == "zh"
    assert detect_language("12345 !!! ...") == UNKNOWN_LANGUAGE
    assert detect_language("") == UNKNOWN_LANGUAGE
    detected = make_version("v", sample)
    assert detected.lang == "de" and detected.detected_lang == "de"
    forced = make_version("v", sample, lang="NL ")
    assert forced.lang == "nl" and forced.detected_lang == "de"
    assert all(sample[s.start : s.end] == s.text for s in forced.sentences)


def test_empty_and_unsupported_text() -> None:
    assert segment_text("", "en") == []
    assert segment_text("\n \n\t\n", "en") == []
    cuneiform = "𒀀𒀁𒀂 𒀃𒀄. 𒀅𒀆 𒀇𒀈𒀉."
    version = make_version("v", cuneiform)
    assert version.sentences and all(cuneiform[s.start : s.end] == s.text for s in version.sentences)
