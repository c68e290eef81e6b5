"""E-mail reminders (issue 14) without mail or database: who is responsible for an activity,
the activity set's fingerprint, the SMTP settings (never the password in their text) and the
systemd units that run the command daily. Sending over SMTP from a database:
tests/data/test_reminders.py."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from dashboard import cli, reminder_mail, reminders
from dashboard.reminders import Coordinator
from dashboard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
KIM, PIA = "kim@strangnas.se", "pia@polisen.se"


def test_the_most_local_coordinators_are_responsible_by_owner():
    kommun = Coordinator(1, "kim", "Kim", KIM, 0)
    area = Coordinator(2, "pia", "Pia", PIA, 1)
    region = Coordinator(3, "rolf", "Rolf", "rolf@polisen.se", 2)
    nation = Coordinator(4, "nina", "Nina", "nina@example.se", 3)
    everyone = [kommun, area, region, nation]
    assert reminders.responsible(everyone, "kommun") == [kommun]
    assert reminders.responsible(everyone, "polis") == [area]
    assert reminders.responsible(everyone, "gemensam") == [kommun, area]
    assert reminders.responsible(everyone, "annan") == [kommun, area]
    # The region's coordinator stands in for a police area without one.
    assert reminders.responsible([kommun, region, nation], "polis") == [region]
    # A side with nobody of its own falls back to the most local there is.
    assert reminders.responsible([area, nation], "kommun") == [area]
    assert reminders.responsible([nation], "gemensam") == [nation]
    assert reminders.responsible([], "kommun") == []


def test_the_activity_set_is_the_sha256_of_the_sorted_ids():
    assert reminders.activity_set([3, 1, 2]) == reminders.activity_set([1, 2, 3])
    assert len(reminders.activity_set([1])) == 64
    assert reminders.activity_set([1, 2]) != reminders.activity_set([1, 2, 3])


def test_the_password_is_never_in_the_settings_text():
    settings = Settings(smtp_password="hemligt-lösenord", smtp_user="u")
    config = reminder_mail.SmtpConfig.from_settings(
        Settings(smtp_host="h", smtp_sender="s@x.se", smtp_password="hemligt-lösenord")
    )
    assert "hemligt" not in repr(settings) and "hemligt" not in repr(config)


def test_smtp_settings_are_read_from_the_smtp_table_of_the_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'base_url = "https://x.se"\n[smtp]\nhost = "smtp.kommun.se"\nport = 465\n'
        'tls = "ssl"\nuser = "robot"\npassword = "p"\nsender = "noreply@kommun.se"\n'
    )
    settings = Settings.load(environ={"DASHBOARD_SMTP_PORT": "2465"}, secrets_file=secrets)
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_tls) == (
        "smtp.kommun.se", 2465, "ssl",
    )  # fmt: skip
    assert (settings.smtp_user, settings.smtp_password) == ("robot", "p")
    assert settings.base_url == "https://x.se" and settings.reminder_days == 14


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((ROOT / "deploy" / name).read_text(encoding="utf-8"))
    return parser


def test_the_systemd_units_parse_and_run_the_reminder_command(capsys):
    service, timer = _unit("paminnelser.service"), _unit("paminnelser.timer")
    assert service["Service"]["Type"] == "oneshot"
    command = shlex.split(service["Service"]["ExecStart"])
    assert command[1:4] == ["-m", "dashboard", "paminnelser"]
    assert timer["Timer"]["OnCalendar"] == "*-*-* 07:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "paminnelser.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
    # The command the service runs exists: its own --help answers.
    with pytest.raises(SystemExit) as done:
        cli.main([*command[3:], "--help"])
    assert done.value.code == 0
    assert "--dry-run" in capsys.readouterr().out
