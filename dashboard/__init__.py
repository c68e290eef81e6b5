"""Medborgarlöften – uppföljning: the application package (no page layout in here)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _server_log() -> None:
    """The app's own log lines (e.g. database faults, issue 10) go to the server's stderr."""
    import logging
    import sys

    logger = logging.getLogger("dashboard")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


_server_log()
