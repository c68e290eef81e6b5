"""The organisation login in the app (issue 14): Streamlit's ``st.login`` / ``st.user`` /
``st.logout`` with the provider ``[auth.organisation]`` of ``.streamlit/secrets.toml``.

Streamlit runs the OpenID Connect exchange itself (``/auth/login``, ``/oauth2callback``, with
Authlib) and keeps the person's claims in its own signed cookie; who that person is here, and
what they may do, is decided by dashboard/oidc_users.py against our database on every run. A
person with no account here gets a page that says so, and nothing else: no data, no menu.

Logging out: ``st.logout`` removes Streamlit's cookie and sends the browser to the provider's
end-session page if it has one, and the app starts afresh. To tell the person afterwards that
they are logged out here, and that the organisation's own login is a separate matter, a small
cookie of ours (``medborgarloften_org``, no data in it) is set by a constant script while they
are signed in; a new session that finds it without a signed-in person says so and removes it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import database, lockout, oidc_users
from dashboard.access import ROLE_LABELS, Actor
from dashboard.settings import Settings

PROVIDER = "organisation"
LOGIN_LABEL = "Logga in med organisationens konto"
MARK_COOKIE = "medborgarloften_org"
LOGGED_OUT = (
    "Du är utloggad här. Ditt konto hos organisationen (t.ex. Microsoft) är en egen "
    "inloggning och kan fortfarande vara inloggat i webbläsaren; logga ut där om du delar dator."
)
EXPIRED = "Inloggningen har gått ut. Logga in igen med organisationens konto."
_REFUSED = "oidc_refused"
_MARKED = "oidc_marked"


def configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or ``--secrets.files``) names our provider."""
    try:
        section = st.secrets.get("auth") or {}
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return False
    return PROVIDER in section


def signed_in(settings: Settings) -> Actor | None:
    """The person signed in by the organisation's provider, as our database has them, or None.

    A person the provider knows but we do not (or whose account is inactive) gets the refusal
    page and the run stops there. A person just logged out is told so.
    """
    if not configured():
        return None
    if not st.user.get("is_logged_in"):
        if MARK_COOKIE in st.context.cookies:
            _logged_out_note()
        return None
    try:
        claims = oidc_users.Claims.of(st.user.to_dict())
    except ValueError as exc:  # no issuer or subject: not a sign-in we can use
        st.sidebar.error(str(exc))
        return None
    max_age = dt.timedelta(days=settings.cookie_expiry_days)
    if claims.too_old(dt.datetime.now(dt.UTC), max_age):
        st.sidebar.info(EXPIRED)  # our login has ended; the button signs in afresh
        return None
    result = _match(settings, claims)
    if result.refused is not None:
        refusal(result.refused, settings)
        st.stop()
    _mark()
    _sidebar(result)
    return result.user


def login_button(*, main: bool = False) -> None:
    """The "Logga in med organisationens konto" button, if the provider is configured."""
    if configured():
        area = st if main else st.sidebar
        if area.button(LOGIN_LABEL, key=f"oidc_login{'_main' if main else ''}"):
            _leave(st.login, PROVIDER)


def refusal(reason: str, settings: Settings) -> None:
    """The page of a person signed in at the provider without a usable account here: what to
    do, nothing of the app (no data, no page names), and a way to log out."""
    contact = f" ({settings.admin_contact})" if settings.admin_contact else ""
    st.session_state["current_user"] = None
    st.title("Inget konto", anchor=False)
    if reason == oidc_users.INACTIVE:
        st.warning(f"Ditt konto här är inaktiverat; kontakta din administratör{contact}.")
    else:
        st.warning(f"Du har inget konto här; kontakta din administratör{contact}.")
    st.text(
        "Du är inte inloggad i appen. När administratören har lagt upp kontot kan du logga "
        "in igen med organisationens konto."
    )
    if st.button("Logga ut", key="oidc_refused_logout"):
        _leave(st.logout)


def _match(settings: Settings, claims: oidc_users.Claims) -> oidc_users.SignIn:
    """Match the signed-in claims; a refusal is recorded once per session (not every rerun)."""
    seen = st.session_state.get(_REFUSED)
    if seen and seen[0] == (claims.issuer, claims.subject):
        return oidc_users.SignIn(refused=seen[1])
    with database.writing(expire_on_commit=False) as session:
        result = oidc_users.sign_in(session, claims, trust_email=settings.oidc_trust_email)
        if result.user is not None:
            st.session_state["oidc_scopes"] = lockout.grants_text(session, result.user.grants)
    if result.refused is not None:
        st.session_state[_REFUSED] = ((claims.issuer, claims.subject), result.refused)
    return result


def _sidebar(result: oidc_users.SignIn) -> None:
    user = result.user
    roles = ", ".join(ROLE_LABELS.get(role, role) for role in sorted(user.roles)) or "inga roller"
    # st.text: a display name is stored text and must not be read as markdown.
    st.sidebar.text(f"Inloggad: {result.display_name or user.username} ({roles})")
    if scopes := st.session_state.get("oidc_scopes"):
        st.sidebar.text(f"Behörighet: {scopes}")
    st.sidebar.caption("Inloggad med organisationens konto.")
    if st.sidebar.button("Logga ut", key="oidc_logout"):
        _leave(st.logout)


def _leave(redirect, *args) -> None:
    """Send the browser to Streamlit's login or logout address, and end this run at once.

    ``st.login``/``st.logout`` only queue a message that sets ``window.location``; if the run
    went on and wrote the address (a page's year, period or kommun: ``history.replaceState``),
    Chromium would cancel that navigation and the click would be lost. So they are called in
    the run itself, never in a button callback, and nothing is drawn after them.
    """
    st.session_state["current_user"] = None
    redirect(*args)
    st.stop()


def _mark() -> None:
    """Set our "signed in by the organisation" cookie once per session (a session cookie)."""
    if st.session_state.get(_MARKED) or MARK_COOKIE in st.context.cookies:
        return
    st.session_state[_MARKED] = True
    st.sidebar.html(
        """<script>
document.cookie = "medborgarloften_org=1; path=/; SameSite=Lax";
</script>""",
        unsafe_allow_javascript=True,
    )


def _logged_out_note() -> None:
    """Say once, after st.logout, that this app's login has ended and the provider's is
    separate; then remove our cookie so a reload does not say it again."""
    if not st.session_state.get("oidc_note_shown"):
        st.session_state["oidc_note_shown"] = True
        st.sidebar.html(
            """<script>
document.cookie = "medborgarloften_org=; path=/; max-age=0; SameSite=Lax";
</script>""",
            unsafe_allow_javascript=True,
        )
    st.info(LOGGED_OUT)
