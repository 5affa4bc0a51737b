"""What every channel's planning shares: the store's calendar, its channel economics and its random stream.

`build_plan` (plan.py) creates one `PlanContext` per store; each channel module
(channels/*.py) reads it, draws from its random stream in turn, appends its cost rows to the
ledger and returns a `ChannelPlan`. The draw order is the order plan.py calls the channels in:
changing it changes every generated row.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .clock import LocalClock, epoch_day
from .stores import BUDGET_SEASON, CARRYOVER_RANGE, PAID_CHANNELS, SHAPE_RANGE, StoreSpec

# expected net revenue (subtotal - discount - refund) of a created order, per unit of AOV:
# promo on 30% of orders at ~14% off, refunds ~3.7% of net, ~3% cancelled/pending.
NET_REVENUE_FACTOR = (1 - 0.30 * 0.14) * (1 - 0.037) * 0.97
# monthly budget multipliers: AR(1) on the log scale, sd BUDGET_SIGMA, weak persistence BUDGET_PHI
# (budgets are re-set every month: a typical month differs from the previous one by 20-40 %)
BUDGET_PHI = 0.3
BUDGET_SIGMA = dict(ads=0.3, social=0.3, seo=0.3, email=0.25)
NEVER = 10**6  # day index of something that does not happen in the world


def cents(x, decimals: int = 2) -> np.ndarray:
    """Money to int64 hundredths; whole units for currencies without minor unit."""
    x = np.asarray(x, dtype=float)
    if decimals == 0:
        return (np.round(x) * 100).astype(np.int64)
    return np.round(x * 100).astype(np.int64)


@dataclass
class Sources:
    """Things a touch of one channel can come from (articles, posts, campaigns, deliveries, sends)."""
    W: np.ndarray  # (n_days, n_sources) relative weight of each source on each local day
    start_utc: np.ndarray  # (n_sources,) no touch before this instant
    ids: np.ndarray  # (n_sources,) object: the id used in utm / landing path
    meta: dict = field(default_factory=dict)


@dataclass
class ChannelPlan:
    """One paid channel's plan: its cost as the warehouse books it and where its touches come from."""
    driver: np.ndarray  # (n_days,) booked cost per day: what the true curve responds to
    sources: Sources
    activity: np.ndarray  # (n_days,) relative volume of the channel's non-converting visits
    budget: float  # the current monthly budget (store currency)
    tables: dict = field(default_factory=dict)  # table -> dict of column arrays
    platform_cost: float | None = None  # spend the ad platform reports over the world (ads, social)


