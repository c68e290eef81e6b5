"""Accessibility in a real browser (issue 10, items 15 and 16).

axe-core (axe-playwright-python) scans every page a visitor can open, logged out and logged
in as an administrator (who sees every page, Registrera and Administration too), and finds
no *serious* or *critical* violation, neither in our content nor in Streamlit's own frame.
The findings are written to ``test-artifacts/axe-<who>-<page>.txt``.

The chrome a Swedish user meets is Swedish where Streamlit or Vega lets us set it: no
"Select all" in the multiselects, no "X-axis titled …" in the charts' descriptions.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from testsupport.browser import demo_with_user, open_popover, wait_for_app

SERIOUS = {"serious", "critical"}
PASSWORD = "Ada-har-ett-bra-losenord"
# url_path -> heading; Översikt is the default page, served at the root.
PUBLIC = {
    "": "Översikt",
    "fokusomraden": "Fokusområden",
    "aktiviteter": "Aktiviteter per period",
    "trender": "Trender sedan 2007",
    "region": "Region och riket",
    "export": "Export",
}
ADMIN_ONLY = {"registrera": "Registrera utvärdering", "administration": "Administration"}
# What Vega writes into a chart's SVG when the spec says nothing (vega-scenegraph's ARIA
# labels for axes and legends, e.g. "X-axis titled 'År' for a linear scale with values from
# 2007 to 2026"; "Symbol legend titled …"); each word must be gone.
VEGA_ENGLISH = re.compile(
    r"\b(X-axis|Y-axis|axis|titled|for a|scale|with values from|legend|Symbol|Gradient|"
    r"discrete|linear|band|point|time|ordinal|to)\b"
)


@pytest.fixture(scope="module")
def admin_server(start_server, demo_template, tmp_path_factory):
    """A server on a copy of the demo database with one administrator, ``ada``."""
    from dashboard.admin.users import NewUser

    ada = NewUser("ada", "Ada Admin", "ada@example.se", "admin")
    path = tmp_path_factory.mktemp("a11y") / "admin.sqlite3"
    return start_server(demo_with_user(demo_template, path, ada, PASSWORD))


def _open(page, server, path: str, heading: str) -> None:
    page.goto(f"{server.url}/{path}?ar=2021&period=3")
    page.locator('[data-testid="stMain"]').get_by_role("heading", name=heading).first.wait_for()
    wait_for_app(page, charts=path not in {"export", "registrera", "administration"})


def _serious_findings(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])} "
        f"{node['html'][:160]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]


def _log_in(page, server) -> None:
    page.goto(server.url)
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Logga in").click()
    sidebar.get_by_label("Användarnamn").fill("ada")
    sidebar.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name="Logga in").click()
    sidebar.get_by_text("Inloggad: Ada Admin").first.wait_for()
    sidebar.get_by_label("Användarnamn").wait_for(state="detached")
    wait_for_app(page, charts=False)


@pytest.mark.parametrize("path", list(PUBLIC), ids=lambda p: p or "oversikt")
def test_axe_finds_nothing_serious_logged_out(page, demo_server, artifacts_dir, path):
    _open(page, demo_server, path, PUBLIC[path])
    found = _serious_findings(page)
    (artifacts_dir / f"axe-utloggad-{path or 'oversikt'}.txt").write_text("\n".join(found) + "\n")
    assert not found, found


def test_axe_finds_nothing_serious_logged_in_as_admin(page, admin_server, artifacts_dir):
    _log_in(page, admin_server)
    failures = {}
    for path, heading in {**PUBLIC, **ADMIN_ONLY}.items():
        _open(page, admin_server, path, heading)
        found = _serious_findings(page)
        name = path or "oversikt"
        (artifacts_dir / f"axe-admin-{name}.txt").write_text("\n".join(found) + "\n")
        if found:
            failures[name] = found
    assert not failures, failures


def test_multiselects_offer_no_english_select_all(page, demo_server):
    _open(page, demo_server, "aktiviteter", "Aktiviteter per period")
    filters = open_popover(page, "filter")
    filters.get_by_label("Ansvarig", exact=True).click()  # the owner filter's list opens
    expect(page.get_by_role("option", name="Polisen")).to_be_visible()
    assert page.get_by_text("Select all").count() == 0
    assert page.get_by_text(re.compile(r"Select \d+ matches")).count() == 0


@pytest.mark.parametrize("path", ["", "fokusomraden", "aktiviteter", "trender"])
def test_chart_descriptions_have_no_english_from_vega(page, demo_server, path):
    _open(page, demo_server, path, PUBLIC[path])
    if path == "trender":  # its charts are drawn tab by tab, as each is opened (issue 15)
        for tab in ("Tema och ansvarig", "Återkommande aktiviteter", "Indikatorer"):
            page.get_by_role("tab", name=tab).click()
            expect(
                page.get_by_role("tabpanel", name=tab).locator("svg.marks").first
            ).to_be_visible()
        wait_for_app(page, charts=False)  # the first tab's chart is drawn, hidden behind it
    labels = page.locator('[data-testid="stVegaLiteChart"] svg [aria-label]').evaluate_all(
        "nodes => nodes.map(n => [n.getAttribute('aria-roledescription'), n.ariaLabel])"
    )
    assert labels, "no chart element has an aria-label"
    english = [(role, text) for role, text in labels if VEGA_ENGLISH.search(text or "")]
    assert not english, english[:5]
