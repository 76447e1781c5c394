"""The drift check: aligned sentences far less similar than the version pair's usual."""

from __future__ import annotations

from qa.checks import drift
from qa.checks.crosscheck import parallel_context

EN = [
    "A fire on board a tanker in the port of Aktau killed four crew members on Tuesday.",
    "Some 140 firefighters battled the blaze for more than nine hours.",
    "About 2,300 residents of two nearby neighbourhoods were evacuated as a precaution.",
    "Air quality in the city was being measured every two hours.",
    "Schools in the two neighbourhoods will remain closed until Thursday.",
    "The tanker was built in 2004 and passed a safety inspection in March.",
    "Investigators have not yet determined the cause of the fire.",
    "All loading operations were suspended on Tuesday.",
]
DE = [
    "Ein Brand auf einem Tanker im Hafen von Aktau hat am Dienstag vier Besatzungsmitglieder getötet.",
    "Rund 140 Feuerwehrleute kämpften mehr als neun Stunden gegen das Feuer.",
    "Etwa 2.300 Bewohner zweier benachbarter Viertel wurden vorsorglich in Sicherheit gebracht.",
    "Die Luftqualität in der Stadt werde alle zwei Stunden gemessen.",
    "Die Schulen in den beiden Vierteln bleiben bis Donnerstag geschlossen.",
    "Der Tanker wurde 2004 gebaut und bestand im März eine Sicherheitsinspektion.",
    "Die Ermittler haben die Brandursache noch nicht ermittelt.",
    "Alle Verladearbeiten wurden am Dienstag eingestellt.",
]
ES = [
    "Un incendio a bordo de un petrolero en el puerto de Aktau mató el martes a cuatro tripulantes.",
    "Unos 140 bomberos combatieron el fuego durante más de nueve horas.",
    "Unos 2.300 vecinos de dos barrios cercanos fueron evacuados como precaución.",
    "La calidad del aire en la ciudad se medía cada dos horas.",
    "Las escuelas de los dos barrios permanecerán cerradas hasta el jueves.",
    "El petrolero fue construido en 2004 y pasó una inspección de seguridad en marzo.",
    "Los investigadores aún no han determinado la causa del incendio.",
    "Todas las operaciones de carga se suspendieron el martes.",
]


def test_faithful_translations_pass():
    ctx = parallel_context({"en": EN, "de": DE, "es": ES}, {"en": "en", "de": "de", "es": "es"})
    assert drift.run(ctx) == []


def test_drifted_sentence_is_flagged():
    de = list(DE)
    de[3] = "Der Bürgermeister kündigte an, im nächsten Jahr ein neues Fußballstadion zu bauen."
    ctx = parallel_context({"en": EN, "de": de, "es": ES}, {"en": "en", "de": "de", "es": "es"})
    flags = drift.run(ctx)
    assert [(f.version, f.sentence, f.type) for f in flags] == [("de", 3, "semantic_drift")]
    assert ctx.version("de").text[flags[0].start:flags[0].end] == de[3]


def test_too_few_rows_to_calibrate_gives_no_flag():
    ctx = parallel_context({"en": EN[:3], "de": ["Ganz etwas anderes.", DE[1], DE[2]]}, {"en": "en", "de": "de"})
    assert drift.run(ctx) == []
