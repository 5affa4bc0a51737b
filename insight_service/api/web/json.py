"""JSON and CSV output of the service: numbers as JSON numbers, dates as ISO strings, CSV cells safe.

Flask would write a ``Decimal`` as a string and dates as HTTP-dates; the reports convert values
explicitly (core/numbers.py) and :class:`JSONProvider` is the safety net for anything left.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    """Safety net: anything not converted explicitly still leaves as a number / ISO string."""

    sort_keys = False
    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:  # a deeply nested body: bad JSON for us (a 400), not a crash
            raise ValueError("the JSON is nested too deeply") from None

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o) if o.is_finite() else None
        if isinstance(o, (dt.datetime, dt.date)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def success_text(data_json: str) -> str:
    """The success envelope around data that is already JSON text (a cached response)."""
    return '{"success":true,"data":' + data_json + "}"


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
