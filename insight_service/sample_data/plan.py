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
its curve with a chosen ROAS). The heavy part (orders, sessions) lives in journeys.py.

The true response model (what `SampleData.truth` holds and the orders are drawn from):

    revenue[d] = curve.daily_revenue(driver)[d]      (Hill on geometric adstock, curves.py)
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

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .clock import DAY, LocalClock, epoch_day
from insight_service.optimizer.response import ResponseCurve, adstock
from .stores import (BUDGET_SEASON, CARRYOVER_RANGE, INDUSTRY_NICHE, INDUSTRY_TOPICS, LOCAL_TITLES,
                     PAID_CHANNELS, SEASON, SHAPE_RANGE, SPECIAL_TITLES, TITLE_TEMPLATES, StoreSpec,
                     slugify)

BURN_IN_DAYS = 90
# expected net revenue (subtotal - discount - refund) of a created order, per unit of AOV:
# promo on 30% of orders at ~14% off, refunds ~3.7% of net, ~3% cancelled/pending.
NET_REVENUE_FACTOR = (1 - 0.30 * 0.14) * (1 - 0.037) * 0.97
# non-converting sessions per order, split over channels (converting journeys add ~2.2)
NONCONV_PER_ORDER = 4.0
NONCONV_SHARE = dict(seo=0.26, ads=0.2, social=0.18, direct=0.14, influencer=0.06, referral=0.08, email=0.08)
# monthly budget multipliers: AR(1) on the log scale, sd BUDGET_SIGMA, weak persistence BUDGET_PHI
# (budgets are re-set every month: a typical month differs from the previous one by 20-40 %)
BUDGET_PHI = 0.3
BUDGET_SIGMA = dict(ads=0.3, social=0.3, seo=0.3, email=0.25)


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


