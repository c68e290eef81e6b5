"""The performance benchmark (issue 6): ``python -m bench.run`` or ``make bench``.

Builds the demo at one partnership and at national scale (290) on SQLite and, where it answers,
PostgreSQL; times every page server-side (AppTest) and in Chromium against a bare-Streamlit
floor page; times a save, a PNG and the presentation pack; measures the server's peak memory.
"""
