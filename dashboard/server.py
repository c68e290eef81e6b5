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
a cold first page, issue 15). As soon as the server answers, it opens the first page once
itself (``streamlit_adapter.warm_up``), so the rest of that first run's work (the pages'
modules, the default kommun's queries and charts) is done before the first person in the
meeting arrives, and every process behind the proxy does the same.

Python's cyclic garbage collector is off from the start until that warm-up has run: a full
collection pass walks every object the process holds (Altair's schema classes, SQLAlchemy,
the caches), and on a loaded two-core machine the passes the imports and the first run set off
took 0.13–0.33 s each, all holding the interpreter lock while the first page waited. After the
warm-up every object is frozen (``gc.freeze``): they live as long as the process, and later
full passes, which held a request for up to 0.47 s under load, walk only what came after
(14 ms measured; issue 15). No collection runs before the freeze: it found 3,157 unreachable
objects (a few hundred kB kept for good) and took 0.56–0.70 s, just when the first person
may arrive.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
import urllib.request

_LOG = logging.getLogger("dashboard")


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run`` with ``argv`` (script first, then options) in this process."""
    gc.disable()  # until start_up has warmed up (see the module's docstring)
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
    streamlit_adapter.name_the_server_in_page_addresses()
    threading.Thread(target=start_up, name="uppvarmning", daemon=True).start()
    streamlit_adapter.run_server(sys.argv[1:] if argv is None else argv)


def local_url() -> str:
    """This server's address as seen from the machine itself (Streamlit's config, once read)."""
    import streamlit as st

    address = st.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{address}:{st.get_option('server.port')}" + (f"/{base}" if base else "")


def start_up() -> None:
    """Warm up (``warm_up_when_ready``), then freeze every object alive and let the collector
    run again (``freeze_survivors``), also when the warm-up was skipped or failed."""
    try:
        warm_up_when_ready()
    finally:
        frozen = freeze_survivors()
        _LOG.info("Minne: %d objekt från starten undantagna från skräpsamlingen", frozen)


def freeze_survivors() -> int:
    """Freeze every object there is (``gc.freeze``) and switch the collector on; the number of
    objects frozen."""
    gc.freeze()
    gc.enable()
    return gc.get_freeze_count()


def warm_up_when_ready(*, wait: float = 60.0) -> float | None:
    """Once the server answers its health check, open the first page once; the seconds it took.

    Never raises: a server that does not warm up still serves (the first visitor pays), and
    says why in its log. Skipped with TLS (``server.sslCertFile``), where loopback has no
    certificate to check.
    """
    import streamlit as st

    from dashboard import streamlit_adapter

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if st.get_option("server.sslCertFile"):
                return None
            url = local_url()
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        _LOG.warning("Uppvärmningen hoppades över: servern svarade inte inom %.0f s", wait)
        return None
    started = time.perf_counter()
    try:
        streamlit_adapter.warm_up(url)
    except Exception as exc:  # the server serves without it; the log says why
        _LOG.warning("Uppvärmningen misslyckades: %s", exc)
        return None
    seconds = time.perf_counter() - started
    _LOG.info("Uppvärmning: första sidan körd på %.1f s", seconds)
    return seconds


if __name__ == "__main__":
    main()
