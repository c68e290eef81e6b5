"""Tabs drawn when first opened keep what was typed (issue 15).

Administration and Registrera draw a tab's content the first time it is opened
(``components.lazy_tabs``); a tab once opened stays drawn. What someone types in a form is
held by the browser until the form is sent, so this is checked where it lives: type in one
tab, open another (a rerun that draws it), come back, and the text is still there, unsent.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from testsupport.browser import demo_with_user, log_in, nav, wait_for_app

PASSWORD = "Ada-har-ett-bra-losenord"
TYPED = "Ännu inte sparat <b>alls</b>"


@pytest.fixture(scope="module")
def admin_server(start_server, demo_template, tmp_path_factory):
    """A server on a copy of the demo database with one administrator, ``ada``."""
    from dashboard.admin.users import NewUser

    ada = NewUser("ada", "Ada Admin", "ada@example.se", "admin")
    path = tmp_path_factory.mktemp("tabs") / "admin.sqlite3"
    return start_server(demo_with_user(demo_template, path, ada, PASSWORD))


def _open_page(page, server, title: str) -> None:
    page.set_default_timeout(60_000)  # the test machine is shared; be patient, not flaky
    page.goto(server.url)
    wait_for_app(page)
    log_in(page, "ada", PASSWORD, "Ada Admin (administratör)")
    nav(page).get_by_text(title).click()
    main = page.locator('[data-testid="stMain"]')
    main.locator("h1", has_text=title).wait_for()
    wait_for_app(page, charts=False)


def _open_tab(page, name: str, shows) -> None:
    """Click the tab ``name`` and wait for what it draws (``shows``) and the run's end."""
    page.get_by_role("tab", name=name).click()
    expect(shows).to_be_visible()
    wait_for_app(page, charts=False)


def test_typed_text_survives_a_trip_to_another_admin_tab(page, admin_server):
    _open_page(page, admin_server, "Administration")
    main = page.locator('[data-testid="stMain"]')
    new_promise = main.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name="Skapa löfte")
    )
    area = new_promise.get_by_label("Område (lämna tomt för hela kommunen)")
    username = main.get_by_label("Användarnamn (a–z, 0–9, . - _)")
    expect(username).to_have_count(0)  # the Användare tab is not drawn before it is opened
    expect(area).to_have_count(0)  # nor the Nytt löfte form before it is asked for
    main.get_by_role("button", name="Skriv ett nytt löfte").click()
    expect(area).to_be_visible()
    wait_for_app(page, charts=False)
    area.fill(TYPED)

    _open_tab(page, "Användare", username)
    username.fill("ny.person")
    _open_tab(page, "Löften", area)
    expect(area).to_have_value(TYPED)
    _open_tab(page, "Användare", username)
    expect(username).to_have_value("ny.person")


def test_typed_text_survives_a_trip_to_the_grid(page, admin_server):
    _open_page(page, admin_server, "Registrera utvärdering")
    main = page.locator('[data-testid="stMain"]')
    comment = main.get_by_label("Kommentar", exact=True)  # not "Kommentaren får visas …"
    grid = main.locator('[data-testid="stDataFrame"]')
    expect(grid).to_have_count(0)  # the grid is drawn when its tab is first opened
    comment.fill(TYPED)

    _open_tab(page, "Hela perioden i en tabell", grid)
    _open_tab(page, "En aktivitet i taget", comment)
    expect(comment).to_have_value(TYPED)
    expect(main.get_by_text("Sparat: 1 utvärdering.")).to_have_count(0)  # nothing was sent
