"""boilerplate check: web page residue (comment forms, share rows, cookie notices, newsletter prompts, read-more
links, ad labels, copyright lines) in several languages; article sentences about the same things pass."""

from __future__ import annotations

import pytest

from qa.checks import boilerplate
from qa.checks.base import CheckContext
from qa.checks.boilerplate import classify
from qa.segment import make_version


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Please enter your comment!", "comment form"),
        ("Please enter your name here", "comment form"),
        ("You have entered an incorrect email address!", "comment form"),
        ("Leave a Reply Cancel reply", "comment form"),
        ("Bitte geben Sie Ihren Kommentar ein!", "comment form"),
        ("Veuillez entrer votre commentaire !", "comment form"),
        ("Deja un comentario", "comment form"),
        ("Share this article", "share buttons"),
        ("Facebook Twitter WhatsApp Telegram", "share buttons"),
        ("Facebook | Twitter | E-Mail", "share buttons"),
        ("We use cookies to improve your experience. By continuing to browse you agree.", "cookie notice"),
        ("Accept all cookies", "cookie notice"),
        ("Subscribe to our newsletter", "newsletter prompt"),
        ("Jetzt Newsletter abonnieren", "newsletter prompt"),
        ("Read more: Kazakhstan raises oil output", "related links"),
        ("Lire aussi : La réforme des retraites adoptée", "related links"),
        ("Читайте также: Пожар в порту Актау", "related links"),
        ("Advertisement", "advertising label"),
        ("© 2024 Example Media. All rights reserved.", "site navigation"),
    ],
)
def test_residue_lines_are_recognised(line, kind):
    residue = classify(line)
    assert residue is not None and residue.kind == kind, residue


@pytest.mark.parametrize(
    "line",
    [
        "The company said it would stop using tracking cookies on its website next year.",
        "Readers can subscribe to the newsletter for free, the editor said.",
        "Share prices fell 3% in early trading in Frankfurt.",
        "Twitter and Facebook were fined by the regulator on Tuesday.",
        "He declined to comment.",
        "The ministry did not reply to a request for comment.",
        "Der Minister wollte den Bericht nicht kommentieren.",
        "Le gouvernement a refusé de commenter ces informations.",
        "La empresa no respondió a las preguntas de los periodistas.",
        "Al Jazeera has not been able to independently verify the claims made by either party.",
    ],
)
def test_article_sentences_about_the_same_things_pass(line):
    assert classify(line) is None


def _flags(text: str, lang: str = "en"):
    version = make_version("v", text, lang)
    return boilerplate.CHECK.run(CheckContext([version], None, {}))


def test_residue_at_the_end_of_an_article_is_flagged_line_by_line():
    article = (
        "The port reopened on Friday after a four-day closure, the authorities said.\n\n"
        "Ships waiting offshore began to dock in the afternoon.\n\n\n"
        "Please enter your comment!\nPlease enter your name here\n"
    )
    flags = _flags(article)
    assert [f.text for f in flags] == ["Please enter your comment!", "Please enter your name here"]
    for flag in flags:
        assert article[flag.start : flag.end] == flag.text
        assert flag.type == "boilerplate" and flag.severity == "major" and "comment form" in flag.message


def test_a_residue_sentence_inside_a_paragraph_is_flagged_alone():
    text = "The ministry confirmed two deaths on Tuesday. Read more: Floods hit the north. Rescue work continues."
    [flag] = _flags(text)
    assert flag.text.startswith("Read more")
    assert "The ministry" not in flag.text and "Rescue" not in flag.text


def test_a_clean_article_has_no_flags():
    text = (
        "Talks to resolve the conflict have largely stalled since a 1994 ceasefire agreement.\n\n"
        "“There have already been clashes outside Nagorno-Karabakh,” said Smith.\n\n"
        "The regional governor’s office said the families would each receive compensation."
    )
    assert _flags(text) == []
