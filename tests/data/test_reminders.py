"""Reminders for missing evaluations (issue 14), against a real SMTP server on loopback
(aiosmtpd) and real SQLite and PostgreSQL: the right people get the right mails, nothing
twice, a refused recipient and a down server are reported, and nothing is recorded that the
server did not accept. The rules without mail: tests/unit/test_reminders.py."""

from __future__ import annotations

import datetime as dt
import email
import ssl
import subprocess
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import cli, reminder_mail, reminders
from dashboard.settings import Settings
from db.models import Activity, ReminderSent
from testsupport import builders
from testsupport.server import free_port

TODAY = dt.date(2027, 1, 20)  # T3 2026 ended 31 December: 20 days ago
BASE_URL = "https://uppfoljning.strangnas.se"
SENDER = "Medborgarlöften <noreply@strangnas.se>"
KIM, PIA = "kim@strangnas.se", "pia@polisen.se"


# ---------------------------------------------------------------- a real SMTP server


class Inbox:
    """aiosmtpd handler: keeps every accepted message; refuses the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def _settings(engine, port: int, **overrides) -> Settings:
    values = {
        "database_url": engine.url.render_as_string(hide_password=False),
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "none",
        "smtp_sender": SENDER,
        "base_url": BASE_URL,
    } | overrides
    return Settings(**values)


def _run(engine, port: int, *args: str, today: dt.date = TODAY, **overrides) -> int:
    settings = _settings(engine, port, **overrides)
    return cli.main(["paminnelser", *args], settings=settings, today=today)


# ---------------------------------------------------------------- the data


def _add_user(session, username: str, email_address: str, *grants, active: bool = True):
    user = builders.make_user(session, username, *grants, active=active)
    user.email = email_address
    session.flush()
    return user


@pytest.fixture
def strangnas(engine) -> dict[str, int]:
    """Strängnäs' promise for 2026 (tertial) with four activities, one of them evaluated for
    T3, one archived; coordinators on every level and some who must not be mailed."""
    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        promise = builders.make_promise(session, partnership, year=2026, title="Trygg i Strängnäs")
        area = builders.make_focus_area(session, promise, name="Trygg stadskärna")
        ids = {
            "kommun": builders.make_activity(session, area, title="Trygghetsvandringar",
                                             owner="kommun"),
            "polis": builders.make_activity(session, area, title="Nattpatrull vid resecentrum",
                                            owner="polis"),
            "gemensam": builders.make_activity(session, area, title="Möte med föreningar",
                                               owner="gemensam"),
            "evaluated": builders.make_activity(session, area, title="Belysning i parken",
                                                owner="kommun"),
            "archived": builders.make_activity(session, area, title="Gammal aktivitet",
                                               owner="kommun"),
        }  # fmt: skip
        builders.make_evaluation(session, ids["evaluated"], tertial=3, status="genomford")
        ids["archived"].archived = True
        kommun = partnership.kommun_id
        police_area = partnership.police_area_id
        region = builders.organisation_id(session, "polisregion", "ost")
        _add_user(session, "kim", KIM, ("samordnare", kommun))
        _add_user(session, "pia", PIA, ("samordnare", police_area))
        _add_user(session, "rolf", "rolf@polisen.se", ("samordnare", region))
        _add_user(session, "nina", "nina@example.se", ("samordnare", None))
        _add_user(session, "ada", "ada@strangnas.se", ("admin", kommun))
        _add_user(session, "olle", "olle@strangnas.se", ("samordnare", kommun), active=False)
        _add_user(session, "utan", "", ("samordnare", kommun))
        _add_user(session, "lisa", "lisa@strangnas.se", ("lasare", kommun))
        session.commit()
        found = {name: a.id for name, a in ids.items()}
        found |= {"promise": promise.id, "focus_area": area.id}
    return found


def _sent_rows(engine) -> list[tuple[str, list[int]]]:
    with Session(engine) as session:
        rows = session.execute(
            select(ReminderSent.recipient, ReminderSent.activity_ids).order_by(ReminderSent.id)
        ).all()
    return [(recipient, sorted(ids)) for recipient, ids in rows]


def test_what_is_missing_is_the_last_ended_period_of_each_promise(engine, strangnas):
    with engine.connect() as conn:
        missing = reminders.load_missing(conn, TODAY)
        in_t2 = reminders.load_missing(conn, dt.date(2026, 9, 15))
        before_any = reminders.load_missing(conn, dt.date(2026, 4, 30))
    assert missing["activity_title"].to_list() == [
        "Trygghetsvandringar", "Nattpatrull vid resecentrum", "Möte med föreningar",
    ]  # fmt: skip
    assert set(missing["period_code"]) == {"T3"} and set(missing["days_overdue"]) == {20}
    assert set(in_t2["period_code"]) == {"T2"} and set(in_t2["days_overdue"]) == {15}
    assert in_t2.height == 4  # nothing is evaluated for T2
    assert before_any.is_empty()  # T1 ends on 30 April: not yet ended
    table = reminders.missing_table(missing)
    assert table.columns == ["Ansvarig", "Aktivitet", "Fokusområde", "Period", "Slutade",
                             "Dagar sedan"]  # fmt: skip
    assert table["Ansvarig"].to_list() == ["Gemensam", "Kommunen", "Polisen"]
    assert table["Slutade"][0] == "31 december 2026"


# ---------------------------------------------------------------- sending for real


def test_each_coordinator_gets_one_mail_with_their_activities_and_the_link(
    engine, strangnas, inbox, capsys
):
    assert _run(engine, inbox.port) == 0
    out = capsys.readouterr().out
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == [KIM, PIA]
    kim = inbox.to(KIM)[0]
    assert kim["Subject"] == (
        "Påminnelse: 2 aktiviteter saknar utvärdering för T3 2026 – Strängnäs kommun"
    )
    assert kim["From"] == SENDER and kim["To"] == KIM
    text = kim.get_content()
    assert text.startswith("Hej Kim!")
    assert "- Trygghetsvandringar (Trygg stadskärna; Kommunen)" in text
    assert "- Möte med föreningar (Trygg stadskärna; Gemensam)" in text
    assert "Nattpatrull" not in text and "Belysning" not in text and "Gammal" not in text
    assert "slutade 31 december 2026, för 20 dagar sedan" in text
    link = f"{BASE_URL}/registrera?kommun=0486&lofte={strangnas['promise']}&ar=2026&period=3"
    assert link in text.splitlines()
    pia = inbox.to(PIA)[0]
    assert pia["Subject"].startswith("Påminnelse: 2 aktiviteter saknar utvärdering för T3 2026")
    assert "- Nattpatrull vid resecentrum (Trygg stadskärna; Polisen)" in pia.get_content()
    assert "Trygghetsvandringar" not in pia.get_content()
    assert f"Skickat till {KIM}" in out and "2 påminnelser skickade, 0 nekade av 2." in out
    ids = strangnas
    assert _sent_rows(engine) == [
        (KIM, sorted([ids["kommun"], ids["gemensam"]])),
        (PIA, sorted([ids["polis"], ids["gemensam"]])),
    ]
    # Running again sends nothing new.
    assert _run(engine, inbox.port) == 0
    assert "Inga nya påminnelser att skicka." in capsys.readouterr().out
    assert len(inbox.messages) == 2 and len(_sent_rows(engine)) == 2


def test_a_newly_missing_activity_sends_again_and_an_evaluated_one_does_not(
    engine, strangnas, inbox, capsys
):
    assert _run(engine, inbox.port) == 0
    with Session(engine) as session:
        polis = session.get(Activity, strangnas["polis"])
        builders.make_evaluation(session, polis, tertial=3, status="pagar")
        session.commit()
    assert _run(engine, inbox.port) == 0  # Pia's set shrank: no new mail
    assert len(inbox.messages) == 2
    with Session(engine) as session:
        area = session.get(Activity, strangnas["kommun"]).focus_area
        builders.make_activity(session, area, title="Ny skolaktivitet", owner="kommun")
        session.commit()
    capsys.readouterr()
    assert _run(engine, inbox.port) == 0
    assert len(inbox.messages) == 3
    again = inbox.messages[-1]
    assert again["X-Envelope-To"] == KIM
    assert again["Subject"].startswith("Påminnelse: 3 aktiviteter saknar utvärdering")
    assert "- Ny skolaktivitet" in again.get_content()
    assert [r for r, _ in _sent_rows(engine)] == [KIM, PIA, KIM]


def test_dry_run_prints_the_mails_and_sends_and_writes_nothing(engine, strangnas, inbox, capsys):
    assert _run(engine, inbox.port, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"Till {KIM}: Påminnelse: 2 aktiviteter saknar utvärdering för T3 2026" in out
    assert f"Till {PIA}:" in out and "/registrera?kommun=0486&" in out
    assert "Torrkörning: 2 påminnelser skulle skickas" in out
    assert inbox.messages == [] and _sent_rows(engine) == []
    # A dry run needs no SMTP server at all.
    assert _run(engine, inbox.port, "--dry-run", smtp_host="") == 0


def test_the_days_after_the_end_come_from_the_setting_or_the_option(
    engine, strangnas, inbox, capsys
):
    assert _run(engine, inbox.port, reminder_days=21) == 0  # 20 days: too early
    assert _run(engine, inbox.port, "--dagar", "30") == 0
    assert inbox.messages == [] and _sent_rows(engine) == []
    assert _run(engine, inbox.port, "--dagar", "20", reminder_days=30) == 0
    assert len(inbox.messages) == 2


def test_a_refused_recipient_is_reported_and_not_recorded_the_others_are(
    engine, strangnas, inbox, capsys
):
    inbox.refuse = {PIA}
    assert _run(engine, inbox.port) == 1
    captured = capsys.readouterr()
    assert f"fel: {PIA} togs inte emot (550 5.1.1 Mottagaren finns inte)" in captured.err
    assert "1 påminnelse skickad, 1 nekade av 2." in captured.out
    assert [m["X-Envelope-To"] for m in inbox.messages] == [KIM]
    assert [r for r, _ in _sent_rows(engine)] == [KIM]
    # The next run tries Pia again, and only Pia.
    inbox.refuse = set()
    assert _run(engine, inbox.port) == 0
    assert [m["X-Envelope-To"] for m in inbox.messages] == [KIM, PIA]
    assert [r for r, _ in _sent_rows(engine)] == [KIM, PIA]


def test_a_down_server_is_one_swedish_line_a_failure_and_nothing_is_recorded(
    engine, strangnas, capsys
):
    port = free_port()  # nothing listens there
    assert _run(engine, port) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"fel: SMTP-servern 127.0.0.1:{port} svarar inte (anslutningen nekades); inga "
        "påminnelser skickades."
    )
    assert _sent_rows(engine) == []


def test_missing_smtp_settings_are_named(engine, strangnas, inbox, capsys):
    assert _run(engine, inbox.port, smtp_host="") == 2
    assert "DASHBOARD_SMTP_HOST" in capsys.readouterr().err
    assert _run(engine, inbox.port, smtp_tls="tls") == 2
    assert "välj none, starttls eller ssl" in capsys.readouterr().err
    assert inbox.messages == [] and _sent_rows(engine) == []


# ---------------------------------------------------------------- STARTTLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_sends_over_an_encrypted_connection(engine, strangnas, certificate):
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    handler = Inbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(),
        tls_context=server_context, require_starttls=True,
    )  # fmt: skip
    controller.start()
    try:
        client_context = ssl.create_default_context(cafile=str(cert))
        config = reminder_mail.SmtpConfig(
            "127.0.0.1", controller.port, "starttls", sender=SENDER, context=client_context
        )
        with engine.connect() as conn:
            due = reminders.due_reminders(conn, TODAY, days=14)
        outcome = reminder_mail.send(engine, due, config, base_url=BASE_URL)
        # Without trusting the certificate the run stops before anything is sent.
        with pytest.raises(reminder_mail.MailUnavailable, match="gick inte att använda"):
            reminder_mail.send(
                engine, due, reminder_mail.SmtpConfig("127.0.0.1", controller.port, "starttls",
                                                      sender=SENDER),
                base_url=BASE_URL,
            )  # fmt: skip
    finally:
        controller.stop()
    assert len(outcome.sent) == 2 and not outcome.refused and outcome.stopped is None
    assert sorted(m["X-Envelope-To"] for m in handler.messages) == [KIM, PIA]
    assert len(_sent_rows(engine)) == 2
