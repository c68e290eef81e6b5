"""The scope matrix (issue 11): every role × scope × write function, on SQLite and PostgreSQL.

Strängnäs and Eskilstuna share Lokalpolisområde Eskilstuna/Strängnäs in Polisregion Öst
(Södermanlands län). One user holds each role (läsare, samordnare, administratör) in each
scope: Strängnäs kommun, the police area, the region, another kommun (Eskilstuna) and the
nation. Every write function is called against a target in Strängnäs (creating a partnership:
Vingåker, in the same län, which has none yet): allowed where the role reaches it (admin
satisfies samordnare) and the scope covers it; refused otherwise with a Swedish message, and
then nothing is written: row counts and the audit log stay as they were. An allowed call runs
in a transaction that is rolled back, so every cell starts from the same database.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.admin import import_file, importer, items, parties, partnerships, promises, users
from dashboard.admin.items import ActivityFields, FocusAreaFields
from dashboard.admin.promises import PromiseFields
from dashboard.entry.evaluations import save_evaluation
from dashboard.entry.rules import EvaluationInput
from db.models import ROLES, Activity, FocusArea
from testsupport import builders
from testsupport.databases import counts
from testsupport.files import csv_file, row
from testsupport.scopes import IN_STRANGNAS, IN_VINGAKER, SCOPES, outcomes, scope_world, username

FIELDS = PromiseFields("Medborgarlöfte 2027", "medborgarlöfte", dt.date(2027, 2, 1), [], "")


@pytest.fixture
def world(engine):
    """The scope matrix's world (testsupport/scopes.py): the ids of what it holds."""
    return scope_world(engine)


def _actions(ids: dict) -> dict:
    """name → (role needed, scopes that cover the target, call(session, actor))."""
    area = FocusAreaFields("Ny", "", "ovrigt")
    activity = ActivityFields(ids["unga"], "Ny aktivitet")
    upload = csv_file([row(aktivitet="Ny från fil"), row(omrade="Trafik", aktivitet="Ljus")])
    new_user = users.NewUser("ny", "Ny Läsare", "", "lasare", ids["strangnas"])
    admin = {
        "create_promise": lambda s, a: promises.create_promise(
            s,
            a,
            partnership_id=ids["partnership"],
            year=2027,
            fields=FIELDS,
            copy_previous=True,
        ),
        "update_promise": lambda s, a: promises.update_promise(s, a, ids["promise"], FIELDS),
        "delete_promise": lambda s, a: promises.delete_promise(s, a, ids["spare"]),
        "add_focus_area": lambda s, a: items.add_focus_area(s, a, ids["promise"], area),
        "update_focus_area": lambda s, a: items.update_focus_area(s, a, ids["unga"], area),
        "add_activity": lambda s, a: items.add_activity(s, a, activity),
        "update_activity": lambda s, a: items.update_activity(s, a, ids["dialog"], activity),
        "move": lambda s, a: items.move(s, a, FocusArea, ids["trafik"], -1),
        "archive": lambda s, a: items.set_archived(s, a, Activity, ids["dialog"], True),
        "delete": lambda s, a: items.delete(s, a, Activity, ids["dialog"]),
        "import": lambda s, a: importer.run_import(
            s, a, ids["partnership"], import_file.read_upload(upload, "fil.csv")
        ),
        "add_party": lambda s, a: parties.add_party(
            s, a, ids["promise"], name="Fastighetsägarna Strängnäs", source="exempel"
        ),
        "remove_party": lambda s, a: parties.remove_party(s, a, ids["promise"], ids["housing"]),
        "add_user": lambda s, a: users.add_user(s, a, new_user),
        "add_grant": lambda s, a: users.add_grant(s, a, "tess", "lasare", ids["strangnas"]),
        "remove_grant": lambda s, a: users.remove_grant(s, a, ids["tess_grant"]),
        "set_active": lambda s, a: users.set_active(s, a, "tess", False),
        "reset_password": lambda s, a: users.reset_password(s, a, "tess"),
    }
    actions = {name: ("admin", IN_STRANGNAS, call) for name, call in admin.items()}
    actions["create_partnership"] = (
        "admin",
        IN_VINGAKER,
        lambda s, a: partnerships.create_partnership(
            s, a, kommun_code="0428", police_area="Lokalpolisområde Katrineholm", source="exempel"
        ),
    )
    return actions


