"""Deliberate serialisation: numbers as JSON numbers, dates as ISO strings, CSV cells safe.

psycopg returns ``numeric`` as :class:`~decimal.Decimal`; Flask would write it as a string
and dates as HTTP-dates. Values are rounded here (half away from zero, like PostgreSQL's
``round(numeric, n)``) and converted to ``float``; a non-finite value becomes ``null``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask.json.provider import DefaultJSONProvider

MONEY = 2      # revenue, cost, profit, cpa, cpc
RATE = 2       # percentages on a 0-100 scale
RATIO = 4      # roas
COUNT = 4      # attributed conversions can be fractional


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


def ratio(numerator: Any, denominator: Any, scale: int = 1) -> Decimal | None:
    """numerator / denominator × scale; null when the denominator is 0 or null."""
    n, d = dec(numerator), dec(denominator)
    if n is None or d is None or d == 0:
        return None
    return n / d * scale


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class JSONProvider(DefaultJSONProvider):
    """Safety net: anything not converted explicitly still leaves as a number / ISO string."""

    sort_keys = False
    ensure_ascii = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o) if o.is_finite() else None
        if isinstance(o, (dt.datetime, dt.date)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as-is, dates ISO, text guarded against spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text  # OWASP CSV injection guidance
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()
