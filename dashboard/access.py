"""Who is acting, and the one role check every write service makes itself. No Streamlit here.

Pages hide what a role may not use, but a hidden page is not a lock: every service function
that writes (evaluations, administration, users, import) takes the acting user and calls
``require_role`` first, so a call from anywhere without the role raises.

Roles (db.models.ROLES): ``lasare`` browses, ``samordnare`` enters evaluations, ``admin`` may
do everything; ``admin`` therefore satisfies every role check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db.models import ROLES

ROLE_LABELS = {"lasare": "läsare", "samordnare": "samordnare", "admin": "administratör"}


class NotPermitted(PermissionError):
    """The acting user lacks the role an action needs; the message is Swedish."""


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service acts: username and roles, nothing secret."""

    username: str
    roles: frozenset[str]

    @classmethod
    def of(cls, username: str, roles: Iterable[str]) -> Actor:
        return cls(username, frozenset(roles))

    def has_role(self, role: str) -> bool:
        """Whether the actor may act as ``role`` (admin may act as anyone)."""
        return role in self.roles or "admin" in self.roles


def require_role(actor: Actor | None, role: str) -> Actor:
    """Return ``actor`` if it has ``role`` (or admin); raise NotPermitted otherwise.

    Raises:
        NotPermitted: No user is logged in, or the user lacks the role.
        ValueError: ``role`` is not one of db.models.ROLES (a programming error).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if actor is None or not actor.username:
        raise NotPermitted("Du måste vara inloggad för att göra det här.")
    if not actor.has_role(role):
        raise NotPermitted(
            f"Du saknar behörighet: det här kräver rollen {ROLE_LABELS[role]}. "
            f"{actor.username} har {_roles_text(actor.roles)}."
        )
    return actor


def _roles_text(roles: Iterable[str]) -> str:
    named = [ROLE_LABELS.get(r, r) for r in sorted(roles)]
    return "rollen " + ", ".join(named) if named else "ingen roll"
