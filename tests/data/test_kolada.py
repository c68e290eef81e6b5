"""Kolada's API v3 and `indikatorer hamta` (issue 12, item 2 and "Bad input").

Recorded responses (tests/recordings/kolada, Kolada's shape with invented numbers) are
replayed by a real HTTP server on loopback; the command runs end to end on SQLite and
PostgreSQL. No test waits: the client's sleep and clock are injected.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import cli
from dashboard.kolada import KoladaClient, KoladaError, KoladaUnreachable, UnknownKpi
from db import make_engine
from db.models import AuditLog, Indicator, IndicatorValue, Organisation
from testsupport.kolada_replay import RESET, KoladaReplay, closed_port

YEARS = range(2007, 2025)
YEAR_LIST = ",".join(str(y) for y in YEARS)
DATA = f"/data/kpi/N07403/municipality/0486/year/{YEAR_LIST}"
KPI = "/kpi/N07403"
# The years with a total in the recordings (2007 and 2024 are null) and two of the values.
STORED_YEARS = list(range(2008, 2024))


@pytest.fixture
def kolada():
    with KoladaReplay() as replay:
        yield replay


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client_for(base: str, sleeps: list[float], **options) -> KoladaClient:
    """A client that records its waits instead of sleeping."""
    return KoladaClient(base_url=base, min_interval=0, sleep=sleeps.append, **options)


def paged_next_page(kolada: KoladaReplay) -> None:
    kolada.route(KPI, (200, "kpi_N07403.json"))
    kolada.route(DATA, (200, "data_next_page_1.json"))
    kolada.route(f"{DATA}?page=2&per_page=9", (200, "data_next_page_2.json"))


# ---------------------------------------------------------------- the client


def test_kpi_title_from_metadata(kolada, sleeps):
    kolada.route(KPI, (200, "kpi_N07403.json"))
    kpi = client_for(kolada.base, sleeps).kpi("N07403")
    assert (kpi.id, kpi.title) == ("N07403", "Anmälda våldsbrott, antal/100 000 inv")


def test_paging_by_next_page_takes_totals_and_skips_nulls(kolada, sleeps):
    paged_next_page(kolada)
    values = client_for(kolada.base, sleeps).values("N07403", "0486", YEARS)
    assert [v.year for v in values] == STORED_YEARS
    assert values[0].value == 731.4  # the "T" entry, not K or M
    assert kolada.requests == [f"/v3{DATA}", f"/v3{DATA}?page=2&per_page=9"]


def test_paging_by_relative_next_url(kolada, sleeps):
    kolada.route(DATA, (200, "data_next_url_1.json"))
    kolada.route(f"{DATA}?page=2&per_page=6", (200, "data_next_url_2.json"))
    kolada.route(f"{DATA}?page=3&per_page=6", (200, "data_next_url_3.json"))
    values = client_for(kolada.base, sleeps).values("N07403", "0486", YEARS)
    assert [v.year for v in values] == STORED_YEARS
    assert len(kolada.requests) == 3


def test_empty_result(kolada, sleeps):
    kolada.route(DATA, (200, "data_empty.json"))
    assert client_for(kolada.base, sleeps).values("N07403", "0486", YEARS) == []


@pytest.mark.parametrize("answer", [(404, b'{"error": "not found"}'), (200, "kpi_empty.json")])
def test_unknown_kpi(kolada, sleeps, answer):
    kolada.route("/kpi/N99999", answer)
    with pytest.raises(UnknownKpi, match="Nyckeltalet N99999 finns inte i Kolada"):
        client_for(kolada.base, sleeps).kpi("N99999")
    assert len(kolada.requests) == 1  # a 4xx is never retried


def test_503_then_success_is_retried_with_backoff(kolada, sleeps):
    kolada.route(KPI, (503, b"Service Unavailable"), (200, "kpi_N07403.json"))
    client = client_for(kolada.base, sleeps, backoff=0.5)
    assert client.kpi("N07403").id == "N07403"
    assert len(kolada.requests) == 2
    assert sleeps == [0.5]


def test_a_dropped_connection_is_retried(kolada, sleeps):
    kolada.route(KPI, RESET, (200, "kpi_N07403.json"))
    assert client_for(kolada.base, sleeps).kpi("N07403").id == "N07403"
    assert len(kolada.requests) == 2


def test_500s_give_up_after_the_tries(kolada, sleeps):
    kolada.route(KPI, (500, b"oops"))
    with pytest.raises(KoladaError, match=r"svarar inte just nu \(svar 500 efter 3 försök\)"):
        client_for(kolada.base, sleeps, tries=3, backoff=1).kpi("N07403")
    assert len(kolada.requests) == 3
    assert sleeps == [1, 2]


def test_400_is_not_retried(kolada, sleeps):
    kolada.route(DATA, (400, b'{"error": "bad request"}'))
    with pytest.raises(KoladaError, match=r"avvisade frågan \(svar 400\)"):
        client_for(kolada.base, sleeps).values("N07403", "0486", YEARS)
    assert len(kolada.requests) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("recording", "message"),
    [
        ("data_malformed.html", "Oväntat svar från Kolada: svaret är inte JSON."),
        ("data_changed_shape.json", "Oväntat svar från Kolada: fältet 'values' saknas."),
        ("data_changed_inner.json", "fältet 'gender' saknas i året 2008"),
    ],
)
def test_a_changed_shape_is_refused_naming_what(kolada, sleeps, recording, message):
    kolada.route(DATA, (200, recording))
    with pytest.raises(KoladaError, match=message):
        client_for(kolada.base, sleeps).values("N07403", "0486", YEARS)


def test_a_next_page_on_another_server_is_refused(kolada, sleeps):
    kolada.route(DATA, (200, b'{"values": [], "next_page": "https://example.org/v3/x"}'))
    with pytest.raises(KoladaError, match="annan server"):
        client_for(kolada.base, sleeps).values("N07403", "0486", YEARS)


def test_no_network_is_one_swedish_line_after_quick_retries(sleeps):
    base = f"http://127.0.0.1:{closed_port()}/v3"
    with pytest.raises(KoladaUnreachable) as caught:
        client_for(base, sleeps, backoff=0.5).kpi("N07403")
    assert str(caught.value) == (
        f"Kunde inte nå Kolada ({base.split('/')[2]}): anslutningen nekades. Kontrollera nätverket."
    )
    assert sleeps == [0.5, 1, 2]  # recorded, not waited


def test_requests_keep_the_polite_interval(kolada):
    paged_next_page(kolada)
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    client = KoladaClient(base_url=kolada.base, min_interval=0.2, sleep=sleep, clock=lambda: now[0])
    client.kpi("N07403")
    client.values("N07403", "0486", YEARS)
    assert waits == [pytest.approx(0.2), pytest.approx(0.2)]  # three requests, two waits


def test_the_default_client_is_kolada_with_timeouts():
    client = KoladaClient()
    assert client.base_url == "https://api.kolada.se/v3" and client.host == "api.kolada.se"
    assert client.connect_timeout > 0 and client.read_timeout > 0 and client.min_interval > 0


# ---------------------------------------------------------------- the command


def run(db_url: str, client: KoladaClient, *extra: str) -> int:
    argv = ["--database-url", db_url, "indikatorer", "hamta", "--kpi", "N07403",
            "--kommun", "0486", "--fran", "2007", "--till", "2024", *extra]  # fmt: skip
    return cli.main(argv, kolada=client)


def stored(db_url: str) -> dict:
    engine = make_engine(db_url)
    with Session(engine) as session:
        values = session.execute(
            select(IndicatorValue.year, IndicatorValue.value, IndicatorValue.origin,
                   IndicatorValue.source, Organisation.code)
            .join(Organisation, Organisation.id == IndicatorValue.organisation_id)
            .order_by(IndicatorValue.year)
        ).all()  # fmt: skip
        result = {
            "indicators": session.execute(
                select(
                    Indicator.code,
                    Indicator.name,
                    Indicator.unit,
                    Indicator.better,
                    Indicator.attribution,
                    Indicator.kolada_kpi,
                    Indicator.source,
                )
            ).all(),
            "values": values,
            "audit": session.scalar(select(func.count()).select_from(AuditLog)),
        }
    engine.dispose()
    return result


def test_fetch_stores_values_and_says_what_changed(db_url, kolada, sleeps, capsys):
    paged_next_page(kolada)
    assert run(db_url, client_for(kolada.base, sleeps)) == 0
    out = capsys.readouterr().out
    assert "Indikatorn N07403 (Anmälda våldsbrott, antal/100 000 inv) skapades." in out
    assert "Strängnäs 2007–2024: 16 nya värden, 0 ändrade, 0 oförändrade." in out
    assert out.rstrip().endswith("Källa: Kolada")
    after = stored(db_url)
    assert after["indicators"] == [
        ("N07403", "Anmälda våldsbrott, antal/100 000 inv", "per 100 000 invånare", "lagre",
         "Källa: Kolada", "N07403", "verklig"),
    ]  # fmt: skip
    assert [row.year for row in after["values"]] == STORED_YEARS
    assert {(row.origin, row.source, row.code) for row in after["values"]} == {
        ("kolada", "verklig", "0486")
    }
    assert after["audit"] == 1


def test_second_run_is_all_unchanged_and_a_revision_is_reported(db_url, kolada, sleeps, capsys):
    paged_next_page(kolada)
    client = client_for(kolada.base, sleeps)
    assert run(db_url, client) == 0
    assert run(db_url, client) == 0
    second = capsys.readouterr().out
    assert "0 nya värden, 0 ändrade, 16 oförändrade." in second
    assert "skapades" not in second.split("Källa: Kolada")[1]

    kolada.route(DATA, (200, "data_revised.json"))
    assert run(db_url, client) == 0
    third = capsys.readouterr().out
    assert "0 nya värden, 1 ändrat, 15 oförändrade." in third
    assert "  2016: 1\u00a0012,5 → 1\u00a0019,8" in third
    assert dict((r.year, r.value) for r in stored(db_url)["values"])[2016] == 1019.8


def test_empty_result_writes_nothing(db_url, kolada, sleeps, capsys):
    kolada.route(KPI, (200, "kpi_N07403.json"))
    kolada.route(DATA, (200, "data_empty.json"))
    assert run(db_url, client_for(kolada.base, sleeps)) == 0
    assert "Kolada har inga värden för N07403" in capsys.readouterr().out
    assert stored(db_url) == {"indicators": [], "values": [], "audit": 0}


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ({KPI: (404, b"{}")}, "fel: Nyckeltalet N07403 finns inte i Kolada (svar 404)."),
        ({DATA: (200, "data_malformed.html")}, "svaret är inte JSON"),
        ({DATA: (200, "data_changed_shape.json")}, "fältet 'values' saknas"),
        ({DATA: (400, b"{}")}, "avvisade frågan (svar 400)"),
    ],
)
def test_kolada_failures_write_nothing(db_url, kolada, sleeps, capsys, routes, message):
    kolada.route(KPI, (200, "kpi_N07403.json"))
    for path, answer in routes.items():
        kolada.route(path, answer)
    assert run(db_url, client_for(kolada.base, sleeps)) == 2
    assert message in one_line_error(capsys)
    assert stored(db_url) == {"indicators": [], "values": [], "audit": 0}


def test_a_bad_second_page_writes_nothing(db_url, kolada, sleeps, capsys):
    paged_next_page(kolada)
    kolada.route(f"{DATA}?page=2&per_page=9", (200, "data_changed_inner.json"))
    assert run(db_url, client_for(kolada.base, sleeps)) == 2
    assert "fältet 'gender' saknas" in one_line_error(capsys)
    assert stored(db_url)["values"] == []


def test_offline_fails_with_one_swedish_line_and_writes_nothing(db_url, sleeps, capsys):
    client = client_for(f"http://127.0.0.1:{closed_port()}/v3", sleeps)
    assert run(db_url, client) == 2
    err = one_line_error(capsys)
    assert err.startswith("fel: Kunde inte nå Kolada (127.0.0.1:")
    assert err.endswith("anslutningen nekades. Kontrollera nätverket.\n")
    assert stored(db_url) == {"indicators": [], "values": [], "audit": 0}


def test_an_unknown_kommun_is_refused_before_asking_kolada(db_url, kolada, sleeps, capsys):
    assert run(db_url, client_for(kolada.base, sleeps), "--kommun", "9999") == 2
    assert one_line_error(capsys) == "fel: Det finns ingen kommun med koden 9999.\n"
    assert kolada.requests == []
    assert stored(db_url) == {"indicators": [], "values": [], "audit": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "Strängnäs"], "'Strängnäs' är inte en kommunkod"),
        (["--kpi", "våld"], "'våld' är inte ett nyckeltals-id i Kolada"),
        (["--fran", "1999"], "Året 1999 ligger utanför 2000–2100."),
        (["--till", "2101"], "Året 2101 ligger utanför 2000–2100."),
        (["--fran", "2020", "--till", "2010"], "Första året (2020) ligger efter det sista"),
    ],
)
def test_bad_input_is_refused_before_asking_kolada(
    sqlite_url, kolada, sleeps, capsys, args, message
):
    argv = ["--database-url", sqlite_url, "indikatorer", "hamta", "--kpi", "N07403",
            "--kommun", "0486", *args]  # fmt: skip
    assert cli.main(argv, kolada=client_for(kolada.base, sleeps)) == 2
    assert message in one_line_error(capsys)
    assert kolada.requests == []
    assert stored(sqlite_url) == {"indicators": [], "values": [], "audit": 0}


def test_real_values_replace_the_demo_values(demo_url, kolada, sleeps, capsys):
    """The demo's N07403 values are invented; fetched ones replace them, reported as changed."""
    all_before = stored(demo_url)["values"]
    before = {r.year: r for r in all_before if r.code == "0486"}
    paged_next_page(kolada)
    assert run(demo_url, client_for(kolada.base, sleeps)) == 0
    out = capsys.readouterr().out
    assert "skapades" not in out
    assert "0 nya värden, 16 ändrade, 0 oförändrade." in out
    after = stored(demo_url)
    fetched = {r.year: r for r in after["values"] if r.code == "0486" and r.origin == "kolada"}
    assert sorted(fetched) == STORED_YEARS and all(r.source == "verklig" for r in fetched.values())
    assert len(after["values"]) == len(all_before)  # replaced, none added
    assert before[2008].origin == "demo"


def test_list_shows_definitions_with_value_counts(db_url, kolada, sleeps, capsys):
    assert cli.main(["--database-url", db_url, "indikatorer", "lista"]) == 0
    assert "Inga indikatorer ännu" in capsys.readouterr().out
    paged_next_page(kolada)
    run(db_url, client_for(kolada.base, sleeps))
    capsys.readouterr()
    assert cli.main(["--database-url", db_url, "indikatorer", "lista"]) == 0
    out = capsys.readouterr().out
    assert "N07403" in out and "(Kolada): 16 värden, 2008–2023" in out
