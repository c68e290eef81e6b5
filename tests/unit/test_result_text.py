"""The year's result text (issue 5): "Resultat av medborgarlöftet <år>" as Markdown and Word, from
small frames. From the demo data on both databases: tests/data/test_result_text.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import labels
from dashboard.export import images, result_text

TODAY = dt.date(2026, 11, 26)
META = images.ExportMeta(
    title="Resultat av medborgarlöftet 2021",
    partnership="Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs",
    kommun="Strängnäs",
    year=2021,
    tertial=None,
    source="Strängnäs kommun och Polisen, uppföljningen av medborgarlöftet",
    extracted_on=TODAY,
)


def _matrix(rows: list[tuple[str, str, str | None, str | None]]) -> pl.DataFrame:
    """Activities numbered 1, 2, …; the last field is what was written for citizens."""
    return pl.DataFrame(
        [(n, *row) for n, row in enumerate(rows, 1)],
        schema={"activity_id": pl.Int64, "focus_area": pl.String, "title": pl.String,
                "status_3": pl.String, "public_3": pl.String},
        orient="row",
    )  # fmt: skip


def _build(matrix: pl.DataFrame) -> result_text.ResultText:
    public = {n: [line] for n, line in zip(matrix["activity_id"], matrix["public_3"],
                                            strict=True) if line}  # fmt: skip
    return result_text.build_result_text(matrix, META, public)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("genomford", "genomford"),
        ("pagar", "delvis"),
        ("forsenad", "delvis"),
        ("ej_paborjad", "delvis"),
        ("ej_genomford", "ej_genomford"),
        (None, "ej_utvarderad"),
    ],
)
def test_t3_status_becomes_the_years_outcome(status, outcome):
    result = _build(_matrix([("Unga", "Vandringar", status, "")]))
    assert result.sections[0][1][0].outcome == outcome
    assert labels.year_outcome(status) == outcome


def test_activities_are_grouped_by_focus_area_in_order():
    matrix = _matrix(
        [
            ("Unga", "Skolbesök", "genomford", "Alla skolor besöktes."),
            ("Unga", "Fältarbete", "forsenad", "Rekrytering pågår."),
            ("Droger", "Narkotikasök med hund", "ej_genomford", "Hunden var sjuk."),
        ]
    )
    result = _build(matrix)
    assert [area for area, _ in result.sections] == ["Unga", "Droger"]
    assert result.summary == (
        "Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs lovade 3 aktiviteter för 2021. "
        "Vid årets slut var 1 genomförd, 1 delvis genomförd och 1 inte genomförd."
    )
    markdown = result_text.result_markdown(result)
    assert markdown.startswith("# Resultat av medborgarlöftet 2021\n")
    assert "## Unga\n\n- **Skolbesök** – Genomförd: Alla skolor besöktes.\n" in markdown
    assert "- **Fältarbete** – Delvis genomförd: Rekrytering pågår.\n" in markdown
    assert "- **Narkotikasök med hund** – Ej genomförd: Hunden var sjuk.\n" in markdown
    assert markdown.rstrip().endswith("Uttag 26 november 2026*")


def test_stored_text_cannot_format_the_markdown():
    matrix = _matrix([("Unga *viktigt*", "[Länk](https://x.se) <b>fet</b>", "genomford", None)])
    markdown = result_text.result_markdown(_build(matrix))
    assert "## Unga \\*viktigt\\*" in markdown
    assert "\\[Länk\\](https://x.se) \\<b\\>fet\\</b\\>" in markdown
    assert "– Genomförd." in markdown


def test_not_evaluated_activities_are_named_in_the_summary():
    matrix = _matrix([("Unga", "A", "genomford", ""), ("Unga", "B", None, None)])
    result = _build(matrix)
    assert result.summary.endswith("1 har ännu inte utvärderats för årets sista period.")


def test_heading_for_older_agreements():
    assert result_text.result_heading(2010, "samverkansöverenskommelse") == (
        "Resultat av samverkansöverenskommelsen 2010"
    )
