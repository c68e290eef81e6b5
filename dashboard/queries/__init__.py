"""The query layer: ``build_*`` returns a Select (pure), ``load_*(conn, ...)`` a polars frame.

Every ``load_*`` takes an open connection first, so callers decide the transaction and the
cache (see dashboard/cache.py). The functions are split by concern into promises (the year's
promise, focus areas, activities), evaluations (tertial matrix, changes, history) and trends
(since 2007); all are re-exported here.
"""

from dashboard.queries.base import (
    FIRST_YEAR,
    build_data_version_query,
    data_version,
    promise_key,
    split_key,
)
from dashboard.queries.evaluations import (
    build_audit_history_query,
    build_evaluation_history_query,
    build_matrix_query,
    build_status_changes_query,
    load_activity_matrix,
    load_audit_history,
    load_evaluation_history,
    load_focus_area_status,
    load_public_lines,
    load_status_changes,
)
from dashboard.queries.indicators import (
    LINK_SCHEMA,
    VALUE_SCHEMA,
    build_focus_area_indicators_query,
    build_indicator_values_query,
    load_focus_area_indicators,
    load_indicator_values,
)
from dashboard.queries.promises import (
    PERIODS_SCHEMA,
    YEAR_PROMISES_SCHEMA,
    build_activities_query,
    build_focus_areas_query,
    build_partnerships_query,
    build_promise_query,
    build_years_query,
    load_activities,
    load_focus_areas,
    load_partnerships,
    load_periods,
    load_promise,
    load_year_promises,
    load_years,
)
from dashboard.queries.region import (
    load_activity_status,
    load_last_ended,
    load_regions,
    load_themes,
    load_year_result_distribution,
)
from dashboard.queries.trends import (
    build_activity_counts_query,
    build_lineage_query,
    build_promise_periods_query,
    build_status_counts_query,
    load_activity_counts,
    load_lineage,
    load_promise_periods,
    load_year_results,
)

__all__ = [
    "FIRST_YEAR",
    "LINK_SCHEMA",
    "PERIODS_SCHEMA",
    "VALUE_SCHEMA",
    "YEAR_PROMISES_SCHEMA",
    "build_activities_query",
    "build_activity_counts_query",
    "build_audit_history_query",
    "build_data_version_query",
    "build_evaluation_history_query",
    "build_focus_area_indicators_query",
    "build_focus_areas_query",
    "build_indicator_values_query",
    "build_lineage_query",
    "build_matrix_query",
    "build_partnerships_query",
    "build_promise_periods_query",
    "build_promise_query",
    "build_status_changes_query",
    "build_status_counts_query",
    "build_years_query",
    "data_version",
    "load_activities",
    "load_activity_counts",
    "load_activity_matrix",
    "load_activity_status",
    "load_audit_history",
    "load_evaluation_history",
    "load_focus_area_indicators",
    "load_focus_area_status",
    "load_focus_areas",
    "load_indicator_values",
    "load_last_ended",
    "load_lineage",
    "load_partnerships",
    "load_periods",
    "load_promise",
    "load_promise_periods",
    "load_public_lines",
    "load_regions",
    "load_status_changes",
    "load_themes",
    "load_year_promises",
    "load_year_result_distribution",
    "load_year_results",
    "load_years",
    "promise_key",
    "split_key",
]
