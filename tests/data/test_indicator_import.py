"""Import of indicator values from CSV and .xlsx (issue 12, item 3), on SQLite and PostgreSQL.

A good file (decimal comma and point, an område, a period, a police area, a kommun code that
Excel shortened) is written through save_values as real imported values, all or nothing; every
bad input (unknown indicator, kommun code that does not exist, a value that is not a number, a
year outside 2000–2100, a duplicate, …) is refused with its row number and nothing is written
(row counts, audit log included, before and after). The template uploaded unchanged refuses
nothing and writes nothing (its rows are examples); filled in, it imports cleanly. An admin of
another kommun is refused; the command-line function says what it did.
"""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.admin import indicator_import
from dashboard.admin.import_file import ImportFileError
from dashboard.admin.importer import ImportRefused
from db.demo_indicators import DEFINITIONS, PROBLEM_INDEX, VIOLENCE, YOUTH_SURVEY
from db.models import AuditLog, Indicator, IndicatorValue
from testsupport import builders
from testsupport.databases import counts
from testsupport.files import csv_rows

ADA = Actor.of("ada", ["admin"])  # admin of Strängnäs
ERIK = Actor.of("erik", ["admin"])  # admin of Eskilstuna
POLICE_AREA = "Lokalpolisområde Eskilstuna/Strängnäs"
HEADER = list(indicator_import.COLUMN_NAMES)


def line(**cells: str) -> dict[str, str]:
    """A file row: the template's columns, empty unless given (Källa-URL as kalla)."""
    names = {"kalla": "Källa-URL", "ar": "År", "omrade": "Område", "polis": "Lokalpolisområde"}
    base = {"Indikator": VIOLENCE, "Kommunkod": "0486", "År": "2024", "Värde": "812,4"}
    given = {names.get(k, k): v for k, v in cells.items()}
    return {name: {**base, **given}.get(name, "") for name in HEADER}


def csv_file(rows: list[dict]) -> bytes:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))
    return b"\xef\xbb\xbf" + frame.write_csv(separator=";").encode()


GOOD = [
    line(),  # decimal comma
    line(ar="2023", Värde="790.5", kalla="https://www.kolada.se/"),  # decimal point
    line(Indikator=PROBLEM_INDEX, omrade="Mariefred", Värde="2,8"),
    line(Indikator=PROBLEM_INDEX, Värde="3,1"),
    line(Indikator=YOUTH_SURVEY, Kommunkod="486", Period="T2", Värde="61"),  # Excel's 486
]


@pytest.fixture
def world(engine):
    """Strängnäs and Eskilstuna (one police area), the demo's three definitions, ada admin of
    Strängnäs, erik of Eskilstuna, sam samordnare of Strängnäs, nina national admin."""
    with Session(engine) as s:
        strangnas = builders.make_partnership(s)
        eskilstuna = builders.make_partnership(s, code="0484", kommun_name="Eskilstuna kommun")
        s.add_all(Indicator(**definition) for definition in DEFINITIONS)
        builders.make_user(s, "ada", ("admin", strangnas.kommun_id))
        builders.make_user(s, "erik", ("admin", eskilstuna.kommun_id))
        builders.make_user(s, "sam", ("samordnare", strangnas.kommun_id))
        builders.make_user(s, "nina", ("admin", None))
        s.commit()
    return engine


def run(engine, data: bytes, name: str = "varden.csv", actor: Actor = ADA):
    frame = indicator_import.read_file(data, name)
    with Session(engine) as session, session.begin():
        return indicator_import.run_import(session, actor, frame)


def stored(engine) -> dict[tuple, tuple]:
    with Session(engine) as s:
        return {
            (v.indicator.code, v.organisation_id, v.area, v.year, v.period_no): (
                v.value, v.origin, v.source, v.source_url,
            )
            for v in s.scalars(select(IndicatorValue))
        }  # fmt: skip


def test_a_good_file_is_stored_as_real_imported_values_and_again_changes_nothing(world):
    plan = run(world, csv_file(GOOD))
    assert plan.describe() == "5 rader: 5 nya värden, 0 ändrade, 0 oförändrade."
    assert plan.preview()["Organisation"].to_list() == ["Strängnäs"] * 5
    values = stored(world)
    assert sorted((code, area, year, period, v[0]) for (code, _, area, year, period), v in
                  values.items()) == [
        (VIOLENCE, "", 2023, 0, 790.5), (VIOLENCE, "", 2024, 0, 812.4),
        (YOUTH_SURVEY, "", 2024, 2, 61.0),
        (PROBLEM_INDEX, "", 2024, 0, 3.1), (PROBLEM_INDEX, "Mariefred", 2024, 0, 2.8),
    ]  # fmt: skip
    assert {v[1:3] for v in values.values()} == {("import", "verklig")}
    assert sorted(v[3] or "" for v in values.values())[-1] == "https://www.kolada.se/"
    with Session(world) as s:
        trail = [(a.table_name, a.action, a.after["added"]) for a in s.scalars(select(AuditLog))]
    assert sorted(trail) == [("indicator_value", "load", 1), ("indicator_value", "load", 2),
                             ("indicator_value", "load", 2)]  # fmt: skip  # one per indicator
    again = run(world, csv_file(GOOD))
    assert again.describe() == "5 rader: 0 nya värden, 0 ändrade, 5 oförändrade."
    assert not again.writes and stored(world) == values


