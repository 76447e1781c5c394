"""Uploads: text, Markdown, HTML, .docx, XLIFF and TMX in; clear messages for everything else."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from qa.errors import InputError
from qa.formats import read_upload
from qa.inputs import MAX_BYTES

ARTICLE = "A fire on a tanker in Aktau killed four crew members on Tuesday, officials said."


def one(name: str, data: bytes):
    versions = read_upload(name, data)
    assert len(versions) == 1
    return versions[0]


def test_plain_text_in_several_encodings():
    assert one("wire.txt", ARTICLE.encode("utf-8")).text == ARTICLE
    v = one("de.txt", "Über die Brände in Aktau berichtete die Behörde.".encode("utf-16"))
    assert v.text.startswith("Über") and v.label == "de" and v.path == "de.txt"
    legacy = (
        "Le pétrolier a pris feu à Aktau ; l’équipage a été évacué et quatre marins sont morts. Les pompiers ont "
        "lutté pendant neuf heures contre l’incendie, a déclaré le ministère. Selon les autorités, la qualité de "
        "l’air est mesurée toutes les deux heures et l’approvisionnement en eau potable n’est pas menacé."
    )
    assert one("fr.txt", legacy.encode("cp1252")).text == legacy


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("broken.txt", b"\xff\xfe\x00\xd8", "not valid utf-16"),
        ("scan.pdf", b"%PDF-1.7 ...", "PDF files are not supported"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".doc files are not supported"),
    ],
)
def test_bad_uploads_get_a_clear_message(name, data, message):
    with pytest.raises(InputError, match=message):
        read_upload(name, data)


def test_oversized_upload_is_refused_before_parsing():
    with pytest.raises(InputError, match="too large"):
        read_upload("huge.txt", b"a" * (MAX_BYTES + 1))


def test_markdown_markup_is_removed():
    md = (
        "# Tanker fire in **Aktau**\n\n"
        "A fire on a [tanker](https://example.com/ship) killed *four* crew members.\n\n"
        "> Officials said the `water supply` was not at risk.\n\n"
        "- Two sailors are missing\n"
        "---\n"
        "![harbour photo](img.png)\n"
        "snake_case_words stay as they are.\n"
    )
    text = one("story.md", md.encode()).text
    assert text.splitlines()[0] == "Tanker fire in Aktau"
    assert "A fire on a tanker killed four crew members." in text
    assert "Officials said the water supply was not at risk." in text
    assert "Two sailors are missing" in text and "snake_case_words" in text
    assert "**" not in text and "](" not in text and "---" not in text and "`" not in text


PAGE = f"""<!DOCTYPE html><html><head><title>Tanker fire</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Tanker fire in Aktau</h1><p>{ARTICLE}</p>
<p>The blaze broke out at about 03:40 in the engine room of the tanker, which was loading crude oil at berth 6.</p>
<p>Around 140 firefighters fought the fire for more than nine hours before it was brought under control.</p>
</article>
<div class="comments"><h3>Leave a Reply</h3><form><p>Please enter your comment!</p>
<p>Please enter your name here</p></form></div>
<footer>Cookie policy · Subscribe to our newsletter</footer></body></html>"""


def test_html_keeps_the_main_text_only():
    text = one("page.html", PAGE.encode()).text
    assert ARTICLE in text and "140 firefighters" in text
    for junk in ("Please enter your comment", "Home", "Cookie policy", "Subscribe"):
        assert junk not in text


def test_html_is_recognised_without_its_extension():
    assert ARTICLE in one("saved-page", PAGE.encode()).text


def test_html_without_text_is_refused():
    with pytest.raises(InputError, match="no readable article text"):
        read_upload("blank.html", b"<html><body><div></div></body></html>")


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables():
    data = _docx(["Tanker fire in Aktau", "", ARTICLE], [["Dead", "4"], ["Injured", "17"]])
    v = one("story.docx", data)
    assert v.text.splitlines() == ["Tanker fire in Aktau", ARTICLE, "Dead", "4", "Injured", "17"]
    assert v.label == "story"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a zip archive at all", "not a valid .docx"),
        (b"", "not a valid .docx"),
    ],
)
def test_broken_docx(data, message):
    with pytest.raises(InputError, match=message):
        read_upload("broken.docx", data)


def test_zip_that_is_not_a_word_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word .docx"):
        read_upload("other.docx", buf.getvalue())


def test_docx_without_text_is_empty():
    with pytest.raises(InputError, match="empty"):
        read_upload("blank.docx", _docx([""]))


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="en-US" target-language="de-DE" datatype="plaintext" original="story.txt">
  <body>
   <trans-unit id="1"><source>A fire on a <g id="b">tanker</g> killed four crew.</source>
     <target>Ein Brand auf einem <g id="b">Tanker</g> tötete vier Seeleute.</target></trans-unit>
   <group id="g"><trans-unit id="2"><source>It began at <ph id="p">&lt;b&gt;</ph>03:40<x id="x"/>.</source>
     <target>Er begann um 03:40.</target></trans-unit></group>
   <trans-unit id="3"><source>Two sailors are missing.</source></trans-unit>
   <trans-unit id="4" translate="no"><source>DO NOT TRANSLATE</source></trans-unit>
  </body>
 </file>
</xliff>"""


