"""Language codes: display names (one table for the views and the checks) and user-given codes."""

from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.languages import language_name, normalise_language


@pytest.mark.parametrize(
    ("code", "name"),
    [("de", "German"), ("de-AT", "German"), ("pt_BR", "Portuguese"), ("zh-cn", "Chinese"), ("nb", "Norwegian Bokmål"), ("ka", "Georgian"), ("am", "Amharic"),
     ("kk", "Kazakh"), ("und", "unknown"), (None, "unknown"), ("xx", "xx")],
)
def test_language_names_cover_regions_and_the_checks_codes(code, name):
    assert language_name(code) == name


def test_user_codes_are_normalised_or_refused_with_a_reason():
    assert normalise_language(" pt-BR ") == "pt"
    assert normalise_language("") is None
    for given in ("kk", "KK", "Kazakh", "kaz", "қазақ тілі"):
        assert normalise_language(given) == "kk", given
    assert normalise_language("Amharic") == "am" and normalise_language("ქართული") == "ka"
    assert normalise_language("iw") == "he" and normalise_language("deu") == "de"
    with pytest.raises(InputError, match="unknown language code 'klingon'"):
        normalise_language("klingon", "version 2")


# --- identification by script, then statistics; unsure guesses ask ---------------------------------------------

from pathlib import Path  # noqa: E402

from qa.languages import LANGUAGE_NAMES, identify_language, language_options, script_candidates  # noqa: E402
from qa.segment import UNKNOWN_LANGUAGE, detect_language  # noqa: E402

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"


def test_the_table_comes_from_cldr_and_covers_the_encoders_languages():
    assert len(LANGUAGE_NAMES) >= 180
    for code in ("ka", "am", "kk", "hy", "uz", "ky", "mn", "sw", "yo", "ps", "si", "km", "lo", "my"):
        assert code in LANGUAGE_NAMES, code
    names = [LANGUAGE_NAMES[c].lower() for c in language_options()]
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ხანძარი დილით ადრე სამანქანო განყოფილებაში გაჩნდა.", "ka"),  # Georgian: was "Estonian"
        ("Ակտաու նավահանգստում տանկերի վրա բռնկված հրդեհից չորս մարդ է զոհվել։", "hy"),
        ("Τέσσερα μέλη του πληρώματος σκοτώθηκαν σε πυρκαγιά στο λιμάνι.", "el"),
        ("화요일 아침 악타우 항구의 유조선에서 화재가 발생해 선원 4명이 숨졌다.", "ko"),
    ],
)
def test_a_script_only_one_language_uses_settles_it(text, lang):
    found = identify_language(text)
    assert (found.lang, found.sure, found.how) == (lang, True, "script")


def test_a_shared_script_is_settled_by_statistics_among_its_languages():
    found = identify_language("ארבעה אנשי צוות נהרגו בשריפה במכלית בנמל אקטאו ביום שלישי.")
    assert (found.lang, found.sure) == ("he", True)
    assert identify_language("Четыре члена экипажа погибли при пожаре на танкере в порту Актау во вторник.").lang == "ru"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Das ist gut.", "too short"),
        ((SCRIPTS / "kk.txt").read_text(encoding="utf-8"), "letters the guessed language does not use"),
        ((SCRIPTS / "am.txt").read_text(encoding="utf-8"), "no language of the Ethi script recognised"),
    ],
    ids=["short", "kazakh-not-russian", "amharic-or-tigrinya"],
)
def test_an_unsure_guess_asks_rather_than_misfiles(text, why):
    found = identify_language(text)
    assert not found.sure and found.how == why
    assert detect_language(text) == UNKNOWN_LANGUAGE


def test_the_question_names_the_languages_of_the_script():
    assert script_candidates((SCRIPTS / "am.txt").read_text(encoding="utf-8")) == ["Amharic", "Tigrinya"]


@pytest.mark.parametrize(("lang", "given"), [("ka", None), ("am", "Amharic"), ("kk", "kk")])
def test_georgian_amharic_and_kazakh_analyse(lang, given):
    from qa.pipeline import VersionInput, analyze

    en = (SCRIPTS / "en.txt").read_text(encoding="utf-8")
    text = (SCRIPTS / f"{lang}.txt").read_text(encoding="utf-8")
    report = analyze([VersionInput("en", en), VersionInput(lang, text, normalise_language(given))])
    assert [v.lang for v in report.versions] == ["en", lang]
    assert report.alignment is not None and report.alignment.reference == "en"
    assert len(report.alignment.rows) == 3  # the three sentences align one to one
    assert not any(f.type == "wrong_language" for f in report.flags)
