"""Administration services (issue 7) on SQLite and PostgreSQL: promises, focus areas,
activities and users; every action audited; the permission matrix for every role."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.admin import items, partnerships, promises, users
from dashboard.admin.items import ActivityFields, AdminError, FocusAreaFields
from dashboard.admin.promises import PromiseFields
from db.models import Activity, AppUser, AuditLog, Evaluation, FocusArea, Promise
from testsupport import builders
from testsupport.databases import counts, run_service

ADMIN = Actor.of("ada", ["admin"])
FIELDS = PromiseFields(
    title="Medborgarlöfte 2027",
    kind="medborgarlöfte",
    signed_on=dt.date(2027, 2, 14),
    signatories=[{"name": "Kim Kommun", "role": "kommundirektör"}],
    summary="Tryggare centrum.",
)


def audits(session: Session, table: str | None = None) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.id)
    if table:
        query = query.where(AuditLog.table_name == table)
    return list(session.scalars(query))


@pytest.fixture
def world(engine):
    """2026's promise: two focus areas; area 1 has an evaluated recurring activity, a
    recurring one without evaluations, a one-off and an archived recurring one."""
    with Session(engine) as s:
        p = builders.make_partnership(s)
        builders.make_user(s, "ada", ("admin", None))
        promise = builders.make_promise(s, p, year=2026)
        unga = builders.make_focus_area(s, promise, name="Unga", theme="ungdomar")
        trafik = builders.make_focus_area(s, promise, name="Trafik", theme="trafik")
        walks = builders.make_activity(s, unga, title="Trygghetsvandringar", lineage_key="walks")
        builders.make_evaluation(s, walks, tertial=1, status="pagar")
        dialog = builders.make_activity(s, unga, title="Dialogmöten", lineage_key="dialog")
        one_off = builders.make_activity(s, unga, title="Engångsinsats")
        old = builders.make_activity(s, unga, title="Nedlagd", lineage_key="old")
        old.archived = True
        speed = builders.make_activity(s, trafik, title="Hastighetskontroller")
        s.commit()
        ids = {
            "partnership": p.id, "promise": promise.id, "unga": unga.id, "trafik": trafik.id,
            "walks": walks.id, "dialog": dialog.id, "one_off": one_off.id, "old": old.id,
            "speed": speed.id,
        }  # fmt: skip
    return engine, ids


# ---------------------------------------------------------------- promises


def test_create_promise_copies_focus_areas_and_recurring_activities(world):
    engine, ids = world
    promise, summary = run_service(
        engine, promises.create_promise, ADMIN,
        partnership_id=ids["partnership"], year=2027, fields=FIELDS, copy_previous=True,
    )  # fmt: skip
    assert summary == promises.CopySummary(focus_areas=2, activities=2, skipped_one_off=2)
    with Session(engine) as s:
        new = s.get(Promise, promise.id)
        assert (new.year_from, new.year_to, new.title) == (2027, 2027, "Medborgarlöfte 2027")
        assert new.signatories == [{"name": "Kim Kommun", "role": "kommundirektör"}]
        assert [a.name for a in new.focus_areas] == ["Unga", "Trafik"]
        copied = {a.lineage_key: a.title for a in new.activities}
        assert copied == {"walks": "Trygghetsvandringar", "dialog": "Dialogmöten"}
        assert not any(a.evaluations for a in new.activities)
        # one audit row per inserted row, all by the admin
        inserted = [(a.table_name, a.action, a.username) for a in audits(s)]
        assert sorted(inserted) == sorted(
            [("promise", "insert", "ada")]
            + [("focus_area", "insert", "ada")] * 2
            + [("activity", "insert", "ada")] * 2
        )


def test_copy_without_previous_promise_is_refused(world):
    engine, ids = world
    before = counts(engine)
    with pytest.raises(AdminError, match="inget löfte för 2029 att kopiera"):
        run_service(
            engine, promises.create_promise, ADMIN,
            partnership_id=ids["partnership"], year=2030, fields=FIELDS, copy_previous=True,
        )  # fmt: skip
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("existing", "year", "message"),
    [
        ((2026, 2026), 2026, "Det finns redan ett löfte för 2026"),
        ((2022, 2023), 2023, "Det finns redan ett löfte för 2022–2023"),
    ],
)
def test_a_year_with_a_promise_gets_no_second(engine, existing, year, message):
    with Session(engine) as s:
        p = builders.make_partnership(s)
        builders.make_user(s, "ada", ("admin", None))
        builders.make_promise(s, p, year=existing[0], year_to=existing[1])
        s.commit()
        pid = p.id
    before = counts(engine)
    with pytest.raises(AdminError, match=message) as caught:
        run_service(
            engine, promises.create_promise, ADMIN,
            partnership_id=pid, year=year, fields=FIELDS,
        )  # fmt: skip
    assert caught.value.field == "year"
    assert counts(engine) == before


def test_update_promise_changes_fields_and_audits_before_and_after(world):
    engine, ids = world
    fields = PromiseFields(
        title="Nytt namn",
        kind="samverkansöverenskommelse",
        signed_on=dt.date(2026, 1, 20),
        signatories=promises.parse_signatories("Ann A, kommunchef\n\nBo B"),
        summary="Ny sammanfattning",
    )
    run_service(engine, promises.update_promise, ADMIN, ids["promise"], fields)
    with Session(engine) as s:
        promise = s.get(Promise, ids["promise"])
        assert promise.kind == "samverkansöverenskommelse"
        assert promise.signed_on == dt.date(2026, 1, 20)
        assert promise.signatories == [{"name": "Ann A", "role": "kommunchef"}, {"name": "Bo B"}]
        [entry] = audits(s, "promise")
        assert entry.action == "update"
        assert entry.before["title"] == "Medborgarlöfte 2026"
        assert entry.after["title"] == "Nytt namn"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "Titeln får inte vara tom"),
        ({"kind": "avtal"}, "Okänd typ av löfte"),
        ({"signatories": [{"name": "", "role": "chef"}]}, "behöver ett namn"),
    ],
)
def test_bad_promise_fields_are_refused(world, change, message):
    engine, ids = world
    before = counts(engine)
    fields = PromiseFields(**{**FIELDS.__dict__, **change})
    with pytest.raises(AdminError, match=message):
        run_service(engine, promises.update_promise, ADMIN, ids["promise"], fields)
    assert counts(engine) == before


def test_delete_promise_only_without_evaluations(world):
    engine, ids = world
    with pytest.raises(AdminError, match="Löftet har 1 utvärdering och kan inte tas bort"):
        run_service(engine, promises.delete_promise, ADMIN, ids["promise"])
    promise, _ = run_service(
        engine, promises.create_promise, ADMIN,
        partnership_id=ids["partnership"], year=2027, fields=FIELDS, copy_previous=True,
    )  # fmt: skip
    run_service(engine, promises.delete_promise, ADMIN, promise.id)
    with Session(engine) as s:
        assert s.get(Promise, promise.id) is None
        deleted = [a.table_name for a in audits(s) if a.action == "delete"]
        assert sorted(deleted) == ["activity", "activity", "focus_area", "focus_area", "promise"]


# ---------------------------------------------------------------- focus areas and activities


def test_add_and_update_focus_area(world):
    engine, ids = world
    area = run_service(
        engine, items.add_focus_area, ADMIN, ids["promise"],
        FocusAreaFields("Droger", "Narkotika bland unga", "droger"),
    )  # fmt: skip
    run_service(
        engine, items.update_focus_area, ADMIN, area.id,
        FocusAreaFields("Droger och alkohol", "", "droger"),
    )  # fmt: skip
    with Session(engine) as s:
        names = [a.name for a in s.get(Promise, ids["promise"]).focus_areas]
        assert names == ["Unga", "Trafik", "Droger och alkohol"]
        assert [a.action for a in audits(s, "focus_area")] == ["insert", "update"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (FocusAreaFields("", "", "ungdomar"), "name", "Namnet får inte vara tomt"),
        (FocusAreaFields("X", "", "Unga Vuxna"), "theme", "Temat är en fast nyckel"),
    ],
)
def test_bad_focus_area_is_refused(world, fields, field, message):
    engine, ids = world
    before = counts(engine)
    with pytest.raises(AdminError, match=message) as caught:
        run_service(engine, items.add_focus_area, ADMIN, ids["promise"], fields)
    assert caught.value.field == field
    assert counts(engine) == before


def test_add_update_and_move_activity(world):
    engine, ids = world
    new = run_service(
        engine, items.add_activity, ADMIN,
        ActivityFields(ids["unga"], "Föräldravandringar", "kommun", partners=["vårdnadshavare"],
                       target_value=4, target_unit="vandringar", lineage_key="parents"),
    )  # fmt: skip
    run_service(
        engine, items.update_activity, ADMIN, new.id,
        ActivityFields(ids["trafik"], "Föräldravandringar i centrum", "gemensam"),
    )  # fmt: skip
    run_service(engine, items.move, ADMIN, Activity, new.id, -1)
    with Session(engine) as s:
        trafik = s.get(FocusArea, ids["trafik"])
        assert [a.title for a in trafik.activities] == [
            "Föräldravandringar i centrum",
            "Hastighetskontroller",
        ]
        moved = s.get(Activity, new.id)
        assert (moved.owner, moved.target_value, moved.lineage_key) == ("gemensam", None, None)
        actions = [a.action for a in audits(s, "activity")]
        assert actions[:2] == ["insert", "update"] and set(actions[2:]) == {"update"}


def test_activity_cannot_move_to_another_promises_focus_area(world):
    engine, ids = world
    with Session(engine) as s:
        other = builders.make_promise(s, s.get(Promise, ids["promise"]).partnership, year=2025)
        area = builders.make_focus_area(s, other)
        s.commit()
        area_id = area.id
    before = counts(engine)
    with pytest.raises(AdminError, match="hör till ett annat löfte"):
        run_service(
            engine, items.update_activity, ADMIN, ids["dialog"], ActivityFields(area_id, "X")
        )
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (ActivityFields(0, " "), "Titeln får inte vara tom"),
        (ActivityFields(0, "X", owner="region"), "Ansvarig ska vara"),
        (ActivityFields(0, "X", target_value=-1), "Målvärdet får inte vara negativt"),
        (ActivityFields(0, "X", lineage_key="Med Mellanslag"), "Linjenyckeln"),
    ],
)
def test_bad_activity_is_refused(world, fields, message):
    engine, ids = world
    before = counts(engine)
    fields = ActivityFields(**{**fields.__dict__, "focus_area_id": ids["unga"]})
    with pytest.raises(AdminError, match=message):
        run_service(engine, items.add_activity, ADMIN, fields)
    assert counts(engine) == before


def test_move_focus_area_renumbers_and_stops_at_the_ends(world):
    engine, ids = world
    run_service(engine, items.move, ADMIN, FocusArea, ids["trafik"], -1)
    run_service(engine, items.move, ADMIN, FocusArea, ids["trafik"], -1)  # already first
    with Session(engine) as s:
        areas = s.get(Promise, ids["promise"]).focus_areas
        assert [(a.name, a.sort_order) for a in areas] == [("Trafik", 1), ("Unga", 2)]


def test_archive_keeps_evaluations_and_can_be_undone(world):
    engine, ids = world
    run_service(engine, items.set_archived, ADMIN, Activity, ids["walks"], True)
    run_service(
        engine, items.set_archived, ADMIN, Activity, ids["walks"], True
    )  # no change, no audit
    with Session(engine) as s:
        walks = s.get(Activity, ids["walks"])
        assert walks.archived and len(walks.evaluations) == 1
        [entry] = audits(s, "activity")
        assert (entry.before["archived"], entry.after["archived"]) == (False, True)
    run_service(engine, items.set_archived, ADMIN, Activity, ids["walks"], False)
    with Session(engine) as s:
        assert not s.get(Activity, ids["walks"]).archived


def test_hard_delete_is_refused_for_evaluated_items(world):
    engine, ids = world
    before = counts(engine)
    with pytest.raises(AdminError, match="Aktiviteten har 1 utvärdering"):
        run_service(engine, items.delete, ADMIN, Activity, ids["walks"])
    with pytest.raises(AdminError, match="Fokusområdet har 1 utvärdering"):
        run_service(engine, items.delete, ADMIN, FocusArea, ids["unga"])
    assert counts(engine) == before


def test_hard_delete_of_unevaluated_items_is_audited(world):
    engine, ids = world
    run_service(engine, items.delete, ADMIN, Activity, ids["dialog"])
    run_service(engine, items.delete, ADMIN, FocusArea, ids["trafik"])
    with Session(engine) as s:
        assert s.get(Activity, ids["dialog"]) is None
        assert s.get(Activity, ids["speed"]) is None
        assert s.get(FocusArea, ids["trafik"]) is None
        deleted = {(a.table_name, a.row_id) for a in audits(s) if a.action == "delete"}
        assert deleted == {
            ("activity", ids["dialog"]), ("activity", ids["speed"]), ("focus_area", ids["trafik"])
        }  # fmt: skip
        assert s.scalar(select(func.count(Evaluation.id))) == 1


def test_a_row_deleted_meanwhile_gives_a_message(world):
    engine, ids = world
    with pytest.raises(AdminError, match="Aktiviteten finns inte längre"):
        run_service(engine, items.update_activity, ADMIN, 99999, ActivityFields(ids["unga"], "X"))


# ---------------------------------------------------------------- users


@pytest.fixture
def people(engine):
    with Session(engine) as s, s.begin():
        strangnas = builders.organisation_id(s, "kommun", "0486")
        users.create_user(s, users.NewUser("ada", "Ada Admin", "", "admin", national=True),
                          "x" * 12, "x" * 12, by="cli")  # fmt: skip
        users.create_user(s, users.NewUser("sam", "Sam Samordnare", "", "samordnare", strangnas),
                          "y" * 12, "y" * 12, by="cli")  # fmt: skip
    return engine


def grants(engine, username: str) -> list[tuple[str, int | None]]:
    with Session(engine) as s:
        row = s.scalars(select(AppUser).where(AppUser.username == username)).one()
        return [(g.role, g.organisation_id) for g in row.grants]


def user(engine, username: str) -> AppUser:
    with Session(engine) as s:
        return s.scalars(select(AppUser).where(AppUser.username == username)).one()


def test_add_user_gets_a_strong_password_shown_once(people):
    _row, password = run_service(
        people, users.add_user, ADMIN, users.NewUser("lo", "Lo Läsare", "", "lasare", national=True)
    )
    assert len(password) == 23 and password.count("-") == 3
    assert users.verify_password(password, user(people, "lo").password_hash)
    assert password != users.generate_password()
    with Session(people) as s:
        entry = audits(s, "app_user")[-1]
        grant = audits(s, "role_grant")[-1]
        assert (entry.username, entry.action, entry.after["username"]) == ("ada", "insert", "lo")
        assert "password_hash" not in entry.after and password not in str(entry.after)
        assert (grant.username, grant.action, grant.after["role"]) == ("ada", "insert", "lasare")
        assert grant.after["user_id"] == entry.row_id and grant.after["organisation_id"] is None


def test_grants_and_deactivation_are_audited(people):
    with Session(people) as s:
        eskilstuna = builders.organisation_id(s, "kommun", "0484")
    grant = run_service(people, users.add_grant, ADMIN, "sam", "admin", eskilstuna)
    run_service(people, users.set_active, ADMIN, "sam", False)
    sam = user(people, "sam")
    assert (sam.roles, sam.active) == (["samordnare", "admin"], False)
    assert grants(people, "sam")[1] == ("admin", eskilstuna)
    run_service(people, users.remove_grant, ADMIN, grant.id)
    assert [role for role, _ in grants(people, "sam")] == ["samordnare"]
    with Session(people) as s:
        given, taken = [(a.action, a.before, a.after) for a in audits(s, "role_grant")][-2:]
        changes = [(a.before, a.after) for a in audits(s, "app_user") if a.action == "update"]
    assert given[0] == "insert" and given[2]["organisation_id"] == eskilstuna
    assert taken[0] == "delete" and taken[1] == given[2] and taken[2] is None
    assert (changes[0][0]["active"], changes[0][1]["active"]) == (True, False)


def test_reset_password_replaces_it_and_lifts_a_lockout(people):
    with Session(people) as s, s.begin():
        sam = s.scalars(select(AppUser).where(AppUser.username == "sam")).one()
        sam.failed_login_count = 5
        sam.locked_until = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    password = run_service(people, users.reset_password, ADMIN, "sam")
    sam = user(people, "sam")
    assert users.verify_password(password, sam.password_hash)
    assert not users.verify_password("y" * 12, sam.password_hash)
    assert (sam.failed_login_count, sam.locked_until) == (0, None)
    with Session(people) as s:
        entry = audits(s, "app_user")[-1]
        assert entry.after["password_reset"] is True and "password_hash" not in entry.after


def _grant_id(session: Session, username: str) -> int:
    return session.scalars(select(AppUser).where(AppUser.username == username)).one().grants[0].id


def _grant_org(session: Session, username: str) -> int | None:
    user = session.scalars(select(AppUser).where(AppUser.username == username)).one()
    return user.grants[0].organisation_id


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: users.remove_grant(s, ADMIN, _grant_id(s, "ada")),
            "din egen administratörsroll",
        ),
        (lambda s: users.set_active(s, ADMIN, "ada", False), "inaktivera dig själv"),
        (lambda s: users.add_grant(s, ADMIN, "sam", "chef", None), "Okänd roll"),
        (
            lambda s: users.add_grant(s, ADMIN, "sam", "samordnare", _grant_org(s, "sam")),
            "har redan rollen samordnare för Strängnäs kommun",
        ),
        (lambda s: users.add_grant(s, ADMIN, "nobody", "lasare", None), "finns inte"),
        (lambda s: users.set_active(s, ADMIN, "nobody", False), "finns inte"),
        (
            lambda s: users.add_user(
                s, ADMIN, users.NewUser("sam", "Sam", "", "lasare", None, True)
            ),
            "finns redan",
        ),
    ],
)
def test_user_changes_that_are_refused(people, call, message):
    before = counts(people)
    with pytest.raises(users.UserError, match=message), Session(people) as s, s.begin():
        call(s)
    assert counts(people) == before
    assert user(people, "ada").roles == ["admin"] and user(people, "ada").active


# ---------------------------------------------------------------- permission matrix

NON_ADMINS = {
    "ingen inloggad": None,
    "lasare": Actor.of("lo", ["lasare"]),
    "samordnare": Actor.of("sam", ["samordnare"]),
    "utan roll": Actor.of("x", []),
}


def _actions(ids: dict) -> dict:
    area = FocusAreaFields("Ny", "", "ovrigt")
    activity = ActivityFields(ids["unga"], "Ny")
    new_user = users.NewUser("ny", "Ny", "", "lasare")
    return {
        "create_promise": lambda s, a: promises.create_promise(
            s, a, partnership_id=ids["partnership"], year=2027, fields=FIELDS, copy_previous=True
        ),
        "update_promise": lambda s, a: promises.update_promise(s, a, ids["promise"], FIELDS),
        "delete_promise": lambda s, a: promises.delete_promise(s, a, _latest(s, ids)),
        "add_focus_area": lambda s, a: items.add_focus_area(s, a, ids["promise"], area),
        "update_focus_area": lambda s, a: items.update_focus_area(s, a, ids["unga"], area),
        "add_activity": lambda s, a: items.add_activity(s, a, activity),
        "update_activity": lambda s, a: items.update_activity(s, a, ids["dialog"], activity),
        "move": lambda s, a: items.move(s, a, FocusArea, ids["trafik"], -1),
        "archive": lambda s, a: items.set_archived(s, a, Activity, ids["dialog"], True),
        "delete": lambda s, a: items.delete(s, a, Activity, ids["dialog"]),
        "add_user": lambda s, a: users.add_user(s, a, new_user),
        "add_grant": lambda s, a: users.add_grant(s, a, "sam", "admin", None),
        "remove_grant": lambda s, a: users.remove_grant(s, a, _grant_id(s, "sam")),
        "set_active": lambda s, a: users.set_active(s, a, "sam", False),
        "reset_password": lambda s, a: users.reset_password(s, a, "sam"),
        "create_partnership": lambda s, a: partnerships.create_partnership(
            s, a, kommun_code="0428", police_area="Lokalpolisområde Katrineholm", source="exempel"
        ),
    }


def _latest(session: Session, ids: dict) -> int:
    """2027's promise once the admin has made it (it has no evaluations), else 2026's."""
    find = promises.promise_for_year
    promise = find(session, ids["partnership"], 2027) or find(session, ids["partnership"], 2026)
    return promise.id


def test_every_admin_action_refuses_every_other_role_and_works_for_admin(world):
    engine, ids = world
    with Session(engine) as s, s.begin():
        users.create_user(s, users.NewUser("sam", "Sam", "", "samordnare"), "y" * 12, "y" * 12,
                          by="cli")  # fmt: skip
    before = counts(engine)
    actions = _actions(ids)
    for name, action in actions.items():
        for role, actor in NON_ADMINS.items():
            with pytest.raises(NotPermitted) as caught, Session(engine) as s, s.begin():
                action(s, actor)
            assert "inloggad" in str(caught.value) or "administratör" in str(caught.value), (
                name,
                role,
            )
    assert counts(engine) == before
    for name, action in actions.items():
        with Session(engine) as s, s.begin():
            action(s, ADMIN)
        assert counts(engine)["audit_log"] > before["audit_log"], name