ACTION_NAMES = [
    "create_promise", "update_promise", "delete_promise", "add_focus_area", "update_focus_area",
    "add_activity", "update_activity", "move", "archive", "delete", "import", "add_party",
    "remove_party", "add_user",
    "add_grant", "remove_grant", "set_active", "reset_password", "create_partnership",
    "save_evaluation",
]  # fmt: skip
REFUSED = re.compile(
    r"^Du har inte behörighet att (registrera|administrera) för "
    r"(Strängnäs kommun|Vingåkers kommun)\.$"
    r"|^Du har inte behörighet att ändra tess: användaren har roller utanför ditt område\.$"
    r"|^Du saknar behörighet: det här kräver rollen (samordnare|administratör)\. "
)


def _allowed(role: str, needed: str, scope: str, covering: set[str]) -> bool:
    return role in (needed, "admin") and scope in covering


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_role_and_scope_is_allowed_or_refused_with_nothing_written(engine, world, name):
    if name == "save_evaluation":
        _check_saves(engine, world)
        return
    needed, covering, call = _actions(world)[name]
    expected = {
        (role, scope): "allowed" if _allowed(role, needed, scope, covering) else "refused"
        for role in ROLES
        for scope in SCOPES
    }
    assert outcomes(engine, call, REFUSED) == expected


def _check_saves(engine, ids: dict) -> None:
    """save_evaluation writes in its own transaction: each allowed cell saves another period
    of the 2040–2042 promise, so each is a new evaluation."""
    periods = iter([(year, t) for year in (2040, 2041, 2042) for t in (1, 2, 3)])
    for role in ROLES:
        for scope in SCOPES:
            actor = Actor.of(username(role, scope), [role])
            allowed = _allowed(role, "samordnare", scope, IN_STRANGNAS)
            year, tertial = next(periods) if allowed else (2040, 1)
            entry = EvaluationInput(ids["later_activity"], year, tertial, "pagar", 40)
            before = counts(engine)
            if allowed:
                assert save_evaluation(engine, actor, entry).action == "insert", (role, scope)
                assert counts(engine)["audit_log"] == before["audit_log"] + 1
                continue
            with pytest.raises(NotPermitted) as refusal:
                save_evaluation(engine, actor, entry)
            assert REFUSED.match(str(refusal.value)), (role, scope, str(refusal.value))
            if role != "lasare":  # the role reaches it; the scope does not
                assert str(refusal.value) == (
                    "Du har inte behörighet att registrera för Strängnäs kommun."
                )
            assert counts(engine) == before, (role, scope)


@pytest.mark.parametrize(
    ("scope", "grant"),
    [("Strängnäs kommun", "Lokalpolisområde Eskilstuna/Strängnäs"),
     ("Strängnäs kommun", "hela landet"),
     ("Lokalpolisområde Eskilstuna/Strängnäs", "Polisregion Öst"),
     ("Polisregion Öst", "hela landet")],
)  # fmt: skip
def test_an_admin_cannot_grant_a_wider_scope_than_their_own(engine, world, scope, grant):
    with Session(engine) as s:
        wider = {
            "Lokalpolisområde Eskilstuna/Strängnäs": builders.organisation_id(
                s, "lokalpolisomrade", "Lokalpolisområde Eskilstuna/Strängnäs"
            ),
            "Polisregion Öst": builders.organisation_id(s, "polisregion", "Polisregion Öst"),
            "hela landet": None,
        }[grant]
    before = counts(engine)
    actor = Actor.of(username("admin", scope), ["admin"])
    message = f"administrera för {grant}"
    with pytest.raises(NotPermitted, match=message), Session(engine) as s, s.begin():
        users.add_grant(s, actor, "tess", "samordnare", wider)
    new = users.NewUser("vid", "Vid", "", "lasare", wider, national=wider is None)
    with pytest.raises(NotPermitted, match=message), Session(engine) as s, s.begin():
        users.add_user(s, actor, new)
    assert counts(engine) == before


def test_an_admin_of_one_kommun_may_not_change_a_user_who_also_holds_another(engine, world):
    with Session(engine) as s, s.begin():
        eskilstuna = builders.organisation_id(s, "kommun", "0484")
        national = Actor.of(username("admin", "hela landet"), ["admin"])
        users.add_grant(s, national, "tess", "lasare", eskilstuna)
    before = counts(engine)
    strangnas_admin = Actor.of(username("admin", "Strängnäs kommun"), ["admin"])
    for change in (users.reset_password, lambda s, a, u: users.set_active(s, a, u, False)):
        outside = "tess: användaren har roller utanför"
        with pytest.raises(NotPermitted, match=outside), Session(engine) as s, s.begin():
            change(s, strangnas_admin, "tess")
    assert counts(engine) == before
