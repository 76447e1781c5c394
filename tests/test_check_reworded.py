"""Same-language copies: word-level comparison (qa/worddiff.py), the reworded check, tortured phrases
without a reference (qa/tortured.py), the verdicts (qa/verdict.py) and the offline WordNet (qa/wordnet.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa import tortured, worddiff, wordnet
from qa.pipeline import VersionInput, analyze

# Skipped locally without the Debian packages; under CI (CI=true, where .ci/run installs them) they must run.
pytestmark = pytest.mark.skipif(
    not wordnet.available() and os.environ.get("CI", "").lower() != "true",
    reason="Debian wordnet-base / wordnet-sense-index missing",
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_c1ec7c4833dfdd3f.txt"
SEED_ORIGINAL = ROOT / "tests" / "fixtures" / "seed" / "original.txt"

WIRE = (
    "Storm closes ferry routes across the Irish Sea\n\n"
    "Ferry operators cancelled all sailings between Holyhead and Dublin on Friday after a storm brought winds of "
    "90 km per hour to the coast, the coast guard said. About 1,200 passengers were stranded at the port.\n\n"
    "The prime minister said the armed forces would help to clear fallen trees from the main roads. Schools in six "
    "counties will remain closed until Monday, the education ministry said.\n\n"
    "The storm is expected to weaken over the weekend, but forecasters warned of flooding in low-lying areas."
)
HOUSE_STYLE = (
    "Storm Closes Ferry Routes Across the Irish Sea\n\n"
    "Ferry operators canceled all sailings between Holyhead and Dublin on Friday after a storm brought winds of "
    "90km per hour to the coast, the Coast Guard said. About 1200 passengers were stranded at the port.\n\n"
    "The Prime Minister said the armed forces would help to clear fallen trees from the main roads. Schools in 6 "
    "counties will remain closed until Monday, the Education Ministry said.\n\n"
    "The storm is expected to weaken over the weekend, but forecasters warned of flooding in low‑lying areas."
)
SPUN = (
    "Tempest closes ferry routes across the Irish Sea\n\n"
    "Ferry operators scrapped all sailings between Holyhead and Dublin on Thursday after a storm brought winds of "
    "90 km per hour to the shore, the coast guard said. About 1,500 passengers were stranded at the harbour.\n\n"
    "The head minister said the equipped forces could help to clear fallen trees from the principal roads. Schools "
    "in six counties will remain opened until Monday, the education ministry said.\n\n"
    "The storm is anticipated to weaken over the weekend, but forecasters cautioned of flooding in low-lying areas."
)


def pieces(text: str) -> list[tuple[str, int]]:
    return [(text, 0)]


def edits(a: str, b: str) -> list[worddiff.Edit]:
    return worddiff.compare(pieces(a), pieces(b)).edits


def kinds(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(e.kind, e.ref_text, e.mine_text) for e in edits(a, b)]


# --- the lexicon ---------------------------------------------------------------------------------------


def test_wordnet_layout_builds_offline_with_lexnames_from_the_man_page(tmp_path):
    root = wordnet.ensure_layout(root=tmp_path / "nltk_data")
    lexnames = (root / "corpora" / "wordnet" / "lexnames").read_text().splitlines()
    assert len(lexnames) == 45 and lexnames[0] == "00\tadj.all\t3" and lexnames[-1] == "44\tadj.ppl\t3"
    assert (root / "corpora" / "wordnet" / "index.sense").stat().st_size > 1_000_000
    assert wordnet.is_multiword_entry(("armed", "forces")) and wordnet.is_multiword_entry(("prime", "minister"))
    assert not wordnet.is_multiword_entry(("equipped", "forces"))
    assert wordnet.share_synset("blaze", "fire") and wordnet.are_antonyms("increase", "decrease")


# --- form-only changes: never findings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "mine"),
    [
        ("winds of 90 km per hour", "winds of 90km per hour"),
        ("the harbour authority", "the harbor authority"),
        ("the port of Gdansk", "the port of Gdańsk"),
        ("a rise of 12 percent", "a rise of 12%"),
        ("six people died", "6 people died"),
        ("about 1,200 passengers", "about 1200 passengers"),
        ("one of the fastest-growing ports", "one of the fastest growing ports"),
        ("the minister criticised the move", "the minister criticized the move"),
        ("the Prime Minister said", "the prime minister said"),
        ("said Elena Munteanu, a teacher.", "Elena Munteanu, a teacher, said."),
        ("a 15 km section", "a 15-kilometre section"),
        ("scheduled for October 24", "scheduled for Oct. 24"),
        ("damage of 200 million euros", "damage of €200 million"),
        ("“We are searching,” she said", "\"We are searching,\" she said"),
        ("it reached 38 degrees Celsius on Friday", "it reached 38 degrees C on Friday"),
        ("frost of minus 4 degrees Fahrenheit", "frost of minus 4 degrees F"),
    ],
)
def test_form_only_changes_are_no_findings(ref, mine):
    assert {k for k, _, _ in kinds(ref, mine)} <= {"form"}


def test_an_abbreviation_is_form_only_where_the_entry_it_shortens_is_the_same_concept():
    # "C" abbreviates "Celsius" only beside "degrees" (WordNet's "degree Celsius" has the lemma "C")
    assert [(e.kind, e.detail) for e in edits("38 degrees Celsius", "38 degrees C")] == [("form", "abbreviation")]
    assert edits("the C team won", "the Celsius team won")[0].kind == "meaning"
    assert edits("38 degrees C", "38 degrees Fahrenheit")[0].kind == "meaning"


def test_identical_texts_have_no_edits():
    assert edits(WIRE, WIRE) == []


# --- synonyms, set phrases, meaning changes, insertions and deletions ----------------------------------


def test_synonym_substitution_and_broken_set_phrase():
    found = edits("A fire on an oil tanker", "A blaze on an oil tanker")
    assert [(e.kind, e.type, e.ref_text, e.mine_text) for e in found] == [("synonym", "reworded", "fire", "blaze")]
    broken = edits("the armed forces would help", "the equipped forces would help")
    assert broken[0].kind == "synonym" and broken[0].set_phrase == "armed forces"


@pytest.mark.parametrize(
    ("ref", "mine", "type_"),
    [
        ("engineers had opened the gates", "engineers had closed the gates", "negation_flip"),
        ("the bond yields strengthened", "the bond yields weakened", "negation_flip"),
        ("on Tuesday evening", "on Wednesday evening", "number_mismatch"),  # a date: CLDR weekdays (qa.quantities)
        ("the army would help", "the army could help", "meaning_change"),
        ("union leader Tomasz Wieczorek", "union member Tomasz Wieczorek", "meaning_change"),
        ("most analysts polled", "some analysts polled", "meaning_change"),
        ("its director, Mihai Rusu, said", "its director, Mihai Russu, said", "name_mismatch"),
        ("carried four times its volume", "carried three times its volume", "number_mismatch"),
    ],
)
def test_meaning_changes(ref, mine, type_):
    found = [e for e in edits(ref, mine) if e.kind == "meaning"]
    assert [e.type for e in found] == [type_]


def test_clause_deleted_and_inserted():
    ref = "The company said it was cooperating with investigators and declined to comment on the cause."
    shorter = "The company said it was cooperating with investigators."
    dropped = [e for e in edits(ref, shorter) if e.kind == "dropped"]
    assert len(dropped) == 1 and dropped[0].type == "omission" and dropped[0].detail.startswith("clause")
    added = [e for e in edits(shorter, ref) if e.kind == "added"]
    assert len(added) == 1 and added[0].type == "addition"
    assert {e.kind for e in edits("He said the talks ended.", "He said that the talks ended.")} == {"function"}


# --- reference-free tortured phrases ------------------------------------------------------------------


def test_tortured_phrases_found_from_the_lexicon_without_a_reference():
    text = "The equipped forces moved in, and the focal bank raised rates. Crews loaded a petroleum tanker."
    found = {p.text: p.original for p in tortured.find(text)}
    assert found == {"equipped forces": "armed forces", "focal bank": "central bank", "petroleum tanker": "oil tanker"}


def test_correct_set_phrases_are_not_tortured():
    clean = (
        "The armed forces and the central bank held a press conference. Heavy rain and strong winds hit the coast "
        "guard station, and drinking water ran short. The prime minister said the death toll had risen, and the "
        "trade union called a general strike over the cost of living. Government bond yields fell on Tuesday."
    )
    assert tortured.find(clean) == []


# --- the check and the verdicts through the whole pipeline ---------------------------------------------


@pytest.fixture(scope="module")
def storm_report():
    versions = [
        VersionInput("wire", WIRE, "en"),
        VersionInput("verbatim", WIRE, "en"),
        VersionInput("house", HOUSE_STYLE, "en"),
        VersionInput("spun", SPUN, "en"),
    ]
    return analyze(versions, reference="wire")


def test_verbatim_copy_and_house_style_edit_get_no_flag_at_all(storm_report):
    assert [f for f in storm_report.flags if f.version in ("verbatim", "house")] == []


def test_spun_copy_flags_every_substitution_and_meaning_change(storm_report):
    flagged = {(storm_report.versions[3].text[f.start : f.end], f.type) for f in storm_report.flags if f.version == "spun"}
    words = {text for text, _ in flagged}
    for word in ("Tempest", "scrapped", "shore", "harbour", "principal", "anticipated", "cautioned"):
        assert any(word in w for w in words), word
    types = {t for _, t in flagged}
    assert {"reworded", "meaning_change", "number_mismatch", "negation_flip"} <= types
    assert any("equipped forces" in w or w == "equipped" for w in words)
    assert any("Thursday" in w for w in words) and any("could" in w for w in words)
    assert all(f.check != "reworded" or f.severity in ("minor", "major", "critical") for f in storm_report.flags)


def test_verdicts(storm_report):
    verdicts = {label: v.verdict for label, v in storm_report.verdicts.items()}
    assert verdicts == {"verbatim": "verbatim", "house": "lightly edited", "spun": "machine-spun"}
    spun = storm_report.verdicts["spun"]
    assert spun.substituted >= 0.1 and spun.tortured >= 1 and spun.meaning_changes >= 3


def test_tracked_changes_cover_the_cell_and_carry_classes(storm_report):
    from qa import views

    rows = views.build_grid(storm_report, tracked=True)
    spun_cells = [c for r in rows for c in r.cells if c.version == "spun" and c.text]
    for cell in spun_cells:
        assert "".join(p.text for p in cell.pieces if p.diff != "delete") == cell.text
    changes = {p.change.split(":")[0] for c in spun_cells for p in c.pieces if p.change}
    assert {"synonym", "meaning"} <= changes
    house = [p for r in rows for c in r.cells if c.version == "house" for p in c.pieces if p.change]
    assert house and all(p.change.startswith("form") for p in house)
    html = views.grid_html(storm_report, rows)
    assert "px-chg-synonym" in html and "px-chg-form" in html


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")
def test_seed_against_an_original_written_for_it():
    seed = SEED.read_text(encoding="utf-8")
    report = analyze([VersionInput("original", SEED_ORIGINAL.read_text(encoding="utf-8"), "en"),
                      VersionInput("seed", seed, "en")], reference="original")
    flagged = [(seed[f.start : f.end], f.type) for f in report.flags if f.version == "seed"]
    texts = " | ".join(t for t, _ in flagged)
    for spun in ("step down", "ignited", "bombardment", "Kampfberg", "numerous sides"):
        assert spun.split()[0] in texts, spun
    for name in ("Stepanakert", "Khankendi", "Terter", "Pashinyan", "Aliyev", "Le Monde"):
        assert not any(name in t for t, _ in flagged), name
    assert report.verdicts["seed"].verdict == "machine-spun"


def test_tortured_phrases_no_wordnet_entry_names_are_found_through_the_bigram_table():
    # the restored phrases are pairs writers use (Google Books counts), not WordNet entries
    text = ("An air hit destroyed the depot. The unemployment charge rose again. "
            "Security powers sealed the road.")
    found = {p.text.lower(): p.original for p in tortured.find(text)}
    assert found == {"air hit": "air strike", "unemployment charge": "unemployment rate", "security powers": "security forces"}
    # a WordNet entry that is also a set pair wins over a mere set pair ("central repository")
    assert [p.original for p in tortured.find("The central depository raised rates.")] == ["central bank"]


def test_a_modifier_made_vaguer_is_tortured_but_one_made_more_specific_is_a_new_phrase():
    # spinners swap a modifier for a broader WordNet term ("liquid" for "water"); a narrower one is ordinary
    # writing ("tourism" is a business, and "tourism enterprise" no spinner's "business enterprise").
    # "Liquid pollution" ("water pollution") is left alone since the language model judges it: it fits its
    # sentence better by a factor of about 280 (log10 2.45), short of the 316 that a mere set pair must reach.
    text = ("Rates rose by half a proportion point. The petition form closed on Friday. "
            "Liquid pollution from the mine reached the river.")
    found = {p.text.lower(): p.original for p in tortured.find(text)}
    assert found == {"proportion point": "percentage point", "petition form": "application form"}
    assert tortured.find("The tourism enterprise opened a new hotel, and the ambulance door was stuck.") == []


def test_swaps_the_language_model_confirms_are_tortured():
    # found only with the model: a head that is mostly an adjective ("combatant"), a modifier that is mostly a
    # verb ("exile"), and a synonym into a pair writers use that is no WordNet entry ("tax increase")
    text = ("Two fire combatants were hurt when the roof fell in. Aid workers said the exile camp near the "
            "border was full. The finance minister ruled out a tax addition this year.")
    found = {p.text.lower(): p.original for p in tortured.find(text)}
    assert found == {"fire combatants": "fire fighters", "exile camp": "refugee camp", "tax addition": "tax increase"}


CLEAN_PHRASES_THE_LEXICON_DOUBTS = [
    "The film studio said bad actors had tried to sell fake tickets for its light entertainment show.",
    "Tidal forces and strong currents slowed the ferry, the navy sailors said.",
    "The supporting pillars of the old bridge were repaired before the spring floods.",
    "The energy drinks were sold near the power substation.",
    "Adult pornography sites must check the age of users, the regulator said.",
    "The political uncertainty weighed on early trading in Frankfurt.",
    "Unemployment fell for a third consecutive month, and wages rose.",
]


def test_phrases_the_language_model_knows_are_not_tortured(monkeypatch):
    from qa import language_model

    if not language_model.available():
        pytest.skip("pocketsphinx's English model is missing")
    assert [p.text for s in CLEAN_PHRASES_THE_LEXICON_DOUBTS for p in tortured.find(s)] == []
    # the lexicon alone offers a set phrase for most of them ("bad persons", "navy mans", "child pornography")
    monkeypatch.setattr(language_model, "available", lambda: False)
    doubted = [s for s in CLEAN_PHRASES_THE_LEXICON_DOUBTS if tortured.find(s)]
    assert len(doubted) >= 5


def test_names_numbers_and_pairs_in_use_are_never_tortured():
    clean = ("Two survivors reached Northern Romania. The fire service said one fire crew and a police official "
             "stayed at the power station near the water tower.")
    assert tortured.find(clean) == []
