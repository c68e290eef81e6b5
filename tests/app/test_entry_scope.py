"""Registrera utvärdering works in the user's write scope (issue 11), in AppTest: a samordnare
of Strängnäs gets Strängnäs and cannot reach Eskilstuna by the address; a national admin
chooses between the kommuner and saves Eskilstuna's evaluation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import cache
from db.models import Activity, Evaluation, Period
from testsupport import builders
from testsupport.apptest import log_in, start_app

ENTRY = "pages/registrera.py"
pytestmark = pytest.mark.usefixtures("like_a_server")


@pytest.fixture
def eskilstuna(db) -> int:
    """Eskilstuna (0484), in the same police area as Strängnäs, with a promise for 2026 and
    one activity (invented for the test); returns the activity's id."""
    with Session(db) as session:
        partnership = builders.make_partnership(session, code="0484",
                                                kommun_name="Eskilstuna kommun")  # fmt: skip
        promise = builders.make_promise(session, partnership, year=2026, title="Eskilstuna 2026")
        area = builders.make_focus_area(session, promise, name="Trygg stadskärna")
        activity = builders.make_activity(session, area, title="Nattvandring i centrum")
        session.commit()
        activity_id = activity.id
    cache.clear_data()
    return activity_id


def _entry(username: str, **params: str):
    at = log_in(start_app(), username)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(ENTRY).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _titles(at) -> list[str]:
    picker = next(s for s in at.selectbox if s.key == "entry_activity")
    return [str(option) for option in picker.options]


def test_a_coordinator_enters_for_their_own_kommun_only(db, eskilstuna):
    at = _entry("sam", kommun="0484")
    assert not [s for s in at.selectbox if s.key == "valt_kommun"]
    assert at.get("popover")[0].proto.popover.label.startswith("År ")  # one kommun: the year
    assert any("kommun=0484 finns inte" in w.value for w in at.warning)
    assert "Nattvandring i centrum" not in _titles(at)


def test_a_national_admin_chooses_the_kommun_and_saves_there(db, eskilstuna):
    at = _entry("ada")
    picker = at.selectbox(key="valt_kommun")
    assert set(picker.options) == {"Eskilstuna kommun (0484)", "Strängnäs kommun (0486)"}
    picker.set_value("0484").run()
    at.selectbox(key="valt_ar").set_value(2026).run()
    assert _titles(at) == ["Nattvandring i centrum"]
    # The choices sit in a popover whose button names them (issue 15).
    assert at.get("popover")[0].proto.popover.label == "Eskilstuna kommun · 2026"
    status = next(s for s in at.selectbox if str(s.key).startswith("entry:"))
    key = status.key.removesuffix(":status")
    at.selectbox(key=f"{key}:status").set_value("pagar")
    at.number_input(key=f"{key}:completion").set_value(40)
    next(b for b in at.button if b.label == "Spara").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), [e.value for e in at.error]
    with db.connect() as conn:
        stored = conn.execute(
            select(Activity.title, Period.code, Evaluation.completion)
            .join(Activity, Activity.id == Evaluation.activity_id)
            .join(Period, Period.id == Evaluation.period_id)
            .where(Activity.id == eskilstuna)
        ).all()
        total = conn.scalar(select(func.count()).select_from(Evaluation))
    assert len(stored) == 1 and stored[0][0] == "Nattvandring i centrum" and stored[0][2] == 40
    assert total > 1


def test_administration_offers_the_kommuner_of_the_admins_scope(db):
    """A national admin chooses any kommun; one without a partnership opens its set-up form.
    An admin of Vingåker gets Vingåker alone, and nothing of Strängnäs."""
    from dashboard.admin.users import hash_password
    from testsupport.apptest import PASSWORD

    at = log_in(start_app(), "ada")
    at.switch_page("pages/administration.py").run()
    picker = at.selectbox(key="valt_kommun")
    assert len(picker.options) == 290 and picker.value == "0486"
    picker.set_value("0428").run()
    assert not at.exception
    assert any("Lägg upp samverkan" in h.value for h in at.subheader), [h.value for h in at.header]
    with Session(db) as session:
        vingaker = builders.organisation_id(session, "kommun", "0428")
        builders.make_user(session, "vera", ("admin", vingaker),
                           password_hash=hash_password(PASSWORD))  # fmt: skip
        session.commit()
    at = log_in(start_app(), "vera")
    at.query_params["kommun"] = "0486"
    at.switch_page("pages/administration.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "valt_kommun"]
    assert any("kommun=0486 finns inte" in w.value for w in at.warning)
    assert any("Lägg upp samverkan" in h.value for h in at.subheader)
