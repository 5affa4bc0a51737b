"""The marketing plan of one store: what was spent where and when, and the true response.

The plan covers the store's whole simulated *world*: from the first day of history to
`reserve_days` after the end date (the "anchor"), so that an append can later deliver the
true continuation of the same budgets, seasonality, campaigns and customers. What a load
shows of it is decided later (deliveries.py): the plan itself never depends on a cutoff.
The store's figures describe its history, the days up to the anchor: average daily orders,
spend targets, ROAS and curve positions, growth, campaign timing and creator fees are
calibrated on them, and the reserve continues the same processes (growth keeps growing).
Things a user reads as "current" (the monthly budgets of marketing_channels, a paused
programme) are taken at the anchor.

Everything here is small (days x sources) and computed eagerly by `generate()`: budgets,
ad campaigns and their daily spend, social posts and boosts, blog articles and writing
costs, influencer campaigns / outreach / contracts / deliveries, email sends, the cost
ledger, and for every paid channel the daily *driver* spend series and its true
`ResponseCurve` (calibrated so that each channel's average spend sits at a chosen point of
its curve with a chosen ROAS). The heavy part (orders, sessions) lives in journeys.py. Each
channel's plan is its own module (channels/*.py), called in a fixed order on one shared random
stream (planning.py); this module puts them together and calibrates the true curves.

The true response model (what `SampleData.truth` holds and the orders are drawn from):

    revenue[d] = curve.daily_revenue(driver)[d]      (Hill on geometric adstock, optimizer/response.py)
    orders driven by channel c on day d ~ Poisson(revenue[d] / (AOV * NET_REVENUE_FACTOR))

and the *driver* of a channel is its cost exactly as the warehouse books it (platform spend +
positive ledger rows, on their `spend_date`), so the cost series the optimizer reads is the
series the truth responds to:

* ads      platform spend per campaign and day (reported daily);
* social   boost spend per post and day (always-on boosting: half of the posts, 5-12 days
           each, so nearly every day has some) + the scheduling tool on its billing day;
* email    usage-based billing: every newsletter send is billed on its send day (contacts x
           price per email; sends go to a 15-100 % segment of the growing list, twice a week);
* influencer  a creator is paid per delivered post on the post date (the contract fee split
           over its deliveries; missed deliveries and cancelled contracts are not paid);
* seo      article writing fees on the publication day (a content calendar: the month's
           articles go out at a steady rhythm) + the SEO tool on its billing day.

Carry-over (the curve's geometric adstock) is how an effect outlives its payment day: highest
for SEO (0.55-0.7: an article keeps earning after it is published) and influencer posts
(0.45-0.65), lowest for ads (stores.CARRYOVER_RANGE). The plausibility range of the truth curves
(pytests/test_sample_data.py) caps it at 0.7, so an article's effect fades over ~2 weeks
rather than months. Refunds and credits (negative ledger rows) are accounting corrections, not
activity: they are not part of the driver. A 90-day burn-in at the opening spend level (mean
of the first 60 days) precedes day 0.

Spend varies the way budgets do, so that saturation can be seen in a quarter of data: every
channel's monthly budget is re-set each month (log-AR(1) with sd BUDGET_SIGMA, persistence
BUDGET_PHI: a typical month differs from the previous one by 20-40 %), on top of seasonality,
growth, ad bursts (Black Friday, summer sales), post boosts, article output and the influencer
campaign calendar.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from insight_service.optimizer.response import ResponseCurve, adstock

from .channels.ads import plan_ads
from .channels.email import plan_email
from .channels.influencer import plan_influencer
from .channels.seo import plan_seo
from .channels.social import plan_social
from .clock import LocalClock
from .planning import NET_REVENUE_FACTOR, ChannelPlan, PlanContext, black_friday, new_context
from .stores import PAID_CHANNELS, SEASON, StoreSpec

BURN_IN_DAYS = 90
# non-converting sessions per order, split over channels (converting journeys add ~2.2)
NONCONV_PER_ORDER = 4.0
NONCONV_SHARE = dict(seo=0.26, ads=0.2, social=0.18, direct=0.14, influencer=0.06, referral=0.08, email=0.08)
# the channels' planning order: each draws from the store's random stream in turn
CHANNEL_PLANNERS = (("ads", plan_ads), ("social", plan_social), ("seo", plan_seo), ("email", plan_email),
                    ("influencer", plan_influencer))


@dataclass
class StorePlan:
    spec: StoreSpec
    index: int
    scale: float
    start: dt.date
    end: dt.date  # the world's last day (anchor + reserve)
    n_days: int
    start_day: int  # epoch day of `start`
    clock: LocalClock
    dow: np.ndarray
    moy: np.ndarray  # month of year 1..12 per day
    month_idx: np.ndarray
    month_starts: list
    days_in_month: np.ndarray  # per day: length of its calendar month
    anchor_idx: int  # day index of the end date the world was generated around
    baseline_lambda: np.ndarray
    channel_lambda: dict
    channel_revenue: dict
    drivers: dict
    curves: dict
    sources: dict
    activity: dict
    nonconv_mean: dict
    tables: dict  # table -> dict of column arrays (finished later for platform metrics)
    ledger: dict
    budgets: dict  # channel -> current monthly budget (store currency)
    totals: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.spec.code

    def day_epoch(self, day_index) -> np.ndarray:
        return self.start_day + np.asarray(day_index, dtype=np.int64)

    def totals_until(self, last_idx: int) -> dict:
        """Per paid channel: driver spend, true revenue and expected orders over days [0, last_idx]."""
        k = last_idx + 1
        booked = self.ledger["day"] <= last_idx
        out = {c: {"driver_spend": round(float(self.drivers[c][:k].sum()), 2),
                   "true_revenue": round(float(self.channel_revenue[c][:k].sum()), 2),
                   "expected_orders": round(float(self.channel_lambda[c][:k].sum()), 1),
                   "ledger_cost": round(float(self.ledger["amount"][booked & (self.ledger["channel"] == c)].sum()
                                              / 100), 2)}
               for c in PAID_CHANNELS}
        for c in ("ads", "social"):
            t = self.tables["ad_campaign_daily" if c == "ads" else "social_posts_daily"]
            out[c]["platform_cost"] = round(float(t["spend"][t["day"] <= last_idx].sum() / 100), 2)
        out["baseline"] = {"expected_orders": round(float(self.baseline_lambda[:k].sum()), 1)}
        return out


def _demand_shape(ctx: PlanContext) -> np.ndarray:
    """Relative demand per day (season, weekday, growth, Black Friday week), mean 1 over the history."""
    n, start = ctx.n, ctx.start
    growth = 1 + float(ctx.rng.uniform(0.3, 0.6)) * ctx.t_frac
    bf_boost = np.ones(n)
    for y in sorted({d.year for d in ctx.month_starts}):
        bf = black_friday(y)
        for k, f in ((-1, 1.3), (0, 2.1), (1, 1.7), (2, 1.4), (3, 1.9)):  # ... Cyber Monday
            i = (bf + dt.timedelta(days=k) - start).days
            if 0 <= i < n:
                bf_boost[i] = f
    weekly = np.array(ctx.spec.weekly)[ctx.dow]
    demand_shape = SEASON[ctx.moy - 1] * weekly * growth * bf_boost
    demand_shape /= demand_shape[:ctx.hist].mean()
    return demand_shape


def _true_curve(ctx: PlanContext, c: str, driver: np.ndarray) -> tuple[ResponseCurve, np.ndarray]:
    """The channel's curve, calibrated so that its mean adstocked spend sits at its position on
    the curve and earns its revenue target; and the driver series it responds to, after a
    burn-in at the opening spend level."""
    n, hist = ctx.n, ctx.hist
    drv = np.maximum(driver, 0.0)
    opening = drv[: min(60, n)].mean() if c != "influencer" else drv[:hist].mean()
    series = np.concatenate([np.full(BURN_IN_DAYS, opening), drv])
    a = adstock(series, ctx.carry[c])
    # calibrated on the history; on the whole world when the history has no spend at all (a
    # short history before a channel's first payment), lest a zero-spend calibration make
    # the first payment in the reserve worth millions
    days = slice(BURN_IN_DAYS, BURN_IN_DAYS + hist) if drv[:hist].sum() > 0 else slice(BURN_IN_DAYS, None)
    mean_a = a[days].mean()
    half = max(mean_a / ctx.position[c], 1e-6)
    shape = ctx.shape[c]
    unit = a ** shape / (a ** shape + half ** shape)
    beta = ctx.rev_target[c] * len(a[days]) / max(unit[days].sum(), 1e-9)
    curve = ResponseCurve(channel=c, beta=float(beta), half_saturation=float(half), shape=float(shape),
                          carryover=float(ctx.carry[c]))
    return curve, series


def _true_response(ctx: PlanContext, drivers: dict):
    """Per paid channel: true curve, daily revenue on its driver and expected orders."""
    curves, channel_revenue, channel_lambda = {}, {}, {}
    spec, D = ctx.spec, ctx.daily_orders
    for c in PAID_CHANNELS:
        curves[c], series = _true_curve(ctx, c, drivers[c])
        rev = curves[c].daily_revenue(series)[BURN_IN_DAYS:]
        channel_revenue[c] = rev
        channel_lambda[c] = rev / (spec.aov * NET_REVENUE_FACTOR)
        if channel_lambda[c].max() > 1000 * max(D, 1.0):  # never let a calibration flaw allocate gigabytes
            raise ValueError(f"{spec.store_id}/{c}: implausible true curve (up to {channel_lambda[c].max():.3g} "
                             f"orders a day)")
    return curves, channel_revenue, channel_lambda


def _ledger(rows: list) -> dict:
    """The cost ledger as column arrays, by (day, channel, source type, source id)."""
    rows = sorted(rows, key=lambda r: (r[3], r[0], r[1], str(r[2])))
    return dict(
        channel=np.array([r[0] for r in rows], dtype=object),
        source_type=np.array([r[1] for r in rows], dtype=object),
        source_id=np.array([r[2] for r in rows], dtype=object),
        day=np.array([r[3] for r in rows], dtype=np.int64),
        amount=np.array([r[4] for r in rows], dtype=np.int64),
        description=np.array([r[5] for r in rows], dtype=object),
    )


def _world_totals(plan: StorePlan, channels: dict[str, ChannelPlan]) -> dict:
    """Per paid channel over the whole world: touches.py mixes paid channels into journeys by these weights."""
    ledger = plan.ledger
    totals = {
        c: {"driver_spend": round(float(plan.drivers[c].sum()), 2),
            "true_revenue": round(float(plan.channel_revenue[c].sum()), 2),
            "expected_orders": round(float(plan.channel_lambda[c].sum()), 1),
            "ledger_cost": round(float(ledger["amount"][ledger["channel"] == c].sum() / 100), 2)}
        for c in PAID_CHANNELS
    }
    for c in ("ads", "social"):
        totals[c]["platform_cost"] = channels[c].platform_cost
    totals["baseline"] = {"expected_orders": round(float(plan.baseline_lambda.sum()), 1)}
    return totals


def build_plan(spec: StoreSpec, index: int, seed: int, scale: float, start: dt.date, anchor: dt.date,
               world_end: dt.date, pool: dict) -> StorePlan:
    """The store's plan over the world [start, world_end]; `anchor` is the generated end date."""
    ctx = new_context(spec, index, seed, scale, start, anchor, world_end, pool)
    demand_shape = _demand_shape(ctx)
    baseline_lambda = ctx.daily_orders * (1 - spec.channel_share) * demand_shape
    channels = {c: planner(ctx) for c, planner in CHANNEL_PLANNERS}
    tables: dict = {}
    for ch in channels.values():
        tables.update(ch.tables)
    drivers = {c: ch.driver for c, ch in channels.items()}
    budgets = {c: ch.budget for c, ch in channels.items()}
    curves, channel_revenue, channel_lambda = _true_response(ctx, drivers)
    # free channels' activity follows demand
    activity = {**{c: ch.activity for c, ch in channels.items()},
                "direct": demand_shape.copy(), "referral": demand_shape.copy()}
    if spec.paused_channel:
        budgets[spec.paused_channel] = budgets[spec.paused_channel] or float(
            ctx.spend_target[spec.paused_channel] * 30.4)
    plan = StorePlan(
        spec=spec, index=index, scale=scale, start=start, end=world_end, n_days=ctx.n, start_day=ctx.start_day,
        clock=ctx.clock, dow=ctx.dow, moy=ctx.moy, month_idx=ctx.month_idx, month_starts=ctx.month_starts,
        days_in_month=ctx.days_in_month, anchor_idx=ctx.anchor_idx, baseline_lambda=baseline_lambda,
        channel_lambda=channel_lambda, channel_revenue=channel_revenue, drivers=drivers, curves=curves,
        sources={c: ch.sources for c, ch in channels.items()}, activity=activity,
        nonconv_mean={c: NONCONV_PER_ORDER * ctx.daily_orders * s for c, s in NONCONV_SHARE.items()},
        tables=tables, ledger=_ledger(ctx.ledger_rows), budgets=budgets,
    )
    plan.totals = _world_totals(plan, channels)
    return plan
