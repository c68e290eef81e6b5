"""The organisation login in a real browser against a real OpenID Connect provider (issue 14).

The provider is the PyPI package oidc-provider-mock (Authlib's server, RS256-signed ID
tokens, discovery, JWKS, end-session) on loopback in this process; the app is a real server
whose ``[auth]`` secrets point at it (``--secrets.files``, a file of the test's own). In front of
the provider sits a switch between two instances of it with different signing keys, one of
which issues tokens that expired two hours ago, so a test can make the provider answer with an
expired ID token, or with one signed by a key that is not the provider's published one.

One provider and one app server for the module (2 cores): the tests share the database, and
each person signs in with the button on the page and the provider's own form.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import pytest
import werkzeug.serving
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin.scopes import NewUser
from dashboard.admin.users import create_user
from dashboard.oidc_ui import LOGGED_OUT, LOGIN_LABEL
from db import make_engine
from db.models import AppUser, RefusedSignIn
from testsupport.apptest import TEST_COOKIE_KEY
from testsupport.browser import log_in, wait_for_app
from testsupport.server import StreamlitServer, free_port

PASSWORD = "Lo-har-ett-bra-losenord"
CONTACT = "support@example.se"
PEOPLE = {  # subject at the provider: claims
    "kim-sub": {"email": "Kim@Example.se", "email_verified": True, "name": "Kim Samordnare"},
    "lo-sub": {"email": "lo@example.se", "email_verified": True, "name": "Lo Läsare"},
    "ada-sub": {"email": "ada@example.se", "email_verified": True, "name": "Ada Admin"},
    "ny-sub": {"email": "ny@example.se", "email_verified": True, "name": "Ny Person"},
}


class Provider:
    """Two oidc-provider-mock instances behind one address; ``mode`` picks who answers.

    "good": the first answers everything. "expired": the second, whose ID tokens expired two
    hours ago, answers everything. "other key": the first issues the tokens but the second's
    key set is published, so the signature does not verify.
    """

    def __init__(self) -> None:
        users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in PEOPLE.items()]
        self.good = oidc_provider_mock.app(user_claims=users)
        self.expired = oidc_provider_mock.app(
            user_claims=users, access_token_max_age=dt.timedelta(hours=-2)
        )
        self.mode = "good"

    def __call__(self, environ, start_response):
        app = self.expired if self.mode == "expired" else self.good
        if self.mode == "other key" and environ.get("PATH_INFO") == "/jwks":
            app = self.expired
        return app(environ, start_response)


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[Provider, str]]:
    saved = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider answers http on loopback
    switch = Provider()
    server = werkzeug.serving.make_server("127.0.0.1", 0, switch, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield switch, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()
    if saved is None:
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
    else:
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = saved


@pytest.fixture(scope="module")
def app(provider, demo_template, tmp_path_factory) -> Iterator[tuple[StreamlitServer, str]]:
    """The app on a copy of the demo with kim (samordnare), lo (läsare), both in Strängnäs,
    and ada (national admin), each with the e-mail address the provider knows them by."""
    folder = tmp_path_factory.mktemp("oidc")
    path = folder / "demo.sqlite3"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        for username, role in (("kim", "samordnare"), ("lo", "lasare"), ("ada", "admin")):
            claims = PEOPLE[f"{username}-sub"]
            user = NewUser(username, claims["name"], claims["email"].lower(), role,
                           national=role == "admin")  # fmt: skip
            create_user(session, user, PASSWORD, PASSWORD, by="test")
    engine.dispose()
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{"k" * 48}"\n\n[auth.organisation]\nclient_id = "medborgarloften"\n'
        f'client_secret = "hemligt"\n'
        f'server_metadata_url = "{provider[1]}/.well-known/openid-configuration"\n'
    )
    env = {
        "DASHBOARD_DATABASE_URL": url,
        "DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY,
        "DASHBOARD_DEMO_MODE": "1",
        "DASHBOARD_ADMIN_CONTACT": CONTACT,
        "AUTHLIB_INSECURE_TRANSPORT": "1",
    }
    server = StreamlitServer(
        env, folder / "streamlit.log", port=port, args=("--secrets.files", str(secrets))
    )
    yield server, url, folder / "streamlit.log"
    server.stop()


@pytest.fixture(autouse=True)
def _good_provider(provider):
    provider[0].mode = "good"
    yield
    provider[0].mode = "good"


END_SESSION = re.compile(r".*/oauth2/end_session.*")


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def sign_in(page, base: str, subject: str) -> None:
    """Open the app, press the organisation's button and choose ``subject`` at the provider."""
    page.goto(base)
    wait_for_app(page, charts=False)
    sidebar(page).get_by_role("button", name=LOGIN_LABEL).click()
    page.get_by_role("button", name=subject, exact=True).click()  # the provider's own form


def signed_in_as(page, name: str) -> None:
    sidebar(page).get_by_text(f"Inloggad: {name}").wait_for()
    wait_for_app(page, charts=False)


def not_signed_in(page, base: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(base) + r"/?$"))
    wait_for_app(page, charts=False)
    expect(sidebar(page).get_by_role("button", name=LOGIN_LABEL)).to_be_visible()
    expect(sidebar(page).get_by_text("Inloggad:")).to_have_count(0)


def log_out(page) -> None:
    """Our "Logga ut", then the provider's end-session page, back to the app."""
    wait_for_app(page, charts=False)  # a click in the middle of a run may be redrawn away
    sidebar(page).get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(END_SESSION)
    page.get_by_role("button", name="End session").click()  # the provider's own page


