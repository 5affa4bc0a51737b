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
"""
from __future__ import annotations

import numpy as np

from .clock import DAY, sample_seconds_of_day
from .deliveries import Deliveries, resync_days, touch_days
from .plan import StorePlan
from .planning import cents
from .stores import (CH, INFLUENCER_PLATFORM_REFERRER, ORDER_HOURS, PAID_CHANNELS, PRODUCT_WORDS,
                     SESSION_CHANNELS, SESSION_HOURS, SOCIAL_REFERRERS)
from .tabular import Frame, str_ids

N_CH = len(SESSION_CHANNELS)
SEO, INF, SOC, ADS, EML, REF, DIR = (CH[c] for c in SESSION_CHANNELS)
# share of orders with no tracked session at all (phone orders, blocked trackers)
NO_SESSION_BASELINE, NO_SESSION_CHANNEL = 0.11, 0.02
TOUCH_COUNTS = np.array([1, 2, 3, 4, 5, 6])
TOUCH_P = np.array([0.36, 0.27, 0.17, 0.1, 0.06, 0.04])
RETURNING_P = np.array([0.38, 0.12, 0.08, 0.15, 0.2, 0.7])  # baseline, seo, influencer, social, ads, email
BOUNCE_P = np.array([0.55, 0.5, 0.6, 0.5, 0.35, 0.45, 0.4])  # by session channel
LOOKBACK = 29.5 * DAY
LATE_SESSION_SHARE = 0.01  # delivered 2-4 days after their day
ORDER_NUMBER_BASE = 100000  # world order i (time order, from 0) is ord-<store code>-<ORDER_NUMBER_BASE + 1 + i>


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


def _choice(rng, values, p, n):
    values = np.asarray(values, dtype=object)
    p = np.asarray(p, dtype=float)
    return values[rng.choice(len(values), size=n, p=p / p.sum())]


def _group_starts(keys_sorted):
    """For a sorted key array: index of the first element of each element's group."""
    n = len(keys_sorted)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = keys_sorted[1:] != keys_sorted[:-1]
    starts = np.flatnonzero(new)
    return starts[np.cumsum(new) - 1]


