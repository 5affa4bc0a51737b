"""Ads: campaigns per ad platform (always-on, launched later, seasonal bursts), their daily spend,
the UTM tags of their sessions and the platform's daily report (ad_campaign_daily)."""
from __future__ import annotations

import datetime as dt

import numpy as np

from ..deliveries import Deliveries, resync_days
from ..planning import BUDGET_SIGMA, ChannelPlan, PlanContext, Sources, black_friday
from ..stores import INDUSTRY_TOPICS
from ..tabular import Frame, str_ids
from .tagging import SessionTags, variants


def _campaign_templates(ctx: PlanContext) -> list:
    """(platform, name, share of spend, start and end as fractions of the history, CTR)."""
    templates = []
    topic = INDUSTRY_TOPICS[ctx.spec.industry][0].title()
    for platform in ctx.spec.ads_platforms:
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
    return templates


def _campaign_rows(ctx: PlanContext) -> list:
    """(platform, name, share, first day, last day, CTR, burst) of every campaign of the world."""
    hist, end_idx, start = ctx.hist, ctx.end_idx, ctx.start
    camp_rows = []
    for platform, name, share, f0, f1, ctr in _campaign_templates(ctx):
        d0 = int(round(f0 * hist))
        d1 = int(round(f1 * hist)) - 1 if f1 < 1 else end_idx
        if d1 < d0:
            d0, d1 = 0, end_idx
        camp_rows.append((platform, name, share, d0, d1, ctr, 0.0))
    # seasonal bursts
    for y in sorted({d.year for d in ctx.month_starts}):
        bf = black_friday(y)
        d0, d1 = (bf - dt.timedelta(days=12) - start).days, (bf + dt.timedelta(days=4) - start).days
        if d1 >= 0 and d0 <= end_idx:
            platform = "meta_ads" if "meta_ads" in ctx.spec.ads_platforms else ctx.spec.ads_platforms[0]
            camp_rows.append((platform, f"Black Friday {y}", 0.45, max(d0, 0), min(d1, end_idx), 0.014, 0.7))
        d0, d1 = (dt.date(y, 7, 1) - start).days, (dt.date(y, 7, 14) - start).days
        if d1 >= 0 and d0 <= end_idx and ctx.index % 2 == 0:
            camp_rows.append(("google_ads", f"Summer Sale {y}", 0.3, max(d0, 0), min(d1, end_idx), 0.03, 0.35))
    return camp_rows


def _campaign_ids(rng, camp_platform) -> np.ndarray:
    """Unique ids in each platform's format."""
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
    return np.array(camp_ids, dtype=object)


