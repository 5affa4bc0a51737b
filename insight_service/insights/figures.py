"""The figures of a signal (``evidence.figures`` of marts.fct_insight_signals) and how they are
written in insight text.

A figure is ``{"id", "label", "value", "unit"}``; :func:`display` writes it the one way both
the templates and the LLM prompt use (currency symbol, thousands separators, fixed decimals),
so that the grounding check (grounding.py) can compare the numbers of a text with the figures
at the precision the text shows.
"""
from __future__ import annotations

import dataclasses
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CURRENCY_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩",
    "BRL": "R$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "MXN": "MX$", "CHF": "CHF ",
    "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "PLN": "PLN ",
}
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "CLP", "VND", "ISK", "HUF", "TWD"}

CHANNEL_NAMES = {
    "seo": "SEO", "influencer": "Influencer", "social": "Social", "ads": "Paid ads", "email": "Email",
    "referral": "Referral", "direct": "Direct", "overall": "Store-wide",
}


@dataclasses.dataclass(frozen=True)
class Figure:
    id: str
    label: str
    value: float
    unit: str
    currency: str | None = None

    @property
    def places(self) -> int:
        if self.unit == "currency":
            return 0 if (self.currency or "").upper() in ZERO_DECIMAL_CURRENCIES else 2
        if self.unit in ("percent",):
            return 1
        if self.unit in ("ratio", "score"):
            return 2
        if self.unit in ("count",):
            return 0 if float(self.value).is_integer() else 1
        return 0  # days

    @property
    def display(self) -> str:
        return display(self.value, self.unit, self.currency, self.places)

    def to_prompt(self) -> dict[str, Any]:
        return {"figure_id": self.id, "label": self.label, "value": self.value, "unit": self.unit,
                "display": self.display}


def rounded(value: float, places: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def group(number: Decimal, places: int) -> str:
    text = f"{abs(number):,.{places}f}"
    return text


def display(value: float, unit: str, currency: str | None = None, places: int | None = None) -> str:
    """``value`` written for a reader: ``$1,234.50``, ``-15.3%``, ``2.35``, ``1,200``."""
    if places is None:
        places = Figure("x", "", value, unit, currency).places
    number = rounded(value, places)
    sign = "-" if number < 0 else ""
    body = group(number, places)
    if unit == "currency":
        code = (currency or "").upper()
        symbol = CURRENCY_SYMBOLS.get(code, f"{code} " if code else "")
        return f"{sign}{symbol}{body}"
    if unit == "percent":
        return f"{sign}{body}%"
    return f"{sign}{body}"


def figures_of(evidence: dict[str, Any]) -> dict[str, Figure]:
    """``{id: Figure}`` of an evidence document; figures without a finite value are left out."""
    currency = evidence.get("currency")
    out: dict[str, Figure] = {}
    for item in evidence.get("figures") or []:
        if not isinstance(item, dict):
            continue
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            continue
        number = float(value)
        if not math.isfinite(number):
            continue
        fid = str(item.get("id"))
        out[fid] = Figure(fid, str(item.get("label") or fid), number, str(item.get("unit") or ""), currency)
    return out


def channel_name(channel: str | None) -> str:
    return CHANNEL_NAMES.get(channel or "", (channel or "").capitalize())
