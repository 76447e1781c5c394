"""Writes the spin bench stories' manifest.json and annotations.json from compact specs (text, context, type,
severity, note): each span is located by a unique context string, never counted by hand. Rerun after editing a text.
"""
import json
from pathlib import Path

R = "reworded"
def spec_file(folder, versions, problems, title, verdicts):
    folder = Path(folder)
    texts = {v: (folder / f"{v}.txt").read_text(encoding="utf-8") for v in versions}
    out = []
    for version, text, context, typ, sev, note in problems:
        body = texts[version]
        ctx = context or text
        pos = body.find(ctx)
        assert pos >= 0, (version, ctx)
        assert body.find(ctx, pos + 1) == -1, ("ambiguous", ctx)
        start = pos + ctx.index(text)
        out.append({"version": version, "start": start, "end": start + len(text), "text": text, "type": typ,
                    "severity": sev, "note": note})
    body = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in out)
    (folder / "annotations.json").write_text('{\n  "problems": [\n' + body + "\n  ]\n}\n", encoding="utf-8")
    manifest = {"title": title, "reference": "wire", "versions": [
        {"label": v, "file": f"{v}.txt", "lang": "en", "verdict": verdicts.get(v)} for v in versions]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(folder, len(out))

def m(text, ref, context=None, sev="minor", typ=R):
    note = f"tortured: set phrase '{ref}' broken" if sev == "major" and typ == R else f"wire: {ref}"
    return ("spun", text, context, typ, sev, note)

S = str(Path(__file__).resolve().parent) + "/"
spec_file(S + "siret-dam-flood", ["wire", "spun", "edited", "truncated"], [
    m("rupture", "breach"), m("compelling", "forcing", "compelling thousands"), m("substantial", "heavy"),
    m("inundating", "flooding"), m("compelling", "forcing", "compelling more"), m("individuals", "people"),
    m("absent", "missing"), m("climbed", "rose"), m("salvage", "rescue"), m("utilized", "used"), m("caught", "trapped"),
    m("rooftops", "roofs"), m("instructor", "teacher"), m("Head Minister", "prime minister", sev="major"),
    m("announced", "declared"), m("state of crisis", "state of emergency", sev="major"),
    m("equipped forces", "armed forces", sev="major"), m("could", "would", "could help", "major", "meaning_change"),
    m("Talking", "Speaking"), m("vowed", "promised"), m("get", "receive"), m("examined", "inspected"),
    m("indicated", "showed"), m("flaws", "defects"), m("Russu", "Rusu", None, "major", "name_mismatch"),
    m("conveyed", "carried"), m("three", "four", "three times", "critical", "number_mismatch"), m("typical", "normal"),
    m("closed", "opened", "closed the spillway", "critical", "negation_flip"), m("wounds", "injuries"),
    m("structures", "buildings"), m("consumption water", "drinking water", sev="major"),
    m("infant food", "baby food", sev="major"), m("anticipate", "expect"), m("shut", "closed"), m("segment", "section"),
    m("harm", "damage"),
    ("truncated", "Its director, Mihai Rusu, told reporters that the river carried four times its normal volume on Friday night and that engineers had opened the spillway gates in an attempt to lower the pressure.", None, "omission", "major", "the sentence before the gap: the last four paragraphs of the wire are cut"),
], "Dam breach on the Siret (fictional)", {"spun": "machine-spun", "edited": "lightly edited", "truncated": "lightly edited"})

spec_file(S + "gdansk-dock-strike", ["wire", "spun", "edited", "truncated", "verbatim", "other"], [
    m("laborers", "workers", "laborers in Gdansk"), m("salary", "pay", "over salary"), m("stopping", "halting"),
    m("laborers", "workers", "laborers at"), m("harbor", "port"), m("negotiations", "talks"), m("collapsed", "broke down"),
    m("many", "dozens of", "many container", "major", "meaning_change"),
    m("exchange union", "trade union", sev="major"), m("salary", "pay", "salary rise"),
    m("expense of living", "cost of living", sev="major"), m("evening shifts", "night shifts", sev="major"),
    m("member", "leader", "union member", "major", "meaning_change"), m("news meeting", "news conference", sev="major"),
    m("principal", "main"), m("unlawful", "illegal"), m("main executive", "chief executive", sev="major"),
    m("reasonable", "fair"), m("proposal", "offer"), m("stayed", "remained"), m("additional", "further"),
    m("hectic", "busy"), m("feared", "said", None, "major", "meaning_change"), m("redirected", "diverted"),
    m("He said the government would intervene in a dispute between a private company and its workers.", "would not intervene", None, "critical", "negation_flip"),
    m("workers", "employees", "its workers"), m("cautioned", "warned"), m("lengthy", "long"),
    m("provision chains", "supply chains", sev="major"),
    ("truncated", "Its chief executive, Anna Kowalczyk, said the company had made a fair offer and remained open to further talks.", None, "omission", "major", "the sentence before the gap: the last three paragraphs of the wire are cut"),
], "Dock strike in Gdansk (fictional)", {"spun": "machine-spun", "edited": "lightly edited", "truncated": "lightly edited",
                                         "verbatim": "verbatim", "other": "different report"})

spec_file(S + "budapest-rate-rise", ["wire", "spun", "edited", "truncated", "rewritten"], [
    m("focal bank", "central bank", "focal bank elevates", "major"), m("elevates", "raises"), m("combat", "fight"),
    m("focal bank", "central bank", "focal bank raised", "major"), m("remained", "stayed"), m("over", "above", "well over"),
    m("objective", "target"), m("choice", "decision"), m("in accordance with", "in line with"), m("predictions", "forecasts"),
    m("some", "most", "some analysts", "major", "meaning_change"), m("surveyed", "polled"),
    m("costs", "prices", "consumer costs"), m("expenses", "costs"), m("might", "would", None, "major", "meaning_change"),
    m("approach", "monetary policy", "Monetary approach", "major"), m("stay", "remain", "stay tight"),
    m("comes back", "returns"), m("feeble", "weak"), m("costly", "expensive"), m("fast", "rapid", "fast wage"),
    m("weakened", "strengthened", None, "critical", "negation_flip"), m("declaration", "announcement"),
    m("marginally", "slightly"), m("trade rate", "exchange rate", sev="major"),
    m("Secretary", "Minister", "Finance Secretary", "major", "meaning_change"), m("condemned", "criticised"),
    m("planned", "scheduled"),
    ("truncated", "Governor Gabor Halmos said consumer prices had risen by 6.8 percent in the year to August, driven by food and energy costs, and that the bank would act again if necessary.", None, "omission", "major", "the sentence before the gap: the last four paragraphs of the wire are cut"),
], "Hungarian rate rise (fictional)", {"spun": "machine-spun", "edited": "lightly edited", "truncated": "lightly edited",
                                        "rewritten": "rewritten"})

H = str(Path(__file__).resolve().parent.parent / "spin-heldout") + "/"
spec_file(H + "evia-wildfire", ["wire", "spun", "edited", "truncated"], [
    m("compels", "forces"), m("departure", "evacuation"), m("coastal", "seaside"), m("forest fire", "wildfire"),
    m("powerful", "strong"), m("fire department", "fire service"), m("firemen", "firefighters"), m("supported", "backed"),
    m("aircraft", "planes"), m("fighting", "battling"), m("Coast watch", "coast guard", sev="major"),
    m("800", "600", None, "critical", "number_mismatch"), m("inhabitants", "residents"), m("shore", "beach"),
    m("alters", "changes"), m("exceptionally", "extremely"), m("risky", "dangerous"),
    m("Kalergis", "Kallergis", None, "major", "name_mismatch"), m("and", "but", "and no one"),
    m("definitely", "probably", None, "major", "meaning_change"), m("power cable", "power line", sev="major"),
    m("inquiry", "investigation"), m("launched", "opened"), m("atmospheric service", "weather service", sev="major"),
    m("red alarm", "red alert", sev="major"), m("danger", "risk"),
    m("western", "eastern", None, "critical", "negation_flip"), m("prohibited", "banned"), m("equipment", "machinery"),
    ("truncated", "Two firefighters were treated in hospital for smoke inhalation, but no one has been reported missing.", None, "omission", "major", "the sentence before the gap: the last four paragraphs of the wire are cut"),
], "Wildfire on Evia (fictional, held out)", {"spun": "machine-spun", "edited": "lightly edited", "truncated": "lightly edited"})
