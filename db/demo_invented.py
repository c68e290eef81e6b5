"""Invented promises for the demo: templates of focus areas, activities and signatories.

Everything built here is ``exempel``. The templates are plain tuples, built once at import, so
generating 290 partnerships × 20 years costs a few dict copies per row. Lineage keys match the
ones in ``demo_facts`` so a recurring activity (safety walks, the traffic-safety council) can
be followed from an invented year into a published one and back out again.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, NamedTuple

FIRST_MEDBORGARLOFTE_YEAR = 2016
# The Swedish police was reorganised in 2015; before that the local chief was a närpolischef.
POLICE_REORGANISATION_YEAR = 2015


# Activities per focus area by number of focus areas, so a promise has 6–12 activities.
_ACTIVITIES_PER_AREA = {1: (6, 8), 2: (4, 5), 3: (3, 4), 4: (2, 3)}


class Template(NamedTuple):
    lineage_key: str
    title: str
    owner: str
    description: str
    partners: tuple[str, ...] = ()
    target: tuple[int, int, str] | None = None  # (lowest, highest, unit)


THEMES: dict[str, tuple[tuple[str, ...], str]] = {
    "ungdomar": (
        ("Unga i riskzon", "Ungdomar med normbrytande beteende"),
        "Förebygga att unga dras in i kriminalitet.",
    ),
    "droger": (
        ("Narkotika och droger bland unga", "Tidig upptäckt av droger"),
        "Upptäcka och förebygga droganvändning bland unga.",
    ),
    "trafik": (
        ("Trafiksäkerhet", "Trygg trafikmiljö"),
        "Säkrare trafik, särskilt för oskyddade trafikanter.",
    ),
    "trygghet_offentlig_miljo": (
        ("Trygghet i offentlig miljö", "Trygga centrum och stationsmiljöer"),
        "Öka tryggheten på gator, torg och kring stationer.",
    ),
    "inbrott": (
        ("Färre inbrott", "Minskade bostads- och båtinbrott"),
        "Färre inbrott i bostäder, fritidshus och båtar.",
    ),
    "vald_i_nara_relationer": (
        ("Våld i nära relationer", "Stöd till våldsutsatta"),
        "Upptäcka våld i nära relationer tidigt och ge stöd.",
    ),
}

_T = Template
TEMPLATES: dict[str, tuple[Template, ...]] = {
    "ungdomar": (
        _T("polis_socialtjanst", "Samverkan mellan polis och socialtjänst kring unga", "gemensam",
           "Gemensamma ärendedragningar om unga i riskzon.", ("socialtjänsten",)),
        _T("dialog_unga", "Dialogmöten med unga", "gemensam",
           "Samtal med unga om trygghet, på fritidsgårdar och i skolor.",
           ("fritidsgårdar", "skolor"), (3, 6, "dialogmöten")),
        _T("lokala_bra", "Lokala BRÅ-möten i kommundelarna", "gemensam",
           "Lägesbild och åtgärder tillsammans med skola, fritid och socialtjänst.",
           ("skolor", "räddningstjänsten"), (4, 8, "möten")),
        _T("skolbesok", "Kommunpolisens besök på högstadieskolor", "polis",
           "Samtal om droger, kriminalitet och näthat i årskurs 7–9.", ("skolor",),
           (6, 12, "skolbesök")),
        _T("faltarbete", "Fältgrupp ute kvällar och helger", "kommun",
           "Fältsekreterare där unga samlas, särskilt under lov.", ("föreningar",),
           (40, 80, "fältkvällar")),
    ),
    "droger": (
        _T("narkotikasok_hund", "Narkotikasök med hund på skolor i förebyggande syfte", "polis",
           "Förebyggande sök i samråd med rektorerna.", ("skolor",), (2, 4, "sök")),
        _T("narkotikainsatser_unga", "Riktade insatser mot ungdomar och narkotika", "polis",
           "Förstärkta pass under perioder med mycket ungdomsaktivitet.", (),
           (2, 4, "insatser")),
        _T("foraldratraffar", "Föräldraträffar om droger", "kommun",
           "Information till vårdnadshavare om tecken på droganvändning.",
           ("vårdnadshavare",), (2, 5, "föräldraträffar")),
        _T("langning", "Kontroller mot langning av alkohol till unga", "gemensam",
           "Tillsyn och kontroller inför skolavslutning och valborg.", ("näringsliv",)),
        _T("drogforebyggande_unga", "Drogförebyggande lektioner i skolan", "kommun",
           "Lektioner om alkohol, narkotika och tobak i årskurs 8.", ("skolor",)),
    ),
    "trafik": (
        _T("trafiksakerhetsrad", "Regelbundna möten i trafiksäkerhetsrådet", "gemensam",
           "Polis, räddningstjänst och kommunens gatuenhet går igenom olycksläget.",
           ("räddningstjänsten",), (4, 4, "möten")),
        _T("trimmade_mopeder", "Insatser mot trimmade mopeder och A-traktorer", "polis",
           "Kontroller på kvällar och helger under vår och sommar.", (), (2, 4, "insatser")),
        _T("trafikkontroller", "Trafikkontroller av nykterhet, hastighet och beteende", "polis",
           "Kontroller i alla kommundelar.", (), (100, 300, "trafikkontroller")),
        _T("skolvagar", "Översyn av trafikmiljön vid skolor", "kommun",
           "Säkrare skolvägar, av- och påstigning och belysning.", ("skolor",)),
        _T("cyklister", "Information om trafikregler för cyklister och fotgängare", "gemensam",
           "Informationsinsatser vid skolstart och i centrum.", ()),
    ),
    "trygghet_offentlig_miljo": (
        _T("trygghetsvandringar", "Trygghetsvandringar", "gemensam",
           "Vandringar med invånare för att hitta otrygga platser.",
           ("föreningar", "fastighetsägare"), (3, 6, "trygghetsvandringar")),
        _T("belysning", "Åtgärda belysning och växtlighet efter trygghetsvandringarna", "kommun",
           "Åtgärdslista från vandringarna följs upp varje tertial.", ("fastighetsägare",)),
        _T("trygghetsmatning", "Trygghetsmätning bland invånarna", "gemensam",
           "Enkät om upplevd trygghet i kommundelarna.", (), (1, 1, "mätning")),
        _T("medborgardialog", "Medborgardialoger om trygghet i kommundelarna", "gemensam",
           "Öppna möten där invånare möter polis och kommun.", ("föreningar",),
           (3, 5, "dialogmöten")),
        _T("klotter", "Snabb sanering av klotter och skadegörelse", "kommun",
           "Klotter saneras inom 48 timmar.", ("fastighetsägare",)),
    ),
    "inbrott": (
        _T("grannsamverkan", "Starta nya områden för grannsamverkan", "gemensam",
           "Informationsträffar och stöd till nya grannsamverkansområden.",
           ("bostadsrättsföreningar",), (4, 10, "nya områden")),
        _T("batsamverkan", "Båtsamverkan i båtklubbar och gästhamnar", "gemensam",
           "Information om märkning och låsning av båtar och motorer.", ("båtklubbar",),
           (1, 3, "nya områden")),
        _T("dna_markning", "Information om DNA-märkning av stöldbegärlig egendom", "polis",
           "Märksatser och information vid grannsamverkansträffar.", ()),
        _T("inbrottsskydd", "Informationsträffar om inbrottsskydd", "gemensam",
           "Råd om lås, larm och grannsamverkan inför semestern.", ("bostadsrättsföreningar",),
           (2, 4, "träffar")),
    ),
    "vald_i_nara_relationer": (
        _T("vald_utbildning", "Utbildning om våld i nära relationer för personal", "kommun",
           "För personal i skola, socialtjänst och omsorg.", (), (2, 4, "utbildningstillfällen")),
        _T("vald_samverkan", "Samverkan mellan polis, socialtjänst och kvinnojour", "gemensam",
           "Gemensamma rutiner för stöd efter polisanmälan.", ("kvinnojouren",)),
        _T("vald_information", "Informationskampanj om våld i nära relationer", "gemensam",
           "Affischer, sociala medier och information på vårdcentraler.", ("vårdcentraler",)),
    ),
}  # fmt: skip

# Clearly invented surnames, so no reader mistakes an example signatory for a real person.
_FIRST_NAMES = ("Anna", "Karin", "Maria", "Eva", "Lena", "Erik", "Lars", "Per", "Johan", "Anders")
_SURNAMES = ("Exempelsson", "Provström", "Demoberg", "Påhittad", "Fiktivsson", "Mönstergren")


def invented_promise(
    rng: random.Random,
    year: int,
    parties: str,
    signatories: list[dict[str, str]],
    *,
    themes: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """One invented single-year promise with 2–4 focus areas and 6–12 activities."""
    kind = "medborgarlöfte" if year >= FIRST_MEDBORGARLOFTE_YEAR else "samverkansöverenskommelse"
    label = "Medborgarlöfte" if kind == "medborgarlöfte" else "Samverkansöverenskommelse"
    themes = themes or tuple(rng.sample(sorted(THEMES), rng.randint(2, 4)))
    low, high = _ACTIVITIES_PER_AREA[len(themes)]
    focus_areas = [invented_focus_area(rng, theme, rng.randint(low, high)) for theme in themes]
    names = " och ".join(f["name"].lower() for f in focus_areas)
    return {
        "year_from": year,
        "year_to": year,
        "kind": kind,
        "title": f"{label} {year} – {parties}",
        "signed_on": dt.date(year, rng.choice((2, 3)), rng.randint(1, 28)),
        "signatories": signatories,
        "summary": f"Fokus under {year}: {names}.",
        "source": "exempel",
        "source_url": None,
        "focus_areas": focus_areas,
    }


def invented_focus_area(rng: random.Random, theme: str, activities: int) -> dict[str, Any]:
    """A focus area of ``theme`` with ``activities`` (at most as many as there are templates)."""
    names, description = THEMES[theme]
    chosen = rng.sample(TEMPLATES[theme], min(activities, len(TEMPLATES[theme])))
    return {
        "name": rng.choice(names),
        "theme": theme,
        "description": description,
        "activities": [invented_activity(rng, template) for template in chosen],
    }


def invented_activity(rng: random.Random, template: Template) -> dict[str, Any]:
    """An activity from ``template``; a target, if any, drawn from its range."""
    target_value, target_unit = None, None
    if template.target is not None:
        lowest, highest, target_unit = template.target
        target_value = float(rng.randint(lowest, highest))
    return {
        "lineage_key": template.lineage_key,
        "title": template.title,
        "description": template.description,
        "owner": template.owner,
        "partners": list(template.partners),
        "target_value": target_value,
        "target_unit": target_unit,
        "source": "exempel",
        "source_url": None,
        "outcomes": {},
    }


def invented_signatories(rng: random.Random, years: range) -> dict[int, list[dict[str, str]]]:
    """Invented signatories per year; each side changes person now and then, not every year."""
    kommun = police = None
    by_year = {}
    for year in years:
        if kommun is None or rng.random() < 0.2:
            kommun = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
        if police is None or rng.random() < 0.25:
            police = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
        police_role = (
            "lokalpolisområdeschef" if year >= POLICE_REORGANISATION_YEAR else "närpolischef"
        )
        by_year[year] = [
            {"name": kommun, "role": "kommundirektör"},
            {"name": police, "role": police_role},
        ]
    return by_year
