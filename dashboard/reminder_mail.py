"""Sending the reminders (issue 14) over SMTP, standard library only. No Streamlit.

One connection for the run; each reminder is one message to one recipient, and only after
the server accepted it is its ``reminder_sent`` row written, in a transaction of its own. A
refused recipient is reported and not recorded, and the rest still go; a server that does
not answer (or stops answering) ends the run with one Swedish line, and nothing it did not
accept is recorded. The password is used for the login and never printed.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import reminders
from dashboard.reminders import Reminder
from dashboard.settings import Settings

TLS_MODES = ("none", "starttls", "ssl")
TIMEOUT_SECONDS = 30


class MailUnavailable(Exception):
    """The SMTP server cannot be used (not set, not answering, refusing the login); Swedish."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send: from the declared settings (DASHBOARD_SMTP_*)."""

    host: str
    port: int
    tls: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = TIMEOUT_SECONDS
    # The certificates to trust (default: the system's); tests pass their own.
    context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The settings' SMTP server.

        Raises:
            MailUnavailable: No host or sender is set, or the TLS mode is unknown.
        """
        if not settings.smtp_host.strip():
            raise MailUnavailable(
                "ingen SMTP-server är angiven: sätt DASHBOARD_SMTP_HOST (eller host under "
                "[smtp] i .streamlit/secrets.toml)."
            )
        if not settings.smtp_sender.strip():
            raise MailUnavailable(
                "ingen avsändare är angiven: sätt DASHBOARD_SMTP_SENDER, t.ex. "
                "Medborgarlöften <noreply@kommun.se>."
            )
        tls = settings.smtp_tls.strip().lower()
        if tls not in TLS_MODES:
            raise MailUnavailable(
                f"DASHBOARD_SMTP_TLS={settings.smtp_tls!r} finns inte; välj none, starttls "
                "eller ssl."
            )
        return cls(
            settings.smtp_host.strip(), settings.smtp_port, tls, settings.smtp_user,
            settings.smtp_password, settings.smtp_sender.strip(),
        )  # fmt: skip

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass
class Outcome:
    """What a run did: accepted (and recorded), refused with the server's answer, and why
    the run stopped early if it did (the rest were neither sent nor recorded)."""

    sent: list[Reminder] = field(default_factory=list)
    refused: list[tuple[Reminder, str]] = field(default_factory=list)
    stopped: str | None = None


def send(
    engine: Engine,
    due: Sequence[Reminder],
    config: SmtpConfig,
    *,
    base_url: str,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Outcome:
    """Send each reminder and record the accepted ones (see the module).

    Raises:
        MailUnavailable: The server does not answer, or refuses TLS or the login; nothing
            was sent.
    """
    outcome = Outcome()
    smtp = _connect(config)
    try:
        for reminder in due:
            mail = reminders.message(reminder, sender=config.sender, base_url=base_url)
            try:
                smtp.send_message(mail, from_addr=_address(config.sender),
                                  to_addrs=[reminder.recipient])  # fmt: skip
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                outcome.refused.append((reminder, _answer(code, text)))
                continue
            except smtplib.SMTPResponseException as exc:
                outcome.refused.append((reminder, _answer(exc.smtp_code, exc.smtp_error)))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                outcome.stopped = (
                    f"SMTP-servern {config.where} slutade svara ({_reason(exc)}); resten av "
                    "påminnelserna skickades inte."
                )
                break
            _record(engine, reminder, now())
            outcome.sent.append(reminder)
    finally:
        _close(smtp)
    return outcome


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    context = config.context or ssl.create_default_context()
    try:
        if config.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(
            f"SMTP-servern {config.where} svarar inte ({_reason(exc)}); inga påminnelser skickades."
        ) from None
    try:
        if config.tls == "starttls":
            smtp.starttls(context=context)
        if config.user:
            smtp.login(config.user, config.password)
    except smtplib.SMTPAuthenticationError:
        _close(smtp)
        raise MailUnavailable(
            f"SMTP-servern {config.where} godtog inte inloggningen för {config.user}; inga "
            "påminnelser skickades."
        ) from None
    except smtplib.SMTPNotSupportedError:
        _close(smtp)
        raise MailUnavailable(
            f"SMTP-servern {config.where} erbjuder inte STARTTLS; ange DASHBOARD_SMTP_TLS=ssl "
            "eller none. Inga påminnelser skickades."
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        _close(smtp)
        raise MailUnavailable(
            f"SMTP-servern {config.where} gick inte att använda ({_reason(exc)}); inga "
            "påminnelser skickades."
        ) from None
    return smtp


def _record(engine: Engine, reminder: Reminder, at: dt.datetime) -> None:
    """One transaction per accepted mail; a row another run wrote meanwhile is kept."""
    try:
        with Session(engine) as session, session.begin():
            session.add(reminders.record(reminder, at))
    except IntegrityError:
        pass


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _address(sender: str) -> str:
    """The bare address of ``Name <address>``, for the envelope."""
    return parseaddr(sender)[1] or sender


def _answer(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}".strip()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "anslutningen nekades"
    if isinstance(exc, TimeoutError):
        return "inget svar inom tidsgränsen"
    if isinstance(exc, ssl.SSLError):
        return f"TLS-fel: {exc.reason or exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "servern stängde anslutningen"
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
