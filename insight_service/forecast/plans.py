"""Known-future influencer plans: the signed and pending creator contracts, as a daily regressor.

A contract is known from the day its creator accepted the outreach (``replied_at`` of the accepted
outreach, store-local), weeks before any of its posts (16-60 days on the sample): it says the fee
(paid per delivered post) and the term (start..end). A delivery's post day is not known until it is
posted (``post_date`` is null while planned), so the regressor is each contract's expected fee per
day, spread evenly over the days a post can fall on (start + 2 .. end, as the creators post). Only
contracts accepted before an origin are used for a forecast made at that origin (the backtest's
origins included): no actuals leak in. A cancelled contract counts as planned too: when it was
cancelled is not recorded, and at an origin before that it looked like any other.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

POST_DELAY_DAYS = 2   # a creator posts from the third day of the term on


@dataclasses.dataclass(frozen=True)
class ContractPlan:
    """Contracts as day indices relative to a series' first day (index 0)."""

    known: np.ndarray      # first day the contract is known (the acceptance day; the start day if unknown)
    first: np.ndarray      # first day a post can fall on
    last: np.ndarray       # last day of the term
    fee: np.ndarray        # the contract's fee (store currency)

    def intensity(self, known_before: int, days: int) -> np.ndarray:
        """Expected creator fees per day on days 0..days-1, from the contracts known before day ``known_before``."""
        out = np.zeros(days)
        keep = (self.known < known_before) & (self.last >= 0) & (self.first < days)
        for a, b, fee in zip(self.first[keep], self.last[keep], self.fee[keep]):
            per_day = fee / (b - a + 1)
            out[max(int(a), 0):min(int(b), days - 1) + 1] += per_day
        return out


def _staging_schema(marts_schema: str) -> str:
    # dbt writes the layers side by side: marts -> staging, <prefix>_marts -> <prefix>_staging (macros)
    return marts_schema[:-len("marts")] + "staging" if marts_schema.endswith("marts") else "staging"


def read_contracts(conn: psycopg.Connection, store_id: str, first_day: dt.date,
                   marts_schema: str = "marts") -> ContractPlan | None:
    """The store's influencer contracts relative to ``first_day``; None when it has none (or the staging
    tables are not there: the forecast then runs without the regressor)."""
    staging = _staging_schema(marts_schema)
    query = sql.SQL(
        "select c.start_date, c.end_date, c.fee::float8, "
        "  (select min((o.replied_at at time zone s.timezone)::date) from {outreach} o "
        "   where o.campaign_id = c.campaign_id and o.influencer_id = c.influencer_id "
        "     and o.status = 'accepted') as accepted "
        "from {contracts} c inner join {stores} s on s.store_id = c.store_id "
        "where c.store_id = %s and c.start_date is not null and c.end_date is not null and c.fee > 0"
    ).format(outreach=sql.Identifier(staging, "stg_influencer__outreach"),
             contracts=sql.Identifier(staging, "stg_influencer__contracts"),
             stores=sql.Identifier(marts_schema, "dim_stores"))
    try:
        with conn.transaction():
            rows = conn.execute(query, (store_id,)).fetchall()
    except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName, pg_errors.UndefinedColumn):
        return None
    if not rows:
        return None

    def day(d: dt.date) -> int:
        return (d - first_day).days

    starts = np.array([day(r[0]) for r in rows])
    ends = np.array([day(r[1]) for r in rows])
    known = np.array([day(r[3]) if r[3] is not None else day(r[0]) for r in rows])
    first = np.minimum(starts + POST_DELAY_DAYS, ends)
    return ContractPlan(known=np.minimum(known, starts), first=first, last=ends,
                        fee=np.array([float(r[2]) for r in rows]))
