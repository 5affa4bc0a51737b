"""Orders of one store over the world and who placed them: customers (new or returning), the number
of tracked sessions before each order, and the browsers they came from (linked to the customer
at the order that first used them)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clock import DAY, sample_seconds_of_day
from .plan import StorePlan
from .stores import CH, ORDER_HOURS, PAID_CHANNELS

# share of orders with no tracked session at all (phone orders, blocked trackers)
NO_SESSION_BASELINE, NO_SESSION_CHANNEL = 0.11, 0.02
TOUCH_COUNTS = np.array([1, 2, 3, 4, 5, 6])
TOUCH_P = np.array([0.36, 0.27, 0.17, 0.1, 0.06, 0.04])
RETURNING_P = np.array([0.38, 0.12, 0.08, 0.15, 0.2, 0.7])  # baseline, seo, influencer, social, ads, email


def group_starts(keys_sorted):
    """For a sorted key array: index of the first element of each element's group."""
    n = len(keys_sorted)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = keys_sorted[1:] != keys_sorted[:-1]
    starts = np.flatnonzero(new)
    return starts[np.cumsum(new) - 1]


def roots(parent):
    """The root of every element of a forest given as parent pointers (a root is its own parent)."""
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


@dataclass
class Orders:
    """The world's orders in time order, with their customer, journey length and browser."""
    T: np.ndarray  # created_at, epoch seconds
    oday: np.ndarray  # local day index
    drv: np.ndarray  # driver: 0 baseline, 1+k = PAID_CHANNELS[k]
    drv_ch: np.ndarray  # the driver's session channel code, -1 for baseline
    cust: np.ndarray  # customer number (by first order time)
    seq: np.ndarray  # the order's rank among its customer's orders
    prev_T: np.ndarray  # the customer's previous order instant (far past if none)
    ntouch: np.ndarray  # tracked sessions in its journey (0 = none)
    browser: np.ndarray  # browser of the order (-1: none)
    visitor: np.ndarray  # visitor recorded on the order (-1: unknown)
    b_cust: np.ndarray  # per browser: its customer
    b_link: np.ndarray  # per browser: the instant it was linked (its first order)

    @property
    def n(self) -> int:
        return len(self.T)

    @property
    def n_browser(self) -> int:
        return len(self.b_cust)


def _order_times(plan: StorePlan, rng):
    """Poisson orders per day and driver (baseline + each paid channel), at order-hour times."""
    n_days = plan.n_days
    lam = np.vstack([plan.baseline_lambda] + [plan.channel_lambda[c] for c in PAID_CHANNELS])
    counts = rng.poisson(lam).ravel()
    drv = np.repeat(np.repeat(np.arange(6), n_days), counts)  # 0 baseline, 1+k = PAID_CHANNELS[k]
    oday = np.repeat(np.tile(np.arange(n_days), 6), counts)
    osec = sample_seconds_of_day(rng, ORDER_HOURS, len(drv))
    T = plan.clock.to_utc((plan.start_day + oday) * DAY + osec)
    o = np.argsort(T, kind="stable")
    return T[o], drv[o], oday[o]


def _customers(rng, T, drv, hist_start: int):
    """A returning order points at an earlier order of the same customer (by purchase gap).
    Returns the customer of each order, the orders sorted by customer, and each group's start."""
    n_ord = len(T)
    ramp = np.clip((T - hist_start) / (150.0 * DAY), 0.05, 1.0)
    returning = rng.random(n_ord) < RETURNING_P[drv] * ramp
    gap = 2 * DAY + rng.exponential(65 * DAY, n_ord)
    j = np.searchsorted(T, T - gap, side="right") - 1
    parent = np.where(returning & (j >= 0), j, np.arange(n_ord))
    _, cust = np.unique(roots(parent), return_inverse=True)  # numbered by first order time
    cust = cust.astype(np.int64)
    by_c = np.lexsort((np.arange(n_ord), cust))
    return cust, by_c, group_starts(cust[by_c])


def _browsers_before(new_b, by_c, gstart) -> np.ndarray:
    """Per order: how many browsers its customer started at earlier orders."""
    nb_sorted = new_b[by_c].astype(np.int64)
    cum = np.cumsum(nb_sorted)
    before = np.empty(len(new_b), dtype=np.int64)
    before[by_c] = cum - nb_sorted - (cum[gstart] - nb_sorted[gstart])
    return before


def _browsers(rng, ntouch, seq, cust, by_c, gstart):
    """Each customer starts a browser at their first tracked order; later orders sometimes come
    from a new browser (phone, work laptop), linked at that order, else reuse an earlier one.
    Returns the browser of each order (-1: none) and the creating order of each browser."""
    n_ord = len(ntouch)
    new_b = (ntouch > 0) & ((seq == 0) | (rng.random(n_ord) < 0.22))
    before = _browsers_before(new_b, by_c, gstart)
    new_b |= (ntouch > 0) & (before == 0)
    before = _browsers_before(new_b, by_c, gstart)
    browser_of_order = np.full(n_ord, -1, dtype=np.int64)
    creators = np.flatnonzero(new_b)  # time order: browser global id = rank
    browser_of_order[creators] = np.arange(len(creators))
    n_browser = len(creators)
    b_cust = cust[creators]
    # the k-th browser of customer c: browsers sorted by (customer, creation)
    b_sorted = np.lexsort((np.arange(n_browser), b_cust))
    b_first = np.searchsorted(b_cust[b_sorted], cust, side="left")
    reuse = (~new_b) & (before > 0)
    pick = np.floor(rng.random(n_ord) * np.maximum(before, 1)).astype(np.int64)
    idx = np.clip(b_first + pick, 0, max(n_browser - 1, 0))
    browser_of_order[reuse] = b_sorted[idx[reuse]] if n_browser else -1
    return browser_of_order, creators


def draw_orders(plan: StorePlan, rng, hist_start: int) -> Orders:
    """The world's orders and who placed them (see the module docstring)."""
    T, drv, oday = _order_times(plan, rng)
    n_ord = len(T)
    drv_ch = np.where(drv > 0, np.array([0] + [CH[c] for c in PAID_CHANNELS])[drv], -1)  # session channel or -1
    cust, by_c, gstart = _customers(rng, T, drv, hist_start)
    seq = np.empty(n_ord, dtype=np.int64)
    seq[by_c] = np.arange(n_ord) - gstart
    prev_T = np.full(n_ord, -(10**12), dtype=np.int64)
    has_prev = np.arange(n_ord) > gstart
    prev_T[by_c[has_prev]] = T[by_c[np.flatnonzero(has_prev) - 1]]
    # touches per order (0 = no tracked session)
    ntouch = rng.choice(TOUCH_COUNTS, size=n_ord, p=TOUCH_P)
    nosess = rng.random(n_ord) < np.where(drv == 0, NO_SESSION_BASELINE, NO_SESSION_CHANNEL)
    ntouch[nosess] = 0
    browser, creators = _browsers(rng, ntouch, seq, cust, by_c, gstart)
    # no-session orders: visitor unknown unless the customer has a browser already
    visitor = np.where((ntouch == 0) & (rng.random(n_ord) < 0.5), -1, browser)
    return Orders(T=T, oday=oday, drv=drv, drv_ch=drv_ch, cust=cust, seq=seq, prev_T=prev_T, ntouch=ntouch,
                  browser=browser, visitor=visitor, b_cust=cust[creators], b_link=T[creators])
