"""Administration (issue 7): next year's promise, focus areas and activities, users, import.

Services, each checking the admin role itself and writing in the caller's one transaction with
its audit rows: ``items`` (focus areas and activities, and ``AdminError``), ``promises``,
``users`` (accounts; also the CLI's ``create_user``) and ``importer`` (with ``import_file``,
the file and its template, and ``import_values``, cells to typed values). ``queries`` and
``indicator_queries`` hold the page's reads. Only the *_ui modules (``forms_ui``, the forms'
plumbing, and one per tab or section) import streamlit, cache, components and auth. Modules
here may import labels, spreadsheets, access,
queries, db and ``dashboard.entry.rules`` (an imported evaluation meets the entry page's
rules); nothing here imports export, and nothing below the pages imports this package's UI.
"""
