"""AppTest: the Indikatorer tab of the Administration page on the demo database (issue 12).

An admin sees the definitions with the kommun's number of values, adds a focus area's link
to an indicator and sees it listed, changes and removes it; uploads values and sees the
preview before Importera värden writes them; a bad file lists its row errors and offers no
import; a new definition is added. Readers and coordinators never reach the tab.
"""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard.access import Actor
from dashboard.admin import indicator_import
from db.demo_indicators import PROBLEM_INDEX, VIOLENCE, YOUTH_SURVEY
from db.models import AuditLog, FocusArea, FocusAreaIndicator, Indicator, IndicatorValue
from testsupport.apptest import ADMIN_PAGE, admin_page, click, log_in, messages, start_app
from testsupport.server import APP

pytestmark = pytest.mark.usefixtures("like_a_server")
AREA = "Trygghet i offentlig miljö"


def _ids(db) -> tuple[int, int, int]:
    """The youth survey's id, and the 2026 promise's id and its focus area AREA's."""
    with Session(db) as s:
        survey = s.scalar(select(Indicator.id).where(Indicator.code == YOUTH_SURVEY))
        area = s.scalars(select(FocusArea).where(FocusArea.name == AREA)
                         .order_by(FocusArea.id.desc())).first()  # fmt: skip
        return survey, area.promise_id, area.id


def _table(at: AppTest, column: str) -> pl.DataFrame:
    """The table on the page that has ``column``, as a polars frame."""
    return pl.from_pandas(next(d.value for d in at.dataframe if column in d.value.columns))


def test_the_definitions_are_listed_with_the_kommuns_number_of_values(db):
    at = admin_page()
    table = _table(at, "Värden i kommunen")
    assert table["Kod"].to_list() == sorted([VIOLENCE, PROBLEM_INDEX, YOUTH_SURVEY])
    assert set(table["Bättre"]) == {"Lägre är bättre", "Högre är bättre"}
    assert table.filter(pl.col("Kod") == PROBLEM_INDEX)["Värden i kommunen"].item() > 10


def test_an_admin_adds_a_link_sees_it_changes_and_removes_it(db):
    survey, promise_id, area_id = _ids(db)
    at = admin_page()
    at.selectbox(key="indicators_promise").set_value(promise_id).run()
    at.selectbox(key=f"indicators_area:{promise_id}").set_value(area_id).run()
    key = f"link:{area_id}:0"
    at.selectbox(key=f"{key}:indicator_id").set_value(survey)
    at.number_input(key=f"{key}:baseline_year").set_value(2021)
    at.selectbox(key=f"{key}:direction").set_value("hogre")
    at.number_input(key=f"{key}:target_value").set_value(75.0)
    click(at, "Lägg till koppling")
    assert messages(at) == (["Kopplingen är tillagd."], [])
    table = _table(at, "Basår")
    added = table.filter(pl.col("Indikator") == "Andel unga som känner sig trygga ute på kvällen")
    assert added.row(0) == (AREA, added["Indikator"].item(), "Hela kommunen", 2021, "ska öka", 75.0)
    with Session(db) as s:
        link = s.scalars(select(FocusAreaIndicator).where(
            FocusAreaIndicator.focus_area_id == area_id,
            FocusAreaIndicator.indicator_id == survey)).one()  # fmt: skip
        link_id = link.id
    chosen = at.selectbox(key=f"indicators_link:{area_id}")
    assert "från 2021 · ska öka · mål 75,0" in chosen.format_func(link_id)
    chosen.set_value(link_id).run()
    at.number_input(key=f"link:{area_id}:{link_id}:baseline_year").set_value(2019)
    click(at, "Spara kopplingen")
    assert messages(at) == (["Kopplingen är sparad."], [])
    click(at, "Ta bort kopplingen")
    with Session(db) as s:
        assert s.get(FocusAreaIndicator, link_id) is None
        trail = s.scalars(select(AuditLog.action).where(AuditLog.row_id == link_id,
                          AuditLog.table_name == "focus_area_indicator")).all()  # fmt: skip
    assert trail == ["insert", "update", "delete"]


def test_a_duplicate_link_is_refused_below_the_form(db):
    _, promise_id, area_id = _ids(db)
    with Session(db) as s:
        index = s.scalar(select(Indicator.id).where(Indicator.code == PROBLEM_INDEX))
    at = admin_page()
    at.selectbox(key="indicators_promise").set_value(promise_id).run()
    at.selectbox(key=f"indicators_area:{promise_id}").set_value(area_id).run()
    at.selectbox(key=f"link:{area_id}:0:indicator_id").set_value(index)
    click(at, "Lägg till koppling")
    assert messages(at)[1] == [
        "Fokusområdet följer redan indikatorn Problemindex, Polisens lokala trygghetsmätning. "
        "Ändra den kopplingen i stället."
    ]


