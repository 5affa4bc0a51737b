"""Social: organic posts (a post every ~2 days, each seen for 10-21 days) and always-on boosts,
the scheduling tool, the UTM tags of post visits and the platform report (social_posts_daily)."""
from __future__ import annotations

import numpy as np

from ..clock import DAY
from ..deliveries import Deliveries, resync_days
from ..planning import BUDGET_SIGMA, ChannelPlan, PlanContext, Sources
from ..stores import SOCIAL_REFERRERS
from ..tabular import Frame
from .tagging import SessionTags, choice, variants


def _posts(ctx: PlanContext) -> dict:
    """Every post of the world (from 21 days before it): day, platform, id, life, boost, reach."""
    rng, n, spec = ctx.rng, ctx.n, ctx.spec
    n_posts_span = ctx.hist + 21
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
    followers0 = 12000 * ctx.scale * np.exp(rng.normal(0, 0.3, len(plat_names)))
    plat_pos = {p: i for i, p in enumerate(plat_names.tolist())}
    plat_idx = np.array([plat_pos[p] for p in post_platform.tolist()], dtype=np.int64)
    reach0 = followers0[plat_idx] * (1 + 0.8 * np.clip((post_days + 21) / n_posts_span, 0, None)) * \
        np.exp(rng.normal(np.log(0.09), 0.5, n_post))
    return dict(day=post_days, platform=post_platform, ids=post_ids, life=post_life, boosted=boosted,
                boost_len=boost_len, hour=post_hour, reach0=reach0)


def _post_days(posts: dict, end_idx: int):
    """(post, day) of every day a post is seen within the world."""
    pd_post, pd_day = [], []
    for p in range(len(posts["day"])):
        d0 = max(posts["day"][p], 0)
        d1 = min(posts["day"][p] + posts["life"][p] - 1, end_idx)
        if d1 >= d0:
            pd_post.append(np.full(d1 - d0 + 1, p))
            pd_day.append(np.arange(d0, d1 + 1))
    return np.concatenate(pd_post), np.concatenate(pd_day)


def _boost_spend(ctx: PlanContext, soc_mult, weights, pd_day) -> np.ndarray:
    """Each month's boost budget split over that month's boosted post-days by weight (cents)."""
    n_months, month_idx = ctx.n_months, ctx.month_idx
    boost_budget_m = np.zeros(n_months)
    for m in range(n_months):
        days_m = int((month_idx == m).sum())
        boost_budget_m[m] = ctx.spend_target["social"] * 0.9 * soc_mult[m] * days_m
    m_of_row = month_idx[pd_day]
    bw_month = np.bincount(m_of_row, weights=weights, minlength=n_months)
    month_weight = np.where(bw_month[m_of_row] > 0, bw_month[m_of_row], 1)
    return ctx.money(np.where(weights > 0, boost_budget_m[m_of_row] * weights / month_weight, 0.0))


