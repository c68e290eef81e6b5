"""The organisation login's matching (issue 14), on SQLite and PostgreSQL: by issuer and
subject once linked, else by a verified e-mail (then linked and audited); roles from our grants,
never from the token; inactive and unknown people refused, unknown ones recorded once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.admin.scopes import NewUser, UserError
from dashboard.oidc_users import (
    INACTIVE,
    LINKED_ELSEWHERE,
    NO_EMAIL,
    UNKNOWN,
    UNVERIFIED,
    Claims,
    create_from_refused,
    dismiss_refused,
    refused_sign_ins,
    sign_in,
)
from db.models import AppUser, AuditLog, RefusedSignIn
from testsupport.builders import make_partnership, make_user, organisation_id

ISSUER = "https://login.example.se/tenant/v2.0"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def claims(sub="sub-1", email="Sam@Example.se", verified=True, **extra) -> Claims:
    return Claims.of(
        {"iss": ISSUER, "sub": sub, "email": email, "email_verified": verified, **extra}
    )


@pytest.fixture
def place(engine):
    """Strängnäs with a samordnare (e-mail sam@example.se) and a kommun admin."""
    with Session(engine) as session, session.begin():
        make_partnership(session)
        kommun = organisation_id(session, "kommun", "0486")
        sam = make_user(session, "sam", ("samordnare", kommun))
        sam.email = "sam@example.se"
        make_user(session, "ada", ("admin", kommun))
    return kommun


def _run(engine, *args, **kwargs):
    with Session(engine) as session, session.begin():
        return sign_in(session, *args, **kwargs)


def test_verified_email_finds_the_account_and_links_it(engine, place):
    result = _run(engine, claims(), now=T0)
    assert result.refused is None and result.linked
    assert result.user.username == "sam"
    assert result.user.roles == {"samordnare"}
    assert {g.organisation_id for g in result.user.grants} == {place}
    with Session(engine) as session:
        sam = session.scalar(select(AppUser).where(AppUser.username == "sam"))
        assert (sam.oidc_issuer, sam.oidc_subject) == (ISSUER, "sub-1")
        audit = session.scalars(select(AuditLog).where(AuditLog.table_name == "app_user")).all()
        assert [a.after["oidc_subject"] for a in audit] == ["sub-1"]
    again = _run(engine, claims(), now=T0)
    assert again.user.username == "sam" and not again.linked


def test_once_linked_the_subject_counts_not_the_email(engine, place):
    _run(engine, claims(), now=T0)
    moved = _run(engine, claims(email="sam.new@example.se", verified=False), now=T0)
    assert moved.user.username == "sam"
    # Someone else with sam's address but another subject does not get sam's account.
    other = _run(engine, claims(sub="sub-2"), now=T0)
    assert other.user is None and other.refused == LINKED_ELSEWHERE


def test_roles_come_from_the_database_never_from_the_token(engine, place):
    result = _run(engine, claims(roles=["admin"], groups=["admin"]), now=T0)
    assert result.user.roles == {"samordnare"}


def test_unverified_or_missing_email_is_refused_unless_the_provider_is_trusted(engine, place):
    assert _run(engine, claims(verified=False), now=T0).refused == UNVERIFIED
    assert _run(engine, claims(sub="s2", email=""), now=T0).refused == NO_EMAIL
    # Entra ID sends no email_verified at all: trusted only when configured so.
    entra = Claims.of({"iss": ISSUER, "sub": "oid-3", "email": "sam@example.se",
                       "preferred_username": "Sam S", "tid": "t", "oid": "oid-3"})  # fmt: skip
    assert entra.email_verified is None and entra.name == "Sam S"
    assert _run(engine, entra, now=T0).refused == UNVERIFIED
    assert _run(engine, entra, trust_email=True, now=T0).user.username == "sam"
    # A provider that says "false" is not overridden by trusting it.
    assert _run(engine, claims(sub="s4", verified="false"), trust_email=True, now=T0).refused


def test_an_inactive_account_is_refused_and_not_linked(engine, place):
    with Session(engine) as session, session.begin():
        session.scalar(select(AppUser).where(AppUser.username == "sam")).active = False
    assert _run(engine, claims(), now=T0).refused == INACTIVE
    with Session(engine) as session:
        assert session.scalar(select(AppUser.oidc_subject).where(AppUser.username == "sam")) is None
        assert session.scalars(select(RefusedSignIn)).all() == []


def test_an_unknown_person_is_recorded_once_per_subject(engine, place):
    unknown = claims(sub="new-1", email="ny@example.se", name="Ny Person")
    assert _run(engine, unknown, now=T0).refused == UNKNOWN
    later = T0 + dt.timedelta(hours=2)
    assert _run(engine, unknown, now=later).refused == UNKNOWN
    with Session(engine) as session:
        rows = session.scalars(select(RefusedSignIn)).all()
        assert [(r.subject, r.email, r.name, r.email_verified, r.handled) for r in rows] == [
            ("new-1", "ny@example.se", "Ny Person", True, False)
        ]
        assert rows[0].at.replace(tzinfo=dt.UTC) == later


def _actor(engine, username: str) -> Actor:
    from dashboard.access import stored_actor

    with Session(engine) as session:
        return stored_actor(session, Actor.of(username, ()))


def test_an_admin_creates_the_account_from_a_refusal_within_their_scope(engine, place):
    _run(engine, claims(sub="new-1", email="ny@example.se", name="Ny Person"), now=T0)
    ada = _actor(engine, "ada")
    with Session(engine) as session, session.begin():
        (row,) = refused_sign_ins(session, ada)
        # Not beyond the admin's scope: a national grant is refused.
        with pytest.raises(NotPermitted):
            wide = NewUser("ny", "Ny Person", row.email, "lasare", national=True)
            create_from_refused(session, ada, row.id, wide)
    with Session(engine) as session, session.begin():
        (row,) = refused_sign_ins(session, ada)
        user = NewUser("ny", "Ny Person", row.email, "samordnare", organisation_id=place)
        create_from_refused(session, ada, row.id, user)
        done = row.id
    with Session(engine) as session:
        assert refused_sign_ins(session, ada) == []
    result = _run(engine, claims(sub="new-1", email="ny@example.se"), now=T0)
    assert result.user.username == "ny" and not result.linked  # linked at creation
    assert result.user.roles == {"samordnare"}
    with Session(engine) as session, session.begin(), pytest.raises(UserError):
        create_from_refused(session, ada, done, NewUser("ny2", "N", "", "lasare"))


def test_only_admins_see_the_list_and_a_dismissed_refusal_comes_back_on_a_new_try(engine, place):
    _run(engine, claims(sub="new-1", email="ny@example.se"), now=T0)
    with Session(engine) as session, session.begin():
        with pytest.raises(NotPermitted):
            refused_sign_ins(session, _actor(engine, "sam"))
        (row,) = refused_sign_ins(session, _actor(engine, "ada"))
        dismiss_refused(session, _actor(engine, "ada"), row.id)
    with Session(engine) as session:
        assert refused_sign_ins(session, _actor(engine, "ada")) == []
    _run(engine, claims(sub="new-1", email="ny@example.se"), now=T0)
    with Session(engine) as session:
        assert len(refused_sign_ins(session, _actor(engine, "ada"))) == 1


def test_claims_without_issuer_or_subject_are_not_a_sign_in():
    with pytest.raises(ValueError):
        Claims.of({"email": "sam@example.se", "email_verified": True})


def test_a_sign_in_lasts_as_long_as_our_own_login():
    day = dt.timedelta(days=1)
    fresh = claims(iat=int(T0.timestamp()))
    assert fresh.issued_at == T0
    assert not fresh.too_old(T0 + dt.timedelta(hours=23), day)
    assert fresh.too_old(T0 + dt.timedelta(hours=25), day)
    assert claims().too_old(T0, day)  # no iat: not trusted to be recent
    assert claims(iat="nonsense").too_old(T0, day)