def plan_ads(ctx: PlanContext) -> ChannelPlan:
    """Daily spend per campaign: the monthly budget, weekday rhythm, noise and bursts, split over
    the live campaigns; plus a promotional credit in the ledger."""
    rng, n, hist, spend_target = ctx.rng, ctx.n, ctx.hist, ctx.spend_target
    ads_mult = ctx.budget_mult(BUDGET_SIGMA["ads"])
    camp_rows = _campaign_rows(ctx)
    n_camp = len(camp_rows)
    camp_platform = np.array([r[0] for r in camp_rows], dtype=object)
    camp_name = np.array([r[1] for r in camp_rows], dtype=object)
    camp_ids = _campaign_ids(rng, camp_platform)
    active = np.zeros((n, n_camp), dtype=bool)
    burst = np.zeros(n)
    for k, r in enumerate(camp_rows):
        active[r[3]:r[4] + 1, k] = True
        burst[r[3]:r[4] + 1] = np.maximum(burst[r[3]:r[4] + 1], r[6])
    ads_weekly = np.array([1.02, 1.03, 1.02, 1.0, 0.97, 0.95, 1.01])[ctx.dow]
    total_ads = spend_target["ads"] * ads_mult[ctx.month_idx] * ads_weekly * np.exp(rng.normal(0, 0.1, n)) * (1 + burst)
    total_ads *= spend_target["ads"] / total_ads[:hist].mean()
    w = np.array([r[2] for r in camp_rows])[None, :] * np.exp(rng.normal(0, 0.2, (n, n_camp))) * active
    w_sum = w.sum(axis=1, keepdims=True)
    w_sum[w_sum == 0] = 1
    camp_spend = ctx.money(total_ads[:, None] * w / w_sum) * active
    driver = camp_spend.sum(axis=1) / 100.0
    camp_ctr = np.array([r[5] for r in camp_rows]) * np.exp(rng.normal(0, 0.15, n_camp))
    camp_start_utc = ctx.clock.local_midnight_utc(np.array([r[3] for r in camp_rows]))
    sources = Sources(W=camp_spend.astype(float) + active * 1e-3, start_utc=camp_start_utc, ids=camp_ids,
                      meta=dict(platform=camp_platform, name=camp_name))
    dd, kk = np.nonzero(active)
    tables = {"ad_campaign_daily": dict(day=dd, camp=kk, spend=camp_spend[dd, kk], ctr=camp_ctr,
                                        platform=camp_platform, campaign_id=camp_ids, campaign_name=camp_name)}
    budget = float(spend_target["ads"] * ctx.recent_mean(ads_mult) * 30.4)
    # a promotional credit from the ads platform lands in the ledger (legitimately negative)
    credit_day = int(rng.integers(hist // 4, max(hist // 4 + 1, hist - 1)))
    ctx.ledger_rows.append(("ads", "other", None, credit_day,
                            -int(ctx.money(ctx.round_price(spend_target["ads"] * rng.uniform(1.5, 3.0))).item()),
                            "Google Ads promotional credit"))
    return ChannelPlan(driver=driver, sources=sources, activity=driver.copy(), budget=budget, tables=tables,
                       platform_cost=round(float(camp_spend.sum() / 100), 2))


# per platform: utm_source, utm_medium and referrer variants (weights)
_PLATFORM_TAGS = (
    ("google_ads", [("google", 0.9), ("Google", 0.07), (" google", 0.03)],
     [("cpc", 0.84), ("CPC", 0.05), (" CPC ", 0.03), (" cpc ", 0.03), ("ppc", 0.05)],
     [("www.google.com", 0.25), (None, 0.75)]),
    ("meta_ads", [("facebook", 0.78), ("Facebook", 0.1), ("instagram", 0.12)],
     [("paid_social", 0.8), ("Paid_Social", 0.08), ("paid", 0.12)],
     [("l.facebook.com", 0.12), ("l.instagram.com", 0.08), (None, 0.8)]),
    ("tiktok_ads", [("tiktok", 0.9), ("TikTok", 0.1)], [("paid_social", 0.85), ("paid", 0.15)], [(None, 1.0)]),
)


def tag_sessions(rng, plan, m: np.ndarray, s_src: np.ndarray, tags: SessionTags) -> None:
    """Ad clicks `m` (session indices with a campaign): the platform's utm variants, the campaign id
    (sometimes padded with spaces) and a creative id on 60 %."""
    ads = plan.sources["ads"]
    plat = ads.meta["platform"][s_src[m]]
    for p, src_opts, med_opts, refs in _PLATFORM_TAGS:
        mm = m[plat == p]
        if not len(mm):
            continue
        tags.utm_source[mm] = variants(rng, len(mm), src_opts)
        tags.utm_medium[mm] = variants(rng, len(mm), med_opts)
        tags.referrer[mm] = variants(rng, len(mm), refs)
    cids = ads.ids[s_src[m]]
    spaced = rng.random(len(m)) < 0.03
    cids[spaced] = " " + cids[spaced] + " "
    tags.utm_campaign[m] = cids
    creative = rng.random(len(m)) < 0.6
    tags.utm_content[m[creative]] = str_ids("ad-", rng.integers(100, 140, int(creative.sum())))


def platform_deliveries(plan, rng, drng, sessions: np.ndarray, conversions: np.ndarray) -> Deliveries:
    """ad_campaign_daily from the sessions each campaign produced: clicks beyond the tracked ones,
    impressions by CTR, platform-inflated conversions; a re-synced day was first reported with
    fewer conversions (attribution windows)."""
    a = plan.tables["ad_campaign_daily"]
    d, k = a["day"], a["camp"]
    sess = sessions[d, k]
    conv = conversions[d, k]
    plat = a["platform"][k]
    track = np.where(plat == "google_ads", 0.72, np.where(plat == "meta_ads", 0.55, 0.5))
    clicks = sess + rng.poisson(sess * (1 / track - 1) + 0.3)
    ctr = a["ctr"][k]
    impressions = clicks + rng.poisson(clicks / ctr + 5)
    infl = np.where(plat == "google_ads", 1.25, np.where(plat == "meta_ads", 1.7, 1.9))
    pconv = (conv * infl + rng.poisson(conv * 0.3 + 0.05)) * rng.uniform(0.9, 1.1, len(d))
    final_conv = np.round(pconv * 100).astype(np.int64)
    ads = Frame("ad_campaign_daily", dict(
        store_id=plan.spec.store_id, platform=plat, campaign_id=a["campaign_id"][k],
        campaign_name=a["campaign_name"][k], date=plan.day_epoch(d), impressions=impressions, clicks=clicks,
        spend=a["spend"], platform_conversions=final_conv, _loaded_at=0))
    platforms, group = np.unique(plat.astype(str), return_inverse=True)
    rows, when = resync_days(drng, plan.n_days, d, group, len(platforms))
    first_conv = final_conv.copy()
    restated = np.unique(rows)
    first_conv[restated] = np.floor(final_conv[restated] * drng.uniform(0.6, 0.9, len(restated))).astype(np.int64)
    return Deliveries(ads, np.concatenate([np.arange(ads.n), rows]), np.concatenate([d, when]),
                      {"platform_conversions": np.concatenate([first_conv, final_conv[rows]])})
