"""What a page load leaves out until it is needed (issue 6), in a real browser.

The login library's cookie manager is an iframe that reruns the app once after every page
load; dashboard.auth sets the library up only when a cookie, a login or the login form needs it
(logging in, reloading and logging out are in test_entry.py).
"""

from testsupport.browser import wait_for_app

COOKIE_MANAGER = 'iframe[title*="cookie_manager"]'
COOKIE_NAME = "medborgarloften_auth"


def test_a_reader_without_a_cookie_gets_no_cookie_component_until_opening_the_login_form(
    demo_server, page
):
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert page.locator(COOKIE_MANAGER).count() == 0
    sidebar.get_by_role("button", name="Logga in").click()
    page.get_by_label("Användarnamn").wait_for()
    page.locator(COOKIE_MANAGER).first.wait_for(state="attached")
    sidebar.get_by_role("button", name="Avbryt").click()
    page.get_by_label("Användarnamn").wait_for(state="detached")
    sidebar.get_by_role("button", name="Logga in").wait_for()


def test_a_login_cookie_sets_the_library_up_and_a_false_one_logs_nobody_in(demo_server, page):
    page.context.add_cookies(
        [{"name": COOKIE_NAME, "value": "inte-en-giltig-token", "url": demo_server.url}]
    )
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    page.locator(COOKIE_MANAGER).first.wait_for(state="attached")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Logga in").wait_for()
    assert sidebar.get_by_text("Inloggad:").count() == 0
