"""Harness code the tests and the benchmark share (issue 16).

Tests import it, never each other's modules or the benchmark (except the tests of the
benchmark itself); the benchmark starts the app with its server launcher. One module a concern:

- ``server``: the app's Streamlit server on a free port, and Debian's Chromium options;
- ``proxy``: the deployment recipe on loopback, nginx in front of app servers;
- ``browser``: Playwright helpers that wait on the app's own signals and log in;
- ``apptest``: the test users, the app in AppTest on a page, logged in, and what it shows;
- ``databases``: which PostgreSQL the tests use, scratch databases, row counts;
- ``migrations``: a database at an older schema revision holding the demo;
- ``builders``: small rows for data tests, drawn from a fixed random seed;
- ``promises``: promises of every shape set up through the administration services;
- ``scopes``: the scope matrix's world, one user per role and scope;
- ``files``: import files to upload, and downloads read back;
- ``kolada_replay``: recorded Kolada answers served on loopback;
- ``pg_cluster``: a PostgreSQL cluster of a test's own, to stop and start.
"""
