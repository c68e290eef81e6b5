"""DASHBOARD_LOCAL_LOGIN=0 (issue 14): no local login form, and a local login no longer counts;
with the organisation's provider configured its button is the way in."""

from __future__ import annotations

import pytest

from dashboard.oidc_ui import LOGIN_LABEL
from testsupport.apptest import log_in, start_app

pytestmark = pytest.mark.usefixtures("like_a_server")


def _signed_in(at) -> bool:
    return any("Inloggad" in t.value for t in at.sidebar.text)


def test_switching_local_login_off_ends_a_local_login_and_hides_the_form(db, monkeypatch):
    at = log_in(start_app(), "sam")
    assert _signed_in(at)
    monkeypatch.setenv("DASHBOARD_LOCAL_LOGIN", "0")
    at.run()
    assert not _signed_in(at)
    assert [b.label for b in at.sidebar.button if b.label.startswith("Logga in")] == []
    assert [p for p in ("Registrera utvärdering", "Administration") if p in str(at)] == []


def test_with_local_login_off_and_login_required_the_page_says_what_is_missing(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_LOCAL_LOGIN", "0")
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    at = start_app()
    assert [t.value for t in at.title] == ["Inloggning krävs"]
    assert "DASHBOARD_LOCAL_LOGIN=0" in at.error[0].value
    assert not at.text_input  # no username, no password


def test_the_organisation_button_shows_where_the_provider_is_configured(db):
    at = start_app()
    assert LOGIN_LABEL not in [b.label for b in at.sidebar.button]
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "k" * 48,
        "organisation": {"client_id": "x", "client_secret": "y",
                         "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
    }  # fmt: skip
    at.run()
    assert LOGIN_LABEL in [b.label for b in at.sidebar.button]
