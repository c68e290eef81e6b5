"""Two app processes on one PostgreSQL (issue 4): a save in one shows in the other on its next
rerun, without a restart or a ttl, because the other's caches are keyed on the data version.

This is the production shape (several `streamlit run` processes behind a proxy, one
PostgreSQL), so it runs two real servers and drives them with Debian's Chromium.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from dashboard.admin.users import NewUser, create_user
from db import demo, make_engine
from testsupport.apptest import TEST_COOKIE_KEY
from testsupport.browser import CARD_COMPLETION, expected_completion, log_in, nav, wait_for_app
from testsupport.server import StreamlitServer

PASSWORD = "Kim-har-ett-bra-losenord"


@pytest.fixture
def two_servers(postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    demo.load(engine, today=dt.date(2026, 11, 26))
    with Session(engine) as session, session.begin():
        user = NewUser("kim", "Kim Samordnare", "", "samordnare")
        create_user(session, user, PASSWORD, PASSWORD, by="test")
    env = {
        "DASHBOARD_DATABASE_URL": postgres_url,
        "DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY,
        "DASHBOARD_DEMO_MODE": "1",
    }
    servers = [StreamlitServer(env, tmp_path / f"server-{n}.log") for n in "ab"]
    yield servers, engine
    for server in servers:
        server.stop()
    engine.dispose()


def test_a_save_in_one_process_shows_in_the_other_on_its_next_rerun(browser, two_servers):
    (writer_server, reader_server), engine = two_servers
    reader = browser.new_page()
    reader.set_default_timeout(60_000)  # the test machine is shared; be patient, not flaky
    reader.goto(reader_server.url)
    wait_for_app(reader)
    before = reader.locator(CARD_COMPLETION).all_inner_texts()

    writer = browser.new_context().new_page()
    writer.set_default_timeout(60_000)
    writer.goto(writer_server.url)
    wait_for_app(writer)
    log_in(writer, "kim", PASSWORD, "Kim Samordnare (samordnare)")
    nav(writer).get_by_text("Registrera utvärdering").click()
    main = writer.locator('[data-testid="stMain"]')
    main.locator("h1", has_text="Registrera utvärdering").wait_for()
    wait_for_app(writer, charts=False)
    main.get_by_label("Klart (%)").fill("5")
    main.get_by_role("button", name="Spara", exact=True).click()
    main.get_by_text("Sparat: 1 utvärdering.").wait_for()

    expected = expected_completion(engine)
    assert expected != before
    # The reader's next rerun (here: choosing the same tertial again) shows the new figures.
    reader.get_by_role("radio", name="T2 maj–aug").click()
    wait_for_app(reader)
    reader.get_by_role("radio", name="T3 sep–dec").click()
    wait_for_app(reader)
    expect(reader.locator(CARD_COMPLETION)).to_have_text(
        expected, use_inner_text=True, timeout=60_000
    )
