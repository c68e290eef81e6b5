"""Login, logout and the current user: streamlit-authenticator 0.4.2, wrapped.

Users come from ``app_user`` as a credentials dict with the stored bcrypt hashes
(``auto_hash=False``); the library never reads or writes a YAML file. Around it we add what it
lacks (issue 4): the lockout in the database (dashboard/lockout.py), the cookie-key rules
(dashboard/cookie_key.py) and roles and their scopes (grants) read from the database on every
run, so a role taken away takes effect at once. Nothing here is cached: the authenticator, the
credentials and the user belong to one session and one run (st.cache_resource is shared by
every session).

The login form is drawn only when needed. The library sleeps 0.7 s on every logged-out
``login()`` call; browsing pages without logging in must not pay that on every rerun, so a
logged-out reader sees a "Logga in" button, and the form (in the sidebar, so the user stays on
the page they are on) appears when asked for. A login cookie is honoured on every run.

The library itself is set up only when it has something to do (issue 6). A reader whose
browser sent no login cookie (``st.context.cookies``, the request that opened the session), who
is not logged in in this session and has not opened the login form, gets the "Logga in" button
without it: the steering group on a projector. Anyone else (a cookie, a login, the open form,
``require_login``) goes through the library.

The library, and the cookie manager that stands in for its own, are in
dashboard/authenticator.py, imported only past that point: a reader without a login never
imports it (issue 15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import browser_ui, cache, lockout, oidc_ui
from dashboard.access import ROLE_LABELS, Actor
from dashboard.cookie_key import CookieKeyError, resolve_cookie_key
from dashboard.settings import SECRETS_FILE, Settings

if TYPE_CHECKING:
    from dashboard.authenticator import Authenticate

ENTRY_ROLES = frozenset({"samordnare", "admin"})
ADMIN_ROLES = frozenset({"admin"})
WRONG_LOGIN = "Fel användarnamn eller lösenord."
NO_LOGIN = (
    "Ingen inloggning är påslagen: lokala konton är avstängda (DASHBOARD_LOCAL_LOGIN=0) och "
    "organisationens inloggning saknas i .streamlit/secrets.toml ([auth.organisation])."
)
FORM_FIELDS = {
    "Form name": "Logga in",
    "Username": "Användarnamn",
    "Password": "Lösenord",
    "Login": "Logga in",
}


def may_see(user: Actor | None, roles: Iterable[str] | None) -> bool:
    """Whether ``user`` sees a page open to ``roles`` (``None``: open to everyone)."""
    if roles is None:
        return True
    return user is not None and bool(user.roles & set(roles))


def gate(settings: Settings, engine: Engine) -> Actor | None:
    """Handle cookie, login and logout for this run; return the logged-in user or None.

    With ``settings.require_login`` a logged-out visitor gets only the login form (the run
    stops there). A bad cookie key outside demo mode stops the app with instructions.
    """
    organisation = oidc_ui.signed_in(settings)  # the organisation login (issue 14)
    if organisation is not None:
        st.session_state["current_user"] = organisation
        return organisation
    if not settings.local_login:  # DASHBOARD_LOCAL_LOGIN=0: no form, no local cookie honoured
        return _organisation_only(settings)
    key = _cookie_key(settings)
    if _anonymous_reader(settings):
        _login_button()
        st.session_state["current_user"] = None
        return None
    from dashboard.authenticator import Authenticate  # only now (see the module's docstring)

    with Session(engine) as session:
        credentials = lockout.load_credentials(session, dt.datetime.now(dt.UTC))
    authenticator = Authenticate(
        credentials,
        settings.cookie_name,
        key,
        settings.cookie_expiry_days,
        auto_hash=False,
    )
    _restore_from_cookie(authenticator)
    user = _current_user(credentials)
    if st.session_state.get("authentication_status") and user is None:
        authenticator.logout(location="unrendered")  # removed or deactivated since login
    if user is not None:
        _logged_in_sidebar(authenticator, user, credentials)
        user = _current_user(credentials)  # None again if "Logga ut" was just pressed
    if user is None and (settings.require_login or st.session_state.get("login_open")):
        user = _login_form(authenticator, credentials, engine, main=settings.require_login)
        if user is not None:
            # The form stays on screen until the cookie component's answer reruns the app.
            _logged_in_sidebar(authenticator, user, credentials)
    elif user is None:
        _login_button()
    st.session_state["current_user"] = user
    if user is None and settings.require_login:
        st.stop()
    return user


def current_user() -> Actor | None:
    """The user ``gate`` found in this run; pages call this (app.py runs the gate first)."""
    return st.session_state.get("current_user")


def require(roles: Iterable[str], refusal: str) -> Actor:
    """The current user if they hold one of ``roles``; else show ``refusal`` and stop the page.

    The page's own lock, behind app.py's page list and before the services' role checks.
    """
    user = current_user()
    if not may_see(user, roles):
        st.error(refusal)
        st.stop()
    return user


def refusal_page(roles: Iterable[str]) -> Callable[[], None]:
    """A page in place of one the user may not see, opened by its address (issue 10).

    A visitor is told the page needs a login and gets the login form; a logged-in user whose
    role does not reach it is told so. Nothing of the page itself is shown.
    """
    needed = " eller ".join(ROLE_LABELS.get(role, role) for role in sorted(roles))

    def refused() -> None:
        st.title("Inloggning krävs", anchor=False)
        if current_user() is None and not cache.settings().local_login:
            st.info(
                f"Sidan du öppnade kräver inloggning som {needed}. Logga in med "
                "organisationens konto i sidomenyn; sedan öppnas sidan."
            )
        elif current_user() is None:
            if not st.session_state.get("login_open"):
                _set_login_open(True)
                st.rerun()  # the gate draws the form in the sidebar on the next run
            st.info(
                f"Sidan du öppnade kräver inloggning som {needed}. Logga in med formuläret "
                "i sidomenyn; sedan öppnas sidan."
            )
        else:
            st.warning(
                f"Sidan du öppnade kräver rollen {needed}, och den har inte ditt konto. "
                "Kontakta en administratör om du behöver den."
            )

    return refused


def _login_button() -> None:
    st.sidebar.button("Logga in", key="login_open_button", on_click=_set_login_open, args=(True,))
    oidc_ui.login_button()


def _organisation_only(settings: Settings) -> None:
    """No local accounts: the organisation's button only (and, with require_login, only it)."""
    st.session_state["current_user"] = None
    if settings.require_login:
        st.title("Inloggning krävs", anchor=False)
        if oidc_ui.configured():
            oidc_ui.login_button(main=True)
        else:
            st.error(NO_LOGIN)
        st.stop()
    oidc_ui.login_button()
    return None


