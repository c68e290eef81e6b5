"""Promises of any shape (issue 11) as the data tests set them up, through the administration
services: Strängnäs with its whole-kommun promise, Vingåker's from November to March.

tests/data/conftest.py makes them the fixtures ``kommun`` and ``november``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.admin import promises
from dashboard.admin.promises import PromiseFields, PromiseShape
from testsupport import builders
from testsupport.databases import run_service

ADMIN = Actor.of("ada", ["admin"])
COORDINATOR = Actor.of("sam", ["samordnare"])
FIELDS = PromiseFields(title="Medborgarlöfte", signed_on=dt.date(2026, 11, 10))
NOVEMBER_TO_MARCH = PromiseShape(dt.date(2026, 11, 18), dt.date(2027, 3, 31), rhythm="halvar")


def whole_kommun(engine: Engine) -> tuple[Engine, int, int]:
    """Strängnäs with its whole-kommun promise for 2026 (tertials), a national admin and a
    coordinator: the engine, the partnership's id and the promise's."""
    with Session(engine) as s:
        partnership = builders.make_partnership(s)
        builders.make_user(s, "ada", ("admin", None))  # national: Strängnäs and Vingåker
        builders.make_user(s, "sam", ("samordnare", None))
        s.commit()
        partnership_id = partnership.id
    whole, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id, year=2026,
        fields=FIELDS,
    )  # fmt: skip
    return engine, partnership_id, whole.id


def november_to_march(engine: Engine) -> tuple[Engine, int, int]:
    """Vingåker's promise from 18 November 2026 to 31 March 2027, by half-year: the engine,
    the partnership's id and the promise's."""
    with Session(engine) as s:
        vingaker = builders.make_partnership(
            s, code="0428", kommun_name="Vingåker", police_area="Lokalpolisområde Katrineholm"
        )
        s.commit()
        partnership_id = vingaker.id
    promise, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
        shape=NOVEMBER_TO_MARCH, fields=FIELDS,
    )  # fmt: skip
    return engine, partnership_id, promise.id
