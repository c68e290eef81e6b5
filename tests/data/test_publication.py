"""Publishing a promise's follow-up for citizens (issue 13): a decision of an admin of the
kommun, previewed, audited, withdrawable; the snapshot holds nothing internal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, Grant, NotPermitted
from dashboard.publication import service
from dashboard.publication.snapshot import target_sentence
from db.models import AuditLog, Publication
from testsupport import builders

TODAY = dt.date(2026, 12, 1)
CONTACT = "Kontaktcenter, 0152-290 00"
SECRET = "Intern: Kalle var sjuk, ring honom"


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        strangnas = builders.make_partnership(s)
        eskilstuna = builders.make_partnership(s, code="0484", kommun_name="Eskilstuna kommun")
        promise = builders.make_promise(s, strangnas, year=2021, source="verklig")
        area = builders.make_focus_area(s, promise, name="Unga <b>och</b> trygghet")
        walks = builders.make_activity(s, area, title="Trygghetsvandringar", target_value=8,
                                       target_unit="vandringar")  # fmt: skip
        dialog = builders.make_activity(s, area, title="Dialog med unga")
        builders.make_evaluation(s, walks, tertial=3, status="genomford", achieved_value=20,
                                 comment=SECRET, evaluated_by="samordnare.kalle")  # fmt: skip
        marked = builders.make_evaluation(s, dialog, tertial=3, status="pagar",
                                          comment="Fyra träffar på fritidsgården.")  # fmt: skip
        marked.comment_public = True
        marked.public_line = "Vi fortsätter nästa år."
        builders.make_evaluation(s, walks, tertial=2, status="pagar", comment="T2-utkast")
        for username, role, org in (
            ("admin.strangnas", "admin", strangnas.kommun_id),
            ("admin.eskilstuna", "admin", eskilstuna.kommun_id),
            ("samordnare.strangnas", "samordnare", strangnas.kommun_id),
        ):
            builders.make_user(s, username, (role, org))
        s.commit()
        t3 = next(p for p in promise.periods if p.code == "T3")
        t2 = next(p for p in promise.periods if p.code == "T2")
        return {"promise": promise.id, "t3": t3.id, "t2": t2.id,
                "strangnas": strangnas.kommun_id, "eskilstuna": eskilstuna.kommun_id}  # fmt: skip


def _actor(username: str, role: str, organisation_id: int) -> Actor:
    return Actor.of(username, [role], [Grant(role, organisation_id, "kommun")])


def _publish(engine, world, actor, period="t3", **kwargs):
    with Session(engine) as s, s.begin():
        previewed = service.preview(s, actor, world["promise"], world[period], contact=CONTACT,
                                    today=TODAY)  # fmt: skip
        return service.publish(
            s,
            actor,
            world["promise"],
            world[period],
            contact=CONTACT,
            previewed=kwargs.get("previewed", previewed),
            today=TODAY,
        ).id


def test_an_admin_publishes_exactly_what_was_previewed_and_nothing_internal(engine, world):
    admin = _actor("admin.strangnas", "admin", world["strangnas"])
    publication_id = _publish(engine, world, admin)
    with Session(engine) as s:
        (live,) = service.live_publications(s, "0486")
        stored = s.get(Publication, publication_id)
        audits = s.scalars(select(AuditLog).where(AuditLog.table_name == "publication")).all()
    text = json.dumps(live.content, ensure_ascii=False)
    assert live.period_key == "T3-2021" and stored.published_by == "admin.strangnas"
    assert SECRET not in text and "samordnare.kalle" not in text and "T2-utkast" not in text
    assert "Fyra träffar på fritidsgården." in text and "Vi fortsätter nästa år." in text
    (walks, dialog) = live.content["focus_areas"][0]["activities"]
    assert walks["promised"] == "Vi lovade minst 8 vandringar. Det blev 20."
    assert (walks["status"], dialog["status"]) == ("Genomförd", "Delvis genomförd")
    assert live.content["focus_areas"][0]["name"] == "Unga <b>och</b> trygghet"  # stored as typed
    assert live.content["contact"] == CONTACT
    assert [(a.action, a.username) for a in audits] == [("insert", "admin.strangnas")]


def test_publishing_refuses_what_changed_since_the_preview(engine, world):
    admin = _actor("admin.strangnas", "admin", world["strangnas"])
    with Session(engine) as s:
        previewed = service.preview(s, admin, world["promise"], world["t3"], contact=CONTACT,
                                    today=TODAY)  # fmt: skip
    stale = json.loads(json.dumps(previewed))
    stale["summary"] = "Något annat"
    with pytest.raises(service.PublishRefused, match="ändrats sedan förhandsvisningen"):
        _publish(engine, world, admin, previewed=stale)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 0


@pytest.mark.parametrize(
    ("username", "role", "kommun", "message"),
    [
        ("admin.eskilstuna", "admin", "eskilstuna", "administrera för Strängnäs kommun"),
        ("samordnare.strangnas", "samordnare", "strangnas", "kräver rollen administratör"),
    ],
)
def test_only_an_admin_of_the_kommun_may_publish(engine, world, username, role, kommun, message):
    actor = _actor(username, role, world[kommun])
    with Session(engine) as s, pytest.raises(NotPermitted, match=message):
        service.preview(s, actor, world["promise"], world["t3"], contact=CONTACT, today=TODAY)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 0


def test_a_period_that_has_not_ended_or_no_contact_is_refused(engine, world):
    admin = _actor("admin.strangnas", "admin", world["strangnas"])
    with Session(engine) as s:
        with pytest.raises(service.PublishRefused, match="inte slut än"):
            service.preview(s, admin, world["promise"], world["t3"], contact=CONTACT,
                            today=dt.date(2021, 12, 20))  # fmt: skip
        with pytest.raises(service.PublishRefused, match="kontaktuppgifter"):
            service.preview(s, admin, world["promise"], world["t3"], contact=" ", today=TODAY)


def test_withdrawing_takes_it_off_the_public_side_and_is_audited(engine, world):
    admin = _actor("admin.strangnas", "admin", world["strangnas"])
    publication_id = _publish(engine, world, admin)
    other = _actor("admin.eskilstuna", "admin", world["eskilstuna"])
    with Session(engine) as s, pytest.raises(NotPermitted):
        service.withdraw(s, other, publication_id)
    with Session(engine) as s, s.begin():
        service.withdraw(s, admin, publication_id)
    with Session(engine) as s:
        assert service.live_publications(s, "0486") == []
        assert service.find_live(s, "0486", world["promise"], "T3-2021") is None
        stored = s.get(Publication, publication_id)
        actions = s.scalars(
            select(AuditLog.action)
            .where(AuditLog.table_name == "publication")
            .order_by(AuditLog.id)
        ).all()
    assert stored.withdrawn_by == "admin.strangnas" and stored.withdrawn_at is not None
    assert actions == ["insert", "update"]
    with Session(engine) as s, pytest.raises(service.PublishRefused, match="redan återkallad"):
        service.withdraw(s, admin, publication_id)


def test_publishing_a_period_again_replaces_the_live_one(engine, world):
    admin = _actor("admin.strangnas", "admin", world["strangnas"])
    first = _publish(engine, world, admin)
    second = _publish(engine, world, admin)
    _publish(engine, world, admin, period="t2")
    with Session(engine) as s:
        live = service.live_publications(s, "0486")
        assert [p.period_key for p in live] == ["T3-2021", "T2-2021"]
        assert live[0].id == second and s.get(Publication, first).withdrawn_at is not None
        assert service.find_live(s, "0486", world["promise"], "T1-2021") is None
        assert service.find_live(s, "0484", world["promise"], "T3-2021") is None


@pytest.mark.parametrize(
    ("target", "unit", "achieved", "final", "text"),
    [
        (8, "nya grannsamverkansområden", 20, True,
         "Vi lovade minst 8 nya grannsamverkansområden. Det blev 20."),
        (4, "trygghetsvandringar", 2, False,
         "Vi lovade minst 4 trygghetsvandringar. Hittills har det blivit 2."),
        (4, "trygghetsvandringar", None, True,
         "Vi lovade minst 4 trygghetsvandringar. Utfallet är inte rapporterat ännu."),
        (None, None, 3, True, ""),
    ],
)  # fmt: skip
def test_target_and_outcome_in_plain_swedish(target, unit, achieved, final, text):
    assert target_sentence(target, unit, achieved, final=final) == text
