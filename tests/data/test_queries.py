"""The query layer on SQLite and PostgreSQL, against small builder-made data checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from dashboard import queries
from testsupport.builders import (
    make_activity,
    make_evaluation,
    make_focus_area,
    make_partnership,
    make_promise,
)

P = "0486"
SIGNATORIES = [
    {"name": "Lars Ekström", "role": "kommundirektör"},
    {"name": "Christer Sjöqvist", "role": "polischef"},
]


@pytest.fixture
def data(engine):
    """2021: Unga (a1, a2), Trafik (a3), Tom (no activities); 2022–2023: one activity b1 that
    shares a1's lineage; another partnership's 2021 promise that must never leak in."""
    with Session(engine) as s:
        p = make_partnership(s, code=P)
        promise = make_promise(
            s, p, year=2021, title="Medborgarlöfte 2021", signed_on=dt.date(2021, 3, 11),
            signatories=SIGNATORIES, source="verklig", source_url="https://example.se/2021",
        )  # fmt: skip
        unga = make_focus_area(s, promise, name="Unga", theme="ungdomar", sort_order=0)
        trafik = make_focus_area(s, promise, name="Trafik", theme="trafik", sort_order=1)
        make_focus_area(s, promise, name="Tom", theme="trygghet_offentlig_miljo", sort_order=2)
        a1 = make_activity(
            s, unga, title="Trygghetsvandringar", owner="kommun", lineage_key="walks",
            target_value=4, target_unit="vandringar", partners=["föreningar"],
        )  # fmt: skip
        a2 = make_activity(s, unga, title="Dialogmöten", owner="polis")
        a3 = make_activity(s, trafik, title="Mopedinsatser", owner="gemensam")
        for act, tertial, status, completion, comment in [
            (a1, 1, "pagar", 40, ""),
            (a1, 2, "forsenad", 50, "Försenad av pandemin"),
            (a1, 3, "genomford", 100, "Fem vandringar"),
            (a2, 1, "ej_paborjad", 0, ""),
            (a2, 2, "pagar", 30, ""),
            (a3, 1, "pagar", 20, ""),
            (a3, 2, "pagar", 60, ""),
            (a3, 3, "ej_genomford", 60, "Stoppad"),
        ]:
            make_evaluation(
                s, act, year=2021, tertial=tertial, status=status, completion=completion,
                comment=comment, achieved_value=5 if (act is a1 and tertial == 3) else None,
            )  # fmt: skip
        two_year = make_promise(s, p, year=2022, year_to=2023)
        area = make_focus_area(s, two_year, name="Trygghet", theme="trygghet_offentlig_miljo")
        b1 = make_activity(
            s, area, title="Trygghetsvandringar 2.0", owner="polis", lineage_key="walks"
        )
        make_evaluation(s, b1, year=2022, tertial=3, status="genomford", completion=100)
        make_evaluation(s, b1, year=2023, tertial=1, status="pagar", completion=30)
        other = make_partnership(s, code="0999", kommun_name="Annan kommun")
        other_area = make_focus_area(s, make_promise(s, other, year=2021), name="Annat")
        make_evaluation(
            s, make_activity(s, other_area, owner="polis"), tertial=3, status="genomford"
        )
        s.commit()
        return {"a1": a1.id, "a2": a2.id, "a3": a3.id, "b1": b1.id}


def test_years_expand_a_two_year_promise(engine, data):
    with engine.connect() as conn:
        years = queries.load_years(conn, partnership=P)
    assert years["year"].to_list() == [2021, 2022, 2023]
    assert years["promise_id"][1] == years["promise_id"][2]


def test_promise_of_a_year_has_title_date_and_signatories(engine, data):
    with engine.connect() as conn:
        promise = queries.load_promise(conn, 2021, partnership=P).row(0, named=True)
        none = queries.load_promise(conn, 2019, partnership=P)
    assert promise["title"] == "Medborgarlöfte 2021"
    assert promise["signed_on"] == dt.date(2021, 3, 11)
    assert promise["signatories"] == SIGNATORIES
    assert promise["kommun_name"] == "Strängnäs kommun"
    assert none.is_empty() and "signatories" in none.columns


def test_focus_areas_in_order_with_activity_counts(engine, data):
    with engine.connect() as conn:
        areas = queries.load_focus_areas(conn, 2021, partnership=P)
    assert areas.select("name", "n_activities").rows() == [("Unga", 2), ("Trafik", 1), ("Tom", 0)]


def test_matrix_pivots_every_tertial_and_leaves_gaps_null(engine, data):
    with engine.connect() as conn:
        matrix = queries.load_activity_matrix(conn, 2021, partnership=P)
    rows = {r["title"]: r for r in matrix.iter_rows(named=True)}
    assert list(rows) == ["Trygghetsvandringar", "Dialogmöten", "Mopedinsatser"]
    walks = rows["Trygghetsvandringar"]
    assert (walks["status_1"], walks["status_2"], walks["status_3"]) == (
        "pagar", "forsenad", "genomford",
    )  # fmt: skip
    assert walks["achieved_3"] == 5 and walks["comment_2"] == "Försenad av pandemin"
    assert walks["partners"] == ["föreningar"] and walks["target_value"] == 4
    assert rows["Dialogmöten"]["status_3"] is None and rows["Dialogmöten"]["completion_3"] is None
    assert walks["n_demo_evaluations"] == 3


@pytest.mark.parametrize(
    ("tertial", "expected"),
    [
        # name, n_activities, n_evaluated, completion, status
        (2, [("Unga", 2, 2, 40.0, "forsenad"), ("Trafik", 1, 1, 60.0, "pagar"),
             ("Tom", 0, 0, None, None)]),
        # Dialogmöten is not evaluated at T3: left out of the mean, not counted as 0 %.
        (3, [("Unga", 2, 1, 100.0, "genomford"), ("Trafik", 1, 1, 60.0, "ej_genomford"),
             ("Tom", 0, 0, None, None)]),
    ],
)  # fmt: skip
def test_focus_area_status_rolls_up_a_tertial(engine, data, tertial, expected):
    with engine.connect() as conn:
        status = queries.load_focus_area_status(conn, 2021, tertial, partnership=P)
    got = status.select("focus_area", "n_activities", "n_evaluated", "completion", "status")
    assert got.rows() == expected


@pytest.mark.parametrize(
    ("tertial", "expected"),
    [
        (1, {("Trygghetsvandringar", None, "pagar"), ("Dialogmöten", None, "ej_paborjad"),
             ("Mopedinsatser", None, "pagar")}),
        (2, {("Trygghetsvandringar", "pagar", "forsenad"),
             ("Dialogmöten", "ej_paborjad", "pagar")}),
        (3, {("Trygghetsvandringar", "forsenad", "genomford"),
             ("Mopedinsatser", "pagar", "ej_genomford")}),
    ],
)  # fmt: skip
def test_status_changes_since_the_previous_tertial(engine, data, tertial, expected):
    with engine.connect() as conn:
        changes = queries.load_status_changes(conn, 2021, tertial, partnership=P)
    assert set(changes.select("title", "from_status", "to_status").rows()) == expected
    assert changes["evaluated_by"].to_list() == ["Anna Samordnare"] * len(expected)


def test_status_changes_cross_the_year_for_a_two_year_promise(engine, data):
    with engine.connect() as conn:
        changes = queries.load_status_changes(conn, 2023, 1, partnership=P)
    assert changes.select("from_status", "to_status").rows() == [("genomford", "pagar")]


def test_year_results_are_aggregated_per_year(engine, data):
    with engine.connect() as conn:
        results = queries.load_year_results(
            conn, partnership=P, today=dt.date(2023, 6, 1), first_year=2021
        )
    got = results.select(
        "year", "n_activities", "result_tertial", "n_evaluated", "n_genomford",
        "n_ej_genomford", "n_not_evaluated", "share_genomford", "preliminary",
    )  # fmt: skip
    assert got.rows() == [
        (2021, 3, 3, 2, 1, 1, 1, 50.0, False),
        (2022, 1, 3, 1, 1, 0, 0, 100.0, False),
        (2023, 1, 1, 1, 0, 0, 0, 0.0, True),
    ]


def test_year_results_nationally_include_every_partnership(engine, data):
    with engine.connect() as conn:
        results = queries.load_year_results(
            conn, partnership=None, today=dt.date(2023, 6, 1), first_year=2021
        )
    assert results.row(0, named=True)["n_activities"] == 4
    assert results.row(0, named=True)["n_genomford"] == 2


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("owner", [(2021, "gemensam", 1), (2021, "kommun", 1), (2021, "polis", 1),
                   (2022, "polis", 1), (2023, "polis", 1)]),
        ("theme", [(2021, "trafik", 1), (2021, "ungdomar", 2),
                   (2022, "trygghet_offentlig_miljo", 1), (2023, "trygghet_offentlig_miljo", 1)]),
    ],
)  # fmt: skip
def test_activity_counts_per_year(engine, data, by, expected):
    with engine.connect() as conn:
        counts = queries.load_activity_counts(
            conn, partnership=P, by=by, first_year=2007, last_year=2023
        )
    assert counts.rows() == expected


def test_lineage_follows_a_recurring_activity_across_years(engine, data):
    with engine.connect() as conn:
        lineage = queries.load_lineage(conn, partnership=P, first_year=2007, last_year=2023)
    assert lineage.select("lineage_key", "year", "title", "tertial", "status").rows() == [
        ("walks", 2021, "Trygghetsvandringar", 3, "genomford"),
        ("walks", 2022, "Trygghetsvandringar 2.0", 3, "genomford"),
        ("walks", 2023, "Trygghetsvandringar 2.0", 1, "pagar"),
    ]


def test_evaluation_and_audit_history_of_one_activity(engine, data):
    with Session(engine) as s:
        from db.models import Activity

        make_evaluation(
            s, s.get(Activity, data["a2"]), year=2021, tertial=3, status="genomford",
            evaluated_by="Berit", audited=True,
        )  # fmt: skip
        s.commit()
    with engine.connect() as conn:
        history = queries.load_evaluation_history(conn, data["a2"])
        audit = queries.load_audit_history(conn, data["a2"])
        other = queries.load_audit_history(conn, data["a1"])
    assert history.select("year", "tertial", "status").rows() == [
        (2021, 1, "ej_paborjad"), (2021, 2, "pagar"), (2021, 3, "genomford"),
    ]  # fmt: skip
    assert audit.select("username", "table_name", "action").rows() == [
        ("Berit", "evaluation", "insert")
    ]
    assert '"status": "genomford"' in audit["after"][0]
    assert other.is_empty()


def test_data_version_changes_after_every_write(engine, data):
    with engine.connect() as conn:
        before = queries.data_version(conn)
    with engine.connect() as conn:
        assert queries.data_version(conn) == before
    with Session(engine) as s:
        from db.models import Activity

        make_evaluation(
            s, s.get(Activity, data["a2"]), year=2021, tertial=3, status="pagar", audited=True
        )
        s.commit()
    with engine.connect() as conn:
        assert queries.data_version(conn) != before


def test_queries_on_an_empty_database_return_empty_typed_frames(engine):
    with engine.connect() as conn:
        assert queries.load_years(conn, partnership=P).is_empty()
        assert queries.load_activity_matrix(conn, 2021, partnership=P).is_empty()
        results = queries.load_year_results(conn, partnership=P, today=dt.date(2021, 1, 1))
        assert results.is_empty() and "share_genomford" in results.columns
        assert queries.data_version(conn) == "-:0:-:-:-"


def test_changes_compare_with_the_promise_period_before_across_the_new_year(engine):
    """A quarterly promise from 1 July 2026: K1 2027 follows K4 2026, not a K3 or a T3."""
    from testsupport import builders

    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        valid = (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
        promise = builders.make_promise(session, partnership, year=2026, rhythm="kvartal",
                                        valid=valid)  # fmt: skip
        area = builders.make_focus_area(session, promise)
        same, changed = builders.make_activity(session, area), builders.make_activity(session, area)
        for activity, before, after in ((same, "pagar", "pagar"), (changed, "pagar", "forsenad")):
            builders.make_evaluation(session, activity, year=2026, tertial=4, status=before)
            builders.make_evaluation(session, activity, year=2027, tertial=1, status=after,
                                     comment="sen")  # fmt: skip
        session.commit()
        key, changed_id = queries.promise_key(P, promise.id), changed.id
    with engine.connect() as conn:
        k1 = queries.load_status_changes(conn, 2027, 1, partnership=key)
        k3 = queries.load_status_changes(conn, 2026, 3, partnership=key)
        periods = queries.load_periods(conn, 2026, partnership=key)
    assert k1.select("activity_id", "from_status", "to_status").rows() == [
        (changed_id, "pagar", "forsenad")
    ]
    assert k3.is_empty()
    assert periods["code"].to_list() == ["K3", "K4"]


@pytest.mark.parametrize(
    ("build", "fragment", "filtered"),
    [
        (lambda: queries.build_status_counts_query(2007, 2026, partnership=P), "GROUP BY", True),
        (lambda: queries.build_activity_counts_query(2007, 2026, partnership=P, by="owner"),
         "WITH RECURSIVE", True),
        (lambda: queries.build_matrix_query(2021, partnership=P),
         "GROUP BY evaluation.activity_id", True),
        (lambda: queries.build_status_counts_query(2007, 2026, partnership=None),
         "GROUP BY", False),
    ],
)  # fmt: skip
def test_queries_aggregate_in_sql_and_filter_the_partnership(build, fragment, filtered):
    sql = str(build())
    assert fragment in sql
    assert ("partnership.kommun_code" in sql) is filtered


def test_a_half_yearly_year_is_final_once_its_h2_is_evaluated(engine):
    """Trender's year result by the promise's own rhythm: H2 is the year's last period."""
    from testsupport import builders

    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        promise = builders.make_promise(session, partnership, year=2024, year_to=2025,
                                        rhythm="halvar")  # fmt: skip
        activity = builders.make_activity(session, builders.make_focus_area(session, promise))
        builders.make_evaluation(session, activity, year=2024, tertial=2, status="genomford")
        builders.make_evaluation(session, activity, year=2025, tertial=1, status="pagar")
        session.commit()
    with engine.connect() as conn:
        results = queries.load_year_results(conn, partnership=P, today=dt.date(2026, 3, 1))
    assert results.select("year", "result_tertial", "preliminary").rows() == [
        (2024, 2, False),  # H2 evaluated: final, though 2 < 3
        (2025, 1, True),  # only H1: preliminary
    ]