def plan_social(ctx: PlanContext) -> ChannelPlan:
    """Posts, their organic and paid reach, boost spend by month, and the scheduling tool billed
    on the first of every month."""
    rng, n, start = ctx.rng, ctx.n, ctx.start
    soc_mult = ctx.budget_mult(BUDGET_SIGMA["social"])
    posts = _posts(ctx)
    pd_post, pd_day = _post_days(posts, ctx.end_idx)
    age = pd_day - posts["day"][pd_post]
    organic = posts["reach0"][pd_post] * 0.5 ** age * np.exp(rng.normal(0, 0.2, len(pd_post)))
    is_boost_day = posts["boosted"][pd_post] & (age < posts["boost_len"][pd_post])
    bw = np.exp(rng.normal(0, 0.3, len(pd_post))) * is_boost_day
    spend_rows = _boost_spend(ctx, soc_mult, bw, pd_day)
    cpm = 7.0 * ctx.spec.fx * np.exp(rng.normal(0, 0.2, len(pd_post)))
    paid_impr = spend_rows / 100.0 / cpm * 1000
    impressions = np.round(organic + paid_impr).astype(np.int64)
    er = np.exp(rng.normal(np.log(0.035), 0.4, len(pd_post)))
    tables = {"social_posts_daily": dict(post=pd_post, day=pd_day, impressions=impressions,
                                         engagements=np.round(impressions * er).astype(np.int64), spend=spend_rows,
                                         post_ids=posts["ids"], platform=posts["platform"])}
    social_tool = ctx.round_price(ctx.spend_target["social"] * 0.1 * 30.4)
    W_soc = np.zeros((n, len(posts["day"])))
    np.add.at(W_soc, (pd_day, pd_post), organic + 2 * paid_impr)
    post_start = ctx.clock.to_utc((ctx.start_day + posts["day"]) * DAY + posts["hour"] * 3600)
    sources = Sources(W=W_soc, start_utc=post_start, ids=posts["ids"], meta=dict(platform=posts["platform"]))
    soc_daily = np.bincount(pd_day, weights=spend_rows / 100.0, minlength=n)
    tool_daily = np.zeros(n)
    for ms in ctx.month_starts:
        first = max((ms - start).days, 0)
        ctx.ledger_rows.append(("social", "tool", None, first, int(ctx.money(social_tool).item()),
                                "Later social scheduling subscription"))
        tool_daily[first] += int(ctx.money(social_tool).item()) / 100.0  # booked on its billing day
    budget = float(ctx.spend_target["social"] * 0.9 * ctx.recent_mean(soc_mult) * 30.4 + social_tool)
    return ChannelPlan(driver=soc_daily + tool_daily, sources=sources, activity=W_soc.sum(axis=1), budget=budget,
                       tables=tables, platform_cost=round(float(spend_rows.sum() / 100), 2))


def tag_sessions(rng, plan, m: np.ndarray, s_src: np.ndarray, tags: SessionTags) -> None:
    """Post visits `m`: tagged post links (the post id in utm_content), or untagged visits from the
    network (15 %)."""
    soc = plan.sources["social"]
    plat = soc.meta["platform"][s_src[m]]
    untagged = rng.random(len(m)) < 0.15
    for p in np.unique(plat.astype(str)) if len(m) else []:
        refs = SOCIAL_REFERRERS.get(p, ("l.facebook.com",))
        sel = plat == p
        mu = m[sel & untagged]
        tags.referrer[mu] = choice(rng, refs, np.ones(len(refs)), len(mu))
        mt = m[sel & ~untagged]
        tags.utm_source[mt] = variants(rng, len(mt), [(p, 0.88), (p.capitalize(), 0.12)])
        half = rng.random(len(mt)) < 0.5
        tags.referrer[mt[half]] = choice(rng, refs, np.ones(len(refs)), int(half.sum()))
    mt = m[~untagged]
    tags.utm_medium[mt] = variants(rng, len(mt), [("social", 0.6), ("social-organic", 0.3), ("Social", 0.07),
                                                  (" social ", 0.03)])
    pids = soc.ids[s_src[mt]]
    upper = rng.random(len(mt)) < 0.02
    pids[upper] = np.array([x.upper() for x in pids[upper]], dtype=object)
    tags.utm_content[mt] = pids
    tags.utm_campaign[mt[rng.random(len(mt)) < 0.4]] = "organic"


def platform_deliveries(plan, rng, drng, sessions: np.ndarray) -> Deliveries:
    """social_posts_daily from the visits each post produced; re-synced unchanged now and then."""
    s = plan.tables["social_posts_daily"]
    p, d = s["post"], s["day"]
    sess = sessions[d, p]
    clicks = sess + rng.poisson(sess * 0.6 + 0.2)
    social = Deliveries.once(Frame("social_posts_daily", dict(
        store_id=plan.spec.store_id, post_id=s["post_ids"][p], platform=s["platform"][p], date=plan.day_epoch(d),
        impressions=np.maximum(s["impressions"], clicks), engagements=np.maximum(s["engagements"], clicks),
        clicks=clicks, spend=s["spend"], _loaded_at=0)), d)
    return social.with_redeliveries(*resync_days(drng, plan.n_days, d, np.zeros_like(d), 1))
