"""The opening every browse page shares (issue 11): which kommun's promise is shown.

Pages call ``partnership()`` first; the Export page's files and every chart's download name
the same kommun (``components.shown_partnership``). Registrera and Administration write, so they
stay on the configured kommun (``DASHBOARD_PARTNERSHIP``) until roles carry a scope.
"""

from __future__ import annotations

from dashboard import cache, components, queries


def partnership() -> str:
    """The SCB code of the kommun this page shows: the sidebar's choice, else the configured."""
    options = cache.load(queries.load_partnerships)
    return components.partnership_picker(options, default=cache.settings().partnership_code)