def _anonymous_reader(settings: Settings) -> bool:
    """Whether nothing in this run needs the library: no login cookie, login or form."""
    return not (
        settings.require_login
        or st.session_state.get("login_open")
        or st.session_state.get("authentication_status")
        or settings.cookie_name in st.context.cookies
    )


def _cookie_key(settings: Settings) -> str:
    try:
        return resolve_cookie_key(settings, secrets_file=SECRETS_FILE)
    except CookieKeyError as exc:
        st.error(f"**Appen kan inte starta.**\n\n{exc}")
        st.stop()


def _restore_from_cookie(authenticator: Authenticate) -> None:
    """Log in from a valid cookie, as ``login()`` does, without its 0.7 s sleep."""
    from dashboard.authenticator import LoginError

    if st.session_state.get("authentication_status"):
        return
    token = authenticator.cookie_controller.get_cookie()
    if not token:
        return
    try:
        authenticator.authentication_controller.login(token=token)
    except LoginError:  # the cookie names a user who may no longer log in
        authenticator.logout(location="unrendered")


def _current_user(credentials: dict) -> Actor | None:
    """The logged-in user with roles and grants as the database has them now, or None."""
    username = st.session_state.get("username")
    if not st.session_state.get("authentication_status") or not username:
        return None
    account = credentials["usernames"].get(username)
    if account is None:
        return None
    return Actor.of(username, account["roles"], account.get("grants", ()))


def _logged_in_sidebar(authenticator: Authenticate, user: Actor, credentials: dict) -> None:
    roles = ", ".join(ROLE_LABELS.get(role, role) for role in sorted(user.roles))
    # st.text: a display name is stored text and must not be read as markdown.
    st.sidebar.text(f"Inloggad: {st.session_state.get('name') or user.username} ({roles})")
    scopes = credentials["usernames"].get(user.username, {}).get("scopes")
    if scopes:
        st.sidebar.text(f"Behörighet: {scopes}")
    authenticator.logout("Logga ut", location="sidebar", key="logout_button")


def _login_form(authenticator, credentials: dict, engine: Engine, *, main: bool) -> Actor | None:
    """Draw the library's login form, count failures and successes in the database."""
    area = st.container() if main else st.sidebar
    with area:
        oidc_ui.login_button(main=True)  # in ``area``: the organisation's account first
        authenticator.login(
            location="main",
            fields=FORM_FIELDS,
            key="login_form",
            callback=lambda info: _record_success(engine, info["username"]),
        )
        if st.session_state.pop("login_just_opened", False):
            browser_ui.focus_login_form()  # keyboard users start typing at once (issue 10)
    _record_failures(engine, lockout.failed_usernames(credentials))
    if st.session_state.get("authentication_status") is False:
        area.error(WRONG_LOGIN)  # the same words for a wrong password and a locked username
    if not main and not st.session_state.get("authentication_status"):
        area.button("Avbryt", key="login_cancel", on_click=_set_login_open, args=(False,))
    return _current_user(credentials)


def _record_failures(engine: Engine, usernames: list[str]) -> None:
    if not usernames:
        return
    # Login counters are not promise data: no audit row, so caches keyed on it stay valid.
    with Session(engine) as session, session.begin():
        for username in usernames:
            lockout.record_failure(session, username, dt.datetime.now(dt.UTC))


def _record_success(engine: Engine, username: str) -> None:
    with Session(engine) as session, session.begin():
        lockout.record_success(session, username)
    st.session_state["login_open"] = False


def _set_login_open(value: bool) -> None:
    st.session_state["login_open"] = value
    st.session_state["login_just_opened"] = value
    st.session_state["authentication_status"] = None
