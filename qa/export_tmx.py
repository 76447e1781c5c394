"""TMX 1.4b export of the aligned pairs (reference -> each translation), for translators' memories.

One translation unit per aligned row and target version, with the row, the versions and the open flags of that
row as properties and notes, so a translator sees in the CAT tool which segments a reviewer questioned.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime

from qa.errors import InputError
from qa.report import Report
from qa.review import DISMISSED, report_keys
from qa.safe_output import xml_text
from qa.views import flag_row, type_label

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


BLOCKING_SEVERITIES = ("critical", "major")


def to_tmx(
    report: Report,
    decisions: Mapping[str, str] | None = None,
    include_same_language: bool = False,
    include_flagged: bool = False,
) -> str:
    """The aligned pairs of ``report`` as a TMX document (a string).

    Pairs run from the reference to every other version; pairs whose two sides share a language are left out
    unless ``include_same_language``. A pair with an open (not dismissed) critical or major flag is left out of
    the memory unless ``include_flagged``; then it carries an ``x-flagged`` property and a note saying so.
    Dismissed flags are not written as notes.
    """
    alignment = report.alignment
    if alignment is None:
        raise InputError("TMX export needs at least two aligned versions")
    decisions = decisions or {}
    versions = {v.label: v for v in report.versions}
    ref = versions[alignment.reference]
    notes: dict[tuple[int, str], list[str]] = {}
    blocking: dict[tuple[int, str], list[str]] = {}  # (row, target label) -> blocking severities
    for flag, key in zip(report.flags, report_keys(report)):
        if decisions.get(key) == DISMISSED:
            continue
        row = flag_row(report, flag)
        if row is not None and flag.severity in BLOCKING_SEVERITIES:
            targets = [flag.version] if flag.version != ref.label else [e.version for e in flag.evidence]
            for target in targets:
                blocking.setdefault((row, target), []).append(flag.severity)
        if row is not None:
            notes.setdefault((row, flag.version), []).append(
                f"{flag.severity} {type_label(flag.type).lower()} ({flag.version}): {flag.message}"
            )

    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "Parallax",
            "creationtoolversion": "0.1.0",
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": ref.lang,
            "o-tmf": "Parallax",
            "creationdate": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    body = ET.SubElement(root, "body")
    for row in alignment.rows:
        src_idx = row.cells.get(ref.label, ())
        if not src_idx:
            continue
        src_text = " ".join(ref.sentences[i].text for i in src_idx)
        for label, idx in row.cells.items():
            target = versions.get(label)
            if label == ref.label or not idx or target is None:
                continue
            if target.lang == ref.lang and not include_same_language:
                continue
            flagged = blocking.get((row.index, label), [])
            if flagged and not include_flagged:
                continue
            tu = ET.SubElement(body, "tu", tuid=f"{row.index + 1}-{label}")
            for name, value in (
                ("x-row", str(row.index + 1)),
                ("x-source-version", ref.label),
                ("x-target-version", label),
            ):
                ET.SubElement(tu, "prop", type=name).text = value
            if label in row.similarity:
                ET.SubElement(tu, "prop", type="x-similarity").text = f"{row.similarity[label]:.3f}"
            if flagged:
                worst = min(flagged, key=BLOCKING_SEVERITIES.index)
                ET.SubElement(tu, "prop", type="x-flagged").text = worst
                ET.SubElement(tu, "note").text = (
                    f"FLAGGED: {len(flagged)} open {' / '.join(sorted(set(flagged), key=BLOCKING_SEVERITIES.index))}"
                    " flag(s) on this pair; check it before reuse"
                )
            for note in notes.get((row.index, ref.label), []) + notes.get((row.index, label), []):
                ET.SubElement(tu, "note").text = note
            for lang, text in ((ref.lang, src_text), (target.lang, " ".join(target.sentences[i].text for i in idx))):
                tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
                ET.SubElement(tuv, "seg").text = text
    ET.indent(root, space="  ")
    # every attribute (the tuid holds a version label) and every text node: XML-forbidden characters replaced
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_text(ET.tostring(root, encoding="unicode")) + "\n"
