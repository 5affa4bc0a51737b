"""What a checkpoint check is: a :class:`Check` (a GX expectation by name, its arguments and the
query listing its worst offenders) and a :class:`MartSuite` (the checks of one mart).

Nothing here imports Great Expectations (slow to import); :mod:`insight_service.quality.gx_runner`
builds the GX objects.

SQL conventions (query-based checks): ``{batch}`` is the mart being validated (substituted
by GX for ``UnexpectedRowsExpectation``, by the runner for offender queries) and ``{m}`` the
marts schema (substituted by :func:`render`). No other braces may appear, no ``:word``
outside casts (SQLAlchemy bind syntax), no trailing ``limit``/``;``: the runner appends one.
Every query orders its rows worst first.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

OFFENDER_LIMIT = 5


@dataclasses.dataclass(frozen=True)
class Check:
    """One expectation of a suite, with the query that lists its worst offenders."""

    name: str                      # short, stable, unique in the suite: what failed
    expectation: str               # GX expectation class (great_expectations.expectations.<name>, or
                                   # ExpectNoOffendingRows: an UnexpectedRowsExpectation, gx_expectations.py)
    kwargs: dict[str, Any]         # its arguments (SQL still holds {m})
    description: str               # one sentence for the report and the data docs
    offenders: str | None = None   # SQL listing offending rows worst first ({batch}, {m})
    severity: str = "critical"     # critical -> exit non-zero; warning -> reported only
    dbt_test: str | None = None    # a singular dbt test whose compiled SQL is the query (compiled_tests.py)


@dataclasses.dataclass(frozen=True)
class MartSuite:
    mart: str
    grain: tuple[str, ...]
    checks: tuple[Check, ...]
    description: str = ""

    @property
    def suite_name(self) -> str:
        return f"marts.{self.mart}"


def lit(value: Any) -> str:
    """SQL literal of a constant of the checkpoint (never user input)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def lit_list(values: Sequence[Any]) -> str:
    return ", ".join(lit(v) for v in values)


def values_table(values: Sequence[Any], alias: str) -> str:
    """``(values ('a'), ('b')) as <alias>``: a one-column table of constants."""
    return "(values " + ", ".join(f"({lit(v)})" for v in values) + f") as {alias}"


def render(text: str, schema: str) -> str:
    """Put the marts schema into a check's SQL (``{batch}`` is left for GX)."""
    return text.replace("{m}", schema)
