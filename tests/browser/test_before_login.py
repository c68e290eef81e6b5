"""What a visitor meets before logging in (issue 10, items 3 and 17), in a real browser.

With DASHBOARD_REQUIRE_LOGIN=1 nothing about the pages, not even their names, is drawn before
login, on a fresh server's very first load too. A visitor who opens a page they may not see by
its address is told why and gets the login form, instead of landing silently on Översikt.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.admin.users import NewUser
from testsupport.browser import demo_with_user, log_in, wait_for_app

PASSWORD = "Kim-har-ett-bra-losenord"
PAGE_NAMES = [
    "app", "oversikt", "fokusomraden", "aktiviteter", "trender", "export", "registrera",
    "administration", "region", "Översikt", "Fokusområden", "Aktiviteter per period",
    "Trender sedan 2007", "Region och riket", "Registrera utvärdering", "Administration",
]  # fmt: skip
# Records every text, link and label the page ever shows, from before Streamlit's first paint.
RECORDER = """
window.__seen = [];
const note = (node) => {
  if (node.parentElement && node.parentElement.closest("noscript")) return;  // never shown
  if (node.nodeType === Node.TEXT_NODE) {
    const where = node.parentElement && node.parentElement.closest("title") ? "title:" : "";
    window.__seen.push(where + node.textContent);
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  for (const name of ["href", "aria-label", "title"]) {
    if (node.getAttribute(name)) window.__seen.push(node.getAttribute(name));
  }
  if (node.matches('[data-testid="stSidebarNav"]')) window.__seen.push("stSidebarNav");
  node.childNodes.forEach(note);
};
new MutationObserver((changes) => changes.forEach((change) => {
  change.addedNodes.forEach(note);
  if (change.type === "characterData") window.__seen.push(change.target.textContent);
  if (change.type === "attributes") note(change.target);
})).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


@pytest.fixture
def users_url(demo_template, tmp_path) -> str:
    kim = NewUser("kim", "Kim Samordnare", "kim@example.se", "samordnare")
    return demo_with_user(demo_template, tmp_path / "users.sqlite3", kim, PASSWORD)


def _seen_names(page, *, tab_title: bool = True) -> set[str]:
    seen = [t.removeprefix("title:") for t in page.evaluate("window.__seen")
            if tab_title or not t.startswith("title:")]  # fmt: skip
    words = {word for text in seen for word in text.replace("/", " ").split()}
    texts = set(seen)
    return {name for name in PAGE_NAMES if name in words or name in texts} | (
        {"stSidebarNav"} & texts
    )


def test_with_login_required_no_page_name_is_ever_drawn(start_server, users_url, page):
    server = start_server(users_url, DASHBOARD_REQUIRE_LOGIN="1")  # fresh: its first load
    page.add_init_script(RECORDER)
    page.goto(server.url)
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    wait_for_app(page, charts=False)
    assert _seen_names(page) == set()
    assert page.title() == "Medborgarlöften – uppföljning"
    page.get_by_label("Användarnamn").fill("kim")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Fel användarnamn eller lösenord.")).to_be_visible()
    wait_for_app(page, charts=False)
    assert _seen_names(page) == set()  # a failed login shows no more
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Registrera utvärdering")).to_be_visible()  # after login: the menu


def test_plain_streamlit_run_draws_no_page_list_either(start_server, users_url, page):
    """Started as ``streamlit run app.py``: the first run's folder routing draws no menu.

    Only the tab title reads "app" for an instant on a fresh process's first load, before
    app.py runs; ``python -m dashboard.server`` (the README's way) avoids even that.
    """
    server = start_server(users_url, plain_streamlit=True, DASHBOARD_REQUIRE_LOGIN="1")
    page.add_init_script(RECORDER)
    page.goto(server.url)
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    wait_for_app(page, charts=False)
    assert _seen_names(page, tab_title=False) == set()
    page.reload()  # the process routes itself now: nothing at all, the tab title included
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    wait_for_app(page, charts=False)
    assert _seen_names(page) == set()


def test_a_visitor_opening_the_entry_page_is_told_why_and_can_log_in(start_server, users_url, page):
    server = start_server(users_url)
    page.goto(f"{server.url}/registrera")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Inloggning krävs")).to_be_visible()
    expect(main.get_by_text("kräver inloggning som administratör eller samordnare")).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_label("Användarnamn")).to_be_visible()  # the login is offered
    assert "/registrera" in page.url  # not silently moved to Översikt
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Registrera utvärdering")).to_have_count(0)
    log_in(page, "kim", PASSWORD, "Kim Samordnare (samordnare)")
    expect(main.get_by_role("heading", name="Registrera utvärdering")).to_be_visible()
