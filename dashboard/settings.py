"""One declared Settings object; the environment and secrets are read once, at the edge.

Every setting has a default and a line of help. Tests construct ``Settings(...)`` directly.
Precedence, highest first: environment variable, ``.streamlit/secrets.toml``, default.
A secret name with a dot reads a table of the secrets file: ``smtp.host`` is ``host`` under
``[smtp]``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from dashboard import PROJECT_ROOT
from dashboard.kolada import BASE_URL as KOLADA_BASE_URL

DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'dashboard.sqlite3'}"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"


def _setting(default, help: str, env: str, secret: str | None = None, *, repr: bool = True):
    metadata = {"help": help, "env": env, "secret": secret}
    return field(default=default, metadata=metadata, repr=repr)


@dataclass(frozen=True)
class Settings:
    """What the app and the CLI need to know about their surroundings."""

    database_url: str = _setting(
        DEFAULT_DATABASE_URL,
        "SQLAlchemy URL of the database; SQLite file in data/ by default.",
        "DASHBOARD_DATABASE_URL",
        "database_url",
    )
    demo_mode: bool = _setting(
        True,
        "Demo mode: a random cookie key is written on first start; set 0 in production.",
        "DASHBOARD_DEMO_MODE",
        "demo_mode",
    )
    require_login: bool = _setting(
        False,
        "Every page needs a login (default: browsing is open, entry needs a login).",
        "DASHBOARD_REQUIRE_LOGIN",
        "require_login",
    )
    cookie_key: str = _setting(
        "",
        "Key that signs the login cookie: at least 32 random bytes outside demo mode.",
        "DASHBOARD_COOKIE_KEY",
        "cookie_key",
    )
    cookie_name: str = _setting(
        "medborgarloften_auth",
        "Name of the login cookie.",
        "DASHBOARD_COOKIE_NAME",
        "cookie_name",
    )
    cookie_expiry_days: float = _setting(
        1.0,
        "How long a login lasts, in days.",
        "DASHBOARD_COOKIE_EXPIRY_DAYS",
        "cookie_expiry_days",
    )
    partnership_code: str = _setting(
        "0486",
        "SCB code of the partnership the pages show (0486 Strängnäs in the demo).",
        "DASHBOARD_PARTNERSHIP",
        "partnership_code",
    )

    local_login: bool = _setting(
        True,
        "Local accounts (username and password) may log in; 0 leaves only the organisation login.",
        "DASHBOARD_LOCAL_LOGIN",
        "local_login",
    )
    oidc_trust_email: bool = _setting(
        False,
        "Trust the organisation login's e-mail claim without email_verified (Entra ID sends none).",
        "DASHBOARD_OIDC_TRUST_EMAIL",
        "oidc_trust_email",
    )
    admin_contact: str = _setting(
        "",
        "Whom a person without an account should contact: an e-mail address or a phone number.",
        "DASHBOARD_ADMIN_CONTACT",
        "admin_contact",
    )

    kolada_url: str = _setting(
        KOLADA_BASE_URL,
        "Base URL of Kolada's API v3, for `indikatorer hamta`.",
        "DASHBOARD_KOLADA_URL",
        "kolada_url",
    )

    # Reminders for missing evaluations (issue 14): `python -m dashboard paminnelser`.
    base_url: str = _setting(
        "http://localhost:8501",
        "The app's address as users reach it, for the links in e-mailed reminders.",
        "DASHBOARD_BASE_URL",
        "base_url",
    )
    reminder_days: int = _setting(
        14,
        "Days after a period's end before its missing evaluations are reminded by e-mail.",
        "DASHBOARD_REMINDER_DAYS",
        "reminder_days",
    )
    smtp_host: str = _setting(
        "", "SMTP server for reminders (required to send).", "DASHBOARD_SMTP_HOST", "smtp.host"
    )
    smtp_port: int = _setting(
        587, "SMTP port (587 starttls, 465 ssl, 25 none).", "DASHBOARD_SMTP_PORT", "smtp.port"
    )
    smtp_tls: str = _setting(
        "starttls",
        "SMTP encryption: none, starttls or ssl.",
        "DASHBOARD_SMTP_TLS",
        "smtp.tls",
    )
    smtp_user: str = _setting(
        "", "SMTP user name (empty: no login).", "DASHBOARD_SMTP_USER", "smtp.user"
    )
    smtp_password: str = _setting(
        "",
        "SMTP password; keep it in secrets.toml [smtp] or the environment.",
        "DASHBOARD_SMTP_PASSWORD",
        "smtp.password",
        repr=False,
    )
    smtp_sender: str = _setting(
        "",
        "Sender of reminders, e.g. Medborgarlöften <noreply@kommun.se> (required to send).",
        "DASHBOARD_SMTP_SENDER",
        "smtp.sender",
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def load(
        cls, environ: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE
    ) -> Settings:
        """Read the settings from the environment and the secrets file."""
        environ = dict(os.environ) if environ is None else environ
        secrets = _read_secrets(secrets_file)
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None:
                raw = _secret(secrets, f.metadata["secret"])
            if raw is not None:
                values[f.name] = _coerce(raw, type(f.default))
        return cls(**values)


def _read_secrets(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}


def _secret(secrets: dict, name: str | None):
    """The secret ``name`` (``smtp.host``: ``host`` of the ``[smtp]`` table), None if absent."""
    if not name:
        return None
    value = secrets
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _coerce(raw, kind: type):
    if kind is bool and isinstance(raw, str):
        return raw.strip().lower() in {"1", "true", "yes", "ja", "on"}
    return kind(raw)


def describe_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs/drift.md and --help."""
    return [(f.metadata["env"], str(f.default), f.metadata["help"]) for f in fields(Settings)]
