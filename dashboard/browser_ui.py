"""The two things Streamlit 1.67 offers no API for, done with a constant script each (issue 10).

Both scripts go through ``st.html(..., unsafe_allow_javascript=True)``, which runs them in the
app's own document (not an iframe). They are string literals with no data in them
(tests/unit/test_no_unsafe_html.py checks that), and each guards itself so that running it twice is
harmless. They sit in the sidebar, where the empty element they add takes no room in a page.
"""

from __future__ import annotations

import streamlit as st

_RUNS = "history_tidy_runs"


def keep_history_tidy() -> None:
    """One history entry per user action: a change of the address's query only replaces.

    Streamlit's frontend pushes a new history entry for every query string the app sends, and
    the choices kept in the address (components._url_choice) are sent when a page opens, so
    a click on another page cost one entry for the page plus one per choice, and Back needed
    several presses (issue 10, item 13). Streamlit has no option for it; its own widgets bound
    to the address (``bind="query-params"``) replace the entry rather than push, and this does
    the same for ours: a push that keeps the path replaces the current entry instead.
    Switching pages still pushes, so Back goes back one page.
    """
    st.session_state[_RUNS] = st.session_state.get(_RUNS, 0) + 1
    st.sidebar.html(
        """<script>
(() => {
  if (window.medborgarHistoryTidy) return;
  window.medborgarHistoryTidy = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = (state, title, url) => {
    const next = new URL(url, window.location.href);
    if (next.pathname === window.location.pathname) {
      return window.history.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
})();
</script>""",
        unsafe_allow_javascript=True,
    )


def history_is_tidy() -> bool:
    """Whether the script of keep_history_tidy reached the browser in an earlier run.

    In a session's first run it arrives after the run's own address changes (the browser
    handles those as they come and draws elements afterwards), so the address is left as the
    visitor opened it until the next run.
    """
    return st.session_state.get(_RUNS, 0) > 1


def focus_login_form() -> None:
    """Move the keyboard focus to the login form's Användarnamn field (issue 10, item 14).

    Called once, in the run that opens the form: the field appears in the same render, so
    the script waits for it (at most five seconds) and focuses it once.
    """
    st.html(
        """<script>
(() => {
  const selector = 'input[aria-label="Användarnamn"]';
  const started = performance.now();
  const tryFocus = () => {
    const field = document.querySelector(selector);
    if (field) { field.focus(); return; }
    if (performance.now() - started < 5000) requestAnimationFrame(tryFocus);
  };
  tryFocus();
})();
</script>""",
        unsafe_allow_javascript=True,
    )
