"""The scope matrix's world (issue 11): Strängnäs and Eskilstuna share Lokalpolisområde
Eskilstuna/Strängnäs in Polisregion Öst; one user holds each role (läsare, samordnare,
administratör) in each scope of ``SCOPES``. ``outcomes`` calls a write as every one of them.

tests/data/test_scope_matrix.py checks every write function of the administration and the
entry page with it, tests/data/test_indicator_links.py the indicator writes.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from db.models import ROLES, Organisation, PromiseParty
from testsupport import builders
from testsupport.databases import counts, counts_in

SCOPES = ("Strängnäs kommun", "Lokalpolisområde Eskilstuna/Strängnäs", "Polisregion Öst",
          "Eskilstuna kommun", "hela landet")  # fmt: skip
IN_STRANGNAS = {"Strängnäs kommun", "Lokalpolisområde Eskilstuna/Strängnäs", "Polisregion Öst",
                "hela landet"}  # fmt: skip
IN_VINGAKER = {"Polisregion Öst", "hela landet"}  # in Öst by its län; no police area yet


def username(role: str, scope: str) -> str:
    """The user holding ``role`` in ``scope``."""
    return f"{role}-{SCOPES.index(scope)}"


def scope_world(engine: Engine) -> dict[str, int]:
    """Strängnäs's 2026 promise (an evaluated and an unevaluated activity), an empty 2030
    promise, Eskilstuna's partnership, one user per role and scope, and tess (samordnare in
    Strängnäs), whom the admins administer."""
    with Session(engine) as s:
        strangnas = builders.make_partnership(s)
        eskilstuna = builders.make_partnership(s, code="0484", kommun_name="Eskilstuna kommun")
        promise = builders.make_promise(s, strangnas, year=2026)
        spare = builders.make_promise(s, strangnas, year=2030)
        unga = builders.make_focus_area(s, promise, name="Unga", theme="ungdomar")
        trafik = builders.make_focus_area(s, promise, name="Trafik", theme="trafik")
        walks = builders.make_activity(s, unga, title="Trygghetsvandringar", lineage_key="walks")
        builders.make_evaluation(s, walks, tertial=1, status="pagar", audited=True)
        dialog = builders.make_activity(s, unga, title="Dialogmöten", lineage_key="dialog")
        later = builders.make_promise(s, strangnas, year=2040, year_to=2042)  # nine tertials
        later_activity = builders.make_activity(s, builders.make_focus_area(s, later))
        housing = Organisation(kind="annan", name="Bostadsbolaget i Strängnäs", source="exempel")
        s.add(housing)
        s.flush()
        s.add(PromiseParty(promise_id=promise.id, organisation_id=housing.id, role="annan"))
        area = s.get(Organisation, strangnas.police_area_id)
        assert eskilstuna.police_area_id == area.id  # one police area for both
        organisation = dict(zip(SCOPES, (strangnas.kommun_id, area.id, area.parent_id,
                                         eskilstuna.kommun_id, None), strict=True))  # fmt: skip
        for role in ROLES:
            for scope in SCOPES:
                builders.make_user(s, username(role, scope), (role, organisation[scope]))
        tess = builders.make_user(s, "tess", ("samordnare", strangnas.kommun_id))
        s.commit()
        ids = {
            "partnership": strangnas.id, "promise": promise.id, "spare": spare.id,
            "unga": unga.id, "trafik": trafik.id, "walks": walks.id, "dialog": dialog.id,
            "strangnas": strangnas.kommun_id, "tess_grant": tess.grants[0].id,
            "housing": housing.id, "later_activity": later_activity.id,
        }  # fmt: skip
    return ids


def outcomes(engine: Engine, call, refused: re.Pattern) -> dict[tuple[str, str], str]:
    """``call(session, actor)`` for the user of every role and scope: "allowed" (something
    written, then rolled back), "allowed, nothing written", or "refused" with a message that
    ``refused`` matches and nothing written."""
    outcome = {}
    for role in ROLES:
        for scope in SCOPES:
            actor = Actor.of(username(role, scope), [role])
            before = counts(engine)
            session = Session(engine)
            try:
                call(session, actor)
                session.flush()
                wrote = counts_in(session) != before
                outcome[role, scope] = "allowed" if wrote else "allowed, nothing written"
            except NotPermitted as refusal:
                assert refused.match(str(refusal)), (role, scope, str(refusal))
                outcome[role, scope] = "refused"
            finally:
                session.rollback()  # an allowed change is undone: every cell starts alike
                session.close()
            if outcome[role, scope] == "refused":
                assert counts(engine) == before, (role, scope)
    return outcome