def _roots(parent):
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def simulate_store(plan: StorePlan, seed: int) -> dict:
    """The store's world: {"frames": {table: Deliveries}, "facts": arrays for `stats_until`}."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 2])))
    # when rows are delivered (late sessions, order status times, re-syncs): its own stream
    drng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 6])))
    spec = plan.spec
    clock = plan.clock
    n_days = plan.n_days
    end_idx = n_days - 1
    hist_start = int(clock.local_midnight_utc(np.array([0]))[0])
    hist_end = int(clock.local_midnight_utc(np.array([n_days]))[0]) - 1

    # ---------------- orders ----------------
    lam = np.vstack([plan.baseline_lambda] + [plan.channel_lambda[c] for c in PAID_CHANNELS])
    counts = rng.poisson(lam).ravel()
    drv = np.repeat(np.repeat(np.arange(6), n_days), counts)  # 0 baseline, 1+k = PAID_CHANNELS[k]
    oday = np.repeat(np.tile(np.arange(n_days), 6), counts)
    osec = sample_seconds_of_day(rng, ORDER_HOURS, len(drv))
    T = clock.to_utc((plan.start_day + oday) * DAY + osec)
    o = np.argsort(T, kind="stable")
    T, drv, oday = T[o], drv[o], oday[o]
    n_ord = len(T)
    drv_ch = np.where(drv > 0, np.array([0] + [CH[c] for c in PAID_CHANNELS])[drv], -1)  # session channel or -1

    # customers: a returning order points at an earlier order of the same customer
    ramp = np.clip((T - hist_start) / (150.0 * DAY), 0.05, 1.0)
    returning = rng.random(n_ord) < RETURNING_P[drv] * ramp
    gap = 2 * DAY + rng.exponential(65 * DAY, n_ord)
    j = np.searchsorted(T, T - gap, side="right") - 1
    parent = np.where(returning & (j >= 0), j, np.arange(n_ord))
    root = _roots(parent)
    _, cust = np.unique(root, return_inverse=True)  # numbered by first order time
    cust = cust.astype(np.int64)
    by_c = np.lexsort((np.arange(n_ord), cust))
    cs = cust[by_c]
    gstart = _group_starts(cs)
    seq = np.empty(n_ord, dtype=np.int64)
    seq[by_c] = np.arange(n_ord) - gstart
    prev_T = np.full(n_ord, -(10**12), dtype=np.int64)
    has_prev = np.arange(n_ord) > gstart
    prev_T[by_c[has_prev]] = T[by_c[np.flatnonzero(has_prev) - 1]]

    # touches per order (0 = no tracked session)
    ntouch = rng.choice(TOUCH_COUNTS, size=n_ord, p=TOUCH_P)
    nosess = rng.random(n_ord) < np.where(drv == 0, NO_SESSION_BASELINE, NO_SESSION_CHANNEL)
    ntouch[nosess] = 0

    # browsers: each customer starts one at their first tracked order; later orders sometimes
    # come from a new browser (phone, work laptop) which is linked at that order
    new_b = (ntouch > 0) & ((seq == 0) | (rng.random(n_ord) < 0.22))
    nb_sorted = new_b[by_c].astype(np.int64)
    cum = np.cumsum(nb_sorted)
    before_sorted = cum - nb_sorted - (cum[gstart] - nb_sorted[gstart])
    before = np.empty(n_ord, dtype=np.int64)
    before[by_c] = before_sorted
    new_b |= (ntouch > 0) & (before == 0)
    nb_sorted = new_b[by_c].astype(np.int64)
    cum = np.cumsum(nb_sorted)
    before_sorted = cum - nb_sorted - (cum[gstart] - nb_sorted[gstart])
    before[by_c] = before_sorted
    browser_of_order = np.full(n_ord, -1, dtype=np.int64)
    creators = np.flatnonzero(new_b)  # time order: browser global id = rank
    browser_of_order[creators] = np.arange(len(creators))
    n_browser = len(creators)
    b_cust = cust[creators]
    b_link = T[creators]
    # the k-th browser of customer c: browsers sorted by (customer, creation)
    b_sorted = np.lexsort((np.arange(n_browser), b_cust))
    b_first = np.searchsorted(b_cust[b_sorted], cust, side="left")
    reuse = (~new_b) & (before > 0)
    pick = np.floor(rng.random(n_ord) * np.maximum(before, 1)).astype(np.int64)
    idx = np.clip(b_first + pick, 0, max(n_browser - 1, 0))
    browser_of_order[reuse] = b_sorted[idx[reuse]] if n_browser else -1
    # no-session orders: visitor unknown unless the customer has a browser already
    order_visitor = np.where((ntouch == 0) & (rng.random(n_ord) < 0.5), -1, browser_of_order)

    # ---------------- journey touches ----------------
    tot = int(ntouch.sum())
    oi = np.repeat(np.arange(n_ord), ntouch)
    first = np.cumsum(ntouch) - ntouch
    pos = np.arange(tot) - first[oi]
    last_lag = rng.integers(120, 2700, n_ord)
    cap = np.minimum(LOOKBACK, T - np.maximum(prev_T, hist_start) - 600)
    cap = np.maximum(cap, last_lag + 60)
    other = last_lag[oi] + 600 + rng.exponential(3.5 * DAY, tot)
    lag = np.where(pos == ntouch[oi] - 1, last_lag[oi], np.minimum(other, cap[oi]).astype(np.int64))
    srt = np.lexsort((-lag, oi))
    lag = lag[srt]
    tt = T[oi] - lag
    is_last = pos == ntouch[oi] - 1
    is_first = pos == 0
    # earlier visits keep their day but follow the daily rhythm (people browse in the evening)
    lo = np.maximum(prev_T, hist_start)[oi] + 60
    hi = T[oi] - last_lag[oi] - 60
    redo = clock.to_utc((plan.start_day + clock.day_index(tt)) * DAY
                        + sample_seconds_of_day(rng, SESSION_HOURS, tot))
    keep = is_last | (redo <= lo) | (redo >= hi)
    tt = np.where(keep, tt, redo)

    # channels of the touches
    paid_w = np.array([plan.totals[c]["true_revenue"] for c in PAID_CHANNELS], dtype=float)
    paid_w = paid_w / paid_w.sum() if paid_w.sum() > 0 else np.full(5, 0.2)
    paid_codes = np.array([CH[c] for c in PAID_CHANNELS])
    d_o = drv_ch[oi]
    u = rng.random(tot)
    rand_paid = paid_codes[rng.choice(5, size=tot, p=paid_w)]
    ch_driven = np.where(u < 0.55, d_o, np.where(u < 0.82, DIR, np.where(u < 0.85, REF, rand_paid)))
    single = ntouch[oi] == 1
    u2 = rng.random(tot)
    ch_base = np.where(single, np.where(u2 < 0.72, DIR, REF),
                       np.where(u2 < 0.6, DIR, np.where(u2 < 0.9, REF, rand_paid)))
    tch = np.where(d_o >= 0, np.where(is_first, d_o, ch_driven), ch_base).astype(np.int64)
    intro = (d_o >= 0) & is_first
    tday = clock.day_index(tt)
    row = np.where(intro, oday[oi], np.clip(tday, 0, end_idx))
    tsrc = np.full(tot, -1, dtype=np.int64)
    for c in PAID_CHANNELS:
        code = CH[c]
        m = np.flatnonzero(tch == code)
        if not len(m):
            continue
        srcs = plan.sources[c]
        s, ok = RowSampler(srcs.W).sample(row[m], rng.random(len(m)))
        tsrc[m[ok]] = s[ok]
        tch[m[~ok]] = DIR
        mm = m[ok]
        st = srcs.start_utc[tsrc[mm]] + 60 + rng.integers(0, 4 * 3600, len(mm))
        tt[mm] = np.minimum(np.maximum(tt[mm], st), T[oi[mm]] - 90)
    tt = np.maximum(tt, hist_start)
    intro_src = np.full(n_ord, -1, dtype=np.int64)
    intro_src[oi[intro]] = tsrc[intro]
    # the attribution truth's ceiling: journey touches that show the order's driver once sources
    # are resolved (an intro with no live source fell back to direct); counted, never drawn
    driver_touches = np.bincount(oi[tch == drv_ch[oi]], minlength=n_ord)

    # visitors / logged-in customer on touches
    t_browser = browser_of_order[oi]
    linked_before = b_link[np.maximum(t_browser, 0)] < tt if n_browser else np.zeros(tot, dtype=bool)
    t_customer = np.where((linked_before & (rng.random(tot) < 0.5)) | (is_last & (rng.random(tot) < 0.6)),
                          cust[oi], -1)

    # ---------------- non-converting sessions ----------------
    nc_t, nc_ch, nc_src = [], [], []
    for c in SESSION_CHANNELS:
        code = CH[c]
        act = plan.activity[c]
        # nonconv_mean is the history's daily average (the world's, if the history has no activity)
        mean = act[:plan.anchor_idx + 1].mean() or act.mean()
        if mean <= 0:
            continue
        cnt = rng.poisson(plan.nonconv_mean[c] * act / mean)
        days = np.repeat(np.arange(n_days), cnt)
        t = clock.to_utc((plan.start_day + days) * DAY + sample_seconds_of_day(rng, SESSION_HOURS, len(days)))
        src = np.full(len(days), -1, dtype=np.int64)
        chs = np.full(len(days), code, dtype=np.int64)
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
    # anchors: a late-evening visit on every month's last day, and night visits on DST change days
    anchor_days, anchor_secs = [], []
    month_last = np.flatnonzero(np.diff(plan.month_idx)).tolist() + [end_idx]
    for d in month_last:
        anchor_days.append(d)
        anchor_secs.append(23 * 3600 + int(rng.integers(5 * 60, 55 * 60)))
    for d in clock.dst_days(n_days):
        for h in (0, 1, 2, 3, 4):
            anchor_days.append(d)
            anchor_secs.append(h * 3600 + 30 * 60 + int(rng.integers(0, 600)))
    anchor_days = np.array(anchor_days, dtype=np.int64)
    a_t = clock.to_utc((plan.start_day + anchor_days) * DAY + np.array(anchor_secs, dtype=np.int64))
    nc_t.append(a_t)
    nc_ch.append(np.full(len(a_t), DIR, dtype=np.int64))
    nc_src.append(np.full(len(a_t), -1, dtype=np.int64))
    nc_t = np.concatenate(nc_t)
    nc_ch = np.concatenate(nc_ch)
    nc_src = np.concatenate(nc_src)
    n_nc = len(nc_t)
    # who: known customers (mostly via email), else anonymous visitors who sometimes return
    p_known = np.where(nc_ch == EML, 0.55, np.where(nc_ch == DIR, 0.14, 0.07))
    n_linked = np.searchsorted(b_link, nc_t, side="left") if n_browser else np.zeros(n_nc, dtype=np.int64)
    known = (rng.random(n_nc) < p_known) & (n_linked > 0)
    nc_browser = np.full(n_nc, -1, dtype=np.int64)
    nc_browser[known] = np.floor(rng.random(int(known.sum())) * n_linked[known]).astype(np.int64)
    nc_customer = np.where(known & (rng.random(n_nc) < 0.5), b_cust[np.maximum(nc_browser, 0)] if n_browser else -1, -1)
    anon = np.flatnonzero(~known)
    anon = anon[np.argsort(nc_t[anon], kind="stable")]
    na = len(anon)
    back = rng.integers(1, 60, na)
    par = np.where((rng.random(na) < 0.3) & (np.arange(na) - back >= 0), np.arange(na) - back, np.arange(na))
    aroot = _roots(par)
    _, anum = np.unique(aroot, return_inverse=True)
    nc_visitor = np.where(known, nc_browser, -1)
    nc_visitor[anon] = n_browser + anum
    n_visitor = n_browser + (int(anum.max()) + 1 if na else 0)

    # ---------------- all sessions ----------------
    s_t = np.concatenate([tt, nc_t])
    s_ch = np.concatenate([tch, nc_ch])
    s_src = np.concatenate([tsrc, nc_src])
    s_vis = np.concatenate([t_browser, nc_visitor])
    s_cust = np.concatenate([t_customer, nc_customer])
    s_conv = np.concatenate([np.ones(tot, dtype=bool), np.zeros(n_nc, dtype=bool)])
    s_last = np.concatenate([is_last, np.zeros(n_nc, dtype=bool)])
    s_order = np.concatenate([oi, np.full(n_nc, -1, dtype=np.int64)])
    so = np.lexsort((s_vis, s_t))
    s_t, s_ch, s_src, s_vis, s_cust, s_conv, s_last, s_order = (
        a[so] for a in (s_t, s_ch, s_src, s_vis, s_cust, s_conv, s_last, s_order))
    n_s = len(s_t)
    s_day = clock.day_index(s_t)

    tables = {}
    tables["sessions"] = _session_frame(plan, rng, s_t, s_ch, s_src, s_vis, s_cust, s_conv, s_last, s_day,
                                        n_visitor)
    # ---------------- identities & orders ----------------
    vis_str = tables["sessions"].pop("_visitor_strings")
    cust_str = str_ids(f"cus-{spec.code}-", np.arange(int(cust.max()) + 1 if n_ord else 0) + 10001)
    tables["customer_identities"] = Deliveries.once(Frame("customer_identities", dict(
        store_id=spec.store_id, visitor_id=vis_str[np.arange(n_browser)], customer_id=cust_str[b_cust],
        linked_at=b_link, _loaded_at=0)), clock.day_index(b_link))
    orders = _order_frame(plan, rng, T, oday, drv, seq, cust_str[cust],
                          np.where(order_visitor >= 0, vis_str[np.maximum(order_visitor, 0)], None), intro_src)
    tables["orders"] = _order_deliveries(plan, rng, drng, orders, T)
    sess = tables["sessions"]
    late = drng.random(n_s) < LATE_SESSION_SHARE
    sessions = Deliveries.once(Frame("web_sessions", sess), s_day + late * drng.integers(2, 5, n_s))

    # ---------------- platform metrics from the sessions ----------------
    valid = s_src >= 0
    blog = sess.get("_blog_landing")
    counts = {}
    conv_counts = {}
    for c in PAID_CHANNELS:
        code = CH[c]
        m = valid & (s_ch == code)
        if c == "seo":
            m &= blog
        n_src = plan.sources[c].W.shape[1]
        key = np.clip(s_day[m], 0, end_idx) * max(n_src, 1) + s_src[m]
        counts[c] = np.bincount(key, minlength=n_days * max(n_src, 1)).reshape(n_days, max(n_src, 1))
        mc = m & s_conv
        keyc = np.clip(s_day[mc], 0, end_idx) * max(n_src, 1) + s_src[mc]
        conv_counts[c] = np.bincount(keyc, minlength=n_days * max(n_src, 1)).reshape(n_days, max(n_src, 1))
    tables.update(_platform_frames(plan, rng, drng, counts, conv_counts))
    tables["web_sessions"] = sessions
    del tables["sessions"]
    facts = dict(oday=oday, drv=drv, seq=seq, ntouch=ntouch, driver_touches=driver_touches, cust=cust,
                 b_day=clock.day_index(b_link),
                 s_delivered=sessions.day, s_day=s_day, s_ch=s_ch, s_vis=s_vis, s_conv=s_conv, n_visitor=n_visitor)
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


def _variants(rng, n, options):
    """options: list of (value, weight); returns an object array of n draws."""
    vals = [v for v, _ in options]
    w = [p for _, p in options]
    return _choice(rng, vals, w, n)


def _session_frame(plan, rng, s_t, s_ch, s_src, s_vis, s_cust, s_conv, s_last, s_day, n_visitor):
    spec = plan.spec
    n = len(s_t)
    code = spec.code
    # behaviour
    p_b = BOUNCE_P[s_ch] * np.where(s_conv, 0.6, 1.0)
    bounced = (rng.random(n) < p_b) & ~s_last
    pv = np.where(bounced, 1, 2 + rng.poisson(np.where(s_last, 5.0, 3.0)))
    dur = np.where(bounced, rng.integers(0, 30, n),
                   (pv * rng.gamma(2.0, 28.0, n) + rng.integers(5, 60, n)).astype(np.int64))
    # landing paths
    products = [f"/products/{p}" for p in PRODUCT_WORDS[spec.industry]]
    general = ["/", "/cart", "/collections/new", "/collections/sale", "/collections/bestsellers"] + products
    gen_arr = np.array(general, dtype=object)
    landing = np.empty(n, dtype=object)
    r = rng.random(n)
    prod_pick = gen_arr[5 + rng.integers(0, len(products), n)]
    coll_pick = gen_arr[2 + rng.integers(0, 3, n)]
    landing[:] = np.where(r < 0.55, prod_pick, np.where(r < 0.8, coll_pick, "/"))
    d = s_ch == DIR
    landing[d] = np.where(r[d] < 0.45, "/", np.where(r[d] < 0.85, prod_pick[d], np.where(r[d] < 0.9, "/cart", coll_pick[d])))
    seo = np.flatnonzero((s_ch == SEO) & (s_src >= 0))
    blog_landing = np.zeros(n, dtype=bool)
    to_blog = seo[rng.random(len(seo)) < 0.75]
    blog_landing[to_blog] = True
    slugs = plan.sources["seo"].meta["slug"]
    bl = "/blog/" + slugs[s_src[to_blog]]
    slash = rng.random(len(to_blog)) < 0.05
    bl[slash] = bl[slash] + "/"
    landing[to_blog] = bl
    # referrer / utm
    referrer = np.full(n, None, dtype=object)
    utm_source = np.full(n, None, dtype=object)
    utm_medium = np.full(n, None, dtype=object)
    utm_campaign = np.full(n, None, dtype=object)
    utm_content = np.full(n, None, dtype=object)

    m = np.flatnonzero(s_ch == SEO)
    hosts = [h for h, _ in spec.search_hosts]
    referrer[m] = _choice(rng, hosts, [p for _, p in spec.search_hosts], len(m))

    m = np.flatnonzero(s_ch == REF)
    tagged = rng.random(len(m)) < 0.1
    referrer[m[~tagged]] = _choice(rng, spec.referral_hosts, np.ones(len(spec.referral_hosts)), int((~tagged).sum()))
    utm_source[m[tagged]] = "partner-blog"
    utm_medium[m[tagged]] = "referral"

    m = np.flatnonzero(s_ch == EML)
    tool = spec.email_tool.lower()
    utm_source[m] = _variants(rng, len(m), [(tool, 0.7), ("newsletter", 0.25), (spec.email_tool, 0.05)])
    utm_medium[m] = _variants(rng, len(m), [("email", 0.85), ("Email", 0.1), ("EMAIL ", 0.05)])
    em_ids = plan.sources["email"].ids
    has = s_src[m] >= 0
    utm_campaign[m[has]] = em_ids[s_src[m[has]]]

    # ads
    m = np.flatnonzero((s_ch == ADS) & (s_src >= 0))
    ads = plan.sources["ads"]
    plat = ads.meta["platform"][s_src[m]]
    for p, src_opts, med_opts, refs in (
        ("google_ads", [("google", 0.9), ("Google", 0.07), (" google", 0.03)],
         [("cpc", 0.84), ("CPC", 0.05), (" CPC ", 0.03), (" cpc ", 0.03), ("ppc", 0.05)], [("www.google.com", 0.25), (None, 0.75)]),
        ("meta_ads", [("facebook", 0.78), ("Facebook", 0.1), ("instagram", 0.12)],
         [("paid_social", 0.8), ("Paid_Social", 0.08), ("paid", 0.12)],
         [("l.facebook.com", 0.12), ("l.instagram.com", 0.08), (None, 0.8)]),
        ("tiktok_ads", [("tiktok", 0.9), ("TikTok", 0.1)], [("paid_social", 0.85), ("paid", 0.15)], [(None, 1.0)]),
    ):
        mm = m[plat == p]
        if not len(mm):
            continue
        utm_source[mm] = _variants(rng, len(mm), src_opts)
        utm_medium[mm] = _variants(rng, len(mm), med_opts)
        referrer[mm] = _variants(rng, len(mm), refs)
    cids = ads.ids[s_src[m]]
    spaced = rng.random(len(m)) < 0.03
    cids[spaced] = " " + cids[spaced] + " "
    utm_campaign[m] = cids
    creative = rng.random(len(m)) < 0.6
    utm_content[m[creative]] = str_ids("ad-", rng.integers(100, 140, int(creative.sum())))

    # social: tagged post links, or untagged visits from the network
    m = np.flatnonzero((s_ch == SOC) & (s_src >= 0))
    soc = plan.sources["social"]
    plat = soc.meta["platform"][s_src[m]]
    untagged = rng.random(len(m)) < 0.15
    for p in np.unique(plat.astype(str)) if len(m) else []:
        refs = SOCIAL_REFERRERS.get(p, ("l.facebook.com",))
        sel = plat == p
        mu = m[sel & untagged]
        referrer[mu] = _choice(rng, refs, np.ones(len(refs)), len(mu))
        mt = m[sel & ~untagged]
        utm_source[mt] = _variants(rng, len(mt), [(p, 0.88), (p.capitalize(), 0.12)])
        half = rng.random(len(mt)) < 0.5
        referrer[mt[half]] = _choice(rng, refs, np.ones(len(refs)), int(half.sum()))
    mt = m[~untagged]
    utm_medium[mt] = _variants(rng, len(mt), [("social", 0.6), ("social-organic", 0.3), ("Social", 0.07),
                                              (" social ", 0.03)])
    pids = soc.ids[s_src[mt]]
    upper = rng.random(len(mt)) < 0.02
    pids[upper] = np.array([x.upper() for x in pids[upper]], dtype=object)
    utm_content[mt] = pids
    utm_campaign[mt[rng.random(len(mt)) < 0.4]] = "organic"

    # influencer
    m = np.flatnonzero((s_ch == INF) & (s_src >= 0))
    inf = plan.sources["influencer"]
    if len(m):
        plat = inf.meta["platform"][s_src[m]]
        utm_source[m] = plat
        cap = rng.random(len(m)) < 0.1
        utm_source[m[cap]] = np.array([p.capitalize() for p in plat[cap]], dtype=object)
        utm_medium[m] = _variants(rng, len(m), [("influencer", 0.8), ("Influencer", 0.12), (" influencer ", 0.05),
                                                ("INFLUENCER", 0.03)])
        camp = inf.meta["campaign_id"][s_src[m]]
        up = rng.random(len(m)) < 0.04
        camp[up] = np.array([x.upper() for x in camp[up]], dtype=object)
        utm_campaign[m] = camp
        utm_content[m] = inf.ids[s_src[m]]
        withref = rng.random(len(m)) < 0.3
        referrer[m[withref]] = np.array([INFLUENCER_PLATFORM_REFERRER.get(p, "l.instagram.com")
                                         for p in plat[withref]], dtype=object)

    # ids
    salt = (plan.index + 1) * 0x9E3779B1
    scrambled = (np.arange(n_visitor, dtype=np.uint64) * np.uint64(0x5DEECE66D) + np.uint64(salt)) % np.uint64(2**40)
    vis_str = np.array(list(map(("v" + code + "-").__add__, map("{:010x}".format, scrambled.tolist()))), dtype=object)
    cust_ids = np.full(n, None, dtype=object)
    has_c = s_cust >= 0
    cust_ids[has_c] = str_ids(f"cus-{code}-", s_cust[has_c] + 10001)
    data = dict(
        session_id=str_ids(f"ses-{code}-", np.arange(1, n + 1) + 10_000_000),
        store_id=spec.store_id, visitor_id=vis_str[s_vis], customer_id=cust_ids, started_at=s_t,
        duration_s=dur, pageviews=pv, bounced=bounced, landing_path=landing, referrer_host=referrer,
        utm_source=utm_source, utm_medium=utm_medium, utm_campaign=utm_campaign, utm_content=utm_content,
        _loaded_at=0,
    )
    data["_visitor_strings"] = vis_str
    data["_blog_landing"] = blog_landing
    return data


def _order_frame(plan, rng, T, oday, drv, seq, cust_str, vis_str, intro_src):
    spec = plan.spec
    n = len(T)
    dec = spec.decimals
    unit = 1000 if dec == 0 else 1  # JPY prices in tens of yen (hundredths: 1000)
    sigma = 0.55
    sub = spec.aov * np.exp(rng.normal(-sigma**2 / 2, sigma, n))
    sub_c = np.maximum(np.round(cents(sub, 2) / unit).astype(np.int64) * unit, 100 * (1 if dec else 100))
    if dec == 2:  # prices end in .95/.99/.00 often
        sub_c = (sub_c // 100) * 100 + rng.choice(np.array([0, 95, 99, 50]), size=n, p=[0.4, 0.3, 0.2, 0.1])
    moy = plan.moy[oday]
    # promo codes
    p_promo = np.where(moy == 11, 0.45, 0.27)
    promo = rng.random(n) < p_promo
    codes = np.full(n, None, dtype=object)
    pct = np.zeros(n)
    first = seq == 0
    r = rng.random(n)
    inf_src = plan.sources["influencer"]
    handles = inf_src.meta.get("handle")
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
    codes[vip] = _choice(rng, ["VIP15", "SPRING15", "SUMMER20"], [0.5, 0.3, 0.2], int(vip.sum()))
    pct[vip] = np.where(codes[vip] == "SUMMER20", 0.2, 0.15)
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


def _order_deliveries(plan, rng, drng, orders: Frame, T) -> Deliveries:
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


def _platform_frames(plan, rng, drng, counts, conv_counts) -> dict:
    spec = plan.spec
    out = {}
    # ---- ads ----
    a = plan.tables["ad_campaign_daily"]
    d, k = a["day"], a["camp"]
    sess = counts["ads"][d, k]
    conv = conv_counts["ads"][d, k]
    plat = a["platform"][k]
    track = np.where(plat == "google_ads", 0.72, np.where(plat == "meta_ads", 0.55, 0.5))
    clicks = sess + rng.poisson(sess * (1 / track - 1) + 0.3)
    ctr = a["ctr"][k]
    impressions = clicks + rng.poisson(clicks / ctr + 5)
    infl = np.where(plat == "google_ads", 1.25, np.where(plat == "meta_ads", 1.7, 1.9))
    pconv = (conv * infl + rng.poisson(conv * 0.3 + 0.05)) * rng.uniform(0.9, 1.1, len(d))
    final_conv = np.round(pconv * 100).astype(np.int64)
    ads = Frame("ad_campaign_daily", dict(
        store_id=spec.store_id, platform=plat, campaign_id=a["campaign_id"][k], campaign_name=a["campaign_name"][k],
        date=plan.day_epoch(d), impressions=impressions, clicks=clicks, spend=a["spend"],
        platform_conversions=final_conv, _loaded_at=0))
    # a day that is re-synced was first reported with fewer conversions (attribution windows)
    platforms, group = np.unique(plat.astype(str), return_inverse=True)
    rows, when = resync_days(drng, plan.n_days, d, group, len(platforms))
    first_conv = final_conv.copy()
    restated = np.unique(rows)
    first_conv[restated] = np.floor(final_conv[restated] * drng.uniform(0.6, 0.9, len(restated))).astype(np.int64)
    out["ad_campaign_daily"] = Deliveries(
        ads, np.concatenate([np.arange(ads.n), rows]), np.concatenate([d, when]),
        {"platform_conversions": np.concatenate([first_conv, final_conv[rows]])})
    # ---- social ----
    s = plan.tables["social_posts_daily"]
    p, d = s["post"], s["day"]
    sess = counts["social"][d, p]
    clicks = sess + rng.poisson(sess * 0.6 + 0.2)
    social = Deliveries.once(Frame("social_posts_daily", dict(
        store_id=spec.store_id, post_id=s["post_ids"][p], platform=s["platform"][p], date=plan.day_epoch(d),
        impressions=np.maximum(s["impressions"], clicks), engagements=np.maximum(s["engagements"], clicks),
        clicks=clicks, spend=s["spend"], _loaded_at=0)), d)
    out["social_posts_daily"] = social.with_redeliveries(*resync_days(drng, plan.n_days, d, np.zeros_like(d), 1))
    # ---- SEO article stats ----
    b = plan.tables["blog_articles"]
    n_pub = b["n_pub"]
    pub_day, arch = b["pub_day"][:n_pub], b["archive_day"][:n_pub]
    first = np.maximum(pub_day, 0)
    last = np.minimum(arch - 1, plan.n_days - 1)
    lens = np.maximum(last - first + 1, 0)
    aa = np.repeat(np.arange(n_pub), lens)
    dd = np.concatenate([np.arange(f, f + l) for f, l in zip(first, lens)]) if len(aa) else np.zeros(0, np.int64)
    sess = counts["seo"][dd, aa]
    clicks = sess + rng.poisson(sess * 0.25 + 0.15)
    age = dd - pub_day[aa]
    p_start = rng.uniform(18, 45, n_pub)
    p_final = np.exp(rng.normal(np.log(7), 0.5, n_pub))
    position = np.clip(p_final[aa] + (p_start[aa] - p_final[aa]) * np.exp(-age / 60.0)
                       + rng.normal(0, 0.8, len(aa)), 1.0, 99.0)
    ctr = np.clip(0.05 * (position / 3.0) ** -0.6, 0.01, 0.05)
    impressions = clicks + rng.poisson((clicks + 0.1) / ctr)
    pageviews = np.round(clicks * rng.uniform(1.1, 1.6, len(aa))).astype(np.int64) + rng.poisson(0.3, len(aa))
    uniq = np.round(pageviews * rng.uniform(0.8, 0.95, len(aa))).astype(np.int64)
    no_pv = pageviews == 0
    top = np.round(np.exp(rng.normal(np.log(95), 0.4, len(aa))) * 100).astype(np.int64)
    bounce = np.round(rng.uniform(0.45, 0.85, len(aa)) * 10000).astype(np.int64)
    out["article_daily_stats"] = Deliveries.once(Frame("article_daily_stats", dict(
        store_id=spec.store_id, article_id=b["article_id"][aa], date=plan.day_epoch(dd), impressions=impressions,
        organic_clicks=clicks, avg_position=np.round(position * 100).astype(np.int64), pageviews=pageviews,
        unique_visitors=uniq, avg_time_on_page_s=top, bounce_rate=bounce, _loaded_at=0),
        masks={"avg_time_on_page_s": no_pv, "bounce_rate": no_pv}), dd)
    out["influencer_deliveries"] = _delivery_reports(plan, rng, drng, counts["influencer"])
    return out


REPORT_DAYS = 7  # a post's metrics are re-reported daily as they grow, final (verified) after a week
PLANNED_TOUCH_P = 0.1  # a planned delivery is touched (re-delivered unchanged) on 10 % of days


def _delivery_reports(plan, rng, drng, sessions_by_day: np.ndarray) -> Deliveries:
    """Influencer deliveries over time: planned from the contract's acceptance (and touched now
    and then while planned), then missed, or posted with cumulative metrics re-reported daily
    until verified (see plan._plan_influencer)."""
    dv = plan.tables["influencer_deliveries"]
    ct = plan.tables["influencer_contracts"]
    n_dv = len(dv["delivery_id"])
    frame = Frame("influencer_deliveries", dict(
        delivery_id=dv["delivery_id"], contract_id=dv["contract_id"], deliverable_type=dv["deliverable_type"],
        platform=dv["platform"], post_date=0, status="planned", reach=0, impressions=0, engagements=0, clicks=0,
        _loaded_at=0))
    if not n_dv:
        return Deliveries(frame, np.zeros(0), np.zeros(0))
    fol = ct["followers"][dv["contract"]]
    factor = np.where(dv["deliverable_type"] == "story", 0.5, 1.0)
    reach = np.round(fol * rng.uniform(0.06, 0.3, n_dv) * factor).astype(np.int64)
    impr = np.round(reach * rng.uniform(1.1, 1.7, n_dv)).astype(np.int64)
    eng = np.round(impr * rng.uniform(0.02, 0.08, n_dv)).astype(np.int64)
    sessions_to_date = np.cumsum(sessions_by_day[:, :n_dv], axis=0)  # (days, deliveries)
    extra_clicks = rng.poisson(sessions_by_day[:, :n_dv].sum(axis=0) * 0.6 + 1, n_dv)  # untracked clicks
    planned_day = plan.clock.day_index(ct["accepted_at"][dv["contract"]])
    posted = np.flatnonzero(dv["posted"])
    missed = np.flatnonzero(~dv["posted"])
    # events: (delivery, day, status, reported share of the final metrics; -1 = no metrics)
    ev_row = [np.arange(n_dv), missed]
    ev_day = [planned_day, dv["missed_day"][missed]]
    ev_status = [np.full(n_dv, "planned", dtype=object), np.full(len(missed), "missed", dtype=object)]
    ev_age = [np.full(n_dv, -1), np.full(len(missed), -1)]
    for age in range(REPORT_DAYS + 1):
        ev_row.append(posted)
        ev_day.append(dv["post_day"][posted] + age)
        ev_status.append(np.full(len(posted), "verified" if age == REPORT_DAYS else "posted", dtype=object))
        ev_age.append(np.full(len(posted), age))
    row, day, status, age = (np.concatenate(x) for x in (ev_row, ev_day, ev_status, ev_age))
    share = np.where(age >= REPORT_DAYS, 1.0, 1.0 - 0.5 ** (age + 1.0))
    report_day = np.clip(dv["post_day"][row] + np.minimum(age, REPORT_DAYS), 0, plan.n_days - 1)
    clicks = sessions_to_date[report_day, row] + np.round(extra_clicks[row] * share).astype(np.int64)
    no_metrics = age < 0
    values = {"status": status, "post_date": plan.day_epoch(dv["post_day"][row]),
              "reach": np.round(reach[row] * share).astype(np.int64),
              "impressions": np.round(impr[row] * share).astype(np.int64),
              "engagements": np.round(eng[row] * share).astype(np.int64), "clicks": clicks}
    nulls = {c: no_metrics for c in ("post_date", "reach", "impressions", "engagements", "clicks")}
    reports = Deliveries.from_events(frame, row, day, np.arange(len(row)), values, nulls)
    planned_until = np.minimum(np.where(dv["posted"], dv["post_day"], dv["missed_day"]), plan.n_days)
    return reports.with_redeliveries(*touch_days(drng, planned_day, planned_until, PLANNED_TOUCH_P))
