"""One CLI for every format: files read by content, --lang by label / file name / path, --project, exit codes."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import pytest

from qa.cli import EXIT_BAD_INPUT, EXIT_FLAGGED, EXIT_OK, main
from qa.comparisons import Comparison, SavedVersion, to_project
from qa.formats import sniff_format

ROOT = Path(__file__).resolve().parent.parent
EN = "The council approved the budget on Monday.\nIt sets aside 12 million euros for schools.\n"
DE = "Der Rat hat am Montag den Haushalt gebilligt.\nEr sieht 12 Millionen Euro für Schulen vor.\n"
HTML = (
    "<!DOCTYPE html><html><head><title>Budget</title></head><body><nav>Home | World | Sport</nav>"
    "<article><h1>Budget approved</h1><p>The council approved the budget on Monday after a long debate.</p>"
    "<p>It sets aside 12 million euros for schools and 3 million euros for the city's parks.</p></article>"
    "<footer>© 2026 Example News</footer></body></html>"
)
XLIFF = (
    '<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2"><file source-language="en" target-language="de" '
    'datatype="plaintext" original="x"><body>'
    '<trans-unit id="1"><source>The council approved the budget on Monday.</source>'
    "<target>Der Rat hat am Montag den Haushalt gebilligt.</target></trans-unit>"
    '<trans-unit id="2"><source>It sets aside 12 million euros for schools.</source>'
    "<target>Er sieht 12 Millionen Euro für Schulen vor.</target></trans-unit></body></file></xliff>"
)
TMX = (
    '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en" datatype="plaintext" '
    'segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>'
    '<tu><tuv xml:lang="en"><seg>The council approved the budget on Monday.</seg></tuv>'
    '<tuv xml:lang="de"><seg>Der Rat hat am Montag den Haushalt gebilligt.</seg></tuv></tu>'
    '<tu><tuv xml:lang="en"><seg>It sets aside 12 million euros for schools.</seg></tuv>'
    '<tuv xml:lang="de"><seg>Er sieht 12 Millionen Euro für Schulen vor.</seg></tuv></tu></body></tmx>'
)


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def run_json(capsys, *argv) -> tuple[int, dict | None, str]:
    code = main([str(a) for a in argv] + ["--format", "json"])
    out, err = capsys.readouterr()
    report = json.loads(out) if out.strip() else None
    for version in (report or {}).get("versions", []):
        version["text"] = " ".join(s["text"] for s in version["sentences"])
    return code, report, err


@pytest.fixture
def docs(tmp_path):
    files = {
        "en.txt": EN.encode(),
        "notes.md": (b"# Budget\n\n**The council** approved the budget on [Monday](http://x).\n"),
        "page.html": HTML.encode(),
        "de.docx": docx_bytes(DE),
        "pair.xlf": XLIFF.encode(),
        "memory.tmx": TMX.encode(),
        # the same contents under misleading or missing extensions: read by content
        "saved-page.txt": HTML.encode(),
        "report": docx_bytes(DE),
        "export.xml": TMX.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "kind"),
    [("en.txt", "text"), ("notes.md", "markdown"), ("page.html", "html"), ("de.docx", "docx"), ("pair.xlf", "xliff"),
     ("memory.tmx", "tmx"), ("saved-page.txt", "html"), ("report", "docx"), ("export.xml", "tmx")],
)
def test_formats_are_sniffed_by_content(docs, name, kind):
    assert sniff_format(name, (docs / name).read_bytes()) == kind


def test_check_reads_every_format(capsys, docs):
    code, report, err = run_json(capsys, "check", docs / "page.html", docs / "de.docx", docs / "notes.md",
                                 "--lang", "de.docx=German")
    assert code == EXIT_OK, err
    texts = {v["label"]: v["text"] for v in report["versions"]}
    assert "<" not in texts["page"] and "Home | World" not in texts["page"] and "12 million euros" in texts["page"]
    assert texts["de"].startswith("Der Rat") and "**" not in texts["notes"]
    assert not any(f["text"].startswith("<") for f in report["flags"])  # no flags on markup
    code, report, _ = run_json(capsys, "check", docs / "saved-page.txt", docs / "report")
    assert code == EXIT_OK and "<p>" not in report["versions"][0]["text"]
    assert report["versions"][1]["language"] == "de"


@pytest.mark.parametrize("name", ["pair.xlf", "memory.tmx", "export.xml"])
def test_bilingual_files_give_one_version_per_language(capsys, docs, name):
    code, report, err = run_json(capsys, "check", docs / name)
    assert code == EXIT_OK, err
    assert [v["language"] for v in report["versions"]] == ["en", "de"]


def test_lang_takes_a_label_a_file_name_or_a_path(capsys, docs, monkeypatch):
    monkeypatch.chdir(docs)
    for spec in (f"{docs / 'de.docx'}=de", "de.docx=de", "de=de", "./de.docx=Deutsch"):
        code, report, err = run_json(capsys, "check", docs / "en.txt", "de.docx", "--lang", spec)
        assert code == EXIT_OK, (spec, err)
        assert report["versions"][1]["language"] == "de"
    code = main(["check", str(docs / "en.txt"), "--lang", "fr.txt=fr"])
    assert code == EXIT_BAD_INPUT and "not one of the given versions" in capsys.readouterr().err


def test_align_reads_documents(capsys, docs, tmp_path):
    out = tmp_path / "beads.jsonl"
    assert main(["align", str(docs / "page.html"), str(docs / "de.docx"), "--out", str(out)]) == EXIT_OK
    beads = [json.loads(line) for line in out.read_text().splitlines()]
    assert sum(len(b["tgt"]) for b in beads) == 2
    assert main(["align", str(docs / "memory.tmx"), str(docs / "de.docx"), "--out", str(out)]) == EXIT_BAD_INPUT
    assert "one version per file" in capsys.readouterr().err


def test_check_reads_a_project_file(capsys, tmp_path):
    project = Comparison(
        "Budget", [SavedVersion("council", EN), SavedVersion("Rat", DE, "German")], reference="Rat"
    )
    path = tmp_path / "budget.parallax.json"
    path.write_text(to_project(project), encoding="utf-8")
    code, report, err = run_json(capsys, "check", "--project", path)
    assert code == EXIT_OK, err
    assert [v["label"] for v in report["versions"]] == ["council", "Rat"]
    assert report["reference"] == "Rat" and report["versions"][1]["language"] == "de"
    assert main(["check", "--project", str(path), "--fail-on", "minor", "--ref", "council"]) in (EXIT_OK, EXIT_FLAGGED)
    capsys.readouterr()
    path.write_text("{}", encoding="utf-8")
    assert main(["check", "--project", str(path)]) == EXIT_BAD_INPUT
    assert "not a Parallax project file" in capsys.readouterr().err
    assert main(["check"]) == EXIT_BAD_INPUT
    assert "--project" in capsys.readouterr().err


def test_tmx_output_leaves_out_flagged_pairs_unless_asked(capsys, docs, monkeypatch):
    import qa.checks
    from qa.checks.base import Check, sentence_flag

    def planted(ctx):
        de = ctx.version("de")
        first = de.sentences[0]
        return [sentence_flag(ctx, de, first, first.start, first.start + 3, type="number_mismatch",
                              severity="critical", message="planted", confidence=1.0, check="planted")]

    monkeypatch.setattr(qa.checks, "CHECKS", [Check("planted", False, planted)])
    base = ["check", str(docs / "en.txt"), str(docs / "de.docx"), "--format", "tmx"]
    assert main(base) == EXIT_OK
    default = capsys.readouterr().out
    assert main([*base, "--tmx-include-flagged"]) == EXIT_OK
    included = capsys.readouterr().out
    assert default.count("<tu ") == 1 and included.count("<tu ") == 2
    assert "FLAGGED" in included and "FLAGGED" not in default


def test_help_shows_examples_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "exit codes:" in out and "--project" in out and "--tmx-include-flagged" in out


def test_the_parallax_console_command_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["scripts"]["parallax"]
    module, _, name = target.partition(":")
    assert callable(getattr(__import__(module, fromlist=[name]), name))


def test_kazakh_is_asked_for_then_analysed(capsys, tmp_path):
    scripts = ROOT / "tests" / "fixtures" / "scripts"
    code = main(["check", str(scripts / "en.txt"), str(scripts / "kk.txt")])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "kk: cannot tell which language" in err and "--lang kk=CODE" in err
    code, report, err = run_json(capsys, "check", scripts / "en.txt", scripts / "kk.txt", "--lang", "kk=kk")
    assert code == EXIT_OK, err
    assert [v["language"] for v in report["versions"]] == ["en", "kk"]
