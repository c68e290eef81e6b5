"""Swedish grammar and number formats where counts and values meet the user (issue 10)."""

from __future__ import annotations

import pytest

from dashboard import labels
from dashboard.admin.import_file import RowError
from dashboard.admin.importer import ImportRefused, ImportSummary


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0 aktiviteter"),
        (1, "1 aktivitet"),
        (2, "2 aktiviteter"),
        (1234, "1\u00a0234 aktiviteter"),
    ],
)
def test_count_takes_the_singular_only_for_one(number, expected):
    assert labels.count(number, "aktivitet", "aktiviteter") == expected


def test_the_import_summary_counts_in_swedish():
    summary = ImportSummary(
        rows=1, activities_created=1, activities_updated=0, evaluations_created=1, unchanged=0
    )
    assert summary.describe() == (
        "1 rad: 1 ny aktivitet, 0 ändrade aktiviteter, 1 ny utvärdering, 0 aktiviteter oförändrade."
    )
    refused = ImportRefused([RowError(row=3, column="Status", message="fel")])
    assert "1 fel på 1 rad." in str(refused)