def test_xliff_12_splits_source_and_target():
    source, target = read_upload("story.xlf", XLIFF12.encode())
    assert (source.label, source.lang) == ("story (en-US)", "en")
    assert (target.label, target.lang) == ("story (de-DE)", "de")
    assert source.text.splitlines() == [
        "A fire on a tanker killed four crew.",
        "It began at 03:40.",
        "Two sailors are missing.",
    ]
    assert target.text.splitlines() == ["Ein Brand auf einem Tanker tötete vier Seeleute.", "Er begann um 03:40."]


XLIFF20 = """<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="en">
 <file id="f1"><unit id="u1">
   <segment><source>Un incendie a éclaté.</source><target>A fire broke out.</target></segment>
   <ignorable><source> </source></ignorable>
   <segment><source>Quatre marins sont morts.</source><target>Four sailors died.</target></segment>
 </unit><unit id="u2"><segment><source>Deux sont <pc id="1">disparus</pc>.</source>
   <target>Two are <pc id="1">missing</pc>.</target></segment></unit></file>
</xliff>"""


def test_xliff_20_units_become_lines():
    source, target = read_upload("doc.xliff", XLIFF20.encode())
    assert source.lang == "fr" and target.lang == "en"
    assert source.text.splitlines() == ["Un incendie a éclaté. Quatre marins sont morts.", "Deux sont disparus."]
    assert target.text.splitlines() == ["A fire broke out. Four sailors died.", "Two are missing."]


def test_xliff_sniffed_from_content():
    assert len(read_upload("export.xml", XLIFF12.encode())) == 2


def test_xml_attacks_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>
<xliff version="1.2"><file source-language="en" target-language="de"><body>
<trans-unit id="1"><source>Start &s; end</source><target>Anfang</target></trans-unit></body></file></xliff>"""
    try:
        versions = read_upload("x.xlf", xxe.encode())
    except InputError:
        versions = []
    assert all("TOP-SECRET" not in v.text for v in versions)
    laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    ) + ']><tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&i;</seg></tuv></tu></body></tmx>'
    started = time.monotonic()
    try:
        versions = read_upload("bomb.tmx", laughs.encode())
    except InputError:
        versions = []
    assert time.monotonic() - started < 5
    assert all(len(v.text) < 10_000 for v in versions)


def test_malformed_xml():
    with pytest.raises(InputError, match="not well-formed XML"):
        read_upload("bad.xlf", b"<xliff><file><body><trans-unit>")
    with pytest.raises(InputError, match="not an XLIFF file"):
        read_upload("wrong.xlf", b"<tmx version='1.4'><body/></tmx>")
    with pytest.raises(InputError, match="no text segments"):
        read_upload("none.xlf", b"<xliff version='1.2'><file><body/></file></xliff>")


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" datatype="plaintext"/>
<body>
 <tu><tuv xml:lang="en"><seg>A fire broke out.</seg></tuv><tuv xml:lang="de"><seg>Ein Feuer brach aus.</seg></tuv>
     <tuv xml:lang="fr"><seg>Un incendie a <bpt i="1">&lt;b&gt;</bpt>éclaté<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>
 <tu><tuv lang="EN"><seg>Four died.</seg></tuv><tuv xml:lang="de"><seg>Vier starben.</seg></tuv></tu>
</body></tmx>"""


def test_tmx_gives_one_version_per_language_source_first():
    versions = read_upload("memory.tmx", TMX.encode())
    assert [v.label for v in versions] == ["memory (de)", "memory (en)", "memory (fr)"]
    by_label = {v.label: v for v in versions}
    assert by_label["memory (de)"].text.splitlines() == ["Ein Feuer brach aus.", "Vier starben."]
    assert by_label["memory (en)"].text.splitlines() == ["A fire broke out.", "Four died."]
    assert by_label["memory (fr)"].text == "Un incendie a éclaté.\n"
    assert [v.lang for v in versions] == ["de", "en", "fr"]
