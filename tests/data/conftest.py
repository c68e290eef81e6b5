"""Fixtures more than one data-test module uses: the promise shapes of testsupport/promises.py."""

from __future__ import annotations

import pytest

from testsupport.promises import november_to_march, whole_kommun


@pytest.fixture
def kommun(engine):
    """Strängnäs with its whole-kommun promise for 2026: (engine, partnership id, promise id)."""
    return whole_kommun(engine)


@pytest.fixture
def november(kommun):
    """Vingåker's promise from 18 November 2026 to 31 March 2027, by half-year, beside
    ``kommun``: (engine, partnership id, promise id)."""
    return november_to_march(kommun[0])
