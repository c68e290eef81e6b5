"""Who a person signed in by the organisation's identity provider is here (issue 14). No
Streamlit.

Streamlit's ``st.login`` checks the provider's answer (the authorization code exchanged at the
token endpoint, the ID token's signature, issuer, audience, expiry and nonce, by Authlib) and
hands the app the claims (``st.user``). This module decides what they mean here:

1. The issuer and subject (``iss``, ``sub``) of an account linked before find it; nothing else
   of the token counts then. (Entra ID's ``sub`` is fixed per person and app registration.)
2. Otherwise a verified e-mail address, compared without regard to case, finds an account
   that is not linked yet; it is linked (issuer and subject stored, audited) in the same
   transaction, so later sign-ins match by the subject even if the address changes.
   "Verified" means ``email_verified`` is true. Entra ID sends no ``email_verified``: there the
   address is taken as verified only where the provider is configured to be trusted with it
   (``DASHBOARD_OIDC_TRUST_EMAIL=1``, off by default), which suits a provider whose addresses
   only its own administrators set. ``preferred_username`` is never used to match.
3. An address that matches an account already linked to another subject finds nothing (no
   second identity may take an account over), nor does an address on two accounts.

Roles and scope come from our database (role_grant), never from the token. An inactive
account is refused. Anyone not found is refused and recorded in ``refused_sign_in`` (one row
per issuer and subject, its time moved on at each new attempt), for an admin to see; an admin
may create the account from that row (``create_from_refused``), linked to the subject at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, load_grants, require_organisation_scope, require_role
from dashboard.admin import users
from dashboard.admin.scopes import NewUser, UserError, scope_of
from db import audit
from db.models import AppUser, RefusedSignIn

# Why a sign-in was refused: the code kept in refused_sign_in.reason and what the person and
# the admin are told. The person's page never names an account or any data.
UNKNOWN = "okänd"
UNVERIFIED = "overifierad e-post"
NO_EMAIL = "ingen e-post"
LINKED_ELSEWHERE = "kontot kopplat till annan inloggning"
AMBIGUOUS = "e-posten finns på flera konton"
INACTIVE = "inaktivt konto"
REASON_TEXT = {
    UNKNOWN: "Ingen användare har den e-postadressen.",
    UNVERIFIED: "Identitetsleverantören har inte verifierat e-postadressen.",
    NO_EMAIL: "Identitetsleverantören skickade ingen e-postadress.",
    LINKED_ELSEWHERE: "Kontot med den e-postadressen är kopplat till en annan inloggning.",
    AMBIGUOUS: "Flera konton har den e-postadressen.",
    INACTIVE: "Kontot är inaktiverat.",
}
_TRUE = {"true", "1", "yes"}


@dataclass(frozen=True)
class Claims:
    """What we read from the identity provider's claims (``st.user``)."""

    issuer: str
    subject: str
    email: str = ""
    email_verified: bool | None = None  # None: the provider did not say (Entra ID)
    name: str = ""
    issued_at: dt.datetime | None = None  # ``iat`` of the ID token the sign-in came with

    @classmethod
    def of(cls, claims: Mapping) -> Claims:
        """The claims of ``st.user`` (or an ID token), with Entra ID's names understood.

        Raises:
            ValueError: ``iss`` or ``sub`` is missing (Streamlit signs no one in without them).
        """
        issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
        if not issuer or not subject:
            raise ValueError("Inloggningen saknar utfärdare (iss) eller subjekt (sub).")
        verified = claims.get("email_verified")
        if isinstance(verified, str):
            verified = verified.strip().lower() in _TRUE
        name = claims.get("name") or claims.get("preferred_username") or ""
        return cls(
            issuer=issuer,
            subject=subject,
            email=str(claims.get("email") or "").strip(),
            email_verified=None if verified is None else bool(verified),
            name=str(name).strip(),
            issued_at=_time(claims.get("iat")),
        )

    def too_old(self, now: dt.datetime, max_age: dt.timedelta) -> bool:
        """Whether the sign-in is older than our own login lasts (DASHBOARD_COOKIE_EXPIRY_DAYS):
        Streamlit keeps its cookie for 30 days, a local login lasts ``max_age``; so does this.
        A sign-in without ``iat`` counts as too old."""
        return self.issued_at is None or now - self.issued_at > max_age

    def verified_email(self, trust_email: bool) -> str:
        """The address if it may find an account: verified, or from a trusted provider."""
        if not self.email:
            return ""
        if self.email_verified or (self.email_verified is None and trust_email):
            return self.email
        return ""


def _time(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True)
class SignIn:
    """The outcome: the account (``user``, ``linked`` when linked just now) or a refusal."""

    user: Actor | None = None
    display_name: str = ""
    refused: str | None = None
    linked: bool = False


