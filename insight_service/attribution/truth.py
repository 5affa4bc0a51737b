"""Score the attribution models against what really drove the orders (the sample generator's truth).

Shared by bench/attribution_truth.py and pytests/test_attribution_truth.py, so both measure the
same thing. The truth (sample_data/order_truth.py) names one driver per order: a marketing
channel (seo, influencer, social, ads, email) or `baseline` demand that no channel caused.

**Buckets.** An attributed channel counts in its own bucket when it is a marketing channel;
`direct`, `referral` and `unattributed` (an order with no touch) count as `baseline`: they are
what a model says when it names no marketing channel, and the generator's baseline demand is
exactly that traffic (direct and referral visits, or none tracked). So a model is right about a
baseline order when it credits direct, referral or nothing.

**Accuracy** of a model for a store, on orders or on revenue:

    accuracy = 1 - 1/2 * sum_b |attributed_b - true_b| / sum_b true_b

over the buckets b; true_b sums the orders (or their revenue) truly driven by b. Since credits
reconcile (every order is credited exactly once), both sides have the same total and this is
1 minus the total variation distance between the two splits: the share of orders (revenue) that
lands in the right bucket once over- and under-credits are netted per bucket. It is an
aggregate figure (what a channel report shows), so errors of opposite sign cancel; the
order-level `credit_on_truth` (the mean share of an order's credit on its true bucket) does not
net anything and is printed beside it for the rule-based models.

Attributed figures come from the API's own code path (`api.attribution.service.attribution` over each store's
whole history, `data_driven` included), i.e. what `GET /attribution?model=all` shows; the truth
is joined to `marts.fct_order_attribution` (the converting orders), so both sides cover the same
orders: cancelled, pending, quarantined and not-yet-loaded orders are in neither.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from psycopg import sql

from ..sample_data.order_truth import BASELINE, StoreOrderTruth
from ..sample_data.stores import PAID_CHANNELS

MARKETING_CHANNELS = PAID_CHANNELS
BUCKETS = MARKETING_CHANNELS + (BASELINE,)
TRUTH_TABLE = "attribution_truth"  # a temporary table of the scoring connection


def bucket(channel: str) -> str:
    """The truth bucket an attributed channel counts in (see the module docstring)."""
    return channel if channel in MARKETING_CHANNELS else BASELINE


def to_buckets(by_channel: Mapping[str, float]) -> dict[str, float]:
    out = dict.fromkeys(BUCKETS, 0.0)
    for channel, value in by_channel.items():
        out[bucket(channel)] += float(value or 0.0)
    return out


def accuracy(attributed: Mapping[str, float], true: Mapping[str, float]) -> float:
    """1 - 1/2 sum_b |attributed_b - true_b| / sum_b true_b (buckets missing on one side count 0)."""
    total = sum(true.values())
    if total <= 0:
        raise ValueError("accuracy needs a positive true total")
    keys = set(attributed) | set(true)
    return 1.0 - 0.5 * sum(abs(attributed.get(k, 0.0) - true.get(k, 0.0)) for k in keys) / total


@dataclass
class Score:
    """One model on one store: orders and revenue per bucket, attributed and true."""

    store: str
    model: str
    attributed_orders: dict[str, float]
    attributed_revenue: dict[str, float]
    true_orders: dict[str, float]
    true_revenue: dict[str, float]
    credit_on_truth: float | None = None  # rule models only: no per-order credits for data_driven

    @property
    def order_accuracy(self) -> float:
        return accuracy(self.attributed_orders, self.true_orders)

    @property
    def revenue_accuracy(self) -> float:
        return accuracy(self.attributed_revenue, self.true_revenue)


@dataclass
class Visibility:
    """What the warehouse's journeys (linear credits: every credited touch) can show, per store."""

    driven_orders: int = 0
    driven_with_driver_touch: int = 0  # the journey holds a touch of the true channel
    driven_generated_with_driver: int = 0  # the generator gave the journey a touch of it
    baseline_orders: int = 0
    baseline_with_marketing_touch: int = 0  # a marketing channel is credited for baseline demand


