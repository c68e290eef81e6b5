"""Keyboard users (issue 10, item 14): "Logga in" puts the focus in the Användarnamn field.

Before, the focus stayed on the button and it took 43 presses of Tab to reach the field.
"""

from __future__ import annotations

from playwright.sync_api import expect

from testsupport.browser import open_popover, wait_for_app

HISTORY = "() => window.history.length"


def test_logga_in_moves_the_focus_to_the_username_field(page, demo_server):
    page.goto(f"{demo_server.url}/?ar=2021&period=3")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    before = page.evaluate(HISTORY)

    sidebar.get_by_role("button", name="Logga in").press("Enter")  # as from the keyboard
    field = sidebar.get_by_label("Användarnamn")
    expect(field).to_be_focused()
    page.keyboard.type("kim")  # typing goes into the field without a click
    expect(field).to_have_value("kim")
    assert page.evaluate(HISTORY) == before  # opening the form is no navigation


def test_the_focus_is_moved_only_when_the_form_opens(page, demo_server):
    """Once the form is open, a rerun (here: pressing Tab to Lösenord and typing) keeps the
    focus where the user put it."""
    page.goto(f"{demo_server.url}/?ar=2021&period=3")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Logga in").click()
    expect(sidebar.get_by_label("Användarnamn")).to_be_focused()
    wait_for_app(page)

    password = sidebar.get_by_label("Lösenord", exact=True)
    password.click()
    open_popover(page, "urval").get_by_label("År", exact=True).click()
    page.get_by_role("option", name="2020", exact=True).click()
    page.wait_for_url("**ar=2020**")
    wait_for_app(page)
    expect(sidebar.get_by_label("Användarnamn")).not_to_be_focused()
