"""Meeting mode (issue 10): the browse pages on a projector, kept in the address as ``?mote=1``.

A steering group reads the pages from the back of a room at 1920×1080. In meeting mode the
body text is 20 px, every chart text 18 px or more (the builders' ``meeting=True``), the
sidebar starts collapsed (app.py's page config, ``sidebar_state``) and Översikt puts the
promise in one line so every focus area's card is on the first screen.

The mode is a URL choice like ``?ar=`` and ``?tertial=`` (choices.url_choice), switched by a
button beside the page's title: it follows the user between pages and a copied link opens
the same mode.
"""

from __future__ import annotations

import streamlit as st

from dashboard import choices

PARAM = "mote"
_OPTIONS = [False, True]


def _encode(on: object) -> str | None:
    return "1" if on else None  # off: no mote= in the address at all


def requested() -> bool:
    """Whether this run shows meeting mode: the button's state, else the session's, else the URL.

    app.py asks before any page draws, to collapse the sidebar in its page config.
    """
    return bool(choices.url_choice_value(PARAM, _OPTIONS, _encode))


def sidebar_state() -> str:
    """``st.set_page_config``'s initial_sidebar_state: collapsed in meeting mode.

    Streamlit applies a changed state on the run that sends it, unless the user has opened
    or closed the sidebar by hand in this browser (then the browser's own choice wins).
    """
    return "collapsed" if requested() else "expanded"


BUTTON_KEY = "mote_knapp"


def page_title(title: str) -> bool:
    """The page's title with the meeting-mode button beside it; True in meeting mode.

    The button reads *Mötesläge* and, in meeting mode, *Avsluta mötesläge*; each click
    switches. (It was a toggle: Streamlit's toggle brings its own script and styles, and
    the charts appeared about 5 % later on every browse page, issue 15.) In meeting mode the
    stylesheet is loaded too. The address holds ``mote=1`` while the mode is on and nothing
    when it is off.
    """
    heading, switch = st.columns([4, 1], vertical_alignment="center")
    heading.title(title, anchor=False)
    with switch:
        on = choices.url_choice(PARAM, _OPTIONS, False, _button, encode=_encode)
    if on:
        stylesheet()
    return on


def _button(key: str) -> bool:
    """Draw the button; the mode this run (``key``: the choice's state, flipped by a click)."""
    on = st.session_state[key]
    st.button(
        "Avsluta mötesläge" if on else "Mötesläge",
        key=BUTTON_KEY,
        type="primary" if on else "secondary",
        on_click=_switch,
        args=(key,),
        help="Stor text för projektor, sidomenyn stängd och alla fokusområden på första "
        "skärmen. Sparas i adressen (mote=1).",
    )
    return on


def _switch(key: str) -> None:
    st.session_state[key] = not st.session_state.get(key, False)


def stylesheet() -> None:
    """Load meeting mode's one stylesheet: a constant, no stored text (test_no_unsafe_html).

    Streamlit sizes its text in rem, so a 20 px root enlarges body text, headings, widgets
    and the sidebar together. Labels, badges and captions are 0.875rem: max(1rem, 1em) lifts
    them to the body size without shrinking what is larger (a metric's value, a heading); a
    badge sets its size inline, so only !important reaches it. The HTML blocks'
    (dashboard/html_blocks.py) notes, status labels, tables and figure labels go to the
    body size too. The
    smaller top padding keeps the focus-area cards on the first screen.
    """
    st.html(
        """<style>
html { font-size: 20px; }
[data-testid="stMain"] :is(p, span, li, label, summary, td, th) { font-size: max(1rem, 1em); }
[data-testid="stMain"] .stMarkdownBadge { font-size: 1rem !important; }
[data-testid="stMain"] .mb-block :is(.mb-note, .mb-pill, table, dt) { font-size: 1rem; }
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; padding-bottom: 3rem; }
[data-testid="stMain"] h1 { font-size: 2.2rem; padding-top: 0; padding-bottom: 0.25rem; }
</style>""",
    )