@dataclass
class Scoring:
    scores: list[Score]
    visibility: dict[str, Visibility] = field(default_factory=dict)
    converting_orders: int = 0


def load_truth(conn, stores: Iterable[StoreOrderTruth]) -> int:
    """(Re)fill the temporary truth table of this connection; returns the orders copied."""
    conn.execute(sql.SQL("create temporary table if not exists {} (store_id text, order_id text, driver text, "
                         "driver_sessions integer, primary key (store_id, order_id))").format(
        sql.Identifier(TRUTH_TABLE)))
    conn.execute(sql.SQL("truncate {}").format(sql.Identifier(TRUTH_TABLE)))
    n = 0
    with conn.cursor() as cur, cur.copy(sql.SQL("copy {} from stdin").format(sql.Identifier(TRUTH_TABLE))) as cp:
        for store in stores:
            for store_id, order_id, _, driver, _, driver_sessions in store.rows():
                cp.write_row((store_id, order_id, driver, driver_sessions))
                n += 1
    conn.execute(sql.SQL("analyze {}").format(sql.Identifier(TRUTH_TABLE)))
    return n


def true_totals(conn, marts: str = "marts") -> dict[str, dict[str, tuple[int, float]]]:
    """store -> bucket -> (orders, revenue) of the converting orders, by their true driver.
    Raises when the marts hold converting orders the truth does not know (another sample)."""
    rows = conn.execute(sql.SQL(
        "select o.store_id, t.driver, count(*), coalesce(sum(o.revenue), 0)::float8 "
        "from {}.fct_order_attribution o left join {} t using (store_id, order_id) group by 1, 2").format(
        sql.Identifier(marts), sql.Identifier(TRUTH_TABLE))).fetchall()
    unknown = sum(n for _, driver, n, _ in rows if driver is None)
    if unknown:
        raise ValueError(f"{unknown} converting orders of the marts have no truth: is the sample loaded the one "
                         f"the truth was generated for?")
    out: dict[str, dict[str, tuple[int, float]]] = {}
    for store, driver, n, revenue in rows:
        out.setdefault(store, {b: (0, 0.0) for b in BUCKETS})[driver] = (int(n), float(revenue))
    return out


def store_windows(conn, marts: str = "marts") -> dict[str, tuple[dt.date, dt.date]]:
    rows = conn.execute(sql.SQL("select store_id, min(converted_date), max(converted_date) "
                                "from {}.fct_order_attribution group by 1").format(sql.Identifier(marts))).fetchall()
    return {store: (first, last) for store, first, last in rows}


def credit_on_truth(conn, marts: str = "marts") -> dict[tuple[str, str], float]:
    """(store, rule model) -> mean share of an order's credit that lands on its true bucket."""
    rows = conn.execute(sql.SQL(
        "select c.store_id, c.model, "
        "coalesce(sum(c.credit_fraction) filter (where case when c.channel = any(%s) then c.channel "
        "else %s end = t.driver), 0)::float8, sum(c.credit_fraction)::float8 "
        "from {}.fct_attribution_credits c join {} t using (store_id, order_id) group by 1, 2").format(
        sql.Identifier(marts), sql.Identifier(TRUTH_TABLE)), (list(MARKETING_CHANNELS), BASELINE)).fetchall()
    return {(store, model): on_truth / total for store, model, on_truth, total in rows if total}


