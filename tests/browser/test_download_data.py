"""The data behind a chart as the browser receives it (issue 10): whole years as numbers,
"preliminär" in its own column, values rounded as the chart shows them, Swedish Ja/Nej, and
formula-like text inert. Read back with openpyxl and the csv module."""

from __future__ import annotations

import csv
import io

import openpyxl

from testsupport.browser import download, wait_for_app


def test_trend_data_downloads_from_a_browse_page(page, demo_server, artifacts_dir):
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    page.locator(".st-key-ladda-ner-resultat-per-ar").get_by_role("button").click()
    row = page.locator(".st-key-nedladdning-resultat-per-ar")
    name, data = download(page, row.get_by_role("button", name="Excel"), artifacts_dir)
    assert name.endswith("-resultat-per-ar-data.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    heading = [cell.value for cell in sheet[1]]
    years = [r[heading.index("År")] for r in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in years} == {"n"} and years[0].value == 2007
    assert sheet.cell(sheet.max_row, heading.index("Preliminärt") + 1).value == "Ja"
    name, data = download(page, row.get_by_role("button", name="CSV"), artifacts_dir)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    share = rows[0].index("Andel genomförda, %")
    assert all(len(r[share].partition(",")[2]) <= 1 for r in rows[1:])
    assert not {"true", "false"} & {cell for r in rows for cell in r}
