"""AppTest helpers: the test users, starting the app on a page, logging in, reading what the
pages show, and the app's database going away.

The fixtures that go with them (``like_a_server``, ``users_template``, ``db``) are in
tests/conftest.py; a module whose AppTests go through the login gate marks itself with
``pytestmark = pytest.mark.usefixtures("like_a_server")``.
"""

from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser

import polars as pl
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db.models import Promise
from testsupport.server import APP

PASSWORD = "rätt-lösenord-1"
USERS = {"lasse": "lasare", "sam": "samordnare", "ada": "admin"}
TEST_COOKIE_KEY = "test-cookie-key-" + "x" * 40
TIMEOUT = 30
BROWSE_PAGES = {
    "oversikt": "Översikt",
    "fokusomraden": "Fokusområden",
    "aktiviteter": "Aktiviteter per period",
    "trender": "Trender sedan 2007",
}
ADMIN_PAGE = "pages/administration.py"
ENTRY_PAGE = "pages/registrera.py"
ADMIN_TABS = "administration_flik"  # the pages' components.lazy_tabs keys
ENTRY_TABS = "registrera_flik"


def start_app(page: str | None = None) -> AppTest:
    """app.py run once (logged out), then ``page`` if given."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def log_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill in and submit the login form, then rerun as the cookie component would."""
    if not any(t.label == "Användarnamn" for t in at.text_input):
        at.button(key="login_open_button").click().run()
    text_input(at, "Användarnamn").input(username)
    text_input(at, "Lösenord").input(password)
    login_button(at).click().run()
    # In a browser the cookie component answers and the app reruns; here we rerun ourselves.
    return at.run()


def text_input(at: AppTest, label: str):
    """The text input with ``label``."""
    return next(t for t in at.text_input if t.label == label)


def login_button(at: AppTest):
    """The login form's submit button."""
    return next(b for b in at.button if b.label == "Logga in" and b.proto.is_form_submitter)


def open_page(page: str = "oversikt", **params: str) -> AppTest:
    """app.py and then ``page`` (of pages/) with ``params`` in the address, with no exception."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "oversikt":
        at.switch_page(f"pages/{page}.py")
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_logged_in(username: str, page: str | None = None, **params: str) -> AppTest:
    """app.py with ``params`` (2021 T3 unless given), logged in as ``username``, then ``page``."""
    at = start_app()
    for key, value in {"ar": "2021", "period": "3", **params}.items():
        at.query_params[key] = value
    log_in(at, username)
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def admin_page(username: str = "ada") -> AppTest:
    """Administration, logged in as ``username``, every tab drawn (``draw_every_tab``)."""
    at = log_in(start_app(), username)
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return draw_every_tab(at, ADMIN_TABS)


def edit_promise(at: AppTest, promise_id: int) -> int:
    """Choose promise ``promise_id`` under Ändra ett löfte (Administration, Löften), as an
    admin does to see its form, parties and delete button. Returns the id."""
    at.selectbox(key="edit_promise").set_value(promise_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return promise_id


def whole_kommun_promise(engine, year: int = 2026) -> int:
    """The id of the demo kommun's promise for the whole kommun that starts in ``year``."""
    with Session(engine) as session:
        found = select(Promise.id).where(Promise.year_from == year, Promise.area.is_(None))
        return session.scalars(found).one()


def open_new_promise(at: AppTest) -> AppTest:
    """Open the Nytt löfte form of Administration's Löften tab (drawn when asked for)."""
    return at.button(key="new_promise:start").click().run()


def entry_page(username: str) -> AppTest:
    """Registrera utvärdering, logged in as ``username``, both tabs drawn."""
    at = log_in(start_app(), username)
    at.switch_page(ENTRY_PAGE).run()
    assert not at.exception, at.exception
    return draw_every_tab(at, ENTRY_TABS)


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab ``label`` of the page's tabs ``key`` (components.lazy_tabs), as a click
    on it does: its content is drawn from this run on."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def draw_every_tab(at: AppTest, key: str) -> AppTest:
    """Draw every tab of the page's tabs ``key`` from now on, as if the user had opened each
    (components.lazy_tabs draws only the tabs opened); for tests of what the tabs hold."""
    from dashboard.components import seen_tabs_key

    at.session_state[seen_tabs_key(key)] = {tab.label for tab in at.tabs}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def form_key(at: AppTest) -> str:
    """The key of the entry page's form (its widgets' keys start with it)."""
    status = next(s for s in at.selectbox if str(s.key).startswith("entry:"))
    return status.key.removesuffix(":status")


def button(at: AppTest, label: str):
    """The button labelled ``label``."""
    return next(b for b in at.button if b.label == label)


