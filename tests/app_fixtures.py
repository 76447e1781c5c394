"""Hand-built reports for the view, review and export tests: no model, fully deterministic."""

from __future__ import annotations

from qa.align import Bead
from qa.checks.base import Evidence, Flag
from qa.nway import Alignment, AlignmentRow
from qa.report import Report, score
from qa.segment import Version, segment_text

WIRE = (
    "A fire on a tanker in Aktau killed four crew members on Tuesday.\n"
    "The blaze broke out at 03:40 in the engine room, about 90 km from the city.\n"
    "Officials said the water supply was not at risk.\n"
)
SPUN = (
    "A blaze on a tanker in Aktau killed four team members from both teams on Tuesday.\n"
    "The blaze broke out at 03:40 in the engine room, about 10 km from the city.\n"
    "Officials said the water supply was not at risk.\n"
    "Please enter your comment!\n"
)
DE = (
    "Bei einem Brand auf einem Tanker in Aktau kamen am Dienstag vier Besatzungsmitglieder ums Leben.\n"
    "Behördenvertreter sagten, es bestehe eine Gefahr für die Trinkwasserversorgung.\n"
)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted"'


def version(label: str, text: str, lang: str) -> Version:
    return Version(label, text, lang, segment_text(text, lang), lang)


def flag(v: Version, needle: str, type_: str, severity: str, message: str, row: int | None, evidence=(), sentence=None) -> Flag:
    start = v.text.index(needle)
    if sentence is None:
        sentence = next(s.index for s in v.sentences if s.start <= start < s.end)
    return Flag(
        type=type_,
        severity=severity,  # type: ignore[arg-type]
        version=v.label,
        sentence=sentence,
        start=start,
        end=start + len(needle),
        text=needle,
        message=message,
        confidence=0.9,
        check="fixture",
        evidence=list(evidence),
        row=row,
    )


def sample_report() -> Report:
    """wire (reference), spun (same language) and de, aligned by hand, with five flags."""
    wire, spun, de = version("wire", WIRE, "en"), version("spun", SPUN, "en"), version("de", DE, "de")
    rows = [
        AlignmentRow(0, {"wire": (0,), "spun": (0,), "de": (0,)}, {"wire": 1.0, "spun": 0.93, "de": 0.9}),
        AlignmentRow(1, {"wire": (1,), "spun": (1,), "de": ()}, {"wire": 1.0, "spun": 0.95}),
        AlignmentRow(2, {"wire": (2,), "spun": (2,), "de": (1,)}, {"wire": 1.0, "spun": 1.0, "de": 0.62}, frozenset({"de"})),
        AlignmentRow(3, {"wire": (), "spun": (3,), "de": ()}, {}),
    ]
    alignment = Alignment("wire", rows, {"spun": [Bead((0,), (0,), 0.9)], "de": [Bead((0,), (0,), 0.9)]})
    flags = [
        flag(spun, "team members from both teams", "garbled_phrase", "major", "self-contradicting phrase", 0,
             [Evidence("wire", (0,), wire.sentences[0].text)]),
        flag(spun, "10 km", "number_mismatch", "critical", "10 km here, 90 km in wire", 1,
             [Evidence("wire", (1,), wire.sentences[1].text), Evidence("de", (), "")]),
        flag(spun, "Please enter your comment!", "boilerplate", "minor", "comment-form residue", 3),
        flag(de, "es bestehe eine Gefahr", "negation_flip", "critical", "says there is a risk; wire says there is none",
             2, [Evidence("wire", (2,), wire.sentences[2].text)]),
        flag(wire, "90 km", "number_mismatch", "critical", "90 km here, 10 km in spun", 1,
             [Evidence("spun", (1,), spun.sentences[1].text)]),
    ]
    versions = [wire, spun, de]
    version_scores, row_scores = score(flags, versions, alignment)
    return Report(versions, alignment, flags, "fixture", version_scores, row_scores)


def hostile_report() -> Report:
    """One version whose text and label try to inject HTML; one flag on the hostile text."""
    v = version('evil"<b>', "Quiet start. " + HOSTILE + "\n", "en")
    f = flag(v, HOSTILE[:29], "non_word", "major", 'odd token <b>"bold"</b>', None,
             [Evidence("other<i>", (0,), "<iframe src=javascript:alert(2)>")])
    return Report([v], None, [f], "fixture", {v.label: 80.0}, [])
