"""Expected values of the API, computed with SQL on the marts (never taken from the service)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CHANNELS = ("seo", "influencer", "social", "ads", "email", "referral", "direct")
RULE_MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")


def f(value: Any) -> float | None:
    """A SQL value as the API shows it: numbers as floats, null as None."""
    if value is None:
        return None
    return float(value)


def channel_metrics(db, store: str, start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    rows = db.query(
        """
        select channel,
               round(sum(revenue), 2), round(sum(cost), 2), round(sum(profit), 2),
               round(sum(conversions), 4), sum(sessions),
               round(sum(revenue) / nullif(sum(cost), 0), 4),
               round(sum(cost) / nullif(sum(conversions), 0), 2),
               round(sum(conversions) / nullif(sum(sessions), 0) * 100, 2),
               -- profit after marketing cost, from the window's sums (never an average of daily ratios)
               round(sum(profit), 2) - round(sum(cost), 2),
               round(sum(profit) / nullif(sum(cost), 0), 4)
        from marts.fct_unified_metrics
        where store_id = %s and period = 'daily' and source = 'all' and period_start between %s and %s
        group by channel
        """,
        (store, start, end),
    )
    keys = ("revenue", "cost", "profit", "conversions", "sessions", "roas", "cpa", "conversion_rate",
            "marketing_profit", "poas")
    out = {
        c: {"revenue": 0.0, "cost": 0.0, "profit": 0.0, "conversions": 0.0, "sessions": 0, "roas": None,
            "cpa": None, "conversion_rate": None, "marketing_profit": 0.0, "poas": None}
        for c in (*CHANNELS, "overall")
    }
    for row in rows:
        values = {k: f(v) for k, v in zip(keys, row[1:])}
        values["sessions"] = int(row[5] or 0)
        out[row[0]] = values
    return out


def change(current: float | None, previous: float | None) -> dict[str, Any]:
    if current is None or previous is None:
        return {"absolute": None, "percentage": None, "direction": None}
    cur, prev = Decimal(repr(current)), Decimal(repr(previous))
    absolute = cur - prev
    percentage = None if prev == 0 else float(round(absolute / abs(prev) * 100, 2))
    direction = "up" if absolute > 0 else "down" if absolute < 0 else "flat"
    return {"absolute": float(absolute), "percentage": percentage, "direction": direction}


def daily_series(db, store: str, start: dt.date, end: dt.date) -> dict[tuple[str, str], tuple]:
    rows = db.query(
        """
        select period_start, channel, round(sum(revenue), 2), round(sum(cost), 2), round(sum(conversions), 4)
        from marts.fct_unified_metrics
        where store_id = %s and period = 'daily' and source = 'all' and period_start between %s and %s
        group by 1, 2
        """,
        (store, start, end),
    )
    return {(r[0].isoformat(), r[1]): (f(r[2]), f(r[3]), f(r[4])) for r in rows}


def attribution(db, store: str, model: str, start: dt.date, end: dt.date) -> dict[str, dict[str, float]]:
    rows = db.query(
        """
        select channel, round(sum(attributed_revenue), 2), round(sum(attributed_conversions), 4),
               round(sum(attributed_profit), 2)
        from marts.fct_channel_attribution_daily
        where store_id = %s and model = %s and date between %s and %s
        group by channel
        """,
        (store, model, start, end),
    )
    return {r[0]: {"revenue": f(r[1]), "conversions": f(r[2]), "profit": f(r[3])} for r in rows}


def attribution_totals(db, store: str, model: str, start: dt.date, end: dt.date) -> dict[str, float]:
    row = db.query(
        """
        select round(coalesce(sum(attributed_revenue), 0), 2), round(coalesce(sum(attributed_conversions), 0), 4),
               round(coalesce(sum(attributed_profit), 0), 2)
        from marts.fct_channel_attribution_daily
        where store_id = %s and model = %s and date between %s and %s
        """,
        (store, model, start, end),
    )[0]
    return {"revenue": f(row[0]), "conversions": f(row[1]), "profit": f(row[2])}


def profit_after_marketing(profit: Decimal, cost: Decimal) -> dict[str, float | None]:
    """marketing_profit and poas as the API shows them, restated from summed profit and cost (money in
    cents: marketing_profit is the difference of the cents shown)."""
    def rounded(value: Decimal, places: int) -> float:  # half away from zero, as PostgreSQL's round()
        return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))

    return {"marketing_profit": rounded(Decimal(repr(rounded(profit, 2))) - Decimal(repr(rounded(cost, 2))), 2),
            "poas": None if cost == 0 else rounded(profit / cost, 4)}


def cost(db, store: str, channel: str, start: dt.date, end: dt.date) -> Decimal:
    return db.scalar(
        """
        select coalesce(sum(cost), 0) from marts.fct_unified_metrics
        where store_id = %s and channel = %s and period = 'daily' and source = 'all'
          and period_start between %s and %s
        """,
        (store, channel, start, end),
    )


def benchmark_values(db, store: str, channel: str, start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
    row = db.query(
        """
        select sum(conversions) / nullif(sum(sessions), 0) * 100,
               sum(revenue) / nullif(sum(cost), 0),
               sum(cost) / nullif(sum(conversions), 0),
               sum(cost) / nullif(sum(clicks), 0),
               sum(engagements) * 100.0 / nullif(sum(impressions), 0),
               sum(bounce_rate * sessions) / nullif(sum(sessions), 0),
               (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) * 100
        from marts.fct_unified_metrics
        where store_id = %s and channel = %s and period = 'daily' and source = 'all'
          and period_start between %s and %s
        """,
        (store, channel, start, end),
    )[0]
    names = ("conversion_rate", "roas", "cpa", "cpc", "engagement_rate", "bounce_rate", "roi")
    return dict(zip(names, row))


PLACES = {"conversion_rate": 2, "roas": 4, "cpa": 2, "cpc": 2, "engagement_rate": 2, "bounce_rate": 2, "roi": 2}


def benchmark_ranges(db, channel: str, industry: str) -> dict[str, dict[str, Any]]:
    rows = db.query(
        """
        select distinct on (metric) metric, industry, poor, average, good, excellent, direction, unit
        from marts.dim_benchmarks
        where channel = %s and industry in (%s, 'general')
        order by metric, (industry = %s) desc
        """,
        (channel, industry, industry),
    )
    keys = ("industry", "poor", "average", "good", "excellent", "direction", "unit")
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def rating(value: Decimal | None, band: dict[str, Any]) -> str:
    """The contract's rule, restated."""
    if value is None:
        return "insufficient_data"
    for level in ("excellent", "good", "average"):
        if band["direction"] == "higher_is_better" and value >= band[level]:
            return level
        if band["direction"] == "lower_is_better" and value <= band[level]:
            return level
    return "poor"