def visibility(conn, marts: str = "marts") -> dict[str, Visibility]:
    """Per store: how many driven orders' journeys show their channel, how many baseline orders'
    journeys hold a marketing touch (the limits of any model that credits journey touches)."""
    rows = conn.execute(sql.SQL(
        "with per_order as (select c.store_id, c.order_id, min(t.driver) as driver, "
        "min(t.driver_sessions) as generated, bool_or(c.channel = t.driver) as shows_driver, "
        "bool_or(c.channel = any(%s)) as shows_marketing "
        "from {}.fct_attribution_credits c join {} t using (store_id, order_id) "
        "where c.model = 'linear' group by 1, 2) "
        "select store_id, driver = %s, count(*), count(*) filter (where shows_driver), "
        "count(*) filter (where generated > 0), count(*) filter (where shows_marketing) "
        "from per_order group by 1, 2").format(sql.Identifier(marts), sql.Identifier(TRUTH_TABLE)),
        (list(MARKETING_CHANNELS), BASELINE)).fetchall()
    out: dict[str, Visibility] = {}
    for store, is_baseline, n, shows_driver, generated, shows_marketing in rows:
        v = out.setdefault(store, Visibility())
        if is_baseline:
            v.baseline_orders, v.baseline_with_marketing_touch = n, shows_marketing
        else:
            v.driven_orders, v.driven_with_driver_touch, v.driven_generated_with_driver = n, shows_driver, generated
    return out


def attributed(wh, store: str, first: dt.date, last: dt.date) -> dict[str, tuple[dict[str, float], dict[str, float]]]:
    """model -> (orders, revenue) per bucket over the window, as GET /attribution?model=all computes them."""
    from insight_service.api.attribution.service import attribution, markov_shares
    from insight_service.core.periods import Window
    from insight_service.core.vocabulary import MODELS
    from insight_service.core.warehouse import FALLBACK_ATTRIBUTION_MODEL

    window = Window(first, last)
    payloads = attribution(wh, store, window, list(MODELS), FALLBACK_ATTRIBUTION_MODEL,
                           markov=lambda: markov_shares(wh, store, window))
    out = {}
    for model, p in payloads.items():
        orders = {**p["conversions"], "unattributed": p["unattributed_conversions"]}
        revenue = {**p["attribution"], "unattributed": p["unattributed_revenue"]}
        out[model] = (to_buckets(orders), to_buckets(revenue))
    return out


def score(conn, wh, stores: Iterable[StoreOrderTruth], marts: str = "marts") -> Scoring:
    """Every model on every store of the built sample. `conn`: a psycopg connection (for the
    truth's temporary table); `wh`: a core.warehouse.Warehouse on the same database."""
    load_truth(conn, stores)
    truth = true_totals(conn, marts)
    credits = credit_on_truth(conn, marts)
    scores = []
    for store, (first, last) in sorted(store_windows(conn, marts).items()):
        t_orders = {b: float(n) for b, (n, _) in truth[store].items()}
        t_revenue = {b: r for b, (_, r) in truth[store].items()}
        for model, (a_orders, a_revenue) in attributed(wh, store, first, last).items():
            scores.append(Score(store, model, a_orders, a_revenue, t_orders, t_revenue, credits.get((store, model))))
    converting = sum(n for by_bucket in truth.values() for n, _ in by_bucket.values())
    return Scoring(scores, visibility(conn, marts), converting)


@dataclass
class ModelSummary:
    model: str
    order_accuracy: float  # mean over stores
    order_accuracy_min: float
    revenue_accuracy: float  # mean over stores (revenue is per-store currency: never summed across stores)
    revenue_accuracy_min: float
    credit_on_truth: float | None  # mean over stores
    worst_store: str  # lowest revenue accuracy


def summarise(scores: Iterable[Score]) -> list[ModelSummary]:
    """Per model, in the order first seen: accuracies averaged over the stores (each store counts once)."""
    by_model: dict[str, list[Score]] = {}
    for s in scores:
        by_model.setdefault(s.model, []).append(s)
    out = []
    for model, group in by_model.items():
        orders = [s.order_accuracy for s in group]
        revenue = [s.revenue_accuracy for s in group]
        credit = [s.credit_on_truth for s in group if s.credit_on_truth is not None]
        worst = min(group, key=lambda s: s.revenue_accuracy)
        out.append(ModelSummary(model, sum(orders) / len(orders), min(orders), sum(revenue) / len(revenue),
                                min(revenue), sum(credit) / len(credit) if credit else None, worst.store))
    return out
