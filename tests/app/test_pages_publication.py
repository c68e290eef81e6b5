"""AppTest: publishing on the Administration page (issue 13). A demo admin publishes Strängnäs
2021 T3 and 2019 (its T3, the year's result), sees the preview first, and can withdraw; the
public page then shows exactly the previewed text; a coordinator never gets the tab."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditLog, Period, Promise, Publication
from testsupport.apptest import ADMIN_TABS, button, click, log_in, messages, open_tab, start_app

pytestmark = pytest.mark.usefixtures("like_a_server")
PAGE = "pages/administration.py"
CONTACT = "Strängnäs kontaktcenter, 0152-290 00; polisen 114 14"


def _publication_page(db, year: int):
    at = log_in(start_app(), "ada")
    at.switch_page(PAGE).run()
    open_tab(at, ADMIN_TABS, "Publicering")  # drawn once opened (issue 15)
    with Session(db) as s:
        promise_id = s.scalar(select(Promise.id).where(Promise.year_from == year))
    at.selectbox(key="publication_promise").set_value(promise_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, promise_id


def _publish(db, year: int, code: str):
    at, promise_id = _publication_page(db, year)
    with Session(db) as s:
        period_id = s.scalar(
            select(Period.id).where(
                Period.promise_id == promise_id,
                Period.code == code.split()[0],
                Period.year == int(code.split()[1]),
            )
        )
    at.selectbox(key="publication_period").set_value(period_id).run()
    at.text_area(key="publication_contact").input(CONTACT).run()
    click(at, "Förhandsvisa")
    preview = "\n".join(h.proto.body for h in at.get("html"))
    assert "Uppföljning " + code in preview and CONTACT in preview
    click(at, f"Publicera {code}")
    return at, promise_id, preview


def test_a_demo_admin_publishes_2021_t3_and_2019_after_seeing_the_preview(db):
    at, promise_2021, _ = _publish(db, 2021, "T3 2021")
    assert any("Uppföljningen T3 2021 är publicerad" in m for m in messages(at)[0])
    at, promise_2019, _ = _publish(db, 2019, "T3 2019")
    with Session(db) as s:
        live = s.scalars(select(Publication).where(Publication.withdrawn_at.is_(None))).all()
        audits = s.scalars(
            select(AuditLog.username).where(AuditLog.table_name == "publication")
        ).all()
    assert sorted((p.promise_id, p.content["period"]["code"]) for p in live) == sorted(
        [(promise_2021, "T3"), (promise_2019, "T3")]
    )
    assert audits == ["ada", "ada"]
    assert all(p.published_by == "ada" and p.content["contact"] == CONTACT for p in live)


def test_withdrawing_from_the_tab(db):
    at, _, _ = _publish(db, 2021, "T3 2021")
    click(at, "Återkalla T3 2021")
    assert any("återkallad" in m for m in messages(at)[0])
    with Session(db) as s:
        (publication,) = s.scalars(select(Publication)).all()
    assert publication.withdrawn_by == "ada"


def test_a_coordinator_gets_no_administration_and_so_no_publication_tab(db):
    at = log_in(start_app(), "sam")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # not among the coordinator's pages at all


def test_the_button_names_the_period_only_after_a_preview(db):
    at, _ = _publication_page(db, 2021)
    assert not any(b.label.startswith("Publicera") for b in at.button)
    assert button(at, "Förhandsvisa")