def sign_in(
    session: Session, claims: Claims, *, trust_email: bool = False, now: dt.datetime | None = None
) -> SignIn:
    """Match ``claims`` to an account; link it or record the refusal in ``session`` (the caller
    commits, one transaction)."""
    now = now or dt.datetime.now(dt.UTC)
    user = session.scalar(
        select(AppUser).where(
            AppUser.oidc_issuer == claims.issuer, AppUser.oidc_subject == claims.subject
        )
    )
    linked = False
    if user is None:
        user, reason = _by_email(session, claims, trust_email)
        if user is None:
            record_refusal(session, claims, reason, now)
            return SignIn(refused=reason)
        if user.active:
            _link(session, user, claims, how="verifierad e-post")
            linked = True
    if not user.active:
        return SignIn(refused=INACTIVE)
    grants = load_grants(session, [user.id]).get(user.id, [])
    return SignIn(Actor.of(user.username, (), grants), user.display_name, linked=linked)


def _by_email(session: Session, claims: Claims, trust_email: bool):
    if not claims.email:
        return None, NO_EMAIL
    email = claims.verified_email(trust_email)
    if not email:
        return None, UNVERIFIED
    found = list(
        session.scalars(
            select(AppUser).where(func.lower(AppUser.email) == email.lower()).with_for_update()
        )
    )
    if not found:
        return None, UNKNOWN
    if len(found) > 1:
        return None, AMBIGUOUS
    if found[0].oidc_subject is not None:
        return None, LINKED_ELSEWHERE
    return found[0], None


def _link(session: Session, user: AppUser, claims: Claims, *, by: str = "", how: str) -> None:
    before = {"oidc_issuer": user.oidc_issuer, "oidc_subject": user.oidc_subject}
    user.oidc_issuer, user.oidc_subject = claims.issuer, claims.subject
    session.flush()
    audit.record(
        session, username=by or user.username, table_name="app_user", row_id=user.id,
        action="update", before=before,
        after={"oidc_issuer": claims.issuer, "oidc_subject": claims.subject, "linked": how},
    )  # fmt: skip


def record_refusal(session: Session, claims: Claims, reason: str, now: dt.datetime) -> None:
    """One row per issuer and subject: a new attempt moves its time on and opens it again."""
    row = session.scalar(
        select(RefusedSignIn)
        .where(RefusedSignIn.issuer == claims.issuer, RefusedSignIn.subject == claims.subject)
        .with_for_update()
    )
    if row is None:
        row = RefusedSignIn(issuer=claims.issuer, subject=claims.subject)
        session.add(row)
    row.at = now
    row.email = claims.email[:200]
    row.email_verified = bool(claims.email_verified)
    row.name = claims.name[:200]
    row.reason = reason
    row.handled = False
    session.flush()


# ---------------------------------------------------------------- the admin's list


def refused_sign_ins(session: Session, actor: Actor | None) -> list[RefusedSignIn]:
    """The refusals not yet handled, newest first (admins only: anyone who tried is listed,
    for the person has no scope yet; creating the account keeps to the admin's scope)."""
    require_role(actor, "admin")
    query = select(RefusedSignIn).where(RefusedSignIn.handled.is_(False))
    return list(session.scalars(query.order_by(RefusedSignIn.at.desc(), RefusedSignIn.id)))


def create_from_refused(session: Session, actor: Actor, refused_id: int, user: NewUser) -> AppUser:
    """Create the account of a refused sign-in, linked to its issuer and subject, with one role
    in a scope within the admin's; mark the row handled. The account gets no password anyone
    knows: its owner signs in by the identity provider (an admin may give one later)."""
    row = _refused(session, refused_id)
    require_role(actor, "admin")
    require_organisation_scope(session, actor, "admin", scope_of(session, user))
    taken = select(AppUser.id).where(
        AppUser.oidc_issuer == row.issuer, AppUser.oidc_subject == row.subject
    )
    if session.scalar(taken) is not None:
        raise UserError("Den inloggningen är redan kopplad till ett konto.")
    secret = users.generate_password()  # never shown: nobody knows it
    account = users.create_user(session, user, secret, secret, by=actor.username)
    _link(session, account, Claims(row.issuer, row.subject), by=actor.username,
          how="nekad inloggning")  # fmt: skip
    _handled(session, actor, row)
    return account


def dismiss_refused(session: Session, actor: Actor, refused_id: int) -> None:
    """Take a refusal off the list without creating an account (it comes back if they try
    again)."""
    require_role(actor, "admin")
    _handled(session, actor, _refused(session, refused_id))


def _refused(session: Session, refused_id: int) -> RefusedSignIn:
    row = session.get(RefusedSignIn, refused_id, with_for_update=True)
    if row is None or row.handled:
        raise UserError("Den nekade inloggningen är redan hanterad.")
    return row


def _handled(session: Session, actor: Actor, row: RefusedSignIn) -> None:
    row.handled = True
    session.flush()
    audit.record(
        session, username=actor.username, table_name="refused_sign_in", row_id=row.id,
        action="update", before={"handled": False}, after={"handled": True},
    )  # fmt: skip
