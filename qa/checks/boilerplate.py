"""Boilerplate: web page residue copied along with the article (comment forms, share buttons,
cookie notices, newsletter prompts, "read more" and related-article links, ad labels).

Residue is judged a whole line at a time (or a whole sentence, when residue shares a line with
another): a line is flagged only when all of it is residue, so an article sentence that merely
mentions cookies or newsletters passes. Patterns cover English, German, French, Spanish,
Italian, Portuguese, Dutch, Russian and Turkish, and every version is checked against all of
them (a scraped page keeps its site's language even in a translated copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.checks.base import Check, CheckContext, Flag, sentence_flag
from qa.segment import Sentence, Version

NAME = "boilerplate"
MAX_LINE = 400  # longer lines are article text, whatever they contain

# kind -> (severity, what an editor is told, patterns matched against the whole normalised line)
_PATTERNS: dict[str, tuple[str, str, list[str]]] = {
    "comment form": ("major", "a comment form's prompt", [
        r"please enter your (comment|name|e-?mail( address)?|website)( here)?",
        r"you have entered an incorrect e-?mail address",
        r"(leave|post|add|write|submit) (a |your )?(reply|comment|response)( cancel reply)?",
        r"cancel reply", r"(\d+ )?comments( \(\d+\))?", r"\d+ comment", r"no comments( yet)?", r"be the first to comment.*",
        r"join the (conversation|discussion)", r"(show|view|load|hide|read) (all |more )?comments( \(\d+\))?",
        r"log ?in to (comment|reply)", r"reply",
        r"save my name, e-?mail,? and website in this browser for the next time i comment",
        r"notify me of (follow-?up comments|new posts|new comments).*", r"this site uses akismet to reduce spam.*",
        r"bitte geben sie (hier )?ihren (kommentar|namen)( hier)? ein",
        r"sie haben eine (falsche|ungültige) e-?mail-?adresse eingegeben",
        r"(einen )?kommentar (schreiben|hinterlassen|abschicken|verfassen)", r"antwort abbrechen",
        r"(\d+ )?kommentare", r"\d+ kommentar", r"antworten",
        r"(veuillez|merci de) (entrer|saisir|indiquer) votre (commentaire|nom|adresse e-?mail)( ici)?",
        r"s'il vous pla[iî]t,? (entrer|entrez|saisissez) votre (commentaire|nom)( ici)?",
        r"vous avez (entré|saisi) une adresse e-?mail incorrecte",
        r"(laisser|laissez|ajouter|écrire|publier) un commentaire", r"annuler la réponse", r"(\d+ )?commentaires", r"\d+ commentaire",
        r"répondre",
        r"(por favor,? )?(ingrese|introduzca|escriba|escribe|digite|insira) (su|tu|seu) (comentario|comentário|nombre|nome)"
        r"( aquí| aqui)?",
        r"has introducido una dirección de correo electrónico incorrecta",
        r"(deja|deje|dejar|deixe) (un|tu|su|um|seu) (comentario|comentário)", r"cancelar respuesta",
        r"(\d+ )?comentarios", r"\d+ comentario", r"responder",
        r"(per favore,? )?inserisci il tuo (commento|nome)( qui)?", r"hai inserito un indirizzo e-?mail errato",
        r"lascia un commento", r"annulla risposta", r"(\d+ )?commenti", r"rispondi",
        r"vul (alstublieft |hier )?uw (commentaar|naam|reactie) in( hier)?", r"laat een reactie achter",
        r"(\d+ )?reacties?",
        r"пожалуйста,? введите ваш(е)? (комментарий|имя)( здесь)?", r"вы ввели неправильный адрес.*",
        r"(оставить|оставьте|написать) (комментарий|ответ)", r"отменить ответ", r"(\d+ )?комментари(й|ев|я)",
        r"ответить",
        r"lütfen (yorumunuzu|adınızı|isminizi)( buraya)? giriniz|lütfen (yorumunuzu|adınızı|isminizi)( buraya)? girin",
        r"yorum yap", r"(\d+ )?yorum",
    ]),
    "share buttons": ("minor", "share buttons", [
        r"(share|tweet|email|e-mail|print|pin)( (this|the))?( (article|story|post|page|link))?"
        r"( (on|via|to) (facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|reddit|pinterest))?",
        r"click to (share|print|email).*", r"copy (the )?link", r"share (this|on|via) .{1,40}",
        r"(artikel |diesen artikel )?teilen( auf (facebook|twitter|x|whatsapp))?", r"per e-?mail (teilen|versenden)",
        r"drucken", r"link kopieren",
        r"partager( (cet|l')article)?( sur (facebook|twitter|x|whatsapp))?", r"imprimer", r"envoyer par e-?mail",
        r"copier le lien",
        r"compartir( este artículo)?( en (facebook|twitter|x|whatsapp))?", r"compartilh(e|ar)( (no|este).{0,30})?",
        r"imprimir",
        r"condividi( (questo|l')articolo)?( su (facebook|twitter|x|whatsapp))?", r"stampa",
        r"delen( op (facebook|twitter|x|whatsapp))?",
        r"поделиться( (статьей|новостью|в .{1,20}))?", r"распечатать", r"печать", r"paylaş",
    ]),
    "cookie notice": ("major", "a cookie notice", [
        r"we use cookies.*", r"this (web ?)?site uses cookies.*",
        r"by (continuing to (use|browse)|using) (this|our) (web ?)?site.*", r"(accept|allow|reject) (all )?cookies",
        r"cookie (policy|settings|preferences)", r"manage (cookie )?(preferences|consent|settings)",
        r"(i )?accept( all)?", r"privacy policy",
        r"wir (verwenden|nutzen) cookies.*", r"diese (web)?seite (verwendet|nutzt) cookies.*",
        r"(alle )?cookies akzeptieren", r"alle akzeptieren", r"cookie-?einstellungen", r"datenschutzerklärung",
        r"(ce site|notre site) utilise des cookies.*", r"nous utilisons des cookies.*",
        r"accepter (les |tous les )?cookies", r"tout accepter", r"paramètres des cookies",
        r"politique de confidentialité",
        r"(este sitio( web)?|esta web|este site) (utiliza|usa) cookies.*", r"utilizamos cookies.*",
        r"aceptar (todas las )?cookies", r"política de privacidad",
        r"questo sito (web )?utilizza (i )?cookie.*", r"utilizziamo (i )?cookie.*", r"accetta (tutti i )?cookie",
        r"deze (web)?site (gebruikt|maakt gebruik van) cookies.*",
        r"(мы используем|этот сайт использует|сайт использует) (файлы )?cookie.*", r"принять (все )?cookie",
        r"bu (web )?site(miz)? çerez(ler)?( kullanmaktadır| kullanır| kullanıyor).*",
    ]),
    "newsletter prompt": ("major", "a newsletter or sign-up prompt", [
        r"(subscribe|sign up)( now| today| here)?( (to|for) (our|the) (free )?(daily |weekly )?newsletters?.*)?",
        r"get (the latest|our) .{0,40}(delivered|in your inbox).*", r"newsletters?", r"(sign|log) ?in",
        r"register( now)?", r"enter your e-?mail( address)?",
        r"(jetzt )?(newsletter )?(abonnieren|anmelden|registrieren)", r"zum newsletter anmelden.*",
        r"(s'abonner|abonnez-vous)( à (la|notre) newsletter)?.*", r"inscrivez-vous( à (la|notre) newsletter)?.*",
        r"suscr[ií](bete|birse)( (a|al) (nuestro|el) (boletín|newsletter))?.*", r"boletín",
        r"iscriviti( alla( nostra)? newsletter)?.*", r"assine( a| nossa)? newsletter.*",
        r"abonneer( je)?( op (de|onze) nieuwsbrief)?.*", r"nieuwsbrief",
        r"подписаться( на (рассылку|новости|канал).*)?", r"подпишитесь.*", r"рассылка",
        r"abone ol.*", r"bültene? (abone|kaydol).*",
    ]),
    "related links": ("minor", "a 'read more' or related-articles link", [
        r"(read|see) (more|also|next)(:.*| here)?", r"continue reading.*", r"(also read|related|more on this|more from)"
        r"( (stories|articles|posts|news|coverage))?:.*",
        r"related( (stories|articles|posts|news|content|topics))?", r"recommended( for you| stories| articles)?",
        r"you (may|might) also like.*", r"(most (read|popular|viewed|shared))( (stories|articles))?",
        r"trending( now)?", r"don't miss.*", r"(previous|next) (article|post|story)", r"click here (to|for) .*",
        r"(tags|filed under|topics):.*", r"top stories",
        r"weiterlesen", r"(mehr|weiter) lesen", r"mehr zum thema.*", r"lesen sie (auch|mehr|hier).*",
        r"auch interessant.*", r"(ähnliche|verwandte) (artikel|beiträge|themen)", r"das könnte sie auch interessieren.*",
        r"meistgelesen(e artikel)?",
        r"lire (la suite|aussi|plus)(:.*)?", r"(à lire|a lire|voir) aussi(:.*)?", r"articles? (similaires|liés)",
        r"sur le même (sujet|thème)(:.*)?", r"les plus lus", r"(article|post) (précédent|suivant)",
        r"(leer|ver) más(:.*)?", r"lee también(:.*)?", r"te puede interesar(:.*)?", r"(noticias|artículos) relacionad[oa]s",
        r"leia (também|mais)(:.*)?", r"(veja|saiba) (também|mais)(:.*)?",
        r"leggi (anche|di più|tutto|l'articolo)(:.*)?", r"articoli correlati", r"potrebbe interessarti.*",
        r"lees (ook|meer)(:.*)?", r"gerelateerde artikelen",
        r"читайте (также|еще|ещё)(:.*)?", r"читать (далее|полностью)", r"подробнее", r"похожие (статьи|новости|материалы)",
        r"по теме(:.*)?", r"devamını oku", r"ilginizi çekebilir.*", r"ilgili (haberler|yazılar)",
    ]),
    "advertising label": ("minor", "an advertising label", [
        r"advertisement", r"sponsored( content)?", r"scroll to continue( with content)?", r"ad",
        r"anzeige", r"werbung", r"publicité", r"publicidad", r"publicidade", r"pubblicità", r"advertentie", r"реклама",
        r"reklam",
    ]),
    "site navigation": ("minor", "site navigation or copyright residue", [
        r"skip to (main )?content", r"(back to )?top", r"menu", r"search", r"home", r"loading\W*",
        r"(please )?enable javascript.*", r"javascript is disabled.*",
        r"(all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
        r"|tutti i diritti riservati|все права защищены|todos os direitos reservados|alle rechten voorbehouden).*",
        r"(©|\(c\)|copyright ©?) ?\d{4}.*",
        r"follow us( on (facebook|twitter|x|instagram|telegram|linkedin|youtube).*)?", r"like us on facebook.*",
        r"folgen sie uns.*", r"suivez-nous.*", r"síguenos.*", r"seguici.*", r"подписывайтесь на нас.*",
        r"image (source|caption),.*", r"(photo|video) gallery",
    ]),
}
_COMPILED = [
    (kind, severity, what, re.compile("(?:" + "|".join(patterns) + ")", re.IGNORECASE))
    for kind, (severity, what, patterns) in _PATTERNS.items()
]
_SOCIAL = {
    "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "pinterest", "reddit", "email", "e-mail", "mail",
    "print", "share", "tweet", "vk", "vkontakte", "ok", "xing", "messenger", "viber", "instagram", "youtube", "tiktok",
    "pocket", "flipboard", "threads", "bluesky", "mastodon", "copy", "link", "sms", "teilen", "partager", "compartir",
    "condividi", "delen", "поделиться", "paylaş", "drucken", "imprimer", "wechat", "weibo", "line", "skype",
}
_STRIP = " \t\r!?.:;,-–—|•·>»«*#¡¿()[]{}\"'“”„"
_SEPARATORS = re.compile(r"[\s|•·/,]+")
_SPACED_PUNCT = re.compile(r"\s+([:;!?])")  # French typography: "Lire aussi : ..."


@dataclass(frozen=True)
class Residue:
    kind: str
    severity: str
    what: str


def classify(line: str) -> Residue | None:
    """What kind of web page residue ``line`` is when all of it is residue, else None."""
    if len(line) > MAX_LINE:
        return None
    text = _SPACED_PUNCT.sub(r"\1", " ".join(line.replace("’", "'").split())).strip(_STRIP)
    if not text:
        return None
    for kind, severity, what, pattern in _COMPILED:
        if pattern.fullmatch(text):
            return Residue(kind, severity, what)
    words = [w for w in _SEPARATORS.split(text.lower()) if w]
    if len(words) >= 2 and all(w.strip(_STRIP) in _SOCIAL for w in words):
        return Residue("share buttons", "minor", "a row of share buttons")
    return None


def run(ctx: CheckContext) -> list[Flag]:
    """Flag every line (or sentence) that is web page residue."""
    flags: list[Flag] = []
    for version in ctx.versions:
        by_paragraph: dict[int, list[Sentence]] = {}
        for sentence in version.sentences:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
        for sentences in by_paragraph.values():
            flags.extend(_paragraph_flags(ctx, version, sentences))
    return flags


def _paragraph_flags(ctx: CheckContext, version: Version, sentences: list[Sentence]) -> list[Flag]:
    if not sentences:
        return []
    start, end = sentences[0].start, sentences[-1].end
    whole = classify(version.text[start:end])
    if whole is not None:
        return [_flag(ctx, version, sentences[0], start, end, whole)]
    if len(sentences) == 1:
        return []
    return [
        _flag(ctx, version, s, s.start, s.end, residue)
        for s in sentences
        if (residue := classify(s.text)) is not None
    ]


def _flag(ctx: CheckContext, version: Version, sentence: Sentence, start: int, end: int, residue: Residue) -> Flag:
    return sentence_flag(
        ctx, version, sentence, start, end, type="boilerplate", severity=residue.severity,
        message=f"web page residue ({residue.what}), not part of the article: delete this line",
        confidence=0.95 if residue.severity == "major" else 0.85, check=NAME,
    )


CHECK = Check(
    NAME,
    needs_alignment=False,
    run=run,
    description="web page residue: comment forms, share buttons, cookie notices, newsletter prompts, read-more links",
)
