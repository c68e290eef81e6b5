"""The browser's history and Back button (issue 10): one user action, at most one entry.

The choices kept in the address (``?ar=``, ``?period=``, ``?fokus=``) are written by
components._url_choice; Streamlit's frontend pushes a history entry for every query-string
change it is sent, so writing them one by one on every run cost several entries per click.
"""

from __future__ import annotations

from testsupport.browser import open_popover, wait_for_app

HISTORY = "() => window.history.length"


def _sidebar_link(page, title: str):
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)


def _heading(page, title: str):
    return page.locator('[data-testid="stMain"]').get_by_role("heading", name=title, exact=True)


def _go(page, title: str) -> int:
    """Click ``title`` in the sidebar, wait for its page; return the history's length."""
    _sidebar_link(page, title).click()
    _heading(page, title).wait_for()
    wait_for_app(page)
    return page.evaluate(HISTORY)


def test_each_click_adds_at_most_one_history_entry_and_one_back_undoes_it(page, demo_server):
    page.goto(f"{demo_server.url}/?ar=2021&period=3")
    wait_for_app(page)
    opened = page.evaluate(HISTORY)

    at_trends = _go(page, "Trender sedan 2007")
    assert at_trends - opened <= 1
    at_focus = _go(page, "Fokusområden")
    assert at_focus - at_trends <= 1, f"{at_focus - at_trends} entries for one click"
    assert "ar=2021" in page.url  # the year still follows the user

    page.go_back()
    _heading(page, "Trender sedan 2007").wait_for()
    wait_for_app(page)
    assert _heading(page, "Fokusområden").count() == 0


def test_changing_the_year_adds_at_most_one_entry_and_back_still_leaves_the_page(page, demo_server):
    """Back after a change of year must do something visible: here, go back a page.

    Before, the year's own entry made Back land on the same page with the old year in the
    address, which the page then overwrote with the remembered one: a press with no effect.
    """
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    _go(page, "Fokusområden")
    before = page.evaluate(HISTORY)

    choices = open_popover(page, "urval")
    choices.get_by_label("År", exact=True).click()  # the selectbox's input: the years open
    page.get_by_role("option", name="2020", exact=True).click()
    page.wait_for_url("**ar=2020**")
    wait_for_app(page)
    after = page.evaluate(HISTORY)
    assert after - before <= 1, f"{after - before} entries for one change of year"
    assert "fokus=1" in page.url

    page.go_back()
    _heading(page, "Trender sedan 2007").wait_for()
    wait_for_app(page)


def test_a_page_load_adds_no_history_entry_of_its_own(page, demo_server):
    """Opening a shared link and letting the page settle leaves one entry, not one per choice."""
    page.goto(f"{demo_server.url}/fokusomraden")
    _heading(page, "Fokusområden").wait_for()
    wait_for_app(page)
    assert page.evaluate(HISTORY) <= 2  # about:blank and the page
