"""The tests find the local PostgreSQL without any variable set (issue 10).

A contributor who runs ``make test`` on a machine where PostgreSQL answers on 127.0.0.1:5432
runs the PostgreSQL half of the suite, as CI does; the variable still points elsewhere.
"""

from __future__ import annotations

import pytest

from testsupport.databases import DEFAULT_POSTGRES_URL, postgres_admin, postgres_test_url


def test_without_the_variable_the_local_server_is_used():
    assert postgres_test_url({}) == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert postgres_test_url({"DASHBOARD_TEST_POSTGRES_URL": ""}) == DEFAULT_POSTGRES_URL


def test_the_variable_still_overrides():
    url = "postgresql+psycopg://someone@db.example:5433/other"
    assert postgres_test_url({"DASHBOARD_TEST_POSTGRES_URL": url}) == url


@pytest.mark.postgres
def test_the_default_reaches_this_machines_server(postgres_template):
    """Where the local server answers, the session's template database was made on it."""
    admin = postgres_admin(DEFAULT_POSTGRES_URL)
    if admin is None:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    admin.dispose()
    assert postgres_template is not None
