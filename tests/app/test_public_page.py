"""The citizens' page, /medborgare (issue 13), in the real Streamlit (AppTest): open without a
login also when every other page needs one, only published snapshots, one "finns inte" for
everything else, and no name of any other page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.publication import service
from db import make_engine
from db.models import Evaluation, Period, Promise

pytestmark = pytest.mark.usefixtures("like_a_server")
PAGE = "pages/medborgare.py"
TODAY = dt.date(2026, 12, 1)
NATIONAL_ADMIN = Actor.of("ada", ["admin"])
INTERNAL = "Internt: mötet ställdes in"
OTHER_PAGES = ("Översikt", "Fokusområden", "Registrera", "Administration", "Region och riket",
               "Export", "Trender", "Logga in")  # fmt: skip


@pytest.fixture
def published(app_env):
    """The demo with 2021 T3 published by a national admin, an internal comment on a 2021 T3
    evaluation and a 2022 draft never published."""
    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    with Session(engine) as s, s.begin():
        from testsupport.builders import make_user

        make_user(s, "ada", ("admin", None))
        promise = s.scalar(select(Promise).where(Promise.year_from == 2021))
        t3 = s.scalar(select(Period).where(Period.promise_id == promise.id, Period.code == "T3"))
        first = s.scalar(select(Evaluation).where(Evaluation.period_id == t3.id))
        first.comment = INTERNAL
        contact = "Ring 0152-290 00"
        previewed = service.preview(s, NATIONAL_ADMIN, promise.id, t3.id, contact=contact,
                                    today=TODAY)  # fmt: skip
        service.publish(s, NATIONAL_ADMIN, promise.id, t3.id, contact=contact,
                        previewed=previewed, today=TODAY)  # fmt: skip
        ids = {"promise": promise.id,
               "later": s.scalar(select(Promise.id).where(Promise.year_from == 2022))}  # fmt: skip
    engine.dispose()
    return ids


def _open(monkeypatch=None, **params):
    from streamlit.testing.v1 import AppTest

    from testsupport.apptest import APP

    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_the_public_page_shows_the_published_follow_up_without_a_login(
    published, app_env, monkeypatch
):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    at = _open(kommun="0486", lofte=str(published["promise"]), period="T3-2021")
    text = _text(at)
    assert "Medborgarlöften i Strängnäs kommun: så gick det" in text
    assert "Uppföljning T3 2021" in text and "Ring 0152-290 00" in text
    assert INTERNAL not in text
    assert not any(name in text for name in OTHER_PAGES)
    assert not at.text_input and not at.sidebar.button  # no login form, no menu
    assert [b.label for b in at.get("download_button")] == [
        "Ladda ner som HTML-fil (för kommunens webbplats)"
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"kommun": "0484"},  # a kommun with nothing published
        {"kommun": "9999"},  # no such kommun
        {"kommun": "<script>"},
        {"kommun": "0486", "lofte": "later", "period": "T3-2022"},  # not published
        {"kommun": "0486", "lofte": "promise", "period": "T2-2021"},  # another period
    ],
)
def test_anything_not_published_gets_the_same_finns_inte(published, app_env, params):
    params = {k: str(published.get(v, v)) for k, v in params.items()}
    at = _open(**params)
    assert [t.value for t in at.title] == ["Sidan finns inte"]
    text = _text(at)
    assert "Det finns ingen publicerad uppföljning på den här adressen." in text
    assert "2022" not in text and not any(name in text for name in OTHER_PAGES)


def test_a_withdrawn_follow_up_is_gone_from_the_public_page(published, app_env):
    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    with Session(engine) as s, s.begin():
        (live,) = service.live_publications(s, "0486")
        service.withdraw(s, NATIONAL_ADMIN, live.id)
    engine.dispose()
    at = _open(kommun="0486")
    assert [t.value for t in at.title] == ["Sidan finns inte"]


def test_the_index_lists_only_kommuner_with_publications(published, app_env):
    at = _open()
    text = _text(at)
    assert "[Strängnäs kommun](?kommun=0486)" in text
    assert "Eskilstuna" not in text
