"""Storage: the engine factory, the models, Alembic migrations and the demo data."""

# Registers the cross-row checks on every Session, whichever module saves.
from db import rules  # noqa: F401
from db.engine import DatabaseUnavailable, check_connection, describe_url, make_engine

__all__ = ["DatabaseUnavailable", "check_connection", "describe_url", "make_engine"]