def _black_friday(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    first_fri = nov1 + dt.timedelta(days=(4 - nov1.weekday()) % 7)
    return first_fri + dt.timedelta(days=21)


def build_influencer_pool(rng: np.random.Generator, n: int = 160) -> dict:
    from .stores import HANDLE_SUFFIX, HANDLE_WORDS, NICHES
    platform = rng.choice(np.array(["instagram", "tiktok", "youtube"], dtype=object), size=n, p=[0.5, 0.32, 0.18])
    followers = np.clip(np.exp(rng.normal(np.log(45000), 1.3, size=n)), 2500, 3_500_000).astype(np.int64)
    niche = rng.choice(np.array(NICHES, dtype=object), size=n)
    handles = []
    seen = set()
    for i in range(n):
        while True:
            h = f"{HANDLE_WORDS[rng.integers(len(HANDLE_WORDS))]}.{HANDLE_SUFFIX[rng.integers(len(HANDLE_SUFFIX))]}"
            if rng.random() < 0.5:
                h += str(rng.integers(1, 99))
            if h not in seen:
                seen.add(h)
                break
        handles.append(h)
    ids = np.array([f"inf-{10001 + i * 7}" for i in range(n)], dtype=object)
    return dict(influencer_id=ids, platform=platform, handle=np.array(handles, dtype=object),
                followers=followers, niche=niche)


def build_plan(spec: StoreSpec, index: int, seed: int, scale: float, start: dt.date, anchor: dt.date,
               world_end: dt.date, pool: dict) -> StorePlan:
    """The store's plan over the world [start, world_end]; `anchor` is the generated end date."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, index, 1])))
    n = (world_end - start).days + 1
    start_day = epoch_day(start)
    end_idx = n - 1
    anchor_idx = (anchor - start).days
    hist = anchor_idx + 1  # days of history: what the store's figures are calibrated on
    clock = LocalClock(spec.timezone, start_day, n)
    dow, moy, month_idx, month_starts, dim = _month_table(start, n)
    n_months = len(month_starts)
    dec = spec.decimals
    fx = spec.fx
    t_frac = np.arange(n) / max(hist - 1, 1)  # 0 .. 1 over the history, on beyond it

    # ---- demand targets ----
    D = spec.daily_orders * scale
    r_avg = D * spec.aov * NET_REVENUE_FACTOR
    shares = {c: spec.share[c] for c in PAID_CHANNELS}
    tot = sum(shares.values())
    rev_target = {c: spec.channel_share * r_avg * shares[c] / tot for c in PAID_CHANNELS}
    spend_target = {c: rev_target[c] / spec.roas[c] for c in PAID_CHANNELS}
    carry = {c: float(rng.uniform(*CARRYOVER_RANGE[c])) for c in PAID_CHANNELS}
    shape = {c: float(rng.uniform(*SHAPE_RANGE[c])) for c in PAID_CHANNELS}
    position = {c: spec.position[c] * float(rng.uniform(0.88, 1.12)) for c in PAID_CHANNELS}

    growth = 1 + float(rng.uniform(0.3, 0.6)) * t_frac
    bf_boost = np.ones(n)
    for y in sorted({d.year for d in month_starts}):
        bf = _black_friday(y)
        for k, f in ((-1, 1.3), (0, 2.1), (1, 1.7), (2, 1.4), (3, 1.9)):  # ... Cyber Monday
            i = (bf + dt.timedelta(days=k) - start).days
            if 0 <= i < n:
                bf_boost[i] = f
    weekly = np.array(spec.weekly)[dow]
    demand_shape = SEASON[moy - 1] * weekly * growth * bf_boost
    demand_shape /= demand_shape[:hist].mean()
    baseline_lambda = D * (1 - spec.channel_share) * demand_shape

    # monthly budget multipliers
    anchor_month = int(month_idx[anchor_idx])
    hist_months = anchor_month + 1

    def recent_mean(per_month):
        """Mean of the three months up to the anchor's: what "current" budgets are set from."""
        return float(per_month[max(anchor_month - 2, 0):anchor_month + 1].mean())

    def budget_mult(sigma, seasonal=True, growth_rate=0.3):
        # budgets are re-set every month (promotions, cash flow, tests): weakly persistent changes
        m = _ar1(rng, n_months, sigma, BUDGET_PHI) * (1 + growth_rate * np.arange(n_months) / max(hist_months - 1, 1))
        if seasonal:
            m = m * BUDGET_SEASON[np.array([d.month for d in month_starts]) - 1]
        return _day_weighted_normalise(m, month_idx, hist)

    tables: dict = {}
    ledger_rows: list = []  # (channel, source_type, source_id, day, amount_cents, description)
    drivers: dict = {}
    sources: dict = {}
    activity: dict = {}
    budgets: dict = {}

    def money(x):
        return cents(x, dec)

    def round_price(x_usd_like):
        """A human price in store currency (whole units; tens for JPY)."""
        v = float(x_usd_like)
        if dec == 0:
            return float(max(10, round(v / 10) * 10))
        return float(max(1, round(v)))

    # ================= ADS =================
    ads_mult = budget_mult(BUDGET_SIGMA["ads"])
    templates = []
    topic = INDUSTRY_TOPICS[spec.industry][0].title()
    for platform in spec.ads_platforms:
        if platform == "google_ads":
            templates += [(platform, "Brand Search", 0.14, 0.0, 1.0, 0.06),
                          (platform, "Shopping - All Products", 0.26, 0.0, 1.0, 0.012),
                          (platform, f"Generic Search - {topic}", 0.14, 0.0, 0.65, 0.045),
                          (platform, "Performance Max - Catalog", 0.22, 0.45, 1.0, 0.018)]
        elif platform == "meta_ads":
            templates += [(platform, "Prospecting - Broad", 0.2, 0.0, 1.0, 0.011),
                          (platform, "Retargeting - 30d Visitors", 0.1, 0.0, 1.0, 0.016),
                          (platform, "Advantage+ Shopping", 0.15, 0.6, 1.0, 0.013)]
        elif platform == "tiktok_ads":
            templates += [(platform, "Spark Ads - Creators", 0.14, 0.3, 1.0, 0.008)]
    camp_rows = []
    for platform, name, share, f0, f1, ctr in templates:
        d0 = int(round(f0 * hist))
        d1 = int(round(f1 * hist)) - 1 if f1 < 1 else end_idx
        if d1 < d0:
            d0, d1 = 0, end_idx
        camp_rows.append((platform, name, share, d0, d1, ctr, 0.0))
    # seasonal bursts
    for y in sorted({d.year for d in month_starts}):
        bf = _black_friday(y)
        d0, d1 = (bf - dt.timedelta(days=12) - start).days, (bf + dt.timedelta(days=4) - start).days
        if d1 >= 0 and d0 <= end_idx:
            platform = "meta_ads" if "meta_ads" in spec.ads_platforms else spec.ads_platforms[0]
            camp_rows.append((platform, f"Black Friday {y}", 0.45, max(d0, 0), min(d1, end_idx), 0.014, 0.7))
        d0, d1 = (dt.date(y, 7, 1) - start).days, (dt.date(y, 7, 14) - start).days
        if d1 >= 0 and d0 <= end_idx and index % 2 == 0:
            camp_rows.append(("google_ads", f"Summer Sale {y}", 0.3, max(d0, 0), min(d1, end_idx), 0.03, 0.35))
    n_camp = len(camp_rows)
    camp_platform = np.array([r[0] for r in camp_rows], dtype=object)
    camp_name = np.array([r[1] for r in camp_rows], dtype=object)
    used = set()
    camp_ids = []
    for p in camp_platform:
        while True:
            if p == "google_ads":
                cid = str(int(rng.integers(10**10, 10**11)))
            elif p == "meta_ads":
                cid = "2385" + str(int(rng.integers(10**12, 10**13)))
            else:
                cid = "17" + str(int(rng.integers(10**16, 10**17)))
            if cid not in used:
                used.add(cid)
                break
        camp_ids.append(cid)
    camp_ids = np.array(camp_ids, dtype=object)
    active = np.zeros((n, n_camp), dtype=bool)
    burst = np.zeros(n)
    for k, r in enumerate(camp_rows):
        active[r[3]:r[4] + 1, k] = True
        burst[r[3]:r[4] + 1] = np.maximum(burst[r[3]:r[4] + 1], r[6])
    ads_weekly = np.array([1.02, 1.03, 1.02, 1.0, 0.97, 0.95, 1.01])[dow]
    total_ads = spend_target["ads"] * ads_mult[month_idx] * ads_weekly * np.exp(rng.normal(0, 0.1, n)) * (1 + burst)
    total_ads *= spend_target["ads"] / total_ads[:hist].mean()
    w = np.array([r[2] for r in camp_rows])[None, :] * np.exp(rng.normal(0, 0.2, (n, n_camp))) * active
    w_sum = w.sum(axis=1, keepdims=True)
    w_sum[w_sum == 0] = 1
    camp_spend = money(total_ads[:, None] * w / w_sum) * active
    drivers["ads"] = camp_spend.sum(axis=1) / 100.0
    camp_ctr = np.array([r[5] for r in camp_rows]) * np.exp(rng.normal(0, 0.15, n_camp))
    camp_start_utc = clock.local_midnight_utc(np.array([r[3] for r in camp_rows]))
    sources["ads"] = Sources(W=camp_spend.astype(float) + active * 1e-3, start_utc=camp_start_utc, ids=camp_ids,
                             meta=dict(platform=camp_platform, name=camp_name))
    activity["ads"] = drivers["ads"].copy()
    dd, kk = np.nonzero(active)
    tables["ad_campaign_daily"] = dict(day=dd, camp=kk, spend=camp_spend[dd, kk], ctr=camp_ctr,
                                       platform=camp_platform, campaign_id=camp_ids, campaign_name=camp_name)
    budgets["ads"] = float(spend_target["ads"] * recent_mean(ads_mult) * 30.4)
    # a promotional credit from the ads platform lands in the ledger (legitimately negative)
    credit_day = int(rng.integers(hist // 4, max(hist // 4 + 1, hist - 1)))
    ledger_rows.append(("ads", "other", None, credit_day,
                        -int(money(round_price(spend_target["ads"] * rng.uniform(1.5, 3.0))).item()),
                        "Google Ads promotional credit"))

    # ================= SOCIAL =================
    soc_mult = budget_mult(BUDGET_SIGMA["social"])
    n_posts_span = hist + 21
    post_days = []
    for d in range(-21, n):
        k = rng.poisson(0.5)
        if d % 4 == 0 and k == 0:
            k = 1
        post_days += [d] * k
    post_days = np.array(post_days, dtype=np.int64)
    n_post = len(post_days)
    plat_names = np.array(spec.social_platforms, dtype=object)
    post_platform = plat_names[rng.choice(len(plat_names), size=n_post,
                                          p=np.array([0.5, 0.3, 0.2][:len(plat_names)]) /
                                          sum([0.5, 0.3, 0.2][:len(plat_names)]))]
    post_ids = np.array([f"post-{spec.code}-{100001 + i}" for i in range(n_post)], dtype=object)
    post_life = rng.integers(10, 22, n_post)
    boosted = rng.random(n_post) < 0.5  # always-on boosting: most days have a boosted post
    boost_len = rng.integers(5, 13, n_post)
    post_hour = rng.integers(8, 21, n_post)
    followers0 = 12000 * scale * np.exp(rng.normal(0, 0.3, len(plat_names)))
    plat_pos = {p: i for i, p in enumerate(plat_names.tolist())}
    plat_idx = np.array([plat_pos[p] for p in post_platform.tolist()], dtype=np.int64)
    reach0 = followers0[plat_idx] * (1 + 0.8 * np.clip((post_days + 21) / n_posts_span, 0, None)) * \
        np.exp(rng.normal(np.log(0.09), 0.5, n_post))
    # post-day rows within history
    pd_post, pd_day = [], []
    for p in range(n_post):
        d0 = max(post_days[p], 0)
        d1 = min(post_days[p] + post_life[p] - 1, end_idx)
        if d1 >= d0:
            pd_post.append(np.full(d1 - d0 + 1, p))
            pd_day.append(np.arange(d0, d1 + 1))
    pd_post = np.concatenate(pd_post)
    pd_day = np.concatenate(pd_day)
    age = pd_day - post_days[pd_post]
    organic = reach0[pd_post] * 0.5 ** age * np.exp(rng.normal(0, 0.2, len(pd_post)))
    is_boost_day = boosted[pd_post] & (age < boost_len[pd_post])
    boost_budget_m = np.zeros(n_months)
    for m in range(n_months):
        days_m = int((month_idx == m).sum())
        boost_budget_m[m] = spend_target["social"] * 0.9 * soc_mult[m] * days_m
    bw = np.exp(rng.normal(0, 0.3, len(pd_post))) * is_boost_day
    m_of_row = month_idx[pd_day]
    bw_month = np.bincount(m_of_row, weights=bw, minlength=n_months)
    spend_rows = np.where(bw > 0, boost_budget_m[m_of_row] * bw / np.where(bw_month[m_of_row] > 0, bw_month[m_of_row], 1), 0.0)
    spend_rows = money(spend_rows)
    cpm = 7.0 * fx * np.exp(rng.normal(0, 0.2, len(pd_post)))
    paid_impr = spend_rows / 100.0 / cpm * 1000
    impressions = np.round(organic + paid_impr).astype(np.int64)
    er = np.exp(rng.normal(np.log(0.035), 0.4, len(pd_post)))
    tables["social_posts_daily"] = dict(post=pd_post, day=pd_day, impressions=impressions,
                                        engagements=np.round(impressions * er).astype(np.int64), spend=spend_rows,
                                        post_ids=post_ids, platform=post_platform)
    social_tool = round_price(spend_target["social"] * 0.1 * 30.4)
    W_soc = np.zeros((n, n_post))
    np.add.at(W_soc, (pd_day, pd_post), organic + 2 * paid_impr)
    post_start = clock.to_utc((start_day + post_days) * DAY + post_hour * 3600)
    sources["social"] = Sources(W=W_soc, start_utc=post_start, ids=post_ids, meta=dict(platform=post_platform))
    activity["social"] = W_soc.sum(axis=1)
    soc_daily = np.bincount(pd_day, weights=spend_rows / 100.0, minlength=n)
    tool_daily = np.zeros(n)
    for m, ms in enumerate(month_starts):
        first = max((ms - start).days, 0)
        ledger_rows.append(("social", "tool", None, first, int(money(social_tool).item()),
                            "Later social scheduling subscription"))
        tool_daily[first] += int(money(social_tool).item()) / 100.0  # booked on its billing day
    drivers["social"] = soc_daily + tool_daily
    budgets["social"] = float(spend_target["social"] * 0.9 * recent_mean(soc_mult) * 30.4 + social_tool)

    # ================= SEO =================
    seo_mult = budget_mult(BUDGET_SIGMA["seo"], seasonal=False, growth_rate=0.2)
    topics = INDUSTRY_TOPICS[spec.industry]
    art_pub_day = []
    for _ in range(12):  # evergreen articles from before the window
        art_pub_day.append(-int(rng.integers(30, 420)))
    for m, ms in enumerate(month_starts):
        days = np.flatnonzero(month_idx == m)
        k = 1 + rng.poisson(3.0 * seo_mult[m])
        # content calendar: the month's articles go out at a steady rhythm (jittered)
        slots = days[0] + (np.arange(k) + rng.uniform(0.2, 0.8, k)) * len(days) / k
        art_pub_day += np.clip(slots.astype(np.int64), days[0], days[-1]).tolist()
    n_pub = len(art_pub_day)
    art_pub_day = np.array(art_pub_day, dtype=np.int64)
    # the CMS life of an article: draft (created 3-40 days before publication), scheduled 2-25
    # days ahead for 60 % of them, published, archived 90-400 days later for 8 %; four drafts
    # are abandoned (never published). Every step is a status change the CMS delivers.
    n_draft = 4
    n_art = n_pub + n_draft
    archive_day = np.full(n_art, 10**6, dtype=np.int64)
    archive_after = rng.integers(90, 400, n_pub)
    arch = np.flatnonzero(rng.random(n_pub) < 0.08)
    archive_day[arch] = art_pub_day[arch] + archive_after[arch]
    titles, slugs, keywords = [], [], []
    # adversarial titles (markup/quotes, a prompt injection, a tab and a backslash) in two stores
    special = {0: {1: SPECIAL_TITLES[0], 4: SPECIAL_TITLES[1], 7: "Back\\slash & tab\there: a style memo"},
               1: {2: SPECIAL_TITLES[1]}}.get(index, {})
    local = list(LOCAL_TITLES.get(spec.store_id, []))
    for a in range(n_art):
        topic_a = topics[int(rng.integers(len(topics)))]
        tpl = TITLE_TEMPLATES[int(rng.integers(len(TITLE_TEMPLATES)))]
        title = tpl.format(n=int(rng.integers(3, 15)), Topic=topic_a[0].upper() + topic_a[1:])
        if a in special and a < n_art:
            title = special[a]
        elif local and rng.random() < 0.15:
            title = local.pop(0)
        titles.append(title)
        slugs.append(slugify(title, "article") + f"-{1001 + a}")
        keywords.append(topic_a.lower())
    art_ids = np.array([f"art-{spec.code}-{1001 + a}" for a in range(n_art)], dtype=object)
    pub_hour = rng.integers(6, 12, n_art)
    published_at = np.zeros(n_art, dtype=np.int64)
    published_at[:n_pub] = clock.to_utc((start_day + art_pub_day) * DAY + pub_hour[:n_pub] * 3600)
    created_at = published_at - rng.integers(3, 40, n_art) * DAY
    created_at[n_pub:] = clock.to_utc((start_day + rng.integers(0, n, n_draft)) * DAY + 10 * 3600)
    lead = rng.integers(2, 26, n_art)
    scheduled_at = clock.to_utc((start_day + np.append(art_pub_day, np.zeros(n_draft, np.int64)) - lead) * DAY
                                + 15 * 3600)
    scheduled_at[(rng.random(n_art) >= 0.6) | (scheduled_at <= created_at + 3600)] = 0  # straight to published
    scheduled_at[n_pub:] = 0
    archived_at = np.where(archive_day < 10**6, clock.to_utc((start_day + archive_day) * DAY + 11 * 3600), 0)
    tables["blog_articles"] = dict(article_id=art_ids, title=np.array(titles, dtype=object),
                                   slug=np.array(slugs, dtype=object), target_keyword=np.array(keywords, dtype=object),
                                   created_at=created_at, scheduled_at=scheduled_at, published_at=published_at,
                                   archived_at=archived_at, n_pub=n_pub, pub_day=art_pub_day, archive_day=archive_day)
    popularity = np.exp(rng.normal(0, 1.0, n_pub))
    days = np.arange(n)[:, None]
    age = days - art_pub_day[None, :]
    W_seo = popularity[None, :] * np.where(age > 0, 1 - np.exp(-np.maximum(age, 0) / 35.0), 0.0)
    W_seo *= days < archive_day[None, :n_pub]
    W_seo *= (1 + 0.3 * (days / hist))  # domain authority grows
    seo_weekly = np.array([1.04, 1.05, 1.04, 1.02, 0.97, 0.86, 0.95])[dow]
    sources["seo"] = Sources(W=W_seo, start_utc=published_at[:n_pub], ids=art_ids[:n_pub],
                             meta=dict(slug=np.array(slugs[:n_pub], dtype=object)))
    activity["seo"] = W_seo.sum(axis=1) * seo_weekly
    # costs: writer fees on publication + tool subscription
    seo_tool = round_price(spend_target["seo"] * 0.2 * 30.4)
    content_m = np.array([spend_target["seo"] * 0.8 * seo_mult[m] * (month_idx == m).sum() for m in range(n_months)])
    in_window = np.flatnonzero(art_pub_day >= 0)
    fee = np.zeros(n_pub)
    for m in range(n_months):
        arts = in_window[month_idx[art_pub_day[in_window]] == m]
        if len(arts):
            w_ = np.exp(rng.normal(0, 0.2, len(arts)))
            fee[arts] = content_m[m] * w_ / w_.sum()
    fee_c = money(fee)
    seo_drv = np.zeros(n)
    for a in in_window:
        seo_drv[art_pub_day[a]] += fee_c[a] / 100.0  # booked on the publication day
        ledger_rows.append(("seo", "article", art_ids[a], int(art_pub_day[a]), int(fee_c[a]),
                            f"Article writing fee: {titles[a][:60]}"))
    seo_tool_daily = np.zeros(n)
    credit_m = int(rng.integers(0, n_months))
    for m, ms in enumerate(month_starts):
        first = max((ms - start).days, 0)
        ledger_rows.append(("seo", "tool", None, first, int(money(seo_tool).item()), "Semrush Guru subscription"))
        seo_tool_daily[first] += int(money(seo_tool).item()) / 100.0  # booked on its billing day
        if m == credit_m:  # a credit is an accounting correction, not activity: not part of the driver
            ledger_rows.append(("seo", "tool", None, min(first + 3, end_idx), -int(money(seo_tool * 0.5).item()),
                                "Semrush credit: downgraded plan (prorated)"))
    drivers["seo"] = seo_drv + seo_tool_daily
    budgets["seo"] = float(spend_target["seo"] * 0.8 * recent_mean(seo_mult) * 30.4 + seo_tool)

    # ================= EMAIL =================
    # Usage-based pricing: the email platform bills every send (contacts x price per email) on
    # the day it goes out. Newsletters go out twice a week to a segment of the growing list
    # (everyone, engaged, VIP...), so the cost of a send varies; the monthly email budget moves
    # like the other channels' (promotion calendar, list growth).
    list_growth = 1 + 0.5 * t_frac
    email_mult = budget_mult(BUDGET_SIGMA["email"], growth_rate=0.0)
    send_dows = {0: (1, 4), 1: (1, 3), 2: (2, 5), 3: (0, 3), 4: (1, 4)}[index % 5]
    send_days = np.flatnonzero(np.isin(dow, send_dows))
    segment = np.clip(np.exp(rng.normal(np.log(0.6), 0.45, len(send_days))), 0.15, 1.0)  # share of the list
    send_w = segment * list_growth[send_days] * email_mult[month_idx[send_days]]
    # average daily email cost over the history = target
    send_cost = spend_target["email"] * hist * send_w / send_w[send_days < hist].sum()
    unit = 10.0 if dec == 0 else 1.0  # billed in whole currency units (tens of yen)
    send_c = money(np.maximum(np.round(send_cost / unit) * unit, unit))
    per_email = 0.0009 * fx  # ~ USD 0.90 per thousand emails
    contacts = np.maximum(np.round(send_c / 100.0 / per_email), 1).astype(np.int64)
    nl_names = [f"nl-{start + dt.timedelta(days=int(d)):%Y-%m-%d}" for d in send_days]
    email_daily = np.zeros(n)
    for j, d in enumerate(send_days):
        ledger_rows.append(("email", "tool", None, int(d), int(send_c[j]),
                            f"{spec.email_tool} send credits: {nl_names[j]} ({contacts[j]:,} contacts)"))
        email_daily[d] += send_c[j] / 100.0
    drivers["email"] = email_daily
    recent = (month_idx >= anchor_month - 2) & (np.arange(n) <= anchor_idx)
    budgets["email"] = float(email_daily[recent].sum() / recent.sum() * 30.4)  # the recent monthly level
    flows = ["flow-welcome", "flow-abandoned-cart", "flow-post-purchase"]
    n_src = len(send_days) + len(flows)
    W_em = np.zeros((n, n_src))
    for j, d in enumerate(send_days):
        for k, f in ((0, 1.0), (1, 0.35), (2, 0.12)):
            if d + k < n:
                W_em[d + k, j] = f * segment[j] * list_growth[d]
    W_em[:, len(send_days):] = 0.1 * list_growth[:, None]
    em_start = np.concatenate([clock.to_utc((start_day + send_days) * DAY + 9 * 3600),
                               np.full(len(flows), clock.to_utc(np.array([(start_day - 400) * DAY]))[0])])
    sources["email"] = Sources(W=W_em, start_utc=em_start, ids=np.array(nl_names + flows, dtype=object))
    activity["email"] = W_em.sum(axis=1)

    # ================= INFLUENCER =================
    inf = _plan_influencer(rng, spec, start, n, anchor_idx, clock, pool, spend_target["influencer"],
                           carry["influencer"], money, ledger_rows)
    tables.update(inf["tables"])
    drivers["influencer"] = inf["driver"]
    sources["influencer"] = inf["sources"]
    activity["influencer"] = inf["sources"].W.sum(axis=1)
    budgets["influencer"] = inf["budget"]

    # ================= curves (truth) =================
    curves, channel_revenue, channel_lambda = {}, {}, {}
    for c in PAID_CHANNELS:
        drv = np.maximum(drivers[c], 0.0)
        opening = drv[: min(60, n)].mean() if c != "influencer" else drv[:hist].mean()
        series = np.concatenate([np.full(BURN_IN_DAYS, opening), drv])
        a = adstock(series, carry[c])
        # calibrated on the history; on the whole world when the history has no spend at all (a
        # short history before a channel's first payment), lest a zero-spend calibration make
        # the first payment in the reserve worth millions
        days = slice(BURN_IN_DAYS, BURN_IN_DAYS + hist) if drv[:hist].sum() > 0 else slice(BURN_IN_DAYS, None)
        mean_a = a[days].mean()
        half = max(mean_a / position[c], 1e-6)
        unit = a ** shape[c] / (a ** shape[c] + half ** shape[c])
        beta = rev_target[c] * len(a[days]) / max(unit[days].sum(), 1e-9)
        curve = ResponseCurve(channel=c, beta=float(beta), half_saturation=float(half), shape=float(shape[c]),
                              carryover=float(carry[c]))
        curves[c] = curve
        rev = curve.daily_revenue(series)[BURN_IN_DAYS:]
        channel_revenue[c] = rev
        channel_lambda[c] = rev / (spec.aov * NET_REVENUE_FACTOR)
        if channel_lambda[c].max() > 1000 * max(D, 1.0):  # never let a calibration flaw allocate gigabytes
            raise ValueError(f"{spec.store_id}/{c}: implausible true curve (up to {channel_lambda[c].max():.3g} "
                             f"orders a day)")

    # free channels' activity follows demand
    activity["direct"] = demand_shape.copy()
    activity["referral"] = demand_shape.copy()
    nonconv_mean = {c: NONCONV_PER_ORDER * D * s for c, s in NONCONV_SHARE.items()}

    # ================= ledger =================
    ledger_rows.sort(key=lambda r: (r[3], r[0], r[1], str(r[2])))
    ledger = dict(
        channel=np.array([r[0] for r in ledger_rows], dtype=object),
        source_type=np.array([r[1] for r in ledger_rows], dtype=object),
        source_id=np.array([r[2] for r in ledger_rows], dtype=object),
        day=np.array([r[3] for r in ledger_rows], dtype=np.int64),
        amount=np.array([r[4] for r in ledger_rows], dtype=np.int64),
        description=np.array([r[5] for r in ledger_rows], dtype=object),
    )
    if spec.paused_channel:
        budgets[spec.paused_channel] = budgets[spec.paused_channel] or float(spend_target[spec.paused_channel] * 30.4)

    plan = StorePlan(
        spec=spec, index=index, scale=scale, start=start, end=world_end, n_days=n, start_day=start_day, clock=clock,
        dow=dow, moy=moy, month_idx=month_idx, month_starts=month_starts,
        days_in_month=dim, anchor_idx=anchor_idx, baseline_lambda=baseline_lambda, channel_lambda=channel_lambda,
        channel_revenue=channel_revenue, drivers=drivers, curves=curves, sources=sources, activity=activity,
        nonconv_mean=nonconv_mean, tables=tables, ledger=ledger, budgets=budgets,
    )
    # over the whole world: journeys.py mixes paid channels into journeys by these weights
    plan.totals = {
        c: {"driver_spend": round(float(drivers[c].sum()), 2), "true_revenue": round(float(channel_revenue[c].sum()), 2),
            "expected_orders": round(float(channel_lambda[c].sum()), 1),
            "ledger_cost": round(float(ledger["amount"][ledger["channel"] == c].sum() / 100), 2)}
        for c in PAID_CHANNELS
    }
    plan.totals["ads"]["platform_cost"] = round(float(camp_spend.sum() / 100), 2)
    plan.totals["social"]["platform_cost"] = round(float(spend_rows.sum() / 100), 2)
    plan.totals["baseline"] = {"expected_orders": round(float(baseline_lambda.sum()), 1)}
    return plan


NEVER = 10**6  # day index of something that does not happen in the world


def _campaign_schedule(rng, spec, end_idx, anchor_idx):
    """[start, end] day pairs: one campaign every ~2.5 months, each running until shortly after
    the next one starts (a running programme always has a live campaign); a paused programme
    started nothing in the ~100 days before the anchor, nor after it."""
    starts = []
    d = -int(rng.integers(10, 40))
    while d <= end_idx:
        starts.append(d)
        d += int(rng.integers(65, 95))
    camps = [[s0, s0 + int(rng.integers(35, 60))] for s0 in starts]
    for k in range(len(camps) - 1):
        camps[k][1] = max(camps[k][1], camps[k + 1][0] + int(rng.integers(0, 12)))
    if spec.paused_channel == "influencer":
        camps = [c for c in camps if c[0] < anchor_idx - 100]
    return camps


def _plan_influencer(rng, spec, start, n, anchor_idx, clock, pool, spend_target, carry, money, ledger_rows):
    """The influencer programme over the world, with the moment of every status change:

    campaign   draft (created 20-40 days before its start) -> active -> completed; one past
               campaign is cancelled a few days before it starts
    outreach   queued (with its campaign) -> sent (or bounced) -> opened -> replied / declined /
               accepted; a creator that never answers stays sent
    contract   pending (from the acceptance) -> signed (start) -> completed (after its end);
               6 % are cancelled before they start
    delivery   planned (from the acceptance) -> posted on its post day (metrics re-reported as
               they grow) -> verified a week later; 7 % are missed (known the next day), and
               every delivery of a cancelled contract is missed
    """
    end_idx = n - 1
    start_day = clock.start_day
    industry_niches = INDUSTRY_NICHE[spec.industry]
    niche_w = np.where(np.isin(pool["niche"].astype(str), industry_niches), 4.0, 1.0)
    niche_w /= niche_w.sum()
    camps = _campaign_schedule(rng, spec, end_idx, anchor_idx)
    n_c = len(camps)
    seasons = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring",
               6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Holiday"}
    c_ids, c_names, c_start, c_end, c_created, c_cancel = [], [], [], [], [], []
    past = [k for k in range(n_c) if camps[k][1] < anchor_idx]
    cancelled_k = past[len(past) // 2] if len(past) >= 3 else -1
    for k, (s0, s1) in enumerate(camps):
        sd = start + dt.timedelta(days=s0)
        c_ids.append(f"infc-{spec.code}-{101 + k}")
        c_names.append(f"{seasons[sd.month]} {sd.year} Creator Collab" + (" II" if k % 3 == 2 else ""))
        c_start.append(s0)
        c_end.append(s1)
        created_day = s0 - int(rng.integers(20, 40))
        c_created.append(clock.to_utc(np.array([(start_day + created_day) * DAY + 14 * 3600]))[0])
        c_cancel.append(s0 - int(rng.integers(1, 6)) if k == cancelled_k else NEVER)
    # outreach
    o_rows = []  # (campaign k, influencer idx, final status, sent, opened, replied)
    contracts = []  # (campaign k, influencer idx, accepted at)
    for k in range(n_c):
        m = int(rng.integers(10, 25))
        infl = rng.choice(len(pool["influencer_id"]), size=m, replace=False, p=niche_w)
        for j, ii in enumerate(infl):
            sent = c_created[k] + int(rng.integers(1, 12)) * DAY + int(rng.integers(0, 36000))
            u = rng.random()
            if j == 0 or j == 1:
                u = 0.99  # every campaign lands at least two creators
            status = ("bounced" if u < 0.08 else "sent" if u < 0.42 else "replied" if u < 0.49
                      else "declined" if u < 0.68 else "accepted")
            if c_cancel[k] < NEVER and status == "accepted":
                status = "replied"
            opened = sent + int(rng.integers(1800, 3 * DAY)) if status != "bounced" and (
                status != "sent" or rng.random() < 0.6) else None
            replied = ((opened or sent) + int(rng.integers(7200, 6 * DAY))) if status in (
                "replied", "declined", "accepted") else None
            o_rows.append((k, ii, status, sent, opened, replied))
            if status == "accepted":
                contracts.append((k, ii, replied))
    # contracts: they start after the acceptance
    fol = pool["followers"]
    raw_fee = np.array([(80 + fol[ii] * 0.012) * rng.uniform(0.7, 1.4) for _, ii, _ in contracts])
    ct_start, ct_end, ct_accept, ct_cancel = [], [], [], []
    for k, ii, accepted in contracts:
        accept_day = int(clock.day_index(np.array([accepted]))[0])
        s0 = c_start[k] + int(rng.integers(0, max(8, (c_end[k] - c_start[k]) // 2)))
        s1 = min(s0 + int(rng.integers(14, 36)), c_end[k] + 7)
        s0 = max(s0, accept_day + 1)
        s1 = max(s1, s0 + 7)
        cancel = rng.random() < 0.06
        ct_start.append(s0)
        ct_end.append(s1)
        ct_accept.append(accepted)
        ct_cancel.append(int(rng.integers(accept_day, s0)) + 1 if cancel else NEVER)
    ct_start = np.array(ct_start, dtype=np.int64)
    ct_end = np.array(ct_end, dtype=np.int64)
    ct_cancel = np.array(ct_cancel, dtype=np.int64)
    ct_ids = np.array([f"ctr-{spec.code}-{2001 + j}" for j in range(len(contracts))], dtype=object)
    # deliveries
    dv_contract, dv_type, dv_platform, dv_post, dv_missed, dv_hour = [], [], [], [], [], []
    for j, (k, ii, _) in enumerate(contracts):
        n_d = min(1 + rng.poisson(0.8), 3)
        plat = pool["platform"][ii]
        for _ in range(n_d):
            span = max(int(ct_end[j] - ct_start[j]), 3)
            pdy = int(ct_start[j] + rng.integers(2, span + 1))
            missed = rng.random() < 0.07
            typ = ("video" if plat in ("tiktok", "youtube") else
                   ["post", "story", "reel"][int(rng.integers(3))])
            if ct_cancel[j] < NEVER:
                missed_day = int(ct_cancel[j])
            elif missed:
                missed_day = pdy + 1
            else:
                missed_day = NEVER
            dv_contract.append(j)
            dv_type.append(typ)
            dv_platform.append(plat)
            dv_post.append(pdy)
            dv_missed.append(missed_day)
            dv_hour.append(int(rng.integers(9, 22)))
    n_dv = len(dv_contract)
    dv_contract = np.array(dv_contract, dtype=np.int64)
    dv_post_day = np.array(dv_post, dtype=np.int64)
    dv_missed_day = np.array(dv_missed, dtype=np.int64)
    dv_posted = dv_missed_day == NEVER
    dv_ids = np.array([f"dlv-{spec.code}-{3001 + i}" for i in range(n_dv)], dtype=object)
    # fees: a creator is paid per delivered post, on the post date (the fee is split evenly over
    # the contract's deliveries; a missed delivery or a cancelled contract is not paid). Prices
    # are scaled so that the posts of the history cost spend_target per day on average.
    n_deliv = np.bincount(dv_contract, minlength=len(contracts)) if n_dv else np.zeros(len(contracts), np.int64)
    in_hist = dv_posted & (dv_post_day >= 0) & (dv_post_day <= end_idx)  # (of the world: all paid)
    priced = in_hist & (dv_post_day <= anchor_idx)
    denom = float(sum(raw_fee[j] / n_deliv[j] for j in dv_contract[priced])) if n_dv else 0.0
    if denom <= 0:  # short windows: no post inside it, price the contracts as usual
        denom = max(raw_fee.sum() * (anchor_idx + 1) / 365.0, 1e-9) if len(raw_fee) else 1.0
    fee_scale = spend_target * (anchor_idx + 1) / denom
    unit = 1000.0 if spec.decimals == 0 else 10.0
    fee = np.maximum(np.round(raw_fee * fee_scale / unit) * unit, unit)
    fee_c = money(fee)
    driver = np.zeros(n)
    W = np.zeros((n, max(n_dv, 1)))
    for i in np.flatnonzero(in_hist):
        j = dv_contract[i]
        p = int(dv_post_day[i])
        pay = int(money(max(np.round(fee[j] / n_deliv[j] / unit) * unit, unit)).item())  # whole units
        inf_i = contracts[j][1]
        k_of = int(np.sum(dv_contract[:i] == j)) + 1
        ledger_rows.append(("influencer", "contract", ct_ids[j], p, pay,
                            f"Creator fee @{pool['handle'][inf_i]} ({c_names[contracts[j][0]]}), "
                            f"delivery {k_of}/{n_deliv[j]}"))
        driver[p] += pay / 100.0
        contrib = np.zeros(n)
        contrib[p] = pay / 100.0
        W[:, i] = adstock(contrib, carry)
    dv_start = np.array([clock.to_utc(np.array([(start_day + max(p, 0)) * DAY + h * 3600]))[0]
                         for p, h in zip(dv_post_day, dv_hour)], dtype=np.int64) if n_dv else np.zeros(0, np.int64)
    cid_of_dv = np.array([c_ids[contracts[j][0]] for j in dv_contract], dtype=object) if n_dv else np.zeros(0, object)
    sources = Sources(W=W[:, :n_dv] if n_dv else W[:, :0], start_utc=dv_start, ids=dv_ids,
                      meta=dict(campaign_id=cid_of_dv, platform=np.array(dv_platform, dtype=object),
                                handle=np.array([pool["handle"][contracts[j][1]] for j in dv_contract], dtype=object)))
    # budgets per campaign
    budget_alloc = np.zeros(n_c)
    for j, (k, _, _) in enumerate(contracts):
        budget_alloc[k] += fee[j]
    for k in range(n_c):
        if budget_alloc[k] == 0:
            budget_alloc[k] = float(np.median(fee) * 3 if len(fee) else 1000.0)
        budget_alloc[k] *= rng.uniform(1.0, 1.25)
    budget = float(spend_target * 30.4)  # the programme's planned monthly spend
    tables = {
        "influencer_campaigns": dict(campaign_id=np.array(c_ids, dtype=object), name=np.array(c_names, dtype=object),
                                     budget=money(budget_alloc),
                                     start_day=np.array(c_start, dtype=np.int64), end_day=np.array(c_end, dtype=np.int64),
                                     created_at=np.array(c_created, dtype=np.int64),
                                     cancel_day=np.array(c_cancel, dtype=np.int64)),
        "influencer_outreach": dict(
            outreach_id=np.array([f"out-{spec.code}-{4001 + i}" for i in range(len(o_rows))], dtype=object),
            campaign=np.array([r[0] for r in o_rows], dtype=np.int64),
            campaign_id=np.array([c_ids[r[0]] for r in o_rows], dtype=object),
            influencer_id=np.array([pool["influencer_id"][r[1]] for r in o_rows], dtype=object),
            status=np.array([r[2] for r in o_rows], dtype=object),
            sent_at=[r[3] for r in o_rows], opened_at=[r[4] for r in o_rows], replied_at=[r[5] for r in o_rows]),
        "influencer_contracts": dict(contract_id=ct_ids,
                                     campaign_id=np.array([c_ids[k] for k, _, _ in contracts], dtype=object),
                                     influencer_id=np.array([pool["influencer_id"][ii] for _, ii, _ in contracts],
                                                            dtype=object),
                                     fee=fee_c, start_day=ct_start, end_day=ct_end,
                                     accepted_at=np.array(ct_accept, dtype=np.int64), cancel_day=ct_cancel,
                                     followers=np.array([fol[ii] for _, ii, _ in contracts], dtype=np.int64)),
        "influencer_deliveries": dict(delivery_id=dv_ids, contract=dv_contract,
                                      contract_id=ct_ids[dv_contract] if n_dv else np.zeros(0, object),
                                      deliverable_type=np.array(dv_type, dtype=object),
                                      platform=np.array(dv_platform, dtype=object), post_day=dv_post_day,
                                      posted=dv_posted, missed_day=dv_missed_day),
    }
    return dict(tables=tables, driver=driver, sources=sources, budget=budget)
