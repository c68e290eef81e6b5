"""Import of activities and evaluations from CSV and .xlsx (issue 7), on SQLite and PostgreSQL.

Good files import all or nothing and a second import of the same file changes nothing; bad
files (missing column, unknown focus area, values out of range, duplicates, empty, too many
rows, not what the name says) are refused with their row numbers and reasons, and nothing is
written.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.admin import import_file, importer
from dashboard.admin.importer import ImportRefused
from db.models import Activity, AuditLog, Evaluation
from testsupport import builders
from testsupport.databases import counts
from testsupport.files import HEADER, csv_file, import_bytes, refused, row, xlsx_file

GOOD = [
    # an existing activity (by lineage key), a new evaluation of it
    row(aktivitet="Trygghetsvandringar", linje="walks", mal=4, enhet="vandringar",
        tertial="T2", status="Pågår", klart="60 %", uppnatt=3, kommentar="Tre av fyra"),
    # the same activity's stored T1 evaluation, exactly as stored: unchanged
    row(aktivitet="Trygghetsvandringar", linje="walks", tertial=1, status="pagar", klart=40),
    # a new activity without evaluation, in another focus area, decimal comma
    row(omrade="trafik", aktivitet="Hastighetskontroller", ansvarig="Polisen", mal="12,5",
        partner="Trafikverket, skolor"),
    # a new activity with an evaluation that needs (and has) a comment
    row(aktivitet="Föräldravandringar", ansvarig="kommun", tertial="T1", status="Försenad",
        klart=20, kommentar="Väntar på föräldrar"),
]  # fmt: skip


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        p = builders.make_partnership(s)
        builders.make_user(s, "ada", ("admin", p.kommun_id))
        promise = builders.make_promise(s, p, year=2026)
        unga = builders.make_focus_area(s, promise, name="Unga", theme="ungdomar")
        builders.make_focus_area(s, promise, name="Trafik", theme="trafik")
        walks = builders.make_activity(
            s, unga, title="Trygghetsvandringar", lineage_key="walks", owner="gemensam",
            target_value=4, target_unit="vandringar",
        )  # fmt: skip
        builders.make_evaluation(s, walks, tertial=1, status="pagar", completion=40)
        s.commit()
        return engine, p.id


@pytest.mark.parametrize(
    "make", [csv_file, xlsx_file, lambda r: csv_file(r, separator=",", bom=False)],
    ids=["csv-semicolon-bom", "xlsx", "csv-comma"],
)  # fmt: skip
def test_good_file_imports_and_a_second_import_changes_nothing(world, make):
    engine, pid = world
    data = make(GOOD)
    summary = import_bytes(engine, pid, data, "aktiviteter.fil")
    assert (summary.activities_created, summary.activities_updated) == (2, 0)
    assert (summary.evaluations_created, summary.unchanged) == (2, 1)
    with Session(engine) as s:
        activities = {a.title: a for a in s.scalars(select(Activity))}
        speed = activities["Hastighetskontroller"]
        assert (speed.owner, speed.target_value, speed.partners) == (
            "polis", 12.5, ["Trafikverket", "skolor"])  # fmt: skip
        assert activities["Föräldravandringar"].owner == "kommun"
        walks_t2 = s.scalars(select(Evaluation).where(Evaluation.period_no == 2)).one()
        assert (walks_t2.status, walks_t2.completion, walks_t2.achieved_value) == ("pagar", 60, 3)
        assert (walks_t2.evaluated_by, walks_t2.source, walks_t2.version) == ("Ada", "exempel", 1)
        trail = {(a.table_name, a.action) for a in s.scalars(select(AuditLog))}
        assert trail == {("activity", "insert"), ("evaluation", "insert")}
    after_first = counts(engine)
    again = import_bytes(engine, pid, data, "aktiviteter.fil")
    assert again.describe() == "Inget att ändra: alla 4 rader finns redan i databasen."
    assert counts(engine) == after_first


def test_a_changed_activity_is_updated_and_an_empty_cell_erases_nothing(world):
    engine, pid = world
    data = csv_file([row(aktivitet="TRYGGHETSVANDRINGAR ", beskrivning="Nu med skolor")])
    summary = import_bytes(engine, pid, data, "x.csv")
    assert (summary.activities_created, summary.activities_updated) == (0, 1)
    with Session(engine) as s:
        walks = s.scalars(select(Activity)).one()
        # matched on title; the description changed; the empty Målvärde/Linjenyckel did not
        assert (walks.description, walks.target_value, walks.lineage_key) == (
            "Nu med skolor", 4, "walks")  # fmt: skip
        [entry] = s.scalars(select(AuditLog)).all()
        assert (entry.action, entry.before["description"]) == ("update", "")


def _many(n: int) -> bytes:
    return csv_file([row(aktivitet=f"Aktivitet {i}") for i in range(n)])


def _docx_named_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" + "\x00" * 10)
    return buffer.getvalue()


BAD = {
    "missing column": (
        lambda: csv_file([{k: v for k, v in row(aktivitet="A").items() if k != "Ansvarig"}]),
        "a.csv", [(None, "Ansvarig", "Kolumnen ”Ansvarig” saknas i rubrikraden.")],
    ),
    "unknown column": (
        lambda: csv_file([{**row(aktivitet="A"), "Kommentarer": "x"}]),
        "a.csv", [(None, "Kommentarer", "Okänd kolumn ”Kommentarer”.")],
    ),
    "unknown focus area": (
        lambda: xlsx_file([row(aktivitet="A"), row(omrade="Droger", aktivitet="B")]),
        "a.xlsx", [(3, "Fokusområde", "Fokusområdet ”Droger” finns inte i löftet för 2026. "
                                      "Välj ett av: Unga, Trafik.")],
    ),
    "no promise for the year": (
        lambda: csv_file([row(ar=2031, aktivitet="A")]),
        "a.csv", [(2, "År", "Det finns inget löfte för 2031.")],
    ),
    "completion out of range": (
        lambda: csv_file([row(aktivitet="A", tertial="T1", status="Pågår", klart=150)]),
        "a.csv", [(2, "Klart (%)", "Klart ska vara mellan 0 och 100 %")],
    ),
    "negative target": (
        lambda: csv_file([row(aktivitet="A", mal=-1)]),
        "a.csv", [(2, "Målvärde", "Målvärdet får inte vara negativt.")],
    ),
    "not a number": (
        lambda: csv_file([row(aktivitet="A", mal="fyra")]),
        "a.csv", [(2, "Målvärde", "Målvärde ska vara ett tal, inte ”fyra”.")],
    ),
    "unknown status and owner": (
        lambda: csv_file([row(aktivitet="A", tertial=2, status="Klar", klart=10),
                          row(aktivitet="B", ansvarig="Regionen")]),
        "a.csv", [(2, "Status", "Okänd status ”Klar”."), (3, "Ansvarig", "Okänd ansvarig")],
    ),
    "comment required": (
        lambda: csv_file([row(aktivitet="A", tertial=3, status="Ej genomförd", klart=0)]),
        "a.csv", [(2, "Kommentar", "Skriv en kommentar")],
    ),
    "duplicate rows": (
        lambda: csv_file([row(aktivitet="A"), row(aktivitet="B"), row(aktivitet="a")]),
        "a.csv", [(4, None, "Dubblett av rad 2")],
    ),
    "rows that contradict each other": (
        lambda: csv_file([row(aktivitet="A", tertial=1, status="Pågår", klart=10),
                          row(aktivitet="A", ansvarig="Polisen", tertial=2, status="Pågår",
                              klart=20)]),
        "a.csv", [(3, None, "Raden beskriver aktiviteten annorlunda än rad 2 (Ansvarig).")],
    ),
    "overwriting a stored evaluation": (
        lambda: csv_file([row(aktivitet="Trygghetsvandringar", linje="walks", tertial="T1",
                              status="Pågår", klart=45)]),
        "a.csv", [(2, "Period", "Det finns redan en utvärdering för T1 2026 med andra")],
    ),
    "every bad row, numbered past a blank line": (
        lambda: csv_file([row(aktivitet="A"), row(aktivitet="", ansvarig="Polisen"),
                          row(aktivitet="C")]).replace(b"\n", b"\n\n", 1),
        "a.csv", [(4, "Aktivitet", "Aktivitet saknas.")],
    ),
    "empty file": (lambda: b"", "a.csv", [(None, None, "Filen är tom.")]),
    "header only": (
        lambda: csv_file([row()])[: csv_file([row()]).index(b"\n") + 1],
        "a.csv", [(None, None, "Filen innehåller inga rader under rubrikraden.")],
    ),
    "10,000 rows": (
        lambda: _many(10_000),
        "a.csv", [(None, None, "Filen har 10\u00a0000 rader; högst 5\u00a0000 kan importeras")],
    ),
    "a picture called .csv": (
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "a.csv", [(None, None, "Filen heter .csv men innehållet är en bild.")],
    ),
    "a Word file called .xlsx": (
        _docx_named_xlsx,
        "a.xlsx", [(None, None, "Filen heter .xlsx men innehållet är en zip-fil men inte")],
    ),
    "Latin-1 CSV": (
        lambda: csv_file([row(aktivitet="Föräldrar")], bom=False).decode().encode("latin-1"),
        "a.csv", [(None, None, "teckenkodning än UTF-8")],
    ),
    "ragged CSV": (
        lambda: csv_file([row(aktivitet="A")]) + b"2026;Unga;B;Gemensam" + b";x" * 20 + b"\n",
        "a.csv", [(None, None, "CSV-filen går inte att tolka")],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("make", "name", "expected"), BAD.values(), ids=BAD.keys())
def test_bad_file_is_refused_with_reasons_and_nothing_written(world, make, name, expected):
    engine, pid = world
    errors = refused(engine, pid, make(), name)
    assert len(errors) == len(expected), errors
    for (row_no, column, message), (want_row, want_column, want) in zip(
        errors, expected, strict=True
    ):
        assert (row_no, column) == (want_row, want_column)
        assert message.startswith(want) or want in message, message


def test_refusal_message_counts_errors_and_rows(world):
    engine, pid = world
    data = csv_file([row(aktivitet="A", mal=-1), row(aktivitet="B", mal="x", ansvarig="?")])
    with pytest.raises(ImportRefused, match=r"Inget importerades: 2 fel på 2 rader"):
        import_bytes(engine, pid, data, "a.csv")


@pytest.mark.parametrize("actor", [None, Actor.of("lo", ["lasare"]), Actor.of("s", ["samordnare"])])
def test_import_refuses_non_admins(world, actor):
    engine, pid = world
    before = counts(engine)
    with pytest.raises(NotPermitted):
        import_bytes(engine, pid, csv_file(GOOD), "a.csv", actor=actor)
    frame = import_file.read_upload(csv_file(GOOD), "a.csv")
    with pytest.raises(NotPermitted), Session(engine) as s:
        importer.plan_import(s, actor, pid, frame)
    assert counts(engine) == before


def test_templates_read_back_with_every_column():
    for data, name in (
        (import_file.template_csv(), "mall.csv"),
        (import_file.template_xlsx(), "mall.xlsx"),
    ):
        frame = import_file.read_upload(data, name)
        assert frame.columns == [import_file.ROW, *HEADER]
        assert frame.height == 1


def test_a_large_good_file_imports_in_one_go(world):
    """import_file.MAX_ROWS rows: read, validated and written in one transaction."""
    engine, pid = world
    n = import_file.MAX_ROWS
    data = csv_file([row(aktivitet=f"Aktivitet {i}", tertial="T1", status="Pågår", klart=i % 101)
                     for i in range(n)])  # fmt: skip
    started = time.perf_counter()
    summary = import_bytes(engine, pid, data, "stor.csv")
    elapsed = time.perf_counter() - started
    assert (summary.activities_created, summary.evaluations_created) == (n, n)
    assert elapsed < 60, f"{n} rows took {elapsed:.1f} s"
