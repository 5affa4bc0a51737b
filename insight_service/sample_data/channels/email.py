"""Email: newsletter sends billed per send (usage-based pricing) plus always-on flows, and the UTM
tags of email visits."""
from __future__ import annotations

import datetime as dt

import numpy as np

from ..clock import DAY
from ..planning import BUDGET_SIGMA, ChannelPlan, PlanContext, Sources
from .tagging import SessionTags, variants

FLOWS = ["flow-welcome", "flow-abandoned-cart", "flow-post-purchase"]
# the two weekdays each store sends on, by store index % 5
SEND_WEEKDAYS = {0: (1, 4), 1: (1, 3), 2: (2, 5), 3: (0, 3), 4: (1, 4)}


def plan_email(ctx: PlanContext) -> ChannelPlan:
    """Usage-based pricing: the email platform bills every send (contacts x price per email) on
    the day it goes out. Newsletters go out twice a week to a segment of the growing list
    (everyone, engaged, VIP...), so the cost of a send varies; the monthly email budget moves
    like the other channels' (promotion calendar, list growth)."""
    rng, n, hist, spec = ctx.rng, ctx.n, ctx.hist, ctx.spec
    list_growth = 1 + 0.5 * ctx.t_frac
    email_mult = ctx.budget_mult(BUDGET_SIGMA["email"], growth_rate=0.0)
    send_days = np.flatnonzero(np.isin(ctx.dow, SEND_WEEKDAYS[ctx.index % 5]))
    segment = np.clip(np.exp(rng.normal(np.log(0.6), 0.45, len(send_days))), 0.15, 1.0)  # share of the list
    send_w = segment * list_growth[send_days] * email_mult[ctx.month_idx[send_days]]
    # average daily email cost over the history = target
    send_cost = ctx.spend_target["email"] * hist * send_w / send_w[send_days < hist].sum()
    unit = 10.0 if spec.decimals == 0 else 1.0  # billed in whole currency units (tens of yen)
    send_c = ctx.money(np.maximum(np.round(send_cost / unit) * unit, unit))
    per_email = 0.0009 * spec.fx  # ~ USD 0.90 per thousand emails
    contacts = np.maximum(np.round(send_c / 100.0 / per_email), 1).astype(np.int64)
    nl_names = [f"nl-{ctx.start + dt.timedelta(days=int(d)):%Y-%m-%d}" for d in send_days]
    email_daily = np.zeros(n)
    for j, d in enumerate(send_days):
        ctx.ledger_rows.append(("email", "tool", None, int(d), int(send_c[j]),
                                f"{spec.email_tool} send credits: {nl_names[j]} ({contacts[j]:,} contacts)"))
        email_daily[d] += send_c[j] / 100.0
    recent = (ctx.month_idx >= ctx.anchor_month - 2) & (np.arange(n) <= ctx.anchor_idx)
    budget = float(email_daily[recent].sum() / recent.sum() * 30.4)  # the recent monthly level
    # a send draws visits that day and the next two; flows draw a steady trickle
    W_em = np.zeros((n, len(send_days) + len(FLOWS)))
    for j, d in enumerate(send_days):
        for k, f in ((0, 1.0), (1, 0.35), (2, 0.12)):
            if d + k < n:
                W_em[d + k, j] = f * segment[j] * list_growth[d]
    W_em[:, len(send_days):] = 0.1 * list_growth[:, None]
    em_start = np.concatenate([ctx.clock.to_utc((ctx.start_day + send_days) * DAY + 9 * 3600),
                               np.full(len(FLOWS), ctx.clock.to_utc(np.array([(ctx.start_day - 400) * DAY]))[0])])
    sources = Sources(W=W_em, start_utc=em_start, ids=np.array(nl_names + FLOWS, dtype=object))
    return ChannelPlan(driver=email_daily, sources=sources, activity=W_em.sum(axis=1), budget=budget)


def tag_sessions(rng, plan, m: np.ndarray, s_src: np.ndarray, tags: SessionTags) -> None:
    """Email visits `m`: the tool's utm variants, the send or flow id as utm_campaign."""
    tool = plan.spec.email_tool.lower()
    tags.utm_source[m] = variants(rng, len(m), [(tool, 0.7), ("newsletter", 0.25), (plan.spec.email_tool, 0.05)])
    tags.utm_medium[m] = variants(rng, len(m), [("email", 0.85), ("Email", 0.1), ("EMAIL ", 0.05)])
    em_ids = plan.sources["email"].ids
    has = s_src[m] >= 0
    tags.utm_campaign[m[has]] = em_ids[s_src[m[has]]]