def test_a_changed_value_is_previewed_then_updated(world):
    run(world, csv_file([line()]))
    frame = indicator_import.read_file(csv_file([line(Värde="1 020,5"), line(ar="2025")]))
    with Session(world) as s:
        plan = indicator_import.plan_import(s, ADA, frame)
    assert plan.preview()["Ändring"].to_list() == ["Ändras från 812,4", "Nytt värde"]
    assert plan.preview()["Värde"].to_list() == ["1\u00a0020,5", "812,4"]
    assert counts(world)["indicator_value"] == 1  # planning writes nothing
    run(world, csv_file([line(Värde="1 020,5")]))
    assert [v[0] for v in stored(world).values()] == [1020.5]


BAD = {
    "unknown indicator": (line(Indikator="N99999"), "Indikator", "Okänd indikator ”N99999”."),
    "kommun code that does not exist": (
        line(Kommunkod="9999"), "Kommunkod", "Kommunkoden ”9999” finns inte i SCB:s kommunlista."
    ),
    "kommun code that is no code": (line(Kommunkod="Strängnäs"), "Kommunkod", "finns inte"),
    "value not a number": (line(Värde="hög"), "Värde", "Värde ska vara ett tal, inte ”hög”."),
    "value missing": (line(Värde=""), "Värde", "Värde saknas."),
    "year before 2000": (line(ar="1999"), "År", "Året 1999 ligger utanför 2000–2100."),
    "year after 2100": (line(ar="2101"), "År", "Året 2101 ligger utanför 2000–2100."),
    "year not a whole number": (line(ar="2024,5"), "År", "Ange året som ett heltal"),
    "period out of range": (line(Period="7"), "Period", "periodens nummer 1–6"),
    "kommun and police area both": (line(polis=POLICE_AREA), "Lokalpolisområde", "inte båda"),
    "no organisation": (line(Kommunkod=""), "Kommunkod", "Kommunkod saknas"),
    "unknown police area": (line(Kommunkod="", polis="LPO Ingenstans"), "Lokalpolisområde",
                            "Lokalpolisområdet ”LPO Ingenstans” finns inte."),
    "source that is no address": (line(kalla="kolada.se"), "Källa-URL", "https://"),
    "area too long": (line(omrade="x" * 121), "Område", "högst 120 tecken"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_every_bad_row_is_refused_with_its_row_and_nothing_is_written(world, case):
    bad, column, message = BAD[case]
    before = counts(world)
    with pytest.raises(ImportRefused) as refused:
        run(world, csv_file([line(ar="2020"), bad, line(ar="2021")]))  # good rows around it
    assert str(refused.value) == "Inget importerades: 1 fel på 1 rad. Rätta filen och försök igen."
    [error] = refused.value.errors
    assert (error.row, error.column) == (3, column) and message in error.message
    assert counts(world) == before


def test_a_duplicate_within_the_file_names_the_first_row(world):
    before = counts(world)
    rows = [line(), line(Indikator=PROBLEM_INDEX, omrade="Mariefred"),
            line(Värde="900"), line(Indikator=PROBLEM_INDEX, omrade="MARIEFRED")]  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run(world, csv_file(rows))
    assert [(e.row, e.message[:22]) for e in refused.value.errors] == [
        (4, "Dubblett av rad 2: sam"), (5, "Dubblett av rad 3: sam")]  # fmt: skip
    assert counts(world) == before


def test_every_error_of_every_row_is_listed_at_once(world):
    with pytest.raises(ImportRefused) as refused:
        run(world, csv_file([line(Indikator="x", Värde="y", ar="1800"), line(Kommunkod="0000")]))
    found = [(e.row, e.column) for e in refused.value.errors]
    assert found == [(2, "Indikator"), (2, "Värde"), (2, "År"), (3, "Kommunkod")]


def test_a_missing_column_or_an_unreadable_file_is_refused_before_any_row(world):
    no_value = csv_file([{k: v for k, v in line().items() if k != "Värde"}])
    with pytest.raises(ImportRefused, match="1 fel"):
        run(world, no_value)
    with pytest.raises(ImportFileError, match="Filen är tom"):
        run(world, b"")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_round_trips(world, kind):
    """Unchanged: every row an example, nothing refused and nothing written. Filled in (the
    mark cleared, a value with a decimal comma): every row imports."""
    with Session(world) as s:
        data = getattr(indicator_import, f"template_{kind}")(s, "0486")
    before = counts(world)
    plan = run(world, data, f"mall.{kind}")
    assert plan.describe().startswith("Inget att importera: filen har bara 3 exempelrader från")
    assert plan.examples == [2, 3, 4] and counts(world) == before
    frame = indicator_import.read_file(data, f"mall.{kind}").drop("_rad")
    assert frame["Indikator"].to_list() == sorted(d["code"] for d in DEFINITIONS)
    assert set(frame["Kommunkod"]) == {"0486"}  # kept as text, leading zero and all
    filled = frame.with_columns(Exempel=pl.lit(None, pl.String), Värde=pl.lit("2,5"))
    if kind == "csv":
        again = indicator_import.import_file.template_csv(filled)
    else:
        again = indicator_import.import_file.template_xlsx(
            filled, indicator_import.COLUMNS, indicator_import.SHEET_NAME
        )
    plan = run(world, again, f"ifylld.{kind}")
    assert plan.describe() == "3 rader: 3 nya värden, 0 ändrade, 0 oförändrade."
    assert {v[0] for v in stored(world).values()} == {2.5}


def test_the_template_suggests_the_year_after_the_kommuns_latest_value(world):
    run(world, csv_file([line(ar="2019")]))
    with Session(world) as s:
        frame = indicator_import.template_frame(s, "0486")
    assert frame.filter(pl.col("Indikator") == VIOLENCE)["År"].to_list() == ["2020"]


def test_typed_text_is_stored_as_typed_and_the_template_is_inert(world):
    run(world, csv_file([line(omrade="+1 Mariefred")]))
    assert [key[2] for key in stored(world)] == ["+1 Mariefred"]
    with Session(world) as s, s.begin():
        s.add(Indicator(code='=HYPERLINK("http://x","y")', name="x", unit="x", better="lagre",
                        source_name="x", source_url=None))  # fmt: skip
    with Session(world) as s:
        rows = csv_rows(indicator_import.template_csv(s, "0486"))
        workbook = indicator_import.template_xlsx(s, "0486")
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith("xml"))
    assert "<f>" not in xml and "<f " not in xml and "<hyperlink" not in xml


@pytest.mark.parametrize(
    ("actor", "message"),
    [(ERIK, "Du har inte behörighet att administrera för Strängnäs kommun."),
     (Actor.of("sam", ["samordnare"]), "kräver rollen administratör"),
     (None, "Du måste vara inloggad")],
    ids=["admin of another kommun", "samordnare", "nobody"],
)  # fmt: skip
def test_an_import_outside_the_admins_scope_is_refused_and_writes_nothing(world, actor, message):
    before = counts(world)
    with pytest.raises(NotPermitted, match=message):
        run(world, csv_file(GOOD), actor=actor)
    assert counts(world) == before


def test_a_police_area_needs_a_scope_that_covers_it(world):
    police_row = [line(Kommunkod="", polis=POLICE_AREA)]
    with pytest.raises(NotPermitted, match="Lokalpolisområde Eskilstuna/Strängnäs"):
        run(world, csv_file(police_row))  # a kommun admin does not cover the police area
    run(world, csv_file(police_row), actor=Actor.of("nina", ["admin"]))
    with Session(world) as s:
        police = builders.organisation_id(s, "lokalpolisomrade", POLICE_AREA)
    assert list(stored(world)) == [(VIOLENCE, police, "", 2024, 0)]  # the police area's own


def test_the_command_line_function_imports_or_lists_every_error(world, tmp_path):
    good, bad = tmp_path / "varden.csv", tmp_path / "fel.csv"
    good.write_bytes(csv_file(GOOD))
    bad.write_bytes(csv_file([line(Värde="x"), line(ar="3000")]))
    assert indicator_import.import_file_cli(world, good) == (
        "Indikatorvärden från varden.csv: 5 nya värden, 0 ändrade, 0 oförändrade."
    )
    before = counts(world)
    with pytest.raises(indicator_import.FileRefused) as refused:
        indicator_import.import_file_cli(world, bad)
    assert str(refused.value).splitlines() == [
        "Inget importerades: 2 fel på 2 rader. Rätta filen och försök igen.",
        "rad 2, Värde: Värde ska vara ett tal, inte ”x”.",
        "rad 3, År: Året 3000 ligger utanför 2000–2100.",
    ]
    with pytest.raises(indicator_import.FileRefused, match="går inte att läsa"):
        indicator_import.import_file_cli(world, tmp_path / "saknas.csv")
    assert counts(world) == before
    with Session(world) as s:
        assert {a.username for a in s.scalars(select(AuditLog))} == {"kommandorad"}


def test_indikatorer_importera_on_the_command_line(world, tmp_path, capsys):
    from dashboard import cli

    url = world.url.render_as_string(hide_password=False)
    good, bad = tmp_path / "varden.csv", tmp_path / "fel.csv"
    good.write_bytes(csv_file(GOOD))
    bad.write_bytes(csv_file([line(Värde="x")]))
    assert cli.main(["--database-url", url, "indikatorer", "importera", str(good)]) == 0
    assert "5 nya värden" in capsys.readouterr().out
    before = counts(world)
    assert cli.main(["--database-url", url, "indikatorer", "importera", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Inget importerades" in err and "rad 2, Värde" in err
    assert counts(world) == before