def test_a_new_definition_is_added(db):
    at = admin_page()
    key = "indicator:0"
    at.text_input(key=f"{key}:code").input("enkat-vuxna")
    at.text_input(key=f"{key}:name").input("Andel vuxna som känner sig trygga")
    at.text_input(key=f"{key}:unit").input("procent")
    at.selectbox(key=f"{key}:better").set_value("hogre")
    at.text_input(key=f"{key}:source_name").input("Kommunens enkät")
    click(at, "Lägg till indikator")
    assert messages(at) == (["Indikatorn enkat-vuxna är tillagd."], [])
    with Session(db) as s:
        row = s.scalars(select(Indicator).where(Indicator.code == "enkat-vuxna")).one()
        assert (row.better, row.source) == ("hogre", "exempel")  # the demo's mode: exempel


def _values_file(*rows: dict) -> bytes:
    header = list(indicator_import.COLUMN_NAMES)
    frame = pl.DataFrame([{name: r.get(name, "") for name in header} for r in rows])
    return frame.write_csv(separator=";").encode()


GOOD = {"Indikator": PROBLEM_INDEX, "Kommunkod": "0486", "Område": "Mariefred", "År": "2030",
        "Värde": "2,4"}  # fmt: skip


def test_an_upload_is_previewed_then_imported(db):
    at = admin_page()
    data = _values_file(GOOD, {**GOOD, "Område": "", "Värde": "2.9"})
    at.file_uploader(key="indicator_upload").upload("varden.csv", data, "text/csv")
    at.run()
    assert any("2 rader: 2 nya värden, 0 ändrade" in i.value for i in at.info)
    preview = _table(at, "Ändring")
    assert preview.select("Rad", "Område", "Värde", "Ändring").rows() == [
        (2, "Mariefred", "2,4", "Nytt värde"), (3, "Hela", "2,9", "Nytt värde")]  # fmt: skip
    with Session(db) as s:
        before = s.scalar(select(func.count(IndicatorValue.id)))
    click(at, "Importera värden")
    assert messages(at)[0] == ["Importerat: 2 rader: 2 nya värden, 0 ändrade, 0 oförändrade."]
    with Session(db) as s:
        assert s.scalar(select(func.count(IndicatorValue.id))) == before + 2
        stored = s.scalars(select(IndicatorValue).where(IndicatorValue.year == 2030)).all()
        assert {(v.area, v.value, v.origin, v.source) for v in stored} == {
            ("Mariefred", 2.4, "import", "verklig"), ("", 2.9, "import", "verklig")}  # fmt: skip
    at.run()  # the same file again: nothing left to write, no button
    assert any("0 nya värden, 0 ändrade, 2 oförändrade" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Importera värden"]


def test_a_bad_upload_lists_its_row_errors_and_offers_no_import(db):
    at = admin_page()
    data = _values_file(GOOD, {**GOOD, "Kommunkod": "9999", "Värde": "mycket"})
    at.file_uploader(key="indicator_upload").upload("varden.csv", data, "text/csv")
    at.run()
    assert messages(at)[1][0] == "Inget importerades: 2 fel på 1 rad. Rätta filen och försök igen."
    table = _table(at, "Fel")
    assert table.select("Rad", "Kolumn").rows() == [(3, "Kommunkod"), (3, "Värde")]
    assert not [b for b in at.button if b.label == "Importera värden"]


def test_the_templates_are_offered_and_their_examples_import_nothing(db):
    at = admin_page()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner mall för indikatorvärden (.xlsx)" in labels
    assert "Ladda ner mall för indikatorvärden (.csv)" in labels
    with Session(db) as s:
        template = indicator_import.template_csv(s, "0486")
    at.file_uploader(key="indicator_upload").upload("mall.csv", template, "text/csv")
    at.run()
    assert any("Inget att importera: filen har bara 3 exempelrader" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Importera värden"]


@pytest.mark.parametrize("username", ["lasse", "sam"])
def test_readers_and_coordinators_never_reach_the_tab(db, username):
    at = log_in(start_app(), username)
    with pytest.raises(ValueError, match="registered"):
        at.switch_page(ADMIN_PAGE)
    page = AppTest.from_file(str(APP.parent / ADMIN_PAGE), default_timeout=30)
    page.session_state["current_user"] = Actor.of(username, [{"lasse": "lasare"}.get(username,
                                                                 "samordnare")])  # fmt: skip
    page.run()
    assert "Logga in som administratör" in page.error[0].value
    assert not [t for t in page.tabs if t.label == "Indikatorer"]
