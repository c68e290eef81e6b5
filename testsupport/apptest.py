"""AppTest helpers for the pages behind the login: the users, starting the app, logging in.

The fixtures that go with them (``like_a_server``, ``users_template``, ``db``) are in
tests/conftest.py; a module whose AppTests go through the login gate marks itself with
``pytestmark = pytest.mark.usefixtures("like_a_server")``.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PASSWORD = "rätt-lösenord-1"
USERS = {"lasse": "lasare", "sam": "samordnare", "ada": "admin"}
TIMEOUT = 30
APP = Path(__file__).resolve().parents[1] / "app.py"


def start_app(page: str | None = None) -> AppTest:
    """app.py run once (logged out), then ``page`` if given."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def log_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill in and submit the login form, then rerun as the cookie component would."""
    if not any(t.label == "Användarnamn" for t in at.text_input):
        at.button(key="login_open_button").click().run()
    text_input(at, "Användarnamn").input(username)
    text_input(at, "Lösenord").input(password)
    login_button(at).click().run()
    # In a browser the cookie component answers and the app reruns; here we rerun ourselves.
    return at.run()


def text_input(at: AppTest, label: str):
    """The text input with ``label``."""
    return next(t for t in at.text_input if t.label == label)


def login_button(at: AppTest):
    """The login form's submit button."""
    return next(b for b in at.button if b.label == "Logga in" and b.proto.is_form_submitter)


def open_app(**params: str) -> AppTest:
    """app.py run once with ``params`` in the address, with no exception on the page."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
