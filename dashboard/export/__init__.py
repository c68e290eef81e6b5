"""Exports (issue 5): what leaves the app as a file, and how each file is made and named.

``images`` frames a chart for a slide and renders it as PNG, SVG or PDF (and holds
``ExportMeta`` and the file naming every export shares), ``data_files`` writes a frame (or a
chart's rows) as CSV or Excel through dashboard.spreadsheets, ``pack`` builds the PowerPoint
pack, ``result_text`` the year's result text (Markdown or Word), and ``content`` reads in one
place what the Export page offers for a year. Below the pages, cache and components: modules
here may import labels, tables, spreadsheets, rollups, charts and queries, and each other, but
nothing from admin or entry, and only ``ui`` (the download buttons the pages show) imports
streamlit.
"""
