"""Indicator definitions and focus areas' links to them (issue 12, item 4), SQLite and PostgreSQL.

The scope matrix of testsupport/scopes.py (its world: Strängnäs and Eskilstuna in one
police area, one user per role and scope) for every write here: a link is the promise's (admin
of a scope covering Strängnäs); a definition is shared (any admin creates one; changing one
used in Strängnäs needs a scope covering Strängnäs, and one used in both kommuner a scope
covering both). Every refusal writes nothing (testsupport.scopes.outcomes); every change
has its audit row; bad input gets a Swedish message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.admin import indicators
from dashboard.admin.indicator_values import ValueRow, save_values
from dashboard.admin.indicators import IndicatorFields, LinkFields
from dashboard.admin.items import AdminError
from db.demo_indicators import DEFINITIONS, PROBLEM_INDEX, VIOLENCE
from db.models import ROLES, AuditLog, FocusAreaIndicator, Indicator, Organisation
from testsupport.databases import counts
from testsupport.scopes import IN_STRANGNAS, SCOPES, outcomes, scope_world, username

NEW = IndicatorFields("enkat-2", "Andel trygga", "procent", "hogre", "Egen enkät")
BOTH_KOMMUNER = {"Lokalpolisområde Eskilstuna/Strängnäs", "Polisregion Öst", "hela landet"}
REFUSED = re.compile(
    r"^Du har inte behörighet att administrera för Strängnäs kommun\.$"
    r"|^Du saknar behörighet: det här kräver rollen administratör\. "
    r"|^Indikatorn \S+ används också för (Strängnäs|Eskilstuna) kommun, utanför din behörighet\. "
    r"Bara en administratör för hela landet kan ändra definitionen\.$"
)


@pytest.fixture
def linked(engine):
    """The scope matrix's world (testsupport/scopes.py) with the demo's definitions, N07403's
    values in Strängnäs and the problem index's in both kommuner, and Unga following N07403
    from 2020."""
    world = scope_world(engine)
    with Session(engine) as s, s.begin():
        s.add_all(Indicator(**d) for d in DEFINITIONS)
        s.flush()
        by_code = {i.code: i for i in s.scalars(select(Indicator))}
        eskilstuna = s.scalar(select(Organisation.id).where(Organisation.code == "0484"))
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        for code, places in ((VIOLENCE, [world["strangnas"]]),
                             (PROBLEM_INDEX, [world["strangnas"], eskilstuna])):  # fmt: skip
            rows = [ValueRow(place, 2024, 800.0) for place in places]
            save_values(s, by_code[code], rows, origin="import", source="verklig",
                        username="test", now=now)  # fmt: skip
        link = FocusAreaIndicator(focus_area_id=world["unga"], indicator_id=by_code[VIOLENCE].id,
                                  baseline_year=2020, direction="lagre")  # fmt: skip
        s.add(link)
        s.flush()
        ids = {**world, "link": link.id} | {code: i.id for code, i in by_code.items()}
    return ids


def _link(ids, code=PROBLEM_INDEX, **changes) -> LinkFields:
    return LinkFields(**({"indicator_id": ids[code], "baseline_year": 2019, "direction": "lagre",
                          "target_value": 2.5} | changes))  # fmt: skip


def _actions(ids: dict) -> dict:
    """name → (scopes in which an admin may, call(session, actor))."""
    fields = IndicatorFields(VIOLENCE, "Anmälda våldsbrott", "per 100 000", "lagre", "Kolada")
    index = IndicatorFields(PROBLEM_INDEX, "Problemindex", "index 0–6", "lagre", "Polisen")
    return {
        "add_link": (IN_STRANGNAS, lambda s, a: indicators.add_link(
            s, a, ids["trafik"], _link(ids))),
        "update_link": (IN_STRANGNAS, lambda s, a: indicators.update_link(
            s, a, ids["link"], _link(ids, VIOLENCE, baseline_year=2018))),
        "remove_link": (IN_STRANGNAS, lambda s, a: indicators.remove_link(s, a, ids["link"])),
        "create_indicator": (set(SCOPES), lambda s, a: indicators.create_indicator(s, a, NEW)),
        "update_indicator_used_here": (IN_STRANGNAS, lambda s, a: indicators.update_indicator(
            s, a, ids[VIOLENCE], fields)),
        "update_indicator_used_in_both": (BOTH_KOMMUNER, lambda s, a: indicators.update_indicator(
            s, a, ids[PROBLEM_INDEX], index)),
    }  # fmt: skip


ACTION_NAMES = ["add_link", "update_link", "remove_link", "create_indicator",
                "update_indicator_used_here", "update_indicator_used_in_both"]  # fmt: skip


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_role_and_scope_is_allowed_or_refused_with_nothing_written(engine, linked, name):
    covering, call = _actions(linked)[name]
    expected = {
        (role, scope): "allowed" if role == "admin" and scope in covering else "refused"
        for role in ROLES
        for scope in SCOPES
    }
    assert outcomes(engine, call, REFUSED) == expected


ADMIN = Actor.of(username("admin", "Strängnäs kommun"), ["admin"])


def _call(engine, service, *args):
    with Session(engine, expire_on_commit=False) as s, s.begin():
        return service(s, ADMIN, *args)


def test_a_link_is_added_changed_and_removed_each_with_its_audit_row(engine, linked):
    link = _call(engine, indicators.add_link, linked["unga"], _link(linked, area=" Mariefred "))
    with Session(engine) as s:
        row = s.get(FocusAreaIndicator, link.id)
        assert (row.area, row.baseline_year, row.direction, row.target_value, row.sort_order) == (
            "Mariefred", 2019, "lagre", 2.5, 1)  # fmt: skip
    changed = _link(linked, area="Mariefred", direction="hogre", target_value=None)
    _call(engine, indicators.update_link, link.id, changed)
    _call(engine, indicators.remove_link, link.id)
    with Session(engine) as s:
        assert s.get(FocusAreaIndicator, link.id) is None
        trail = s.scalars(select(AuditLog).where(AuditLog.table_name == "focus_area_indicator")
                          .order_by(AuditLog.id)).all()  # fmt: skip
    assert [(a.action, a.row_id) for a in trail] == [("insert", link.id), ("update", link.id),
                                                     ("delete", link.id)]  # fmt: skip
    update = trail[1]
    assert (update.before["direction"], update.after["direction"]) == ("lagre", "hogre")
    assert (update.before["target_value"], update.after["target_value"]) == (2.5, None)
    assert trail[2].before["baseline_year"] == 2019


BAD_LINKS = {
    "baseline year before 2000": ({"baseline_year": 1999}, "baseline_year",
                                  "Basåret ska ligga mellan 2000 och 2100; du angav 1999."),
    "baseline year after 2100": ({"baseline_year": 2101}, "baseline_year", "du angav 2101"),
    "unknown indicator": ({"indicator_id": 999_999}, "indicator_id", "Okänd indikator"),
    "duplicate link": ({"indicator_id": None}, "indicator_id",
                       "Fokusområdet följer redan indikatorn Anmälda våldsbrott per 100 000 "
                       "invånare. Ändra den kopplingen i stället."),
    "direction": ({"direction": "uppåt"}, "direction", "minska eller öka"),
    "target not a number": ({"target_value": float("nan")}, "target_value", "ska vara ett tal"),
    "area too long": ({"area": "x" * 121}, "area", "högst 120 tecken"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_LINKS, ids=list(BAD_LINKS))
def test_a_bad_link_is_refused_in_swedish_and_writes_nothing(engine, linked, case):
    changes, field, message = BAD_LINKS[case]
    if changes.get("indicator_id", 0) is None:
        changes = {"indicator_id": linked[VIOLENCE]}  # Unga follows it already
    before = counts(engine)
    with pytest.raises(AdminError) as refused:
        _call(engine, indicators.add_link, linked["unga"], _link(linked, **changes))
    assert refused.value.field == field and message in str(refused.value)
    assert counts(engine) == before


def test_changing_a_link_into_a_twin_of_another_is_refused(engine, linked):
    other = _call(engine, indicators.add_link, linked["unga"], _link(linked))
    before = counts(engine)
    with pytest.raises(AdminError, match="följer redan"):
        _call(engine, indicators.update_link, other.id, _link(linked, VIOLENCE))
    assert counts(engine) == before
    _call(engine, indicators.update_link, other.id, _link(linked, baseline_year=2021))  # itself


def test_a_definition_is_created_and_changed_with_its_audit_rows(engine, linked):
    created = _call(engine, indicators.create_indicator, NEW)
    changed = IndicatorFields("enkat-2", "Andel som känner sig trygga", "procent", "hogre",
                              "Egen enkät", "Källa: kommunens enkät", "",
                              "https://example.se/enkat")  # fmt: skip
    _call(engine, indicators.update_indicator, created.id, changed)
    with Session(engine) as s:
        row = s.get(Indicator, created.id)
        assert (row.name, row.attribution, row.source) == (
            "Andel som känner sig trygga", "Källa: kommunens enkät", "verklig")  # fmt: skip
        trail = s.scalars(select(AuditLog).where(AuditLog.table_name == "indicator")
                          .order_by(AuditLog.id)).all()  # fmt: skip
    assert [(a.action, a.row_id) for a in trail] == [("insert", created.id), ("update", created.id)]
    assert trail[1].before["name"] == "Andel trygga"


BAD_DEFINITIONS = {
    "code with a space": ({"code": "N 07403"}, "code", "Koden ska vara"),
    "code taken, other case": ({"code": "n07403"}, "code",
                               "Det finns redan en indikator med koden n07403."),
    "empty name": ({"name": "  "}, "name", "Namnet får inte vara tomt."),
    "which way is better": ({"better": "mitten"}, "better", "lägre eller högre"),
    "source url": ({"source_url": "javascript:alert(1)"}, "source_url", "https://"),
    "kolada kpi": ({"kolada_kpi": "07403"}, "kolada_kpi", "en bokstav och fem siffror"),
    "kolada kpi taken": ({"kolada_kpi": VIOLENCE}, "kolada_kpi", "redan en indikator för Koladas"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_DEFINITIONS, ids=list(BAD_DEFINITIONS))
def test_a_bad_definition_is_refused_in_swedish_and_writes_nothing(engine, linked, case):
    changes, field, message = BAD_DEFINITIONS[case]
    fields = IndicatorFields(**(NEW.__dict__ | changes))
    before = counts(engine)
    with pytest.raises(AdminError) as refused:
        _call(engine, indicators.create_indicator, fields)
    assert refused.value.field == field and message in str(refused.value)
    assert counts(engine) == before


def test_a_link_or_definition_gone_meanwhile_is_said_so(engine, linked):
    with pytest.raises(AdminError, match="Kopplingen finns inte längre"):
        _call(engine, indicators.remove_link, 999_999)
    with pytest.raises(AdminError, match="Indikatorn finns inte längre"):
        _call(engine, indicators.update_indicator, 999_999, NEW)
    with pytest.raises(AdminError, match="Fokusområdet finns inte längre"):
        _call(engine, indicators.add_link, 999_999, _link(linked))
