"""Swedish number formats where values meet the user on a page (issue 10), in AppTest."""

from __future__ import annotations

import pytest

from testsupport.apptest import log_in, start_app


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
