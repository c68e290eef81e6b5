"""A new kommun's coordinator-to-be, in a real browser (issue 11): from an empty database
without the demo to the first saved evaluation.

Vingåker (0428), `DASHBOARD_DEMO_MODE=0`: the admin made as the CLI makes one logs in, sets up
the partnership under Administration, makes the first promise, a focus area and an activity,
and saves the first evaluation on Registrera utvärdering.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin.scopes import NewUser, find_scope
from dashboard.admin.users import create_user
from db import make_engine
from db.models import Evaluation
from testsupport.browser import log_in, wait_for_app

PASSWORD = "Eva-har-ett-bra-losenord"


def _widget(page, key: str):
    """The element of the widget with ``key`` (Streamlit's ``st-key-…`` class)."""
    return page.locator(f".st-key-{re.sub(r'[^a-zA-Z0-9_-]', '-', key)}")


@pytest.fixture
def empty_kommun(sqlite_url, start_server):
    engine = make_engine(sqlite_url)
    with Session(engine) as session, session.begin():
        vingaker = find_scope(session, kommun="0428")  # as `users add eva --kommun 0428`
        eva = NewUser("eva", "Eva Admin", "eva@vingaker.se", "admin", vingaker)
        create_user(session, eva, PASSWORD, PASSWORD, by="cli")
    server = start_server(sqlite_url, DASHBOARD_DEMO_MODE="0", DASHBOARD_PARTNERSHIP="0428")
    yield server, engine
    engine.dispose()


def test_from_an_empty_database_to_the_first_evaluation(page, empty_kommun, artifacts_dir):
    server, engine = empty_kommun
    page.goto(server.url)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Det finns inga medborgarlöften i databasen ännu")).to_be_visible()
    log_in(page, "eva", PASSWORD, "Eva Admin (administratör)")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Administration").click()
    expect(main.get_by_text("Lägg upp samverkan för Vingåker (0428)")).to_be_visible()
    main.get_by_label("Namn på nytt lokalpolisområde").fill("Lokalpolisområde Katrineholm")
    main.get_by_role("button", name="Lägg upp samverkan").click()
    expect(main.get_by_text("är upplagd")).to_be_visible()
    page.screenshot(path=artifacts_dir / "new-kommun-partnership.png", full_page=True)

    wait_for_app(page, charts=False)
    _widget(page, "new_promise:copy").get_by_role("checkbox").uncheck(force=True)
    main.get_by_role("button", name="Skapa löfte").click()
    expect(main.get_by_text(re.compile(r"Löftet för \d{4} är skapat"))).to_be_visible()
    wait_for_app(page, charts=False)

    main.get_by_role("tab", name="Fokusområden och aktiviteter").click()
    area = page.locator('[class*="st-key-area-"][class*="-0-name"] input')
    expect(area).to_be_visible()  # the tab is drawn when first opened (issue 15)
    wait_for_app(page, charts=False)
    area.fill("Trygghet i centrum")
    page.locator('[class*="st-key-area-"][class*="-0-theme"] input').fill(
        "trygghet_offentlig_miljo"
    )
    main.get_by_role("button", name="Lägg till fokusområde").click()
    expect(main.get_by_text("Fokusområdet Trygghet i centrum är tillagt.")).to_be_visible()
    wait_for_app(page, charts=False)
    page.locator('[class*="st-key-activity-"][class*="-0-title"] input').fill("Trygghetsvandringar")
    main.get_by_role("button", name="Lägg till aktivitet").click()
    expect(main.get_by_text("Aktiviteten Trygghetsvandringar är tillagd.")).to_be_visible()
    wait_for_app(page, charts=False)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Registrera utvärdering").click()
    expect(main.locator("h1", has_text="Registrera utvärdering")).to_be_visible()
    wait_for_app(page, charts=False)
    # Scrolled to first, as a reader would: a list opened while the click scrolls the page
    # there is drawn again under the pointer and the option never stays put.
    status = main.get_by_label("Status").first
    status.scroll_into_view_if_needed()
    status.click()
    page.get_by_role("option", name=re.compile("Pågår")).click()
    main.get_by_label("Klart (%)").fill("25")
    main.get_by_label("Kommentar", exact=True).fill("Första vandringen gjord.")
    main.get_by_role("button", name="Spara", exact=True).click()
    expect(main.get_by_text("Sparat: 1 utvärdering.")).to_be_visible()
    page.screenshot(path=artifacts_dir / "new-kommun-first-evaluation.png", full_page=True)
    with Session(engine) as session:
        stored = session.scalars(select(Evaluation)).one()
    assert (stored.status, stored.completion, stored.comment, stored.source) == (
        "pagar", 25, "Första vandringen gjord.", "verklig",
    )  # fmt: skip
