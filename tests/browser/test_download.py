"""Downloads in a real browser (issue 5): a click on a download button delivers the file, named
for what it holds, and the file is what it claims to be."""

from __future__ import annotations

import io

from pptx import Presentation

from dashboard.export.images import png_size
from testsupport.browser import download, wait_for_app


def test_chart_png_download_from_the_export_page(page, demo_server, artifacts_dir):
    page.goto(f"{demo_server.url}/export?ar=2021&period=3")
    wait_for_app(page, charts=False)
    page.get_by_role("heading", name="Presentationspaket (PowerPoint)").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "export-page.png"))
    page.locator(".st-key-ladda-ner-fokusomraden").get_by_role("button").click()
    row = page.locator(".st-key-nedladdning-fokusomraden")
    name, data = download(page, row.get_by_role("button", name="PNG"), artifacts_dir)
    assert name == "strangnas-2021-T3-fokusomraden.png"
    assert png_size(data)[0] >= 1920
    name, data = download(page, row.get_by_role("button", name="CSV"), artifacts_dir)
    assert name == "strangnas-2021-T3-fokusomraden-data.csv"
    assert data.startswith(b"\xef\xbb\xbf") and "Fokusområde;".encode() in data


def test_presentation_pack_is_built_then_downloaded(page, demo_server, artifacts_dir):
    page.goto(f"{demo_server.url}/export?ar=2021&period=3")
    wait_for_app(page, charts=False)
    page.get_by_role("button", name="Skapa presentationspaketet").click()
    button = page.get_by_role("button", name="Ladda ner presentationspaketet")
    button.wait_for(timeout=60_000)
    name, data = download(page, button, artifacts_dir)
    assert name == "strangnas-2021-T3-presentation.pptx"
    titles = [slide.shapes.title.text for slide in Presentation(io.BytesIO(data)).slides]
    # the promise, two focus areas, four charts, and the youth focus area's indicators
    assert titles[0].startswith("Medborgarlöfte 2021") and len(titles) == 8
    assert sum(title.endswith(": indikatorer") for title in titles) == 1


def test_chart_svg_download_from_a_browse_page(page, demo_server, artifacts_dir):
    page.goto(f"{demo_server.url}/trender")
    wait_for_app(page)
    # A browse page keeps each chart's formats behind one "Ladda ner" popover (issue 6).
    page.locator(".st-key-ladda-ner-resultat-per-ar").get_by_role("button").click()
    row = page.locator(".st-key-nedladdning-resultat-per-ar")
    name, data = download(page, row.get_by_role("button", name="SVG"), artifacts_dir)
    assert name.startswith("strangnas-2007-") and name.endswith("-resultat-per-ar.svg")
    svg = data.decode("utf-8")
    assert svg.startswith("<svg") and "Källa: " in svg and "Exempeldata" in svg
