"""Administration (issue 7): next year's promise, focus areas and activities, users, import.

Services, each checking the admin role itself and writing in the caller's one transaction with
its audit rows: ``items`` (focus areas and activities, and ``AdminError``), ``promises``,
``users`` (accounts; also the CLI's ``create_user``) and ``importer`` (with ``import_file``,
the file and its template, and ``import_values``, cells to typed values). ``views`` holds the
page's read queries. Only the *ui* modules (``ui``, ``items_ui``, ``users_ui``) import
streamlit, cache, components and auth. Modules here may import labels, sheets, access,
queries, db and ``dashboard.entry.rules`` (an imported evaluation meets the entry page's
rules); nothing here imports export, and nothing below the pages imports this package's UI.
"""