def click(at: AppTest, label: str) -> AppTest:
    """Click the button labelled ``label``; the run it starts raises nothing."""
    button(at, label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def error_texts(at: AppTest) -> list[str]:
    """The texts of the run's st.error messages."""
    return [e.value for e in at.error]


def messages(at: AppTest) -> tuple[list[str], list[str]]:
    """Success and error texts as the user reads them (stored text arrives escaped)."""
    return [_unescape(s.value) for s in at.success], [_unescape(e.value) for e in at.error]


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    """The run's text, Markdown, headers, badges and HTML blocks' text, one a line."""
    parts = [t.value for t in at.text] + [m.value for m in at.markdown]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [str(b.proto.label) for b in at.get("badge")]
    parts += [block.text for block in html_blocks(at)]
    return "\n".join(parts)


# ---------------------------------------------------------------- the pages' HTML blocks


LINK = "länk"  # HtmlBlock's column of the addresses a table's rows link to


class HtmlBlock(HTMLParser):
    """One ``st.html`` block as a reader meets it (dashboard/html_blocks.py): its text (one
    line per paragraph, heading, cell row…), its headings as (level, text) and its tables as
    polars frames of strings, the header row as the columns, and, for a table with links, a
    last column ``LINK`` with the address each row links to."""

    _BREAKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr",
                         "caption", "br", "section", "div", "summary"})  # fmt: skip

    def __init__(self, body: str):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.headings: list[tuple[int, str]] = []
        self.tables: list[pl.DataFrame] = []
        self._rows: list[list[str]] | None = None
        self._links: list[str | None] = []
        self._cell: list[str] | None = None
        self._heading: tuple[int, list[str]] | None = None
        self._style = False
        self.feed(body)
        self.close()

    @property
    def text(self) -> str:
        return "\n".join(line.strip() for line in self.lines if line.strip())

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._style = True
        elif tag == "table":
            self._rows, self._links = [], []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
            self._links.append(None)
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and self._rows is not None:
            self._links[-1] = self._links[-1] or dict(attrs).get("href")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        if tag in self._BREAKS:
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._style = False
        elif tag in ("td", "th") and self._rows is not None and self._cell is not None:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
            self.lines[-1] += " "
        elif tag == "table" and self._rows is not None:
            header, *rows = self._rows
            frame = pl.DataFrame(rows, schema=header, orient="row")
            if any(self._links):
                frame = frame.with_columns(pl.Series(LINK, self._links[1:], dtype=pl.String))
            self.tables.append(frame)
            self._rows = None
        elif self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None
        if tag in self._BREAKS:
            self.lines.append("")

    def handle_data(self, data):
        if self._style:
            return
        self.lines[-1] += data
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading[1].append(data)


def html_blocks(at: AppTest) -> list[HtmlBlock]:
    """The run's ``st.html`` blocks, read."""
    return [HtmlBlock(block.proto.body) for block in at.get("html")]


def html_tables(at: AppTest) -> list[pl.DataFrame]:
    """Every table of the run's HTML blocks, in page order (``HtmlBlock``)."""
    return [frame for block in html_blocks(at) for frame in block.tables]


def html_table(at: AppTest, column: str) -> pl.DataFrame:
    """The first table of the run's HTML blocks with a column named ``column``."""
    return next(frame for frame in html_tables(at) if column in frame.columns)


def headings(at: AppTest, level: int | None = None) -> list[str]:
    """The texts of the run's headings (``st.header``/``st.subheader`` and the HTML blocks'),
    in page order within each kind; ``level``: only h2 (header) or h3 (subheader)…"""
    found = [(2, h.value) for h in at.header] + [(3, h.value) for h in at.subheader]
    found += [heading for block in html_blocks(at) for heading in block.headings]
    return [text for lvl, text in found if level is None or lvl == level]


class Outage:
    """Makes the app's own engine (shared by its sessions) fail to connect, as a stopped server.

    Every new connection raises the driver's OperationalError while ``down``; the pool is
    emptied when it goes down, so no open connection hides the outage.
    """

    def __init__(self, url: str):
        from dashboard import cache  # here: importing it makes Streamlit caches (and logs so)

        self.engine = cache.engine(url)
        self.down = False
        event.listen(self.engine, "do_connect", self._connect)

    def _connect(self, dialect, conn_rec, cargs, cparams):
        if self.down:
            raise sqlite3.OperationalError("unable to open database file")

    def stop(self) -> None:
        """The database is gone: every new connection fails."""
        self.down = True
        self.engine.dispose()

    def start(self) -> None:
        """The database is back."""
        self.down = False


def open_chart_tables(at: AppTest) -> AppTest:
    """Open every chart's "Visa diagrammets data som tabell", as a reader clicking each one
    would (its table is built only when opened), and rerun."""
    return _open_all(at, "diagramdata-", "chart data expander")


def open_download_popovers(at: AppTest) -> AppTest:
    """Open every chart's "Ladda ner" popover, as a reader clicking each one would (its
    buttons are built only when opened), and rerun."""
    return _open_all(at, "ladda-ner-", "download popover")


def _open_all(at: AppTest, prefix: str, what: str) -> AppTest:
    """Set every container whose key starts with ``prefix`` open (an expander's or popover's
    state is its key's value) and rerun once."""
    keys = [k for k in at.session_state if k.startswith(prefix)]
    assert keys, f"no {what} on the page"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
