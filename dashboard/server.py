"""``python -m dashboard.server SCRIPT [options]``: ``streamlit run`` without folder routing.

With a ``pages/`` folder beside the script, the first run of a fresh ``streamlit run`` process
goes through Streamlit's legacy folder routing, which sends the raw page file names (and sets
the tab title to "app") before any of our code runs (issue 10). This starts the same server in
this process with that routing switched off from the start, so even the first load of a fresh
server shows nothing but what app.py draws. ``streamlit run app.py`` still works: then
``components.leave_folder_routing`` and ``components.ensure_entrypoint`` keep the login gate and
hide the list, but that first run's file names still travel to the browser, hidden.
Both Streamlit internals used here (the routing flag, the ``streamlit`` command's entry) live in
dashboard.streamlit_adapter.

It also installs ``dashboard.polars_gil``: without it, concurrent sessions can deadlock the
whole server inside polars (issue 15). And it imports pandas before the first session: Streamlit
imports it lazily, and sessions that start together on a fresh process then import it in
several script threads at once, which fails ("partially initialized module 'pandas'", seen
behind the proxy under the load test). The app's pure modules (charts with Altair and
vl-convert, queries, roll-ups, the exports; none imports streamlit) are imported here too, for
the same reason and so the first person after a restart does not wait for them (about 0.4 s of
a cold first page, issue 15).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run`` with ``argv`` (script first, then options) in this process."""
    import pandas  # noqa: F401  (see the module's docstring)

    import dashboard.charts
    import dashboard.export.content
    import dashboard.export.pack
    import dashboard.indicator_charts
    import dashboard.queries
    import dashboard.region_charts
    import dashboard.rollups  # noqa: F401
    from dashboard import polars_gil, streamlit_adapter

    polars_gil.install()
    streamlit_adapter.stop_folder_routing()
    streamlit_adapter.run_server(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
