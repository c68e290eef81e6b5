"""The Export page (issue 5) in AppTest: every file offered, the pack built step by step, and a
failed pack named with the choices kept. The exports themselves: tests/unit/test_export.py
and tests/data/test_export.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from testsupport.apptest import open_download_popovers, texts
from testsupport.server import APP


@pytest.fixture
def export_page(app_env) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["ar"] = "2021"
    at.query_params["period"] = "3"
    at.switch_page("pages/export.py")
    return at.run()


def test_export_page_offers_every_file(export_page):
    at = export_page
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    # Markdown + Word and CSV + Excel of the evaluations; each chart's five behind its popover,
    # built when it is opened (issue 15).
    assert labels.count("Excel") == 1 and "PNG" not in labels
    popovers = [p.proto.popover.label for p in at.get("popover")]
    assert popovers == ["År 2021", "Ladda ner", "Ladda ner", "Ladda ner", "Ladda ner"]
    labels = [b.proto.label for b in open_download_popovers(at).get("download_button")]
    assert labels.count("PNG") == 4 and labels.count("Excel") == 5
    assert {"Markdown", "Word"} <= set(labels)
    # File names are set on the server; the browser test (tests/browser/test_download.py)
    # receives one, and test_file_names_say_what_they_hold covers the rule.
    assert [h.value for h in at.subheader][:2] == [
        "Presentationspaket (PowerPoint)", "Resultat av medborgarlöftet 2021",
    ]  # fmt: skip
    assert "🧪 Exempeldata" in texts(at)  # the demo badge


def test_export_page_builds_the_pack_with_progress(export_page):
    at = export_page
    at.button(key=next(b.key for b in at.button if b.label.startswith("Skapa"))).click().run()
    assert not at.exception and not at.error
    assert at.status[0].label == "Klart: presentationspaketet"
    steps = [t.value for t in at.status[0].text]
    assert steps[0] == "Titelbild och fokusområden" and steps[-1] == "Sparar PowerPoint-filen"
    assert steps[1] == "Indikatorer: Ungdomar med normbrytande beteenden och kriminalitet"
    assert len(steps) == 7 and steps[3].startswith("Diagram 2 av 4: ")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner presentationspaketet" in labels


def test_a_failed_pack_says_what_failed_and_keeps_the_choices(export_page, monkeypatch):
    def broken(spec, **kwargs):
        raise RuntimeError("vl-convert saknar typsnitt")

    monkeypatch.setattr("dashboard.export.pack.spec_to_png", broken)
    at = export_page
    at.button(key=next(b.key for b in at.button if b.label.startswith("Skapa"))).click().run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # the message is markdown-escaped
    # The first picture is the indicator chart on the slide after the first focus area.
    assert "presentationspaketet" in message and "misslyckades: Indikatorer: Ungdomar" in message
    assert "vl-convert saknar typsnitt" in message
    assert next(box for box in at.selectbox if box.label == "År").value == 2021
    assert at.query_params["period"] == ["3"] or at.query_params["period"] == "3"
