"""Entering evaluations (issue 4): the Registrera utvärdering page's rules, reads, save and UI.

``rules`` holds what an evaluation must meet (pure, Swedish messages per field),
``evaluations`` the save service (validation, role check, optimistic lock, audit in one
transaction), ``queries`` the reads only the entry page needs, ``history`` an activity's
change history told in Swedish, ``grid`` the all-activities grid's rows and their changes as
save input, and ``ui`` its Streamlit pieces.
Modules here may import labels, access, queries and db; only ``ui`` imports streamlit (and
components); nothing here imports admin or export. Admin's import reuses ``rules``.
"""
