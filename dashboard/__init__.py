"""Medborgarlöften – uppföljning: the application package (no page layout in here)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
