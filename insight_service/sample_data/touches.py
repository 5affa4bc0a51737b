"""The journey of every order: 0-6 sessions in the 30 days before it. A channel-driven order
starts with a touch of its channel (from a source that was live: article, post, delivery,
campaign, send) and may mix in other channels and direct visits; a baseline order's journey
is mostly direct and referral visits."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clock import DAY, sample_seconds_of_day
from .customers import Orders
from .plan import StorePlan
from .stores import CH, PAID_CHANNELS, SESSION_HOURS

EML, REF, DIR = CH["email"], CH["referral"], CH["direct"]
LOOKBACK = 29.5 * DAY


class RowSampler:
    """Draw one source per (day row) from a (days x sources) weight matrix, vectorised."""

    def __init__(self, W: np.ndarray):
        n, s = W.shape
        self.n_src = s
        rs = W.sum(axis=1)
        self.ok = rs > 0
        if s == 0:
            self.flat = np.zeros(0)
            return
        cdf = np.cumsum(W, axis=1) / np.where(rs > 0, rs, 1.0)[:, None]
        cdf[self.ok, -1] = 1.0
        self.flat = (cdf + np.arange(n)[:, None]).ravel()

    def sample(self, rows: np.ndarray, u: np.ndarray):
        rows = np.clip(rows, 0, len(self.ok) - 1)
        if self.n_src == 0:
            return np.zeros(len(rows), dtype=np.int64), np.zeros(len(rows), dtype=bool)
        idx = np.searchsorted(self.flat, rows + np.minimum(u, 0.999999), side="right")
        src = np.clip(idx - rows * self.n_src, 0, self.n_src - 1)
        return src.astype(np.int64), self.ok[rows]


@dataclass
class Touches:
    """Journey sessions, grouped by order, earliest first."""
    t: np.ndarray  # started_at, epoch seconds
    ch: np.ndarray  # session channel code
    src: np.ndarray  # the channel's source index (-1: none)
    order: np.ndarray  # the order whose journey it is
    is_last: np.ndarray  # the session the order was placed in
    browser: np.ndarray
    customer: np.ndarray  # logged-in customer (-1: none)
    intro_src: np.ndarray  # per order: the source of its driving channel's first touch (-1: none)
    driver_touches: np.ndarray  # per order: touches that show its driver


def _touch_times(plan: StorePlan, rng, orders: Orders, hist_start: int):
    """(order, position, instant) of every touch: the last shortly before the order, earlier ones
    spread over the lookback (after the customer's previous order), at browsing hours."""
    clock, T, ntouch = plan.clock, orders.T, orders.ntouch
    tot = int(ntouch.sum())
    oi = np.repeat(np.arange(orders.n), ntouch)
    first = np.cumsum(ntouch) - ntouch
    pos = np.arange(tot) - first[oi]
    last_lag = rng.integers(120, 2700, orders.n)
    cap = np.minimum(LOOKBACK, T - np.maximum(orders.prev_T, hist_start) - 600)
    cap = np.maximum(cap, last_lag + 60)
    other = last_lag[oi] + 600 + rng.exponential(3.5 * DAY, tot)
    lag = np.where(pos == ntouch[oi] - 1, last_lag[oi], np.minimum(other, cap[oi]).astype(np.int64))
    srt = np.lexsort((-lag, oi))
    lag = lag[srt]
    tt = T[oi] - lag
    is_last = pos == ntouch[oi] - 1
    # earlier visits keep their day but follow the daily rhythm (people browse in the evening)
    lo = np.maximum(orders.prev_T, hist_start)[oi] + 60
    hi = T[oi] - last_lag[oi] - 60
    redo = clock.to_utc((plan.start_day + clock.day_index(tt)) * DAY
                        + sample_seconds_of_day(rng, SESSION_HOURS, tot))
    keep = is_last | (redo <= lo) | (redo >= hi)
    return oi, pos, np.where(keep, tt, redo)


def _touch_channels(plan: StorePlan, rng, orders: Orders, oi, is_first) -> np.ndarray:
    """A driven journey opens with its channel, then mixes the driver, direct, referral and other
    paid channels (by their true revenue); a baseline journey is mostly direct and referral."""
    tot = len(oi)
    paid_w = np.array([plan.totals[c]["true_revenue"] for c in PAID_CHANNELS], dtype=float)
    paid_w = paid_w / paid_w.sum() if paid_w.sum() > 0 else np.full(5, 0.2)
    paid_codes = np.array([CH[c] for c in PAID_CHANNELS])
    d_o = orders.drv_ch[oi]
    u = rng.random(tot)
    rand_paid = paid_codes[rng.choice(5, size=tot, p=paid_w)]
    ch_driven = np.where(u < 0.55, d_o, np.where(u < 0.82, DIR, np.where(u < 0.85, REF, rand_paid)))
    single = orders.ntouch[oi] == 1
    u2 = rng.random(tot)
    ch_base = np.where(single, np.where(u2 < 0.72, DIR, REF),
                       np.where(u2 < 0.6, DIR, np.where(u2 < 0.9, REF, rand_paid)))
    return np.where(d_o >= 0, np.where(is_first, d_o, ch_driven), ch_base).astype(np.int64)


def _touch_sources(plan: StorePlan, rng, orders: Orders, oi, tt, tch, row) -> np.ndarray:
    """A source per paid touch, drawn by the sources' weights on its day (a driving intro: on the
    order's day); none live -> a direct visit. Moves the touch after its source went live
    (tt and tch are updated in place)."""
    tsrc = np.full(len(oi), -1, dtype=np.int64)
    for c in PAID_CHANNELS:
        m = np.flatnonzero(tch == CH[c])
        if not len(m):
            continue
        srcs = plan.sources[c]
        s, ok = RowSampler(srcs.W).sample(row[m], rng.random(len(m)))
        tsrc[m[ok]] = s[ok]
        tch[m[~ok]] = DIR
        mm = m[ok]
        st = srcs.start_utc[tsrc[mm]] + 60 + rng.integers(0, 4 * 3600, len(mm))
        tt[mm] = np.minimum(np.maximum(tt[mm], st), orders.T[oi[mm]] - 90)
    return tsrc


def journey_touches(plan: StorePlan, rng, orders: Orders, hist_start: int) -> Touches:
    """Every order's journey sessions (see the module docstring)."""
    oi, pos, tt = _touch_times(plan, rng, orders, hist_start)
    is_last = pos == orders.ntouch[oi] - 1
    is_first = pos == 0
    tch = _touch_channels(plan, rng, orders, oi, is_first)
    intro = (orders.drv_ch[oi] >= 0) & is_first
    row = np.where(intro, orders.oday[oi], np.clip(plan.clock.day_index(tt), 0, plan.n_days - 1))
    tsrc = _touch_sources(plan, rng, orders, oi, tt, tch, row)
    tt = np.maximum(tt, hist_start)
    intro_src = np.full(orders.n, -1, dtype=np.int64)
    intro_src[oi[intro]] = tsrc[intro]
    # the attribution truth's ceiling: journey touches that show the order's driver once sources
    # are resolved (an intro with no live source fell back to direct); counted, never drawn
    driver_touches = np.bincount(oi[tch == orders.drv_ch[oi]], minlength=orders.n)
    # visitors / logged-in customer on touches
    t_browser = orders.browser[oi]
    linked_before = (orders.b_link[np.maximum(t_browser, 0)] < tt if orders.n_browser
                     else np.zeros(len(oi), dtype=bool))
    t_customer = np.where((linked_before & (rng.random(len(oi)) < 0.5)) | (is_last & (rng.random(len(oi)) < 0.6)),
                          orders.cust[oi], -1)
    return Touches(t=tt, ch=tch, src=tsrc, order=oi, is_last=is_last, browser=t_browser, customer=t_customer,
                   intro_src=intro_src, driver_touches=driver_touches)
