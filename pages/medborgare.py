"""Medborgare: the published follow-up of each promise, open to everyone (issue 13)."""

from dashboard import components
from dashboard.publication import public_ui

components.ensure_entrypoint()
public_ui.render()
