"""The key that signs the login cookie: checked outside demo mode, made in demo mode.

No Streamlit here. Issue 4: outside demo mode the app refuses to start with a missing,
default or short (< 32 bytes) key and says how to make one; in demo mode the first start
writes a random key to the git-ignored ``.streamlit/secrets.toml`` so logins survive restarts.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from dashboard.settings import Settings

MIN_KEY_BYTES = 32
# Keys that are public and so sign nothing: the library's default and our example file's.
KNOWN_DEFAULTS = frozenset(
    {
        "some_key",
        "some_signature_key",
        "byt-mot-en-lang-slumpmassig-nyckel-pa-minst-32-tecken",
    }
)
HOW_TO_MAKE = (
    'Skapa en nyckel med  python -c "import secrets; print(secrets.token_urlsafe(48))"  '
    'och lägg den i .streamlit/secrets.toml som  cookie_key = "<nyckeln>"  '
    "eller i miljövariabeln DASHBOARD_COOKIE_KEY, och starta om appen."
)
_KEY_LINE = re.compile(r"^\s*cookie_key\s*=.*$", re.MULTILINE)


class CookieKeyError(RuntimeError):
    """The cookie key is unusable outside demo mode; the message says how to make one."""


def key_problem(key: str) -> str | None:
    """What is wrong with ``key`` as a cookie key, in Swedish, or None when it is fine."""
    if not key.strip():
        return "Nyckeln som signerar inloggningskakan saknas."
    if key.strip() in KNOWN_DEFAULTS:
        return "Nyckeln som signerar inloggningskakan är exempelnyckeln, som alla kan läsa."
    if len(key.encode()) < MIN_KEY_BYTES:
        return (
            f"Nyckeln som signerar inloggningskakan är för kort: {len(key.encode())} byte, "
            f"minst {MIN_KEY_BYTES} krävs."
        )
    return None


def resolve_cookie_key(settings: Settings, *, secrets_file: Path) -> str:
    """The cookie key to use, making and saving one in demo mode when none is set.

    Raises:
        CookieKeyError: Outside demo mode, when the key is missing, a default or too short.
    """
    problem = key_problem(settings.cookie_key)
    if problem is None:
        return settings.cookie_key
    if not settings.demo_mode:
        raise CookieKeyError(f"{problem} Appen startar inte utan en riktig nyckel. {HOW_TO_MAKE}")
    if settings.cookie_key.strip():
        return settings.cookie_key  # demo mode tolerates a weak key someone chose on purpose
    key = secrets.token_urlsafe(48)
    write_key(secrets_file, key)
    return key


def write_key(secrets_file: Path, key: str) -> None:
    """Put ``cookie_key = "<key>"`` into the secrets file, keeping its other lines."""
    secrets_file.parent.mkdir(parents=True, exist_ok=True)
    text = secrets_file.read_text(encoding="utf-8") if secrets_file.exists() else ""
    line = f'cookie_key = "{key}"'
    if _KEY_LINE.search(text):
        text = _KEY_LINE.sub(line, text, count=1)
    else:
        # At the top: a key after a [table] header would belong to that table.
        text = f"# Skapad av appen i demoläge; filen ignoreras av git.\n{line}\n{text}"
    secrets_file.write_text(text, encoding="utf-8")
    secrets_file.chmod(0o600)
