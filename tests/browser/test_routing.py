"""The first request after a server start goes through app.py too.

With a pages/ folder beside app.py, Streamlit's first run in a fresh process uses folder
routing and would run a page script without app.py's login gate; components.ensure_entrypoint
sends it back through app.py. Each test starts its own server with plain `streamlit run` (the
README's `python -m dashboard.server` switches that routing off from the start) so its request
is the first a folder-routing process gets.
"""

from testsupport.browser import wait_for_app


def test_first_request_to_a_subpage_still_needs_login(start_server, demo_url, page):
    server = start_server(demo_url, plain_streamlit=True, DASHBOARD_REQUIRE_LOGIN="1")
    page.goto(f"{server.url}/trender?ar=2021")
    wait_for_app(page, charts=False)
    page.get_by_text("Användarnamn").first.wait_for()
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    assert page.get_by_text("Trender sedan 2007").count() == 0


def test_first_request_to_the_admin_page_shows_no_admin_content(start_server, demo_url, page):
    server = start_server(demo_url, plain_streamlit=True)
    page.goto(f"{server.url}/administration")
    wait_for_app(page, charts=False)
    page.get_by_role("heading", name="Inloggning krävs").wait_for()  # says why (issue 10)
    assert page.get_by_role("tab", name="Användare").count() == 0


def test_first_request_to_a_browse_page_opens_that_page(start_server, demo_url, page):
    server = start_server(demo_url, plain_streamlit=True)
    page.goto(f"{server.url}/trender")
    wait_for_app(page)
    page.get_by_role("heading", name="Trender sedan 2007").wait_for()


def test_a_page_address_opens_the_websocket_without_probing_a_wrong_path(demo_server, page):
    """Streamlit's browser code first asks ``/trender/_stcore/health`` (a 404), waits 100 ms
    and asks the parent; the server names itself in the page's HTML instead (issue 15)."""
    asked = []
    page.on("request", lambda r: "_stcore/" in r.url and asked.append(r.url.split("?")[0]))
    page.goto(f"{demo_server.url}/trender?ar=2021")
    wait_for_app(page)
    page.get_by_role("heading", name="Trender sedan 2007").wait_for()
    root = demo_server.url.rstrip("/")
    assert [u for u in asked if u.endswith("/health")] == [f"{root}/_stcore/health"], asked
    assert not [u for u in asked if "/trender/_stcore/" in u], asked
    # Moving to another page and back by the menu still works from that address.
    page.get_by_role("link", name="Översikt").first.click()
    page.get_by_role("heading", name="Översikt").wait_for()
    assert page.url.split("?")[0].rstrip("/") == root
