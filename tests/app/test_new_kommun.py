"""A new kommun starts from nothing (issue 11): empty database, no demo, first evaluation.

Vingåker (0428) on a freshly migrated database with `DASHBOARD_DEMO_MODE=0`: an admin made as
the CLI makes one logs in, sets up the partnership (the kommun from SCB's list, a new
lokalpolisområde), the first promise, a focus area and an activity under Administration, and
saves the first evaluation on Registrera utvärdering. Everything is stored as real data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin.scopes import NewUser, find_scope
from dashboard.admin.users import create_user
from db import make_engine
from db.models import Activity, Evaluation, FocusArea, Organisation, Partnership, Promise
from testsupport.apptest import ADMIN_TABS, PASSWORD, log_in, open_tab, start_app

pytestmark = pytest.mark.usefixtures("like_a_server")


@pytest.fixture
def fresh(sqlite_url, app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DASHBOARD_DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_PARTNERSHIP", "0428")
    engine = make_engine(sqlite_url)
    with Session(engine) as session, session.begin():
        vingaker = find_scope(session, kommun="0428")  # as `users add eva --kommun 0428`
        eva = NewUser("eva", "Eva Admin", "eva@vingaker.se", "admin", vingaker)
        create_user(session, eva, PASSWORD, PASSWORD, by="cli")
    yield engine
    engine.dispose()


def _click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at, kind: str) -> list[str]:
    return [e.value.replace("\\", "") for e in getattr(at, kind)]


def test_a_new_kommun_gets_from_an_empty_database_to_its_first_evaluation(fresh):
    at = log_in(start_app(), "eva")
    at.switch_page("pages/administration.py").run()
    assert any("Lägg upp samverkan för Vingåker (0428)" in h.value for h in at.subheader)

    _click(at, "Lägg upp samverkan")  # no name for the new police area
    assert "Skriv lokalpolisområdets namn." in _texts(at, "error")
    at.text_input(key="partnership:police_area").input("Lokalpolisområde Katrineholm")
    _click(at, "Lägg upp samverkan")
    assert any("Samverkan för Vingåker och Lokalpolisområde Katrineholm" in s
               for s in _texts(at, "success"))  # fmt: skip
    with fresh.connect() as conn:
        partnership = conn.execute(select(Partnership)).one()
        area = conn.execute(
            select(Organisation).where(Organisation.id == partnership.police_area_id)
        ).one()
        region = conn.scalar(select(Organisation.name).where(Organisation.id == area.parent_id))
    assert (partnership.kommun_code, partnership.kommun_name, partnership.source) == (
        "0428", "Vingåker", "verklig",
    )  # fmt: skip
    assert region == "Polisregion Öst"  # Södermanlands län

    at.checkbox(key="new_promise:copy").uncheck()
    at.text_area(key="new_promise:signatories").input("Eva Admin, kommundirektör")
    _click(at, "Skapa löfte")
    assert not _texts(at, "error"), _texts(at, "error")
    with Session(fresh) as session:
        promise = session.scalars(select(Promise)).one()
        promise_id, year = promise.id, promise.year_from
    open_tab(at, ADMIN_TABS, "Fokusområden och aktiviteter")  # drawn once opened (issue 15)
    key = f"area:{promise_id}:0"
    at.text_input(key=f"{key}:name").input("Trygghet i centrum")
    at.text_input(key=f"{key}:theme").input("trygghet_offentlig_miljo")
    _click(at, "Lägg till fokusområde")
    assert not _texts(at, "error"), _texts(at, "error")
    key = f"activity:{promise_id}:0"
    at.text_input(key=f"{key}:title").input("Trygghetsvandringar")
    _click(at, "Lägg till aktivitet")
    assert not _texts(at, "error"), _texts(at, "error")

    at.switch_page("pages/registrera.py").run()
    assert not at.exception and not _texts(at, "error"), _texts(at, "error")
    status = next(s for s in at.selectbox if str(s.key).startswith("entry:"))
    form = status.key.removesuffix(":status")
    status.set_value("pagar")
    at.number_input(key=f"{form}:completion").set_value(25)
    at.text_area(key=f"{form}:comment").input("Första vandringen gjord.")
    _click(at, "Spara")
    assert any("Sparat: 1 utvärdering." in s for s in _texts(at, "success")), _texts(at, "error")
    with Session(fresh) as session:
        evaluation = session.scalars(select(Evaluation)).one()
        activity = session.get(Activity, evaluation.activity_id)
        area = session.get(FocusArea, activity.focus_area_id)
    assert (evaluation.status, evaluation.completion, evaluation.source) == (
        "pagar", 25, "verklig",
    )  # fmt: skip
    assert (activity.title, area.name, evaluation.year) == (
        "Trygghetsvandringar", "Trygghet i centrum", year,
    )  # fmt: skip


def test_an_existing_police_area_can_be_chosen_and_a_second_setup_is_refused(fresh):
    from dashboard.access import Actor
    from dashboard.admin.items import AdminError
    from dashboard.admin.partnerships import create_partnership, police_areas

    admin = Actor.of("eva", ["admin"])
    with Session(fresh) as session, session.begin():
        area = "Lokalpolisområde Katrineholm"
        create_partnership(session, admin, kommun_code="0428", police_area=area, source="verklig")
    with Session(fresh) as session:
        assert police_areas(session, "0483") == ["Lokalpolisområde Katrineholm"]  # Katrineholm
        assert police_areas(session, "0180") == []  # Stockholm: another region
        with pytest.raises(AdminError, match="har redan sin samverkan"):
            create_partnership(session, admin, kommun_code="0428", police_area="X",
                               source="verklig")  # fmt: skip
        with pytest.raises(AdminError, match="finns inte i SCB:s kommunlista"):
            create_partnership(session, admin, kommun_code="9999", police_area="X",
                               source="verklig")  # fmt: skip
