"""What Strängnäs kommun and the police published about the promises of 2018–2023, as data.

Restates ``../shared/seed/strangnas-facts.md`` and the 2021 seed text. Every row here is
``verklig`` and carries the URL of the page it comes from; nothing is added that the sources
do not say. Where a source gives no date or no signatories they stay empty, and where it
reports no outcome the activity has no ``outcomes`` entry, so the demo invents that year-end
evaluation and marks it ``exempel``. 2018 is the one exception by design: its action plan was
never published, so its focus areas say ``activities: None`` and the demo invents them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

KOMMUN = "Strängnäs kommun"
KOMMUN_CODE = "0486"
POLICE_AREA = "Lokalpolisområde Eskilstuna/Strängnäs"
TITLE_PARTIES = "Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs"

_NEWS = "https://www.strangnas.se/arkiv/nyheter/nyheter/"
_TOURISM_NEWS = "https://turism.strangnas.se/arkiv/nyheter/nyheter/"
URL_2018 = _TOURISM_NEWS + "2018-02-05-medborgarlofte-med-fokus-pa-unga"
URL_POLICE = "https://polisen.se/om-polisen/medborgarloften/strangnas/"
URL_2019_FOLLOW_UP = _NEWS + "2020-01-28-uppfoljning-av-medborgarloftet-2019"
URL_2020 = _NEWS + "2020-03-16-nytt-medborgarlofte-i-strangnas-kommun"
URL_2020_RESULT = _TOURISM_NEWS + "2021-02-24-resultat-av-medborgarloftet-2020"
URL_2020_WALKS = _NEWS + "2021-03-02-tre-trygghetsvandringar-under-2020"
# The 2021 seed text is the municipality's news item, but its address is not in the seed;
# the January 2022 summary of the same promise is the nearest published page with a known URL.
URL_2021 = _NEWS + "2022-01-12-sammanfattning-av-medborgarloftet-for-2021"
URL_2022 = (
    "https://polisen.se/om-polisen/medborgarloften-och-lokal-samverkan/medborgarloften/strangnas/"
)

PARTNERS_2021 = ["vårdnadshavare och andra vuxna", "samfund", "näringsliv", "föreningar"]


def _activity(
    lineage: str,
    title: str,
    owner: str,
    url: str,
    *,
    target: float | None = None,
    unit: str | None = None,
    partners: list[str] | None = None,
    description: str = "",
    outcomes: dict[int, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "lineage_key": lineage,
        "title": title,
        "description": description,
        "owner": owner,
        "partners": partners or [],
        "target_value": target,
        "target_unit": unit,
        "source": "verklig",
        "source_url": url,
        "outcomes": outcomes or {},
    }


def _outcome(
    year: int, url: str, comment: str, *, status: str = "genomford", completion: int = 100,
    achieved: float | None = None,
) -> dict[int, dict[str, Any]]:  # fmt: skip
    return {
        year: {
            "status": status,
            "completion": completion,
            "achieved_value": achieved,
            "comment": comment,
            "source_url": url,
        }
    }


def _promise(year_from: int, year_to: int, url: str, **fields: Any) -> dict[str, Any]:
    years = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
    return {
        "year_from": year_from,
        "year_to": year_to,
        "kind": "medborgarlöfte",
        "title": f"Medborgarlöfte {years} – {TITLE_PARTIES}",
        "signed_on": None,
        "signatories": [],
        "source": "verklig",
        "source_url": url,
        **fields,
    }


def _focus(name: str, theme: str, description: str, activities) -> dict[str, Any]:
    return {"name": name, "theme": theme, "description": description, "activities": activities}


PROMISE_2018 = _promise(
    2018, 2018, URL_2018,
    signed_on=dt.date(2018, 2, 5),
    signatories=[
        {"name": "Christer Sjökvist", "role": "lokalpolisområdeschef"},
        {"name": "Cecilia Vikström", "role": "kommundirektör"},
    ],
    summary=(
        "Förebyggande och repressivt arbete för att unga – unga kvinnor och män samt unga "
        "vuxna – inte ska dras in i kriminella grupperingar och brottslighet, särskilt "
        "narkotikabrottslighet. Till löftet hör en handlingsplan med aktiviteter för båda parter."
    ),
    focus_areas=[
        _focus(
            "Unga och kriminella grupperingar", "ungdomar",
            "Förebyggande och repressivt arbete så att unga inte dras in i kriminella "
            "grupperingar och brottslighet.",
            None,
        ),
        _focus(
            "Narkotikabrottslighet bland unga", "droger",
            "Särskilt fokus på att unga inte dras in i narkotikabrottslighet.",
            None,
        ),
    ],
)  # fmt: skip

PROMISE_2019 = _promise(
    2019, 2019, URL_POLICE,
    summary=(
        "Målet är färre båt- och bostadsinbrott och en säkrare trafik. "
        "Löftet undertecknades i februari 2019."
    ),
    focus_areas=[
        _focus(
            "Färre båt- och bostadsinbrott", "inbrott",
            "Grannsamverkan, båtsamverkan och DNA-märkning mot inbrott i bostäder och båtar.",
            [
                _activity(
                    "grannsamverkan",
                    "Informera om grannsamverkan och DNA-märkning; etablera nya "
                    "grannsamverkansområden",
                    "gemensam", URL_POLICE, target=8, unit="nya områden",
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "20 nya grannsamverkansområden startades under 2019 (målet var minst 8).",
                        achieved=20,
                    ),
                ),
                _activity(
                    "batsamverkan", "Informera om båtsamverkan; etablera nya områden",
                    "gemensam", URL_POLICE, target=2, unit="nya områden",
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "3 nya områden för båtsamverkan startades under 2019 (målet var 2).",
                        achieved=3,
                    ),
                ),
                _activity(
                    "lokaler_utbildning",
                    "Tillhandahålla lokaler för utbildning i grannsamverkan och båtsamverkan",
                    "kommun", URL_POLICE,
                ),
            ],
        ),
        _focus(
            "Trygghet i offentlig miljö", "trygghet_offentlig_miljo",
            "Trygghetsvandringar, bland annat kring Strängnäs resecentrum och Läggesta station.",
            [
                _activity(
                    "trygghetsvandringar",
                    "Trygghetsvandringar, bland annat kring Strängnäs resecentrum och "
                    "Läggesta station",
                    "gemensam", URL_POLICE, target=4, unit="trygghetsvandringar",
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "4 trygghetsvandringar genomfördes enligt uppföljningen i januari 2020. "
                        "En artikel på kommunens webbplats i december 2019 räknar 5 (Läggesta "
                        "och Marielund, seniorernas vandring i Stallarholmen, Abborrberget och "
                        "Åkers styckebruk).",
                        achieved=4,
                    ),
                ),
            ],
        ),
        _focus(
            "Säkrare trafik", "trafik",
            "Trafikkontroller, insatser mot trimmade mopeder och ett regelbundet "
            "trafiksäkerhetsråd.",
            [
                _activity(
                    "trafikkontroller",
                    "Trafikkontroller i alla kommundelar: nykterhet, hastighet och beteende",
                    "polis", URL_POLICE, unit="trafikkontroller",
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "303 trafikkontroller genomfördes under 2019.", achieved=303,
                    ),
                ),
                _activity(
                    "trimmade_mopeder", "Riktade insatser mot trimmade mopeder och A-traktorer",
                    "polis", URL_POLICE, target=2, unit="insatser",
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "Uppföljningen anger att insats mot trimmade mopeder genomfördes; "
                        "antalet insatser redovisas inte.",
                    ),
                ),
                _activity(
                    "trafiksakerhetsrad",
                    "Regelbundna möten i trafiksäkerhetsrådet tillsammans med kommunen",
                    "gemensam", URL_POLICE,
                    outcomes=_outcome(
                        2019, URL_2019_FOLLOW_UP,
                        "Trafiksäkerhetsrådet har träffats enligt plan under året.",
                    ),
                ),
            ],
        ),
    ],
)  # fmt: skip

PROMISE_2020 = _promise(
    2020, 2020, URL_2020,
    signed_on=dt.date(2020, 3, 16),
    signatories=[
        {"name": "Lars Ekström", "role": "kommundirektör"},
        {"name": "Christer Sjöqvist", "role": "lokalpolisområdeschef"},
    ],
    summary=(
        "Fokus på unga och brottslighet: att tidigare upptäcka narkotikaanvändning, främst "
        "bland personer som är 21 år och yngre. Undertecknat på polisstationen i Strängnäs."
    ),
    focus_areas=[
        _focus(
            "Unga och brottslighet", "ungdomar",
            "Nära kontakt med skolor, fritidsgårdar, socialtjänst och lokala "
            "brottsförebyggande råd.",
            [
                _activity(
                    "lokala_bra",
                    "Nära kontakt med skolor, fritidsgårdar, socialtjänst och lokala "
                    "brottsförebyggande råd (lokala BRÅ)",
                    "polis", URL_POLICE,
                    outcomes=_outcome(
                        2020, URL_2020_RESULT,
                        "4 lokala BRÅ-möten i varje kommundel. EST-möten (Effektiv samordning "
                        "för trygghet) hölls oftare än 2019, i perioder varje vecka, och ledde "
                        "till den gemensamma sommarsatsningen Säker sommar.",
                    ),
                ),
            ],
        ),
        _focus(
            "Tidig upptäckt av narkotika bland unga", "droger",
            "Upptäcka narkotikaanvändning tidigare, främst bland personer som är 21 år och yngre.",
            [
                _activity(
                    "narkotikainsatser_unga",
                    "Planerade insatser riktade mot ungdomar och narkotika",
                    "polis", URL_POLICE, target=2, unit="insatser",
                    outcomes=_outcome(
                        2020, URL_2020_RESULT,
                        "2 insatser genomfördes, med förstärkning i perioder där områdespoliser "
                        "arbetade tillsammans med ingripandeverksamheten.",
                        achieved=2,
                    ),
                ),
                _activity(
                    "narkotikasok_hund",
                    "Narkotikasök med hund på skolor i förebyggande syfte",
                    "polis", URL_POLICE, target=2, unit="sök",
                ),
                _activity(
                    "avloppsvatten", "Mäta narkotika i avloppsvatten i olika delar av kommunen",
                    "kommun", URL_POLICE,
                ),
            ],
        ),
        _focus(
            "Trygghet i offentlig miljö", "trygghet_offentlig_miljo",
            "Trygghetsvandringar i kommundelarna.",
            [
                _activity(
                    "trygghetsvandringar", "Trygghetsvandringar", "gemensam", URL_POLICE,
                    unit="trygghetsvandringar",
                    outcomes=_outcome(
                        2020, URL_2020_WALKS,
                        "3 trygghetsvandringar genomfördes (Mariefred, Strängnäs centrum och "
                        "Finningeområdet). En planerad vandring i Åkers styckebruk flyttades "
                        "till 2021; pandemin höll tillbaka skolbesök, trygghetsvandringar och "
                        "andra möten.",
                        status="forsenad", completion=75, achieved=3,
                    ),
                ),
            ],
        ),
    ],
)  # fmt: skip

PROMISE_2021 = _promise(
    2021, 2021, URL_2021,
    signed_on=dt.date(2021, 3, 11),
    signatories=[
        {"name": "Lars Ekström", "role": "kommundirektör"},
        {"name": "Christer Sjöqvist", "role": "polischef"},
    ],
    summary=(
        "Fokus på ungdomar med normbrytande beteenden, kriminalitet och att upptäcka droger "
        "bland unga. Arbetet med att leda in ungdomarna på andra banor än den kriminella görs i "
        "samverkan med vårdnadshavare och andra vuxna, samfund, näringsliv och föreningar."
    ),
    focus_areas=[
        _focus(
            "Ungdomar med normbrytande beteenden och kriminalitet", "ungdomar",
            "Leda in ungdomarna på andra banor än den kriminella, i samverkan med "
            "vårdnadshavare och andra vuxna, samfund, näringsliv och föreningar.",
            [
                _activity(
                    "polis_socialtjanst",
                    "Fortsatt och utvecklat samarbete mellan polisen och socialtjänsten",
                    "gemensam", URL_2021, partners=PARTNERS_2021,
                ),
                _activity(
                    "trygghetsvandringar",
                    "Fortsatt dialog med unga, till exempel genom trygghetsvandringar",
                    "gemensam", URL_2021, partners=PARTNERS_2021,
                    outcomes=_outcome(
                        2021, URL_2021,
                        "Pandemin höll återigen tillbaka skolbesök och trygghetsvandringar.",
                        status="forsenad", completion=50,
                    ),
                ),
                _activity(
                    "lokala_bra",
                    "Fortsatt arbete i de upparbetade mötesformerna för kontakt med ungdomar",
                    "gemensam", URL_2021, partners=PARTNERS_2021,
                    outcomes=_outcome(
                        2021, URL_2021,
                        "4 lokala BRÅ-möten i varje kommundel (polis, trygghetssamordnare, "
                        "räddningstjänst, skolledning och elevhälsa, fritidsgårdar, Team Ungdom, "
                        "socialtjänst och Svenska kyrkan). EST träffades varje vecka och Säker "
                        "sommar genomfördes igen.",
                    ),
                ),
            ],
        ),
        _focus(
            "Upptäcka droger bland unga", "droger",
            "Tidig upptäckt av droger bland unga.",
            [
                _activity(
                    "narkotikasok_hund", "Narkotikasök med hund i förebyggande syfte",
                    "polis", URL_2021,
                    outcomes=_outcome(
                        2021, URL_2021, "Ett narkotikasök med hund genomfördes under 2021."
                    ),
                ),
            ],
        ),
    ],
)  # fmt: skip

PROMISE_2022_2023 = _promise(
    2022, 2023, URL_2022,
    summary=(
        "Ett gemensamt medborgarlöfte för 2022 och 2023 med fokusområdena Ökad trygghet och "
        "minskad brottslighet samt Trygg trafikmiljö."
    ),
    focus_areas=[
        _focus(
            "Ökad trygghet och minskad brottslighet", "trygghet_offentlig_miljo",
            "Polisens och kommunens löfte: dialog om trygghet, tidigt förebyggande arbete mot "
            "droger, våld i nära relationer och sexuell exploatering av unga.",
            [
                _activity(
                    "medborgardialog",
                    "Informations- och dialogmöten om trygghet med invånare i olika delar av "
                    "kommunen",
                    "gemensam", URL_2022,
                ),
                _activity(
                    "drogforebyggande_unga",
                    "Tidigt och förebyggande arbete för att skydda unga från narkotika och "
                    "andra droger",
                    "gemensam", URL_2022,
                ),
                _activity(
                    "vald_information", "Öka medvetenheten om våld i nära relationer",
                    "gemensam", URL_2022,
                ),
                _activity(
                    "sexuell_exploatering",
                    "Öka medvetenheten om och agera mot sexuell exploatering och sexuella "
                    "övergrepp mot unga",
                    "gemensam", URL_2022,
                ),
            ],
        ),
        _focus(
            "Trygg trafikmiljö", "trafik",
            "En trygg trafikmiljö med fokus på oskyddade trafikanter.",
            [
                _activity(
                    "trafiksakerhetsrad", "Fortsätta utveckla trafiksäkerhetsrådet",
                    "gemensam", URL_2022,
                    partners=["räddningstjänsten", "kommunens stadsmiljöenhet", "taxibolag",
                              "bussbolag"],
                    description="Polis, räddningstjänst, kommunens stadsmiljöenhet samt taxi- "
                    "och bussbolag.",
                ),
                _activity(
                    "trimmade_mopeder", "Insatser mot trimmade mopeder och A-traktorer",
                    "polis", URL_2022,
                ),
                _activity(
                    "cyklister",
                    "Trafikinsatser riktade mot cyklister och fotgängare, med information om "
                    "trafikreglerna",
                    "gemensam", URL_2022,
                ),
            ],
        ),
    ],
)  # fmt: skip

PROMISES = (PROMISE_2018, PROMISE_2019, PROMISE_2020, PROMISE_2021, PROMISE_2022_2023)
"""The published promises, oldest first; the demo invents every year they do not cover."""