def test_a_known_person_lands_with_their_role_and_scope_and_logs_out(page, app):
    server, url, _ = app
    sign_in(page, server.url, "kim-sub")
    signed_in_as(page, "Kim Samordnare (samordnare)")
    expect(sidebar(page).get_by_text("Behörighet: samordnare i Strängnäs kommun")).to_be_visible()
    page.get_by_role("link", name="Registrera utvärdering").click()
    expect(page.get_by_role("heading", name="Registrera utvärdering")).to_be_visible()
    # Registrera writes its year and period into the address after its first run and runs
    # again; a click in that second run was redrawn away, so wait for the address first.
    expect(page).to_have_url(re.compile(r".*/registrera\?ar=\d+&period=\d+"))
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    engine = make_engine(url)
    with Session(engine) as session:  # matched by the verified e-mail (other case), then linked
        kim = session.scalar(select(AppUser).where(AppUser.username == "kim"))
        assert kim.oidc_subject == "kim-sub"
    engine.dispose()

    log_out(page)
    expect(page.get_by_text(LOGGED_OUT)).to_be_visible()
    not_signed_in(page, server.url)
    page.reload()  # our session and Streamlit's cookie are gone; the note is said once
    not_signed_in(page, server.url)
    expect(page.get_by_text(LOGGED_OUT)).to_have_count(0)


def test_an_unknown_person_is_refused_and_listed_for_the_admin(page, app):
    server, url, _ = app
    sign_in(page, server.url, "ny-sub")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text(f"Du har inget konto här; kontakta din administratör ({CONTACT}).")
           ).to_be_visible()  # fmt: skip
    wait_for_app(page, charts=False)
    # No data and no page names: no menu at all, no charts, no tables.
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    for name in ("Översikt", "Registrera", "Administration", "Aktiviteter"):
        expect(page.get_by_text(name)).to_have_count(0)
    expect(page.locator('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]')
           ).to_have_count(0)  # fmt: skip
    engine = make_engine(url)
    with Session(engine) as session:
        (row,) = session.scalars(select(RefusedSignIn)).all()
        assert (row.subject, row.email, row.name, row.handled) == (
            "ny-sub", "ny@example.se", "Ny Person", False)  # fmt: skip
    engine.dispose()
    main.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(END_SESSION)
    page.get_by_role("button", name="End session").click()
    not_signed_in(page, server.url)

    sign_in(page, server.url, "ada-sub")
    signed_in_as(page, "Ada Admin (administratör)")
    page.get_by_role("link", name="Administration").click()
    # Administration writes its kommun into the address after its first run and runs again;
    # wait for that address, so no click lands in the run that redraws it.
    expect(page).to_have_url(re.compile(r".*/administration\?kommun=\d{4}"))
    wait_for_app(page, charts=False)
    page.get_by_role("tab", name="Användare").click()
    expect(page.get_by_role("heading", name="Nekade inloggningar")).to_be_visible()
    refused = page.locator('[data-testid="stDataFrame"]').filter(has_text="Ny Person")
    expect(refused).to_be_visible()
    page.get_by_role("button", name="Skapa konto").click()
    expect(page.get_by_text("Kontot ny är skapat")).to_be_visible()
    log_out(page)
    not_signed_in(page, server.url)

    sign_in(page, server.url, "ny-sub")  # now the account exists, linked at creation
    signed_in_as(page, "Ny Person (läsare)")


def test_tampered_or_expired_answers_are_refused(page, app, provider):
    server, _, log = app
    # A callback with a state this browser never got: no sign-in.
    page.goto(f"{server.url}/oauth2callback?state=forged&code=forged")
    not_signed_in(page, server.url)

    # The real state with a forged code: the provider refuses to exchange it. (The browser
    # follows the provider's redirect itself, so its answer is changed before it arrives.)
    def forge_code(route):
        if route.request.method != "POST":
            return route.continue_()
        answer = route.fetch(max_redirects=0)
        parts = urlsplit(answer.headers["location"])
        query = dict(parse_qsl(parts.query)) | {"code": "forged-code"}
        forged = urlunsplit(parts._replace(query=urlencode(query)))
        route.fulfill(status=302, headers={"location": forged})

    authorize = re.compile(re.escape(provider[1]) + r"/oauth2/authorize.*")
    page.route(authorize, forge_code)
    sign_in(page, server.url, "kim-sub")
    not_signed_in(page, server.url)
    assert "Invalid 'code' in request" in log.read_text()
    page.unroute(authorize)

    provider[0].mode = "other key"  # an ID token whose signature the published keys deny
    sign_in(page, server.url, "kim-sub")
    not_signed_in(page, server.url)
    assert "BadSignatureError" in log.read_text()

    provider[0].mode = "expired"  # an ID token that expired two hours ago
    sign_in(page, server.url, "kim-sub")
    not_signed_in(page, server.url)
    assert "ExpiredTokenError" in log.read_text()

    provider[0].mode = "good"  # and the same person, properly, is let in
    sign_in(page, server.url, "kim-sub")
    signed_in_as(page, "Kim Samordnare (samordnare)")


def _entry_refusal(page, base: str) -> str:
    page.goto(f"{base}/registrera")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Inloggning krävs")).to_be_visible()
    wait_for_app(page, charts=False)
    return main.inner_text()


def test_the_entry_page_refuses_a_reader_by_either_login_alike(page, app):
    server, *_ = app
    sign_in(page, server.url, "lo-sub")
    signed_in_as(page, "Lo Läsare (läsare)")
    by_organisation = _entry_refusal(page, server.url)
    log_out(page)
    not_signed_in(page, server.url)

    log_in(page, "lo", PASSWORD, "Lo Läsare")
    by_password = _entry_refusal(page, server.url)
    assert "kräver rollen administratör eller samordnare" in by_password
    assert by_organisation == by_password
