"""Swedish grammar and number formats where counts and values meet the user (issue 10)."""

from __future__ import annotations

import pytest

from dashboard import labels
from dashboard.admin.import_file import RowError
from dashboard.admin.importer import ImportRefused, ImportSummary
from testsupport.apptest import log_in, start_app


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


@pytest.mark.usefixtures("like_a_server")
def test_the_achieved_value_field_shows_a_whole_number_without_decimals(db):
    # The entry form showed "Uppnått värde" as 4.00 (issue 10).
    from sqlalchemy import select

    from db.models import Activity, Promise

    with db.connect() as conn:
        year = conn.scalar(select(Promise.year_from).order_by(Promise.year_from.desc()))
        with_target = conn.scalar(
            select(Activity.id)
            .join(Promise)
            .where(Promise.year_from == year, Activity.target_value.is_not(None))
        )
    at = log_in(start_app(), "sam")
    at.session_state["entry_activity"] = with_target
    at.switch_page("pages/registrera.py")
    at.query_params["ar"] = str(year)
    at.run()
    field = next(n for n in at.number_input if n.label.startswith("Uppnått värde"))
    assert field.proto.format % 4.0 == "4"
    assert field.proto.format % 2.5 == "2.5"  # a fraction is still shown, not rounded away
