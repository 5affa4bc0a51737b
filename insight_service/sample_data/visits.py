"""Non-converting sessions of one store: per channel, proportional to its activity (paid ones from
a live source), plus fixed anchor visits (month ends, DST nights); from known customers'
browsers (mostly via email) or anonymous visitors, some of whom return."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clock import DAY, sample_seconds_of_day
from .customers import Orders, roots
from .plan import StorePlan
from .stores import CH, PAID_CHANNELS, SESSION_CHANNELS, SESSION_HOURS
from .touches import DIR, EML, RowSampler


@dataclass
class Visits:
    t: np.ndarray  # started_at, epoch seconds
    ch: np.ndarray  # session channel code
    src: np.ndarray  # the channel's source index (-1: none)
    visitor: np.ndarray  # browser id, or n_browser + anonymous visitor number
    customer: np.ndarray  # logged-in customer (-1: none)
    n_visitor: int  # browsers + anonymous visitors


def _channel_visits(plan: StorePlan, rng, hist_end: int):
    """Poisson visits per channel and day around the channel's mean; paid ones from a live source."""
    clock = plan.clock
    nc_t, nc_ch, nc_src = [], [], []
    for c in SESSION_CHANNELS:
        act = plan.activity[c]
        # nonconv_mean is the history's daily average (the world's, if the history has no activity)
        mean = act[:plan.anchor_idx + 1].mean() or act.mean()
        if mean <= 0:
            continue
        cnt = rng.poisson(plan.nonconv_mean[c] * act / mean)
        days = np.repeat(np.arange(plan.n_days), cnt)
        t = clock.to_utc((plan.start_day + days) * DAY + sample_seconds_of_day(rng, SESSION_HOURS, len(days)))
        src = np.full(len(days), -1, dtype=np.int64)
        chs = np.full(len(days), CH[c], dtype=np.int64)
        if c in PAID_CHANNELS:
            srcs = plan.sources[c]
            s, ok = RowSampler(srcs.W).sample(days, rng.random(len(days)))
            src[ok] = s[ok]
            chs[~ok] = DIR
            st = srcs.start_utc[src[ok]] + 60 + rng.integers(0, 3 * 3600, int(ok.sum()))
            t[ok] = np.minimum(np.maximum(t[ok], st), hist_end - 60)
        nc_t.append(t)
        nc_ch.append(chs)
        nc_src.append(src)
    return nc_t, nc_ch, nc_src


def _anchor_visits(plan: StorePlan, rng) -> np.ndarray:
    """A late-evening visit on every month's last day, and night visits on DST change days."""
    anchor_days, anchor_secs = [], []
    month_last = np.flatnonzero(np.diff(plan.month_idx)).tolist() + [plan.n_days - 1]
    for d in month_last:
        anchor_days.append(d)
        anchor_secs.append(23 * 3600 + int(rng.integers(5 * 60, 55 * 60)))
    for d in plan.clock.dst_days(plan.n_days):
        for h in (0, 1, 2, 3, 4):
            anchor_days.append(d)
            anchor_secs.append(h * 3600 + 30 * 60 + int(rng.integers(0, 600)))
    anchor_days = np.array(anchor_days, dtype=np.int64)
    return plan.clock.to_utc((plan.start_day + anchor_days) * DAY + np.array(anchor_secs, dtype=np.int64))


def _visitors(rng, orders: Orders, nc_t, nc_ch):
    """Who: known customers' browsers linked before the visit (mostly via email), else anonymous
    visitors who sometimes return. Returns (visitor, customer, n_visitor)."""
    n_nc, n_browser = len(nc_t), orders.n_browser
    p_known = np.where(nc_ch == EML, 0.55, np.where(nc_ch == DIR, 0.14, 0.07))
    n_linked = np.searchsorted(orders.b_link, nc_t, side="left") if n_browser else np.zeros(n_nc, dtype=np.int64)
    known = (rng.random(n_nc) < p_known) & (n_linked > 0)
    nc_browser = np.full(n_nc, -1, dtype=np.int64)
    nc_browser[known] = np.floor(rng.random(int(known.sum())) * n_linked[known]).astype(np.int64)
    nc_customer = np.where(known & (rng.random(n_nc) < 0.5),
                           orders.b_cust[np.maximum(nc_browser, 0)] if n_browser else -1, -1)
    anon = np.flatnonzero(~known)
    anon = anon[np.argsort(nc_t[anon], kind="stable")]
    na = len(anon)
    back = rng.integers(1, 60, na)
    par = np.where((rng.random(na) < 0.3) & (np.arange(na) - back >= 0), np.arange(na) - back, np.arange(na))
    _, anum = np.unique(roots(par), return_inverse=True)
    nc_visitor = np.where(known, nc_browser, -1)
    nc_visitor[anon] = n_browser + anum
    n_visitor = n_browser + (int(anum.max()) + 1 if na else 0)
    return nc_visitor, nc_customer, n_visitor


def browsing_visits(plan: StorePlan, rng, orders: Orders, hist_end: int) -> Visits:
    """The store's non-converting sessions (see the module docstring)."""
    nc_t, nc_ch, nc_src = _channel_visits(plan, rng, hist_end)
    a_t = _anchor_visits(plan, rng)
    nc_t.append(a_t)
    nc_ch.append(np.full(len(a_t), DIR, dtype=np.int64))
    nc_src.append(np.full(len(a_t), -1, dtype=np.int64))
    t, ch = np.concatenate(nc_t), np.concatenate(nc_ch)
    visitor, customer, n_visitor = _visitors(rng, orders, t, ch)
    return Visits(t=t, ch=ch, src=np.concatenate(nc_src), visitor=visitor, customer=customer, n_visitor=n_visitor)
