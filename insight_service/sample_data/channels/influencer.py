"""Influencer: the creator pool, the programme over the world (campaigns, outreach, contracts,
deliveries), creator fees paid per delivered post, the UTM tags of creator links, and the
delivery reports over time (influencer_deliveries).

The moment of every status change:

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
from __future__ import annotations

import datetime as dt

import numpy as np

from insight_service.optimizer.response import adstock

from ..clock import DAY
from ..deliveries import Deliveries, touch_days
from ..planning import NEVER, ChannelPlan, PlanContext, Sources
from ..stores import HANDLE_SUFFIX, HANDLE_WORDS, INDUSTRY_NICHE, INFLUENCER_PLATFORM_REFERRER, NICHES
from ..tabular import Frame
from .tagging import SessionTags, variants

SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring",
           6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Holiday"}
REPORT_DAYS = 7  # a post's metrics are re-reported daily as they grow, final (verified) after a week
PLANNED_TOUCH_P = 0.1  # a planned delivery is touched (re-delivered unchanged) on 10 % of days


def build_influencer_pool(rng: np.random.Generator, n: int = 160) -> dict:
    """The creators every store can hire: platform, followers, niche and a unique handle."""
    platform = rng.choice(np.array(["instagram", "tiktok", "youtube"], dtype=object), size=n, p=[0.5, 0.32, 0.18])
    followers = np.clip(np.exp(rng.normal(np.log(45000), 1.3, size=n)), 2500, 3_500_000).astype(np.int64)
    niche = rng.choice(np.array(NICHES, dtype=object), size=n)
    handles = []
    seen = set()
    for _ in range(n):
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


def _campaigns(ctx: PlanContext) -> dict:
    """Campaign ids, names, days, creation instants and the one cancelled campaign."""
    rng, spec, clock = ctx.rng, ctx.spec, ctx.clock
    camps = _campaign_schedule(rng, spec, ctx.end_idx, ctx.anchor_idx)
    c = dict(ids=[], names=[], start=[], end=[], created=[], cancel=[])
    past = [k for k in range(len(camps)) if camps[k][1] < ctx.anchor_idx]
    cancelled_k = past[len(past) // 2] if len(past) >= 3 else -1
    for k, (s0, s1) in enumerate(camps):
        sd = ctx.start + dt.timedelta(days=s0)
        c["ids"].append(f"infc-{spec.code}-{101 + k}")
        c["names"].append(f"{SEASONS[sd.month]} {sd.year} Creator Collab" + (" II" if k % 3 == 2 else ""))
        c["start"].append(s0)
        c["end"].append(s1)
        created_day = s0 - int(rng.integers(20, 40))
        c["created"].append(clock.to_utc(np.array([(ctx.start_day + created_day) * DAY + 14 * 3600]))[0])
        c["cancel"].append(s0 - int(rng.integers(1, 6)) if k == cancelled_k else NEVER)
    return c


def _outreach(ctx: PlanContext, c: dict):
    """Outreach rows (campaign k, creator, final status, sent, opened, replied) and the accepted
    ones as contracts (campaign k, creator, accepted at)."""
    rng, pool = ctx.rng, ctx.pool
    niche_w = np.where(np.isin(pool["niche"].astype(str), INDUSTRY_NICHE[ctx.spec.industry]), 4.0, 1.0)
    niche_w /= niche_w.sum()
    o_rows, contracts = [], []
    for k in range(len(c["ids"])):
        m = int(rng.integers(10, 25))
        infl = rng.choice(len(pool["influencer_id"]), size=m, replace=False, p=niche_w)
        for j, ii in enumerate(infl):
            sent = c["created"][k] + int(rng.integers(1, 12)) * DAY + int(rng.integers(0, 36000))
            u = rng.random()
            if j == 0 or j == 1:
                u = 0.99  # every campaign lands at least two creators
            status = ("bounced" if u < 0.08 else "sent" if u < 0.42 else "replied" if u < 0.49
                      else "declined" if u < 0.68 else "accepted")
            if c["cancel"][k] < NEVER and status == "accepted":
                status = "replied"
            opened = sent + int(rng.integers(1800, 3 * DAY)) if status != "bounced" and (
                status != "sent" or rng.random() < 0.6) else None
            replied = ((opened or sent) + int(rng.integers(7200, 6 * DAY))) if status in (
                "replied", "declined", "accepted") else None
            o_rows.append((k, ii, status, sent, opened, replied))
            if status == "accepted":
                contracts.append((k, ii, replied))
    return o_rows, contracts


def _contract_terms(ctx: PlanContext, c: dict, contracts: list) -> dict:
    """Raw fee (by followers), start and end days (after the acceptance) and cancellation day."""
    rng, fol = ctx.rng, ctx.pool["followers"]
    raw_fee = np.array([(80 + fol[ii] * 0.012) * rng.uniform(0.7, 1.4) for _, ii, _ in contracts])
    ct_start, ct_end, ct_accept, ct_cancel = [], [], [], []
    for k, _, accepted in contracts:
        accept_day = int(ctx.clock.day_index(np.array([accepted]))[0])
        s0 = c["start"][k] + int(rng.integers(0, max(8, (c["end"][k] - c["start"][k]) // 2)))
        s1 = min(s0 + int(rng.integers(14, 36)), c["end"][k] + 7)
        s0 = max(s0, accept_day + 1)
        s1 = max(s1, s0 + 7)
        cancel = rng.random() < 0.06
        ct_start.append(s0)
        ct_end.append(s1)
        ct_accept.append(accepted)
        ct_cancel.append(int(rng.integers(accept_day, s0)) + 1 if cancel else NEVER)
    return dict(raw_fee=raw_fee, start=np.array(ct_start, dtype=np.int64), end=np.array(ct_end, dtype=np.int64),
                accepted=ct_accept, cancel=np.array(ct_cancel, dtype=np.int64),
                ids=np.array([f"ctr-{ctx.spec.code}-{2001 + j}" for j in range(len(contracts))], dtype=object))


def _deliveries(ctx: PlanContext, contracts: list, ct: dict) -> dict:
    """1-3 posts per contract inside its term: type, platform, post day, missed day, hour."""
    rng = ctx.rng
    dv = dict(contract=[], type=[], platform=[], post=[], missed=[], hour=[])
    for j, (_, ii, _) in enumerate(contracts):
        n_d = min(1 + rng.poisson(0.8), 3)
        plat = ctx.pool["platform"][ii]
        for _ in range(n_d):
            span = max(int(ct["end"][j] - ct["start"][j]), 3)
            pdy = int(ct["start"][j] + rng.integers(2, span + 1))
            missed = rng.random() < 0.07
            typ = ("video" if plat in ("tiktok", "youtube") else
                   ["post", "story", "reel"][int(rng.integers(3))])
            if ct["cancel"][j] < NEVER:
                missed_day = int(ct["cancel"][j])
            elif missed:
                missed_day = pdy + 1
            else:
                missed_day = NEVER
            dv["contract"].append(j)
            dv["type"].append(typ)
            dv["platform"].append(plat)
            dv["post"].append(pdy)
            dv["missed"].append(missed_day)
            dv["hour"].append(int(rng.integers(9, 22)))
    missed_day = np.array(dv["missed"], dtype=np.int64)
    return dict(contract=np.array(dv["contract"], dtype=np.int64), type=dv["type"], platform=dv["platform"],
                post_day=np.array(dv["post"], dtype=np.int64), missed_day=missed_day, posted=missed_day == NEVER,
                hour=dv["hour"], ids=np.array([f"dlv-{ctx.spec.code}-{3001 + i}" for i in range(len(dv["post"]))],
                                              dtype=object))


def _contract_fees(ctx: PlanContext, ct: dict, dv: dict, n_deliv: np.ndarray, unit: float) -> np.ndarray:
    """Prices scaled so that the posts of the history cost spend_target per day on average."""
    spend_target, anchor_idx, raw_fee = ctx.spend_target["influencer"], ctx.anchor_idx, ct["raw_fee"]
    n_dv = len(dv["contract"])
    in_world = dv["posted"] & (dv["post_day"] >= 0) & (dv["post_day"] <= ctx.end_idx)
    priced = in_world & (dv["post_day"] <= anchor_idx)
    denom = float(sum(raw_fee[j] / n_deliv[j] for j in dv["contract"][priced])) if n_dv else 0.0
    if denom <= 0:  # short windows: no post inside it, price the contracts as usual
        denom = max(raw_fee.sum() * (anchor_idx + 1) / 365.0, 1e-9) if len(raw_fee) else 1.0
    fee_scale = spend_target * (anchor_idx + 1) / denom
    return np.maximum(np.round(raw_fee * fee_scale / unit) * unit, unit)


def _pay_deliveries(ctx: PlanContext, c: dict, contracts: list, ct: dict, dv: dict, fee, n_deliv, unit):
    """A creator is paid per delivered post, on the post date (the fee split evenly over the
    contract's deliveries; a missed delivery or a cancelled contract is not paid): ledger rows,
    the daily driver and each delivery's adstocked weight (its touches)."""
    n, n_dv, pool = ctx.n, len(dv["contract"]), ctx.pool
    in_world = dv["posted"] & (dv["post_day"] >= 0) & (dv["post_day"] <= ctx.end_idx)
    driver = np.zeros(n)
    W = np.zeros((n, max(n_dv, 1)))
    for i in np.flatnonzero(in_world):
        j = dv["contract"][i]
        p = int(dv["post_day"][i])
        pay = int(ctx.money(max(np.round(fee[j] / n_deliv[j] / unit) * unit, unit)).item())  # whole units
        inf_i = contracts[j][1]
        k_of = int(np.sum(dv["contract"][:i] == j)) + 1
        ctx.ledger_rows.append(("influencer", "contract", ct["ids"][j], p, pay,
                                f"Creator fee @{pool['handle'][inf_i]} ({c['names'][contracts[j][0]]}), "
                                f"delivery {k_of}/{n_deliv[j]}"))
        driver[p] += pay / 100.0
        contrib = np.zeros(n)
        contrib[p] = pay / 100.0
        W[:, i] = adstock(contrib, ctx.carry["influencer"])
    return driver, W[:, :n_dv] if n_dv else W[:, :0]


def _delivery_sources(ctx: PlanContext, c: dict, contracts: list, dv: dict, W: np.ndarray) -> Sources:
    n_dv = len(dv["contract"])
    """Each delivery as a source of touches: live from its post's hour, weighted by its paid fee."""
    if n_dv:
        dv_start = np.array([ctx.clock.to_utc(np.array([(ctx.start_day + max(p, 0)) * DAY + h * 3600]))[0]
                             for p, h in zip(dv["post_day"], dv["hour"])], dtype=np.int64)
        cid_of_dv = np.array([c["ids"][contracts[j][0]] for j in dv["contract"]], dtype=object)
    else:
        dv_start, cid_of_dv = np.zeros(0, np.int64), np.zeros(0, object)
    handles = np.array([ctx.pool["handle"][contracts[j][1]] for j in dv["contract"]], dtype=object)
    return Sources(W=W, start_utc=dv_start, ids=dv["ids"],
                   meta=dict(campaign_id=cid_of_dv, platform=np.array(dv["platform"], dtype=object), handle=handles))


def _campaign_budgets(ctx: PlanContext, c: dict, contracts: list, fee: np.ndarray) -> np.ndarray:
    """A campaign's budget: its contracts' fees (or three median fees) plus 0-25 % headroom."""
    n_c = len(c["ids"])
    budget_alloc = np.zeros(n_c)
    for j, (k, _, _) in enumerate(contracts):
        budget_alloc[k] += fee[j]
    for k in range(n_c):
        if budget_alloc[k] == 0:
            budget_alloc[k] = float(np.median(fee) * 3 if len(fee) else 1000.0)
        budget_alloc[k] *= ctx.rng.uniform(1.0, 1.25)
    return budget_alloc


def _tables(ctx: PlanContext, c: dict, o_rows: list, contracts: list, ct: dict, dv: dict, fee, budget_alloc) -> dict:
    pool, n_dv = ctx.pool, len(dv["contract"])
    return {
        "influencer_campaigns": dict(
            campaign_id=np.array(c["ids"], dtype=object), name=np.array(c["names"], dtype=object),
            budget=ctx.money(budget_alloc), start_day=np.array(c["start"], dtype=np.int64),
            end_day=np.array(c["end"], dtype=np.int64), created_at=np.array(c["created"], dtype=np.int64),
            cancel_day=np.array(c["cancel"], dtype=np.int64)),
        "influencer_outreach": dict(
            outreach_id=np.array([f"out-{ctx.spec.code}-{4001 + i}" for i in range(len(o_rows))], dtype=object),
            campaign=np.array([r[0] for r in o_rows], dtype=np.int64),
            campaign_id=np.array([c["ids"][r[0]] for r in o_rows], dtype=object),
            influencer_id=np.array([pool["influencer_id"][r[1]] for r in o_rows], dtype=object),
            status=np.array([r[2] for r in o_rows], dtype=object),
            sent_at=[r[3] for r in o_rows], opened_at=[r[4] for r in o_rows], replied_at=[r[5] for r in o_rows]),
        "influencer_contracts": dict(
            contract_id=ct["ids"], campaign_id=np.array([c["ids"][k] for k, _, _ in contracts], dtype=object),
            influencer_id=np.array([pool["influencer_id"][ii] for _, ii, _ in contracts], dtype=object),
            fee=ctx.money(fee), start_day=ct["start"], end_day=ct["end"],
            accepted_at=np.array(ct["accepted"], dtype=np.int64), cancel_day=ct["cancel"],
            followers=np.array([pool["followers"][ii] for _, ii, _ in contracts], dtype=np.int64)),
        "influencer_deliveries": dict(
            delivery_id=dv["ids"], contract=dv["contract"],
            contract_id=ct["ids"][dv["contract"]] if n_dv else np.zeros(0, object),
            deliverable_type=np.array(dv["type"], dtype=object), platform=np.array(dv["platform"], dtype=object),
            post_day=dv["post_day"], posted=dv["posted"], missed_day=dv["missed_day"]),
    }


def plan_influencer(ctx: PlanContext) -> ChannelPlan:
    """The programme over the world (see the module docstring) and its cost: creator fees paid
    per delivered post on the post date."""
    c = _campaigns(ctx)
    o_rows, contracts = _outreach(ctx, c)
    ct = _contract_terms(ctx, c, contracts)
    dv = _deliveries(ctx, contracts, ct)
    n_deliv = (np.bincount(dv["contract"], minlength=len(contracts)) if len(dv["contract"])
               else np.zeros(len(contracts), np.int64))
    unit = 1000.0 if ctx.spec.decimals == 0 else 10.0
    fee = _contract_fees(ctx, ct, dv, n_deliv, unit)
    driver, W = _pay_deliveries(ctx, c, contracts, ct, dv, fee, n_deliv, unit)
    sources = _delivery_sources(ctx, c, contracts, dv, W)
    budget_alloc = _campaign_budgets(ctx, c, contracts, fee)
    budget = float(ctx.spend_target["influencer"] * 30.4)  # the programme's planned monthly spend
    return ChannelPlan(driver=driver, sources=sources, activity=sources.W.sum(axis=1), budget=budget,
                       tables=_tables(ctx, c, o_rows, contracts, ct, dv, fee, budget_alloc))


def tag_sessions(rng, plan, m: np.ndarray, s_src: np.ndarray, tags: SessionTags) -> None:
    """Creator link visits `m`: the creator's platform, influencer medium variants, the campaign
    (4 % upper-cased) and the delivery id; a platform referrer on 30 %."""
    if not len(m):
        return
    inf = plan.sources["influencer"]
    plat = inf.meta["platform"][s_src[m]]
    tags.utm_source[m] = plat
    cap = rng.random(len(m)) < 0.1
    tags.utm_source[m[cap]] = np.array([p.capitalize() for p in plat[cap]], dtype=object)
    tags.utm_medium[m] = variants(rng, len(m), [("influencer", 0.8), ("Influencer", 0.12), (" influencer ", 0.05),
                                                ("INFLUENCER", 0.03)])
    camp = inf.meta["campaign_id"][s_src[m]]
    up = rng.random(len(m)) < 0.04
    camp[up] = np.array([x.upper() for x in camp[up]], dtype=object)
    tags.utm_campaign[m] = camp
    tags.utm_content[m] = inf.ids[s_src[m]]
    withref = rng.random(len(m)) < 0.3
    tags.referrer[m[withref]] = np.array([INFLUENCER_PLATFORM_REFERRER.get(p, "l.instagram.com")
                                          for p in plat[withref]], dtype=object)


def _metric_events(dv: dict, planned_day: np.ndarray):
    """(delivery, day, status, age) of every report: planned, missed, or posted then re-reported
    daily for REPORT_DAYS days, verified at the end (age -1: no metrics)."""
    n_dv = len(dv["delivery_id"])
    posted = np.flatnonzero(dv["posted"])
    missed = np.flatnonzero(~dv["posted"])
    ev_row = [np.arange(n_dv), missed]
    ev_day = [planned_day, dv["missed_day"][missed]]
    ev_status = [np.full(n_dv, "planned", dtype=object), np.full(len(missed), "missed", dtype=object)]
    ev_age = [np.full(n_dv, -1), np.full(len(missed), -1)]
    for age in range(REPORT_DAYS + 1):
        ev_row.append(posted)
        ev_day.append(dv["post_day"][posted] + age)
        ev_status.append(np.full(len(posted), "verified" if age == REPORT_DAYS else "posted", dtype=object))
        ev_age.append(np.full(len(posted), age))
    return (np.concatenate(x) for x in (ev_row, ev_day, ev_status, ev_age))


def delivery_reports(plan, rng, drng, sessions_by_day: np.ndarray) -> Deliveries:
    """Influencer deliveries over time: planned from the contract's acceptance (and touched now
    and then while planned), then missed, or posted with cumulative metrics re-reported daily
    until verified."""
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
    row, day, status, age = _metric_events(dv, planned_day)
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
