"""Orders, customers, browsers and web sessions of one store, vectorised with numpy.

Orders per local day = baseline (organic / direct / referral / returning demand, with
seasonality and growth) + for each paid channel Poisson(true curve revenue / AOV). Every
order gets a customer (new, or a returning one chosen by a purchase gap), a browser (new
browsers are linked in customer_identities when they place their first order) and a
journey of 0-6 sessions in the 30 days before it: channel-driven orders start with a touch
of their channel (from a source that was live: article, post, delivery, campaign, send),
and may mix in other channels and direct visits. Non-converting sessions come on top,
proportional to each channel's activity, from anonymous visitors (some returning) and
known customers' browsers. Platform metrics (clicks, impressions, conversions) are then
derived from the sessions each source produced, so the funnels are consistent.

Everything is simulated over the store's whole world (history + reserve) and returned as
`Deliveries` (deliveries.py), i.e. with the moment each row reaches the warehouse:

* sessions the morning after their local day; 1 % arrive 2-4 days late;
* identities the morning after the link (the browser's first order);
* orders on every day their status changes: created pending (6 %) or paid; pending resolves
  within 36 h; fulfilled 0.5-4 days later; 3 % refunded and 2 % partially refunded 3-45 days
  after fulfilment; 2.5 % cancelled within 3 days; 0.2 % stay pending;
* ad platforms the morning after the day, and the connector re-syncs the two previous days on
  30 % of mornings (the first delivery of a re-synced day reports fewer platform conversions);
* social posts likewise re-synced unchanged; article stats once;
* influencer deliveries when planned, posted (metrics re-reported daily as they grow), verified
  a week later, or missed.

This module runs the steps in their fixed order (every step draws from the store's random
streams): customers.py (orders, customers, browsers), touches.py (journeys), visits.py
(non-converting sessions), sessions.py (session rows), order_rows.py (orders and their
statuses), then each channel's platform rows (channels/*.py).
"""
from __future__ import annotations

import numpy as np

from .channels import ads, influencer, seo, social
from .customers import Orders, draw_orders
from .deliveries import Deliveries
from .order_rows import order_deliveries, order_frame
from .plan import StorePlan
from .sessions import Sessions, merge_sessions, session_rows
from .stores import CH, PAID_CHANNELS, SESSION_CHANNELS
from .tabular import Frame, str_ids
from .touches import journey_touches
from .visits import browsing_visits

LATE_SESSION_SHARE = 0.01  # delivered 2-4 days after their day


def _source_counts(plan: StorePlan, s: Sessions, mask: np.ndarray, n_src: int) -> np.ndarray:
    """(days, sources) counts of the sessions in `mask`."""
    width = max(n_src, 1)
    key = np.clip(s.day[mask], 0, plan.n_days - 1) * width + s.src[mask]
    return np.bincount(key, minlength=plan.n_days * width).reshape(plan.n_days, width)


def _platform_deliveries(plan: StorePlan, rng, drng, s: Sessions, blog_landing: np.ndarray) -> dict:
    """Platform metrics derived from the sessions each source produced, so the funnels are
    consistent (search console counts blog landings only)."""
    counts, conv_counts = {}, {}
    for c in PAID_CHANNELS:
        m = (s.src >= 0) & (s.ch == CH[c])
        if c == "seo":
            m &= blog_landing
        n_src = plan.sources[c].W.shape[1]
        counts[c] = _source_counts(plan, s, m, n_src)
        conv_counts[c] = _source_counts(plan, s, m & s.converting, n_src)
    return {"ad_campaign_daily": ads.platform_deliveries(plan, rng, drng, counts["ads"], conv_counts["ads"]),
            "social_posts_daily": social.platform_deliveries(plan, rng, drng, counts["social"]),
            "article_daily_stats": seo.platform_deliveries(plan, rng, counts["seo"]),
            "influencer_deliveries": influencer.delivery_reports(plan, rng, drng, counts["influencer"])}


def _identities_and_orders(plan: StorePlan, rng, drng, orders: Orders, vis_str, intro_src) -> dict:
    """customer_identities (a browser linked at its first order) and the orders over time."""
    spec = plan.spec
    cust_str = str_ids(f"cus-{spec.code}-", np.arange(int(orders.cust.max()) + 1 if orders.n else 0) + 10001)
    identities = Deliveries.once(Frame("customer_identities", dict(
        store_id=spec.store_id, visitor_id=vis_str[np.arange(orders.n_browser)], customer_id=cust_str[orders.b_cust],
        linked_at=orders.b_link, _loaded_at=0)), plan.clock.day_index(orders.b_link))
    order_visitor = np.where(orders.visitor >= 0, vis_str[np.maximum(orders.visitor, 0)], None)
    frame = order_frame(plan, rng, orders.T, orders.oday, orders.drv, orders.seq, cust_str[orders.cust],
                        order_visitor, intro_src)
    return {"customer_identities": identities, "orders": order_deliveries(plan, rng, drng, frame, orders.T)}


def simulate_store(plan: StorePlan, seed: int) -> dict:
    """The store's world: {"frames": {table: Deliveries}, "facts": arrays for `stats_until`}."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 2])))
    # when rows are delivered (late sessions, order status times, re-syncs): its own stream
    drng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 6])))
    hist_start = int(plan.clock.local_midnight_utc(np.array([0]))[0])
    hist_end = int(plan.clock.local_midnight_utc(np.array([plan.n_days]))[0]) - 1
    orders = draw_orders(plan, rng, hist_start)
    touches = journey_touches(plan, rng, orders, hist_start)
    s = merge_sessions(plan, touches, browsing_visits(plan, rng, orders, hist_end))
    rows = session_rows(plan, rng, s)
    tables = _identities_and_orders(plan, rng, drng, orders, rows.pop("_visitor_strings"), touches.intro_src)
    late = drng.random(s.n) < LATE_SESSION_SHARE
    sessions = Deliveries.once(Frame("web_sessions", rows), s.day + late * drng.integers(2, 5, s.n))
    tables.update(_platform_deliveries(plan, rng, drng, s, rows.get("_blog_landing")))
    tables["web_sessions"] = sessions
    facts = dict(oday=orders.oday, drv=orders.drv, seq=orders.seq, ntouch=orders.ntouch,
                 driver_touches=touches.driver_touches, cust=orders.cust, b_day=plan.clock.day_index(orders.b_link),
                 s_delivered=sessions.day, s_day=s.day, s_ch=s.ch, s_vis=s.visitor, s_conv=s.converting,
                 n_visitor=s.n_visitor)
    return dict(frames=tables, facts=facts)


def stats_until(facts: dict, last_day: int) -> dict:
    """The manifest's per-store statistics of what a load as of `last_day` holds."""
    o = facts["oday"] <= last_day
    s = facts["s_delivered"] <= last_day
    drv, cust = facts["drv"][o], facts["cust"][o]
    return dict(orders=int(o.sum()), customers=int(cust.max()) + 1 if len(cust) else 0,
                browsers=int((facts["b_day"] <= last_day).sum()), sessions=int(s.sum()),
                converting_touches=int((s & facts["s_conv"]).sum()),
                visitors=int(np.count_nonzero(np.bincount(facts["s_vis"][s], minlength=facts["n_visitor"]))),
                repeat_orders=int((facts["seq"][o] > 0).sum()), no_session_orders=int((facts["ntouch"][o] == 0).sum()),
                orders_by_driver={k: int((drv == i).sum()) for i, k in enumerate(("baseline",) + PAID_CHANNELS)},
                sessions_by_channel={c: int((facts["s_ch"][s] == CH[c]).sum()) for c in SESSION_CHANNELS})
