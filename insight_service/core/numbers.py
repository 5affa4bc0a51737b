"""Value helpers of the reports: numbers as JSON-ready floats rounded once, dates as ISO strings.

psycopg returns ``numeric`` as :class:`~decimal.Decimal`. Values are rounded here (half away from
zero, like PostgreSQL's ``round(numeric, n)``) and converted to ``float``; a non-finite value
becomes ``None``. Also the one rule of profit after marketing cost shared by the reports.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

MONEY = 2      # revenue, cost, profit, cpa, cpc
RATE = 2       # percentages on a 0-100 scale
RATIO = 4      # roas
COUNT = 4      # attributed conversions can be fractional
ZERO = Decimal(0)


def dec(value: Any) -> Decimal | None:
    """``value`` as a Decimal (None stays None); floats go through ``repr`` to stay exact."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    try:
        out = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return out if out.is_finite() else None


def num(value: Any, places: int = MONEY) -> float | None:
    """Round to ``places`` decimals (half away from zero) and return a float, or None."""
    d = dec(value)
    if d is None:
        return None
    rounded = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    out = float(rounded)
    return 0.0 if out == 0 else out  # no -0.0


def integer(value: Any) -> int:
    d = dec(value)
    return int(d) if d is not None else 0


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def marketing_profit(profit: Decimal | None, cost: Decimal | None) -> float | None:
    """profit − cost of a window's summed profit and cost, as the difference of the two amounts in
    cents shown beside it (the marts hold cents, so this only matters for sub-cent inputs, where
    rounding the difference could differ by a cent). Its ratio, poas, comes from the warehouse."""
    return num(dec(num(profit or ZERO, MONEY)) - dec(num(cost or ZERO, MONEY)), MONEY)
