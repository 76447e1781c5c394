"""A generated pile of news articles with the true grouping known, for ``qa group`` / ``qa batch``.

Stories are written here as sentence frames in four languages (en, de, fr, es) on four topics; every story
fills them with entities of its own (invented names and places, numbers), so two stories on one topic share
their wording but not their facts: the hard case for grouping.  Each story has 3-10 versions: the English
wire, translations, a republication with an outlet's footer, a synonym-spun English copy, truncated copies.
Distractors are further stories of the same topics with a single version.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

LANGS = ("en", "de", "fr", "es")
DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes"],
}
# topic -> frames; each frame: one sentence per language, slots {place} {name} {org} {day} {n1}..{n5} {year} {hour}
TOPICS: dict[str, list[dict[str, str]]] = {
    "fire": [
        {"en": "A fire at a warehouse in {place} killed {n1} people and injured {n2} on {day}, officials said.",
         "de": "Bei einem Brand in einer Lagerhalle in {place} sind am {day} {n1} Menschen getötet und {n2} verletzt worden, teilten die Behörden mit.",
         "fr": "Un incendie dans un entrepôt de {place} a fait {n1} morts et {n2} blessés {day}, selon les autorités.",
         "es": "Un incendio en un almacén de {place} causó {n1} muertos y {n2} heridos el {day}, según las autoridades."},
        {"en": "The blaze broke out at about {hour} and spread to {n3} neighbouring buildings.",
         "de": "Das Feuer brach gegen {hour} Uhr aus und griff auf {n3} benachbarte Gebäude über.",
         "fr": "Le feu s'est déclaré vers {hour} et s'est propagé à {n3} bâtiments voisins.",
         "es": "El fuego se declaró hacia las {hour} y se extendió a {n3} edificios vecinos."},
        {"en": "Firefighters needed more than {n4} hours to bring the fire under control.",
         "de": "Die Feuerwehr brauchte mehr als {n4} Stunden, um den Brand unter Kontrolle zu bringen.",
         "fr": "Les pompiers ont mis plus de {n4} heures à maîtriser l'incendie.",
         "es": "Los bomberos necesitaron más de {n4} horas para controlar el incendio."},
        {"en": "“We are still searching for the missing,” said {name}, a spokesperson for the {org}.",
         "de": "„Wir suchen noch nach den Vermissten“, sagte {name}, ein Sprecher der {org}.",
         "fr": "« Nous cherchons toujours les disparus », a déclaré {name}, porte-parole de {org}.",
         "es": "«Seguimos buscando a los desaparecidos», dijo {name}, portavoz de {org}."},
        {"en": "About {n5} residents were evacuated from nearby streets as a precaution.",
         "de": "Rund {n5} Anwohner aus umliegenden Straßen wurden vorsorglich in Sicherheit gebracht.",
         "fr": "Environ {n5} habitants des rues voisines ont été évacués par précaution.",
         "es": "Unos {n5} vecinos de las calles cercanas fueron evacuados por precaución."},
        {"en": "The cause of the fire in {place} was not yet known, {name} told reporters.",
         "de": "Die Ursache des Brandes in {place} sei noch unklar, sagte {name} vor Journalisten.",
         "fr": "La cause de l'incendie de {place} reste inconnue, a indiqué {name} aux journalistes.",
         "es": "La causa del incendio de {place} aún se desconoce, dijo {name} a los periodistas."},
        {"en": "It was the deadliest fire in the region since {year}.",
         "de": "Es war der schwerste Brand in der Region seit {year}.",
         "fr": "Il s'agit de l'incendie le plus meurtrier dans la région depuis {year}.",
         "es": "Fue el incendio más mortífero en la región desde {year}."},
        {"en": "Schools near the site will remain closed until further notice.",
         "de": "Schulen in der Nähe bleiben bis auf Weiteres geschlossen.",
         "fr": "Les écoles proches du site resteront fermées jusqu'à nouvel ordre.",
         "es": "Las escuelas cercanas permanecerán cerradas hasta nuevo aviso."},
    ],
    "flood": [
        {"en": "Floods in {place} have killed at least {n1} people after {n2} millimetres of rain fell in two days.",
         "de": "Bei Überschwemmungen in {place} sind mindestens {n1} Menschen ums Leben gekommen, nachdem in zwei Tagen {n2} Millimeter Regen fielen.",
         "fr": "Les inondations à {place} ont fait au moins {n1} morts après la chute de {n2} millimètres de pluie en deux jours.",
         "es": "Las inundaciones en {place} han causado al menos {n1} muertos tras caer {n2} milímetros de lluvia en dos días."},
        {"en": "The river rose {n3} metres above its normal level on {day}.",
         "de": "Der Fluss stieg am {day} um {n3} Meter über seinen normalen Pegel.",
         "fr": "La rivière est montée {day} de {n3} mètres au-dessus de son niveau normal.",
         "es": "El río subió el {day} {n3} metros por encima de su nivel normal."},
        {"en": "Rescue teams used boats to reach {n5} people trapped on rooftops.",
         "de": "Rettungskräfte erreichten mit Booten {n5} Menschen, die auf Dächern festsaßen.",
         "fr": "Les secours ont utilisé des bateaux pour atteindre {n5} personnes réfugiées sur les toits.",
         "es": "Los equipos de rescate usaron barcas para llegar a {n5} personas atrapadas en los tejados."},
        {"en": "“The water came faster than anyone expected,” said {name}, the mayor of {place}.",
         "de": "„Das Wasser kam schneller, als irgendjemand erwartet hatte“, sagte {name}, Bürgermeister von {place}.",
         "fr": "« L'eau est arrivée plus vite que prévu », a déclaré {name}, maire de {place}.",
         "es": "«El agua llegó más rápido de lo que nadie esperaba», dijo {name}, alcalde de {place}."},
        {"en": "The {org} said {n4} homes had been damaged and power was cut in several districts.",
         "de": "Die {org} teilte mit, {n4} Häuser seien beschädigt und in mehreren Bezirken sei der Strom ausgefallen.",
         "fr": "{org} a indiqué que {n4} maisons avaient été endommagées et que l'électricité était coupée dans plusieurs quartiers.",
         "es": "{org} informó de que {n4} viviendas resultaron dañadas y que varios barrios se quedaron sin luz."},
        {"en": "Forecasters warned that more rain was expected over the weekend.",
         "de": "Meteorologen warnten, am Wochenende werde weiterer Regen erwartet.",
         "fr": "Les météorologues ont averti que de nouvelles pluies étaient attendues ce week-end.",
         "es": "Los meteorólogos advirtieron de que se esperan más lluvias durante el fin de semana."},
        {"en": "The last comparable flood in {place} was recorded in {year}.",
         "de": "Das letzte vergleichbare Hochwasser in {place} wurde {year} verzeichnet.",
         "fr": "La dernière crue comparable à {place} remonte à {year}.",
         "es": "La última inundación comparable en {place} se registró en {year}."},
        {"en": "Trains between {place} and the capital were suspended until at least {hour} on Sunday.",
         "de": "Die Zugverbindungen zwischen {place} und der Hauptstadt wurden mindestens bis Sonntag {hour} Uhr eingestellt.",
         "fr": "Les trains entre {place} et la capitale sont suspendus au moins jusqu'à dimanche {hour}.",
         "es": "Los trenes entre {place} y la capital quedaron suspendidos al menos hasta el domingo a las {hour}."},
    ],
    "jobs": [
        {"en": "{org} will cut {n1} jobs, about {n2} percent of its workforce, the company said on {day}.",
         "de": "{org} streicht {n1} Stellen, etwa {n2} Prozent der Belegschaft, teilte das Unternehmen am {day} mit.",
         "fr": "{org} va supprimer {n1} emplois, soit environ {n2} % de ses effectifs, a annoncé l'entreprise {day}.",
         "es": "{org} eliminará {n1} empleos, alrededor del {n2} % de su plantilla, anunció la empresa el {day}."},
        {"en": "Most of the cuts will fall at its plant in {place}, which employs {n5} people.",
         "de": "Die meisten Kürzungen betreffen das Werk in {place}, das {n5} Menschen beschäftigt.",
         "fr": "La plupart des suppressions toucheront son usine de {place}, qui emploie {n5} personnes.",
         "es": "La mayoría de los recortes afectarán a su planta de {place}, que emplea a {n5} personas."},
        {"en": "Chief executive {name} blamed falling demand and rising energy costs.",
         "de": "Vorstandschef {name} machte die sinkende Nachfrage und steigende Energiekosten verantwortlich.",
         "fr": "Le directeur général {name} a invoqué la baisse de la demande et la hausse des coûts de l'énergie.",
         "es": "El consejero delegado {name} culpó a la caída de la demanda y al aumento de los costes energéticos."},
        {"en": "Shares in the company fell {n3} percent in early trading.",
         "de": "Die Aktie des Unternehmens fiel im frühen Handel um {n3} Prozent.",
         "fr": "L'action de l'entreprise a reculé de {n3} % en début de séance.",
         "es": "Las acciones de la empresa cayeron un {n3} % en los primeros compases de la sesión."},
        {"en": "Unions called a strike for {day} and said they would fight every job loss.",
         "de": "Die Gewerkschaften riefen für {day} zum Streik auf und kündigten Widerstand gegen jeden Stellenabbau an.",
         "fr": "Les syndicats ont appelé à la grève {day} et promis de combattre chaque suppression de poste.",
         "es": "Los sindicatos convocaron una huelga para el {day} y prometieron luchar contra cada despido."},
        {"en": "The company expects to save {n4} million euros a year from {year}.",
         "de": "Das Unternehmen erwartet ab {year} Einsparungen von {n4} Millionen Euro pro Jahr.",
         "fr": "L'entreprise compte économiser {n4} millions d'euros par an à partir de {year}.",
         "es": "La empresa prevé ahorrar {n4} millones de euros al año a partir de {year}."},
        {"en": "“This is a difficult day for all of us,” {name} wrote in a letter to staff.",
         "de": "„Dies ist ein schwerer Tag für uns alle“, schrieb {name} in einem Brief an die Mitarbeiter.",
         "fr": "« C'est une journée difficile pour nous tous », a écrit {name} dans une lettre aux salariés.",
         "es": "«Es un día difícil para todos nosotros», escribió {name} en una carta a la plantilla."},
        {"en": "The regional government of {place} asked for talks with the management.",
         "de": "Die Regionalregierung von {place} forderte Gespräche mit der Unternehmensleitung.",
         "fr": "Le gouvernement régional de {place} a demandé l'ouverture de discussions avec la direction.",
         "es": "El gobierno regional de {place} pidió negociar con la dirección."},
    ],
    "election": [
        {"en": "{name} won the mayoral election in {place} on {day} with {n2} percent of the vote.",
         "de": "{name} hat am {day} die Bürgermeisterwahl in {place} mit {n2} Prozent der Stimmen gewonnen.",
         "fr": "{name} a remporté {day} l'élection municipale de {place} avec {n2} % des voix.",
         "es": "{name} ganó el {day} las elecciones municipales de {place} con el {n2} % de los votos."},
        {"en": "Turnout was {n3} percent, the highest since {year}.",
         "de": "Die Wahlbeteiligung lag bei {n3} Prozent, so hoch wie seit {year} nicht mehr.",
         "fr": "La participation a atteint {n3} %, un record depuis {year}.",
         "es": "La participación fue del {n3} %, la más alta desde {year}."},
        {"en": "The {org} candidate conceded defeat shortly after {hour}.",
         "de": "Der Kandidat der {org} räumte kurz nach {hour} Uhr seine Niederlage ein.",
         "fr": "Le candidat de {org} a reconnu sa défaite peu après {hour}.",
         "es": "El candidato de {org} reconoció su derrota poco después de las {hour}."},
        {"en": "“Tonight the city chose change,” {name} told cheering supporters.",
         "de": "„Heute Abend hat sich die Stadt für den Wandel entschieden“, sagte {name} vor jubelnden Anhängern.",
         "fr": "« Ce soir, la ville a choisi le changement », a lancé {name} devant ses partisans.",
         "es": "«Esta noche la ciudad ha elegido el cambio», dijo {name} ante sus seguidores."},
        {"en": "About {n5} voters cast their ballots at {n4} polling stations.",
         "de": "Rund {n5} Wähler gaben ihre Stimme in {n4} Wahllokalen ab.",
         "fr": "Quelque {n5} électeurs ont voté dans {n4} bureaux de vote.",
         "es": "Unos {n5} electores votaron en {n4} colegios electorales."},
        {"en": "The new mayor promised to build {n1} affordable homes within four years.",
         "de": "Der neue Bürgermeister versprach, innerhalb von vier Jahren {n1} bezahlbare Wohnungen zu bauen.",
         "fr": "Le nouveau maire a promis de construire {n1} logements abordables en quatre ans.",
         "es": "El nuevo alcalde prometió construir {n1} viviendas asequibles en cuatro años."},
        {"en": "Observers reported no serious irregularities during the vote in {place}.",
         "de": "Beobachter meldeten keine schweren Unregelmäßigkeiten bei der Wahl in {place}.",
         "fr": "Les observateurs n'ont signalé aucune irrégularité grave lors du scrutin à {place}.",
         "es": "Los observadores no informaron de irregularidades graves durante la votación en {place}."},
        {"en": "The official result will be confirmed by the electoral commission next week.",
         "de": "Das amtliche Ergebnis wird kommende Woche von der Wahlkommission bestätigt.",
         "fr": "Le résultat officiel sera confirmé par la commission électorale la semaine prochaine.",
         "es": "La comisión electoral confirmará el resultado oficial la próxima semana."},
    ],
}
SPIN = {  # English synonym spinning, as article spinners do it
    "killed": "slew", "injured": "harmed", "officials": "authorities", "said": "stated", "people": "individuals",
    "about": "roughly", "fire": "blaze", "company": "firm", "jobs": "positions", "cut": "slash", "homes": "houses",
    "rain": "rainfall", "expected": "anticipated", "promised": "vowed", "won": "captured", "percent": "per cent",
}
FOOTERS = {"en": "Reporting by the {outlet} news desk.", "de": "Mitarbeit: Redaktion {outlet}.",
           "fr": "Avec la rédaction de {outlet}.", "es": "Con información de la redacción de {outlet}."}
SYLLABLES = ["ka", "ri", "mon", "ta", "vel", "do", "sa", "lin", "or", "bek", "ne", "zu", "pra", "gol", "mi", "tor", "ha", "len"]
ORGS = ["Civic Union", "Regional Rescue Service", "Northwind Holdings", "Green Alliance", "Varmo Industries",
        "People's Front", "Castell Group", "Emergency Agency", "Liberty Party", "Orsk Steel"]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _facts(rng: random.Random) -> dict:
    return {
        "place": _word(rng, 3), "name": f"{_word(rng, 2)} {_word(rng, 3)}", "org": rng.choice(ORGS),
        "day": rng.randrange(5), "n1": rng.randint(3, 60), "n2": rng.randint(5, 95), "n3": rng.randint(2, 40),
        "n4": rng.randint(6, 900), "n5": rng.randint(100, 9000), "year": rng.randint(1950, 2019),
        "hour": f"{rng.randint(0, 23):02d}:{rng.choice(['00', '15', '30', '45'])}",
    }


def _render(frames: list[dict[str, str]], facts: dict, lang: str) -> list[str]:
    values = dict(facts, day=DAYS[lang][facts["day"]])
    return [f[lang].format(**values) for f in frames]


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))


def _spin(sentence: str) -> str:
    return " ".join(SPIN.get(w, w) for w in sentence.split(" "))


def make_pile(n_articles: int, seed: int = 0, versions_share: float = 0.6) -> list[dict]:
    """About ``n_articles`` articles: stories with 3-10 versions (``versions_share`` of the pile), the rest
    single-version distractors on the same topics.  Each record has ``story`` and ``language`` (the truth) besides the
    ``qa group`` input fields."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    articles: list[dict] = []
    story = 0
    target_versions = int(n_articles * versions_share)
    while len(articles) < n_articles:
        topic = topics[story % len(topics)]
        frames = [f for f in TOPICS[topic] if rng.random() < 0.8] or TOPICS[topic][:4]
        facts = _facts(rng)
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 30))
        sid = f"s{story:05d}"
        in_story = len(articles) < target_versions
        kinds = ["wire"]
        if in_story:
            options = ["de", "fr", "es", "republished", "spun", "truncated", "truncated-de", "fr-republished", "es-truncated"]
            kinds += rng.sample(options, rng.randint(2, 9))
        else:
            kinds = [rng.choice(["wire", "de", "fr", "es"])]
        for k, kind in enumerate(kinds):
            lang = next((x for x in LANGS if x in kind.split("-")), "en")
            sentences = _render(frames, facts, lang)
            if kind == "spun":
                sentences = [_spin(s) for s in sentences]
            if "truncated" in kind:
                sentences = sentences[: max(3, len(sentences) // 2)]
            outlet = f"{_word(rng, 2)} {rng.choice(['Post', 'Times', 'News', 'Journal'])}"
            if "republished" in kind:
                sentences = sentences + [FOOTERS[lang].format(outlet=outlet)]
            articles.append({
                "id": f"{sid}-{kind}", "story": sid, "language": lang, "lang": lang if rng.random() < 0.5 else None,
                "outlet": "Wire" if kind == "wire" else outlet,
                "published": (when + timedelta(minutes=37 * k)).isoformat(), "text": _paragraphs(sentences),
            })
        story += 1
    return articles[:n_articles]
