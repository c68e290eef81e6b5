"""Several promises in one kommun and year, and periods other than tertials (issue 11), in
AppTest: a promise picker appears only when there is a choice, is kept in ``?lofte=``, and the
period picker names the chosen promise's periods (H2 18 nov–31 dec), on every browse page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db import make_engine
from db.models import Partnership, Promise
from testsupport import builders
from testsupport.apptest import html_tables, open_page, texts

PAGES = ["pages/oversikt.py", "pages/fokusomraden.py", "pages/aktiviteter.py",
         "pages/export.py"]  # fmt: skip


@pytest.fixture
def three_promises(app_env) -> dict[str, int]:
    """Strängnäs's demo plus, in 2021, a promise for Resecentrum and a half-yearly one for
    Stadskärnan from 18 November 2021 to 31 March 2022 (both invented for the test)."""
    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    ids = _add_promises(engine)
    engine.dispose()
    return ids


def _add_promises(engine) -> dict[str, int]:
    with Session(engine) as session:
        partnership = session.scalar(select(Partnership).where(Partnership.kommun_code == "0486"))
        centre = builders.make_promise(session, partnership, year=2021, area="Resecentrum",
                                       title="Tryggt resecentrum")  # fmt: skip
        winter = Promise(
            partnership_id=partnership.id, area="Stadskärnan", rhythm="halvar",
            valid_from=dt.date(2021, 11, 18), valid_to=dt.date(2022, 3, 31),
            kind="medborgarlöfte", title="Trygg vinter i stadskärnan",
        )  # fmt: skip
        session.add(winter)
        session.flush()
        for promise, title in ((centre, "Ordningsvakter"), (winter, "Vinterbelysning")):
            area = builders.make_focus_area(session, promise, name="Trygghet")
            activity = builders.make_activity(session, area, title=title)
            number = 3 if promise is centre else 2
            builders.make_evaluation(session, activity, year=2021, tertial=number,
                                     status="genomford")  # fmt: skip
        session.commit()
        return {"centre": centre.id, "winter": winter.id}


def _texts(at: AppTest) -> str:
    """Everything the page says, its tables' cells included (the HTML blocks' text)."""
    return texts(at)


def test_a_kommun_with_one_promise_a_year_shows_no_promise_picker(app_env):
    at = open_page(ar="2021", period="3")
    assert not [s for s in at.selectbox if s.key == "valt_lofte"]


def test_the_promise_picker_chooses_among_the_years_promises_and_keeps_it_in_the_address(
    three_promises,
):
    at = open_page(ar="2021", period="3")
    picker = at.selectbox(key="valt_lofte")
    assert picker.options == [
        "Hela kommunen · 2021",
        "Resecentrum · 2021",
        "Stadskärnan · 18 nov 2021–31 mar 2022",
    ]
    picker.set_value(three_promises["centre"]).run()
    assert "Tryggt resecentrum" in _texts(at) and "Ordningsvakter" in _texts(at)
    assert at.query_params["lofte"] == str(three_promises["centre"])
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.selectbox(key="valt_lofte").value == three_promises["centre"], page


def test_a_half_yearly_promise_names_its_periods(three_promises):
    at = open_page(ar="2021", lofte=str(three_promises["winter"]))
    period = at.get("segmented_control")[0]
    assert period.options == ["H2 18 nov–31 dec"]
    assert "Trygg vinter i stadskärnan" in _texts(at)
    assert "Medborgarlöfte för Stadskärnan 18 nov 2021–31 mar 2022" in _texts(at)
    assert "Vinterbelysning" in _texts(at)
    at.switch_page("pages/aktiviteter.py").run()
    assert not at.exception
    table = html_tables(at)[0]
    assert "H2" in table.columns and "T3" not in table.columns


def test_an_unknown_promise_in_the_address_gives_a_note_and_the_whole_kommun(three_promises):
    at = open_page(ar="2021", period="3", lofte="999999")
    assert any("lofte=999999 finns inte" in w.value for w in at.warning)
    assert at.selectbox(key="valt_lofte").value != three_promises["centre"]
    assert "Tryggt resecentrum" not in _texts(at)


@pytest.mark.usefixtures("like_a_server")
def test_a_coordinator_evaluates_the_half_yearly_promise_in_its_period(db):
    from dashboard import cache
    from db.models import Evaluation, Period
    from testsupport.apptest import log_in, start_app

    ids = _add_promises(db)
    cache.clear_data()
    at = log_in(start_app(), "sam")
    at.switch_page("pages/registrera.py").run()
    at.selectbox(key="valt_ar").set_value(2021).run()
    at.selectbox(key="valt_lofte").set_value(ids["winter"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("segmented_control")[0].options == ["H2 18 nov–31 dec"]
    status = next(s for s in at.selectbox if str(s.key).startswith("entry:"))
    key = status.key.removesuffix(":status")
    at.selectbox(key=f"{key}:status").set_value("forsenad")
    at.number_input(key=f"{key}:completion").set_value(30)
    at.text_area(key=f"{key}:comment").input("Belysningen levereras i januari.")
    next(b for b in at.button if b.label == "Spara").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), [e.value for e in at.error]
    with db.connect() as conn:
        stored = conn.execute(
            select(Period.code, Period.year, Evaluation.status, Evaluation.comment)
            .join(Period, Period.id == Evaluation.period_id)
            .where(Period.promise_id == ids["winter"], Evaluation.status == "forsenad")
        ).all()
    assert stored == [("H2", 2021, "forsenad", "Belysningen levereras i januari.")]
