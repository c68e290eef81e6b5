"""The product's vocabulary, in one place: statuses, owners, roles, rhythms, kinds, first year.

Everything else takes these codes from here: the models' CHECK constraints, the roll-ups'
ranks, the import's accepted values, the demo. ``dashboard/labels.py`` only adds Swedish text
and icons to them, and a test checks that it names every code here and nothing else.

The codes are plain ASCII strings that read well in SQL and in exported files.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_YEAR = 2007  # Strängnäs and the police have cooperated since 2007 (docs/architecture.md).

# Evaluation statuses in the order pages list them, each with its rank in the focus-area
# roll-up (docs/architecture.md: ej_genomford > forsenad > pagar/ej_paborjad > genomford; pagar
# ranks just above ej_paborjad so a mix of the two reads as "pågår").
STATUS_RANKS: dict[str, int] = {
    "genomford": 0,
    "ej_paborjad": 2,
    "pagar": 3,
    "forsenad": 4,
    "ej_genomford": 6,
}
STATUSES = ("ej_paborjad", "pagar", "forsenad", "genomford", "ej_genomford")
NOT_EVALUATED = "ej_utvarderad"  # no evaluation entered; never stored
COMMENT_REQUIRED = frozenset({"forsenad", "ej_genomford"})

# Who carries out an activity: the kommun, the police, both, or another party of the promise
# (then activity.owner_organisation_id names it).
OWNERS = ("kommun", "polis", "gemensam", "annan")
ROLES = ("lasare", "samordnare", "admin")
KINDS = ("medborgarlöfte", "samverkansöverenskommelse")
SOURCES = ("verklig", "exempel")
ORGANISATION_KINDS = ("kommun", "lokalpolisomrade", "polisregion", "annan")
PARTY_ROLES = ("kommun", "polis", "annan")


@dataclass(frozen=True)
class RhythmPeriod:
    """One period of a calendar rhythm: its number in the year and its months (inclusive)."""

    number: int
    first_month: int
    last_month: int


# Follow-up rhythms. A calendar rhythm cuts every year the same way; "egna" means the promise
# lists its own named periods. The letters are the rhythm's own short names: T1, K2, H1.
RHYTHMS = ("tertial", "kvartal", "halvar", "egna")
DEFAULT_RHYTHM = "tertial"
RHYTHM_LETTERS = {"tertial": "T", "kvartal": "K", "halvar": "H"}
CALENDAR_RHYTHMS: dict[str, tuple[RhythmPeriod, ...]] = {
    "tertial": (RhythmPeriod(1, 1, 4), RhythmPeriod(2, 5, 8), RhythmPeriod(3, 9, 12)),
    "kvartal": tuple(RhythmPeriod(q, 3 * q - 2, 3 * q) for q in range(1, 5)),
    "halvar": (RhythmPeriod(1, 1, 6), RhythmPeriod(2, 7, 12)),
}
# At most this many periods of one promise may end in one calendar year (a promise's own list
# included): the pages lay a year's periods side by side.
MAX_PERIODS_PER_YEAR = 6
PERIOD_NUMBERS = tuple(range(1, MAX_PERIODS_PER_YEAR + 1))

# Indicators (issue 12): which way a figure is better, and where a value came from. A value
# fetched from Kolada is "kolada", one read from a file "import", one the demo invented "demo"
# (and then its source is "exempel"). Indicator values are yearly (period 0) or belong to a
# period of the year by number, like an evaluation.
DIRECTIONS = ("lagre", "hogre")
VALUE_ORIGINS = ("kolada", "import", "demo")
WHOLE_YEAR = 0
INDICATOR_YEARS = (2000, 2100)  # a value's year must lie in this range, both included
KOLADA_ATTRIBUTION = "Källa: Kolada"
