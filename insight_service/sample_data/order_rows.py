"""The orders table of one store: amounts (subtotal, promo codes, shipping, tax, COGS) and each
order's status over time (pending, paid, fulfilled, refunded, cancelled) as deliveries."""
from __future__ import annotations

import numpy as np

from .channels.tagging import choice
from .clock import DAY
from .deliveries import Deliveries
from .plan import StorePlan
from .planning import cents
from .stores import PAID_CHANNELS
from .tabular import Frame, str_ids

ORDER_NUMBER_BASE = 100000  # world order i (time order, from 0) is ord-<store code>-<ORDER_NUMBER_BASE + 1 + i>


def _subtotals(plan: StorePlan, rng, n: int) -> np.ndarray:
    """Lognormal around the AOV, in whole price units (JPY in tens of yen); prices end in .95/.99/.00 often."""
    spec = plan.spec
    dec = spec.decimals
    unit = 1000 if dec == 0 else 1  # JPY prices in tens of yen (hundredths: 1000)
    sigma = 0.55
    sub = spec.aov * np.exp(rng.normal(-sigma**2 / 2, sigma, n))
    sub_c = np.maximum(np.round(cents(sub, 2) / unit).astype(np.int64) * unit, 100 * (1 if dec else 100))
    if dec == 2:
        sub_c = (sub_c // 100) * 100 + rng.choice(np.array([0, 95, 99, 50]), size=n, p=[0.4, 0.3, 0.2, 0.1])
    return sub_c


def _promo_codes(plan: StorePlan, rng, oday, drv, seq, intro_src):
    """Promo codes and their discount rate: a creator's code on influencer-driven orders, BFCM in
    November, WELCOME10 on first orders, seasonal codes on repeat orders."""
    n = len(oday)
    moy = plan.moy[oday]
    promo = rng.random(n) < np.where(moy == 11, 0.45, 0.27)
    codes = np.full(n, None, dtype=object)
    pct = np.zeros(n)
    first = seq == 0
    r = rng.random(n)
    handles = plan.sources["influencer"].meta.get("handle")
    is_inf = (drv == 1 + PAID_CHANNELS.index("influencer")) & (intro_src >= 0) & promo & (r < 0.6)
    if handles is not None and is_inf.any():
        codes[is_inf] = np.array([h.split(".")[0].upper() + "15" for h in handles[intro_src[is_inf]]], dtype=object)
        pct[is_inf] = 0.15
    rest = promo & ~is_inf
    bf = rest & (moy == 11)
    codes[bf] = "BFCM25"
    pct[bf] = 0.25
    wel = rest & ~bf & first
    codes[wel] = "WELCOME10"
    pct[wel] = 0.10
    vip = rest & ~bf & ~first
    codes[vip] = choice(rng, ["VIP15", "SPRING15", "SUMMER20"], [0.5, 0.3, 0.2], int(vip.sum()))
    pct[vip] = np.where(codes[vip] == "SUMMER20", 0.2, 0.15)
    return codes, pct


def order_frame(plan: StorePlan, rng, T, oday, drv, seq, cust_str, vis_str, intro_src) -> Frame:
    """One row per order as created (paid), with its amounts."""
    spec = plan.spec
    n = len(T)
    unit = 1000 if spec.decimals == 0 else 1
    sub_c = _subtotals(plan, rng, n)
    codes, pct = _promo_codes(plan, rng, oday, drv, seq, intro_src)
    disc_c = np.round(sub_c * pct / unit).astype(np.int64) * unit
    after = sub_c - disc_c
    ship_c = np.where(after >= cents(spec.free_shipping_over, 2), 0, cents(spec.shipping_fee, 2))
    tax_c = np.round(after * spec.tax_rate / unit).astype(np.int64) * unit
    total_c = after + ship_c + tax_c
    cogs = np.round(sub_c * rng.uniform(0.4, 0.6, n) / unit).astype(np.int64) * unit
    cogs_null = rng.random(n) < 0.06
    return Frame("orders", dict(
        order_id=str_ids(f"ord-{spec.code}-", np.arange(1, n + 1) + ORDER_NUMBER_BASE), store_id=spec.store_id,
        customer_id=cust_str, visitor_id=vis_str, created_at=T, status="paid", subtotal=sub_c, discount=disc_c,
        shipping=ship_c, tax=tax_c, total=total_c, refunded_amount=0, cogs=cogs, promo_code=codes,
        _loaded_at=0), masks={"cogs": cogs_null})


def order_deliveries(plan, rng, drng, orders: Frame, T) -> Deliveries:
    """Each order's status over time (see the module docstring); one delivery per day it changes."""
    n = orders.n
    unit = 1000 if plan.spec.decimals == 0 else 1
    after = orders.data["subtotal"] - orders.data["discount"]
    u = rng.random(n)
    refunded, partial = u < 0.03, (u >= 0.03) & (u < 0.05)
    cancelled, stuck = (u >= 0.05) & (u < 0.075), (u >= 0.075) & (u < 0.077)
    ships = ~(cancelled | stuck) & ((rng.random(n) < 0.96) | refunded | partial)  # 4 % stay paid (gift cards...)
    starts_pending = (rng.random(n) < 0.06) | stuck
    amount = np.zeros(n, dtype=np.int64)
    amount[refunded] = after[refunded]
    amount[partial] = np.maximum(np.round(after[partial] * rng.uniform(0.1, 0.6, int(partial.sum())) / unit)
                                 .astype(np.int64) * unit, unit)
    resolved_at = T + drng.integers(720, 36 * 3600, n)
    shipped_at = np.where(starts_pending, resolved_at, T) + drng.integers(12 * 3600, 4 * DAY, n)
    cancelled_at = np.where(starts_pending, resolved_at, T + drng.integers(3600, 72 * 3600, n))
    refunded_at = shipped_at + drng.integers(3 * DAY, 45 * DAY, n)
    idx = np.arange(n)
    resolves = starts_pending & ~stuck & ~cancelled
    events = [  # (orders, instant, status, refunded_amount)
        (idx, T, np.where(starts_pending, "pending", "paid"), 0),
        (idx[resolves], resolved_at[resolves], "paid", 0),
        (idx[cancelled], cancelled_at[cancelled], "cancelled", 0),
        (idx[ships], shipped_at[ships], "fulfilled", 0),
        (idx[refunded], refunded_at[refunded], "refunded", amount[refunded]),
        (idx[partial], refunded_at[partial], "partially_refunded", amount[partial]),
    ]
    row = np.concatenate([e[0] for e in events])
    at = np.concatenate([e[1] for e in events])
    status = np.concatenate([np.broadcast_to(np.asarray(e[2], dtype=object), (len(e[0]),)) for e in events])
    money = np.concatenate([np.broadcast_to(np.asarray(e[3], dtype=np.int64), (len(e[0]),)) for e in events])
    return Deliveries.from_events(orders, row, plan.clock.day_index(at), at,
                                  {"status": status, "refunded_amount": money})


