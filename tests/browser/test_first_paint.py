"""What a page load leaves out until it is needed (issues 6 and 15), in a real browser.

The login library's cookie manager is an iframe with scripts of its own whose answer reruns
the app; dashboard.auth draws it only when the library writes a cookie: set at login, deleted
at logout (logging in, reloading and logging out are also in test_entry.py).
"""

import pytest

from dashboard.admin.scopes import NewUser
from testsupport.browser import demo_with_user, log_in, wait_for_app

COOKIE_MANAGER = 'iframe[title*="cookie_manager"]'
COOKIE_NAME = "medborgarloften_auth"
PASSWORD = "Ett-langt-losenord-for-test"


@pytest.fixture
def login_server(start_server, demo_template, tmp_path):
    """A server on a copy of the demo with one coordinator, Kim."""
    kim = NewUser("kim", "Kim Samordnare", "", "samordnare")
    return start_server(demo_with_user(demo_template, tmp_path / "login.sqlite3", kim, PASSWORD))


def test_a_reader_without_a_cookie_gets_no_cookie_component_also_with_the_form_open(
    demo_server, page
):
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert page.locator(COOKIE_MANAGER).count() == 0
    sidebar.get_by_role("button", name="Logga in").click()
    page.get_by_label("Användarnamn").wait_for()
    wait_for_app(page, charts=False)
    assert page.locator(COOKIE_MANAGER).count() == 0  # the form alone writes nothing
    sidebar.get_by_role("button", name="Avbryt").click()
    page.get_by_label("Användarnamn").wait_for(state="detached")
    sidebar.get_by_role("button", name="Logga in").wait_for()


def test_a_false_login_cookie_logs_nobody_in(demo_server, page):
    page.context.add_cookies(
        [{"name": COOKIE_NAME, "value": "inte-en-giltig-token", "url": demo_server.url}]
    )
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Logga in").wait_for()
    assert sidebar.get_by_text("Inloggad:").count() == 0


def test_the_component_sets_the_cookie_at_login_and_is_not_drawn_on_a_logged_in_page_load(
    login_server, page
):
    page.goto(f"{login_server.url}/trender")
    wait_for_app(page)
    log_in(page, "kim", PASSWORD, "Kim Samordnare (samordnare)")
    assert COOKIE_NAME + "=" in page.evaluate("document.cookie")  # the component set it

    page.goto(f"{login_server.url}/trender")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Inloggad: Kim Samordnare").wait_for()  # restored from the cookie
    # Delivered with the run's first elements before (issue 15): not drawn, no second run.
    assert page.locator(COOKIE_MANAGER).count() == 0