def black_friday(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    first_fri = nov1 + dt.timedelta(days=(4 - nov1.weekday()) % 7)
    return first_fri + dt.timedelta(days=21)


def _month_table(start: dt.date, n_days: int):
    days = [start + dt.timedelta(days=i) for i in range(n_days)]
    keys = [(d.year, d.month) for d in days]
    uniq = sorted(set(keys))
    pos = {k: i for i, k in enumerate(uniq)}
    month_idx = np.array([pos[k] for k in keys], dtype=np.int64)
    moy = np.array([d.month for d in days], dtype=np.int64)
    dow = np.array([d.weekday() for d in days], dtype=np.int64)
    dim = np.array([calendar.monthrange(d.year, d.month)[1] for d in days], dtype=np.int64)
    month_starts = [dt.date(y, m, 1) for y, m in uniq]
    return dow, moy, month_idx, month_starts, dim


def _ar1(rng, n, sigma, phi=0.6):
    z = np.zeros(n)
    for i in range(n):
        z[i] = (phi * z[i - 1] if i else 0.0) + rng.normal(0, sigma)
    return np.exp(z)


def _day_weighted_normalise(per_month, month_idx, hist: int):
    """Monthly multipliers scaled to average 1 over the history's days."""
    per_day = per_month[month_idx[:hist]]
    return per_month / per_day.mean()


@dataclass
class PlanContext:
    """A store's calendar over the world, its channel economics and the planning random stream."""
    spec: StoreSpec
    index: int
    scale: float
    rng: np.random.Generator
    pool: dict  # the creators every store can hire (channels/influencer.py)
    start: dt.date
    n: int  # days of the world
    start_day: int  # epoch day of `start`
    anchor_idx: int  # day index of the end date the world was generated around
    clock: LocalClock
    dow: np.ndarray
    moy: np.ndarray
    month_idx: np.ndarray
    month_starts: list
    days_in_month: np.ndarray
    daily_orders: float  # average orders a day over the history, at this scale
    rev_target: dict  # channel -> average daily revenue it drives over the history
    spend_target: dict  # channel -> average daily cost over the history
    carry: dict  # channel -> true carry-over
    shape: dict  # channel -> true Hill exponent
    position: dict  # channel -> mean adstock / half saturation
    ledger_rows: list = field(default_factory=list)  # (channel, source_type, source_id, day, cents, description)

    @property
    def end_idx(self) -> int:
        return self.n - 1

    @property
    def hist(self) -> int:
        """Days of history: what the store's figures are calibrated on."""
        return self.anchor_idx + 1

    @property
    def n_months(self) -> int:
        return len(self.month_starts)

    @property
    def anchor_month(self) -> int:
        return int(self.month_idx[self.anchor_idx])

    @property
    def t_frac(self) -> np.ndarray:
        """0 .. 1 over the history, on beyond it."""
        return np.arange(self.n) / max(self.hist - 1, 1)

    def money(self, x) -> np.ndarray:
        return cents(x, self.spec.decimals)

    def round_price(self, x_usd_like) -> float:
        """A human price in store currency (whole units; tens for JPY)."""
        v = float(x_usd_like)
        if self.spec.decimals == 0:
            return float(max(10, round(v / 10) * 10))
        return float(max(1, round(v)))

    def recent_mean(self, per_month) -> float:
        """Mean of the three months up to the anchor's: what "current" budgets are set from."""
        return float(per_month[max(self.anchor_month - 2, 0):self.anchor_month + 1].mean())

    def budget_mult(self, sigma, seasonal=True, growth_rate=0.3) -> np.ndarray:
        """Monthly budget multipliers, averaging 1 over the history's days."""
        # budgets are re-set every month (promotions, cash flow, tests): weakly persistent changes
        hist_months = self.anchor_month + 1
        m = _ar1(self.rng, self.n_months, sigma, BUDGET_PHI) * (
            1 + growth_rate * np.arange(self.n_months) / max(hist_months - 1, 1))
        if seasonal:
            m = m * BUDGET_SEASON[np.array([d.month for d in self.month_starts]) - 1]
        return _day_weighted_normalise(m, self.month_idx, self.hist)


def new_context(spec: StoreSpec, index: int, seed: int, scale: float, start: dt.date, anchor: dt.date,
                world_end: dt.date, pool: dict) -> PlanContext:
    """The store's calendar and channel economics; draws the true carry-overs, shapes and positions."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, index, 1])))
    n = (world_end - start).days + 1
    start_day = epoch_day(start)
    dow, moy, month_idx, month_starts, dim = _month_table(start, n)
    daily_orders = spec.daily_orders * scale
    r_avg = daily_orders * spec.aov * NET_REVENUE_FACTOR
    shares = {c: spec.share[c] for c in PAID_CHANNELS}
    tot = sum(shares.values())
    rev_target = {c: spec.channel_share * r_avg * shares[c] / tot for c in PAID_CHANNELS}
    spend_target = {c: rev_target[c] / spec.roas[c] for c in PAID_CHANNELS}
    carry = {c: float(rng.uniform(*CARRYOVER_RANGE[c])) for c in PAID_CHANNELS}
    shape = {c: float(rng.uniform(*SHAPE_RANGE[c])) for c in PAID_CHANNELS}
    position = {c: spec.position[c] * float(rng.uniform(0.88, 1.12)) for c in PAID_CHANNELS}
    return PlanContext(spec=spec, index=index, scale=scale, rng=rng, pool=pool, start=start, n=n,
                       start_day=start_day, anchor_idx=(anchor - start).days,
                       clock=LocalClock(spec.timezone, start_day, n), dow=dow, moy=moy, month_idx=month_idx,
                       month_starts=month_starts, days_in_month=dim, daily_orders=daily_orders,
                       rev_target=rev_target, spend_target=spend_target, carry=carry, shape=shape,
                       position=position)
