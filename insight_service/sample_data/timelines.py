"""The plan's records over time: every status change and re-delivery of the small tables.

Builds `Deliveries` (deliveries.py) for the tables that come from the marketing plan
(articles, influencer campaigns / outreach / contracts, the cost ledger) and for the
store-independent tables (stores, marketing channels, influencers):

* a record is delivered on every day its status changes (the state at the end of that day);
* records that are in progress (draft or scheduled articles, live campaigns and contracts,
  the outreach of a live campaign) are also "touched" upstream now and then and re-delivered
  unchanged, as CRMs and CMSs export every record modified that day;
* the shop re-syncs its settings (stores, marketing channels) every morning, unchanged;
* a creator's profile is refreshed on ~3 % of days, with the follower count of that day.

So every table receives rows on most days of an append, as a live source would.
"""
from __future__ import annotations

import numpy as np

from .clock import DAY
from .deliveries import Deliveries, touch_days
from .plan import StorePlan
from .planning import NEVER
from .tabular import Frame, str_ids

# probability that an in-progress record is touched (re-delivered unchanged) on a given day
# (high enough that, with a continuous influencer programme, each table gets rows on most days)
TOUCH_P = {"blog_articles": 0.1, "influencer_campaigns": 0.5, "influencer_outreach": 0.05,
           "influencer_contracts": 0.15}
FOLLOWER_REFRESH_P = 0.03


def plan_deliveries(plan: StorePlan, seed: int) -> dict[str, Deliveries]:
    """Deliveries of the store's plan tables over its world."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 7])))
    return {
        "blog_articles": _articles(plan, rng),
        "influencer_campaigns": _campaigns(plan, rng),
        "influencer_outreach": _outreach(plan, rng),
        "influencer_contracts": _contracts(plan, rng),
        "marketing_spend": _ledger(plan),
    }


def _touched(d: Deliveries, rng, table: str, first, last, n_days: int) -> Deliveries:
    """Re-deliveries of the rows touched while in progress, on days [first, last) of the world."""
    rows, days = touch_days(rng, first, np.minimum(last, n_days), TOUCH_P[table])
    return d.with_redeliveries(rows, days)


def _events(frame: Frame, day_of, events, columns, nulls=()) -> Deliveries:
    """events: list of (rows, instants or days, {column: values}); `day_of` maps the instants to days."""
    row = np.concatenate([np.asarray(r, dtype=np.int64) for r, _, _ in events])
    at = np.concatenate([np.asarray(t, dtype=np.int64) for _, t, _ in events])
    values = {}
    for c in columns:
        v = np.concatenate([np.broadcast_to(np.asarray(v[c]), (len(r),)) for r, _, v in events])
        values[c] = v.astype(object) if v.dtype.kind in "US" else v  # text columns are object arrays
    null = {c: np.concatenate([np.broadcast_to(np.asarray(v.get(c + "?", False)), (len(r),))
                               for r, _, v in events]) for c in nulls}
    return Deliveries.from_events(frame, row, day_of(at), at, values, null)


def _articles(plan: StorePlan, rng) -> Deliveries:
    b = plan.tables["blog_articles"]
    n = len(b["article_id"])
    frame = Frame("blog_articles", dict(
        article_id=b["article_id"], store_id=plan.spec.store_id, title=b["title"], slug=b["slug"],
        target_keyword=b["target_keyword"], status="draft", scheduled_for=0, published_at=0,
        created_at=b["created_at"], _loaded_at=0))
    pub, sched, arch = b["published_at"], b["scheduled_at"], b["archived_at"]
    published = np.flatnonzero(pub > 0)
    scheduled = np.flatnonzero(sched > 0)
    archived = np.flatnonzero(arch > 0)
    d = _events(frame, plan.clock.day_index, [
        (np.arange(n), b["created_at"], {"status": "draft", "scheduled_for?": True, "published_at?": True,
                                         "scheduled_for": 0, "published_at": 0}),
        (scheduled, sched[scheduled], {"status": "scheduled", "published_at?": True,
                                       "scheduled_for": pub[scheduled], "published_at": 0}),
        (published, pub[published], {"status": "published", "scheduled_for?": True,
                                     "scheduled_for": 0, "published_at": pub[published]}),
        (archived, arch[archived], {"status": "archived", "scheduled_for?": True,
                                    "scheduled_for": 0, "published_at": pub[archived]}),
    ], ["status", "scheduled_for", "published_at"], nulls=["scheduled_for", "published_at"])
    created_day = plan.clock.day_index(b["created_at"])
    until = np.where(pub > 0, plan.clock.day_index(pub), NEVER)  # drafts and scheduled ones are in progress
    return _touched(d, rng, "blog_articles", created_day, until, plan.n_days)


def _campaigns(plan: StorePlan, rng) -> Deliveries:
    c = plan.tables["influencer_campaigns"]
    n = len(c["campaign_id"])
    frame = Frame("influencer_campaigns", dict(
        campaign_id=c["campaign_id"], store_id=plan.spec.store_id, name=c["name"], status="draft",
        budget_allocated=c["budget"], start_date=plan.day_epoch(c["start_day"]),
        end_date=plan.day_epoch(c["end_day"]), created_at=c["created_at"], _loaded_at=0))
    created_day = plan.clock.day_index(c["created_at"])
    cancelled = np.flatnonzero(c["cancel_day"] < NEVER)
    runs = np.flatnonzero(c["cancel_day"] == NEVER)
    # days as instants (day * DAY): the events of one campaign never share a day
    d = _events(frame, lambda t: t // DAY, [
        (np.arange(n), created_day * DAY, {"status": "draft"}),
        (runs, c["start_day"][runs] * DAY, {"status": "active"}),
        (runs, (c["end_day"][runs] + 1) * DAY, {"status": "completed"}),
        (cancelled, c["cancel_day"][cancelled] * DAY, {"status": "cancelled"}),
    ], ["status"])
    last = np.minimum(c["end_day"] + 1, c["cancel_day"])
    return _touched(d, rng, "influencer_campaigns", created_day, last, plan.n_days)


def _outreach(plan: StorePlan, rng) -> Deliveries:
    o = plan.tables["influencer_outreach"]
    camp = plan.tables["influencer_campaigns"]
    n = len(o["outreach_id"])
    frame = Frame("influencer_outreach", dict(
        outreach_id=o["outreach_id"], campaign_id=o["campaign_id"], influencer_id=o["influencer_id"],
        status="queued", sent_at=0, opened_at=0, replied_at=0, _loaded_at=0))

    def instants(values):
        return np.array([v if v is not None else 0 for v in values], dtype=np.int64)
    sent, opened, replied = instants(o["sent_at"]), instants(o["opened_at"]), instants(o["replied_at"])
    final = o["status"]
    first = np.where(final == "bounced", "bounced", "sent").astype(object)
    op, rp = np.flatnonzero(opened > 0), np.flatnonzero(replied > 0)
    none = {"opened_at?": True, "replied_at?": True, "opened_at": 0, "replied_at": 0}
    d = _events(frame, plan.clock.day_index, [
        (np.arange(n), camp["created_at"][o["campaign"]], {"status": "queued", "sent_at?": True, "sent_at": 0, **none}),
        (np.arange(n), sent, {"status": first, "sent_at": sent, **none}),
        (op, opened[op], {"status": first[op], "sent_at": sent[op], "opened_at": opened[op],
                          "replied_at?": True, "replied_at": 0}),
        (rp, replied[rp], {"status": final[rp], "sent_at": sent[rp], "opened_at": opened[rp],
                           "opened_at?": opened[rp] == 0, "replied_at": replied[rp]}),
    ], ["status", "sent_at", "opened_at", "replied_at"], nulls=["sent_at", "opened_at", "replied_at"])
    sent_day = plan.clock.day_index(sent)
    # followed up (notes, reminders) until its campaign ends, unless it bounced
    live_until = np.where(final == "bounced", sent_day, camp["end_day"][o["campaign"]] + 1)
    return _touched(d, rng, "influencer_outreach", sent_day + 1, live_until, plan.n_days)


def _contracts(plan: StorePlan, rng) -> Deliveries:
    k = plan.tables["influencer_contracts"]
    n = len(k["contract_id"])
    frame = Frame("influencer_contracts", dict(
        contract_id=k["contract_id"], store_id=plan.spec.store_id, campaign_id=k["campaign_id"],
        influencer_id=k["influencer_id"], fee=k["fee"], start_date=plan.day_epoch(k["start_day"]),
        end_date=plan.day_epoch(k["end_day"]), status="pending", _loaded_at=0))
    accept_day = plan.clock.day_index(k["accepted_at"])
    cancelled = np.flatnonzero(k["cancel_day"] < NEVER)
    runs = np.flatnonzero(k["cancel_day"] == NEVER)
    d = _events(frame, lambda t: t // DAY, [
        (np.arange(n), accept_day * DAY, {"status": "pending"}),
        (runs, k["start_day"][runs] * DAY, {"status": "signed"}),
        (runs, (k["end_day"][runs] + 1) * DAY, {"status": "completed"}),
        (cancelled, k["cancel_day"][cancelled] * DAY, {"status": "cancelled"}),
    ], ["status"])
    return _touched(d, rng, "influencer_contracts", accept_day, np.minimum(k["end_day"] + 1, k["cancel_day"]),
                    plan.n_days)


def _ledger(plan: StorePlan) -> Deliveries:
    lg = plan.ledger
    n = len(lg["day"])
    spec = plan.spec
    return Deliveries.once(Frame("marketing_spend", dict(
        spend_id=str_ids(f"sp-{spec.code}-", np.arange(n) + 50001), store_id=spec.store_id, channel=lg["channel"],
        source_type=lg["source_type"], source_id=lg["source_id"], spend_date=plan.day_epoch(lg["day"]),
        amount=lg["amount"], description=lg["description"], _loaded_at=0)), lg["day"])


# ---------------------------------------------------------------------------- store-independent

def daily_resync(frame: Frame, n_days: int) -> Deliveries:
    """Every row delivered again every morning, unchanged (the shop's settings sync)."""
    rows = np.repeat(np.arange(frame.n), n_days + 1)
    days = np.tile(np.arange(-1, n_days), frame.n)
    return Deliveries(frame, rows, days)


def influencer_profiles(frame: Frame, n_days: int, seed: int) -> Deliveries:
    """Creators' profiles: known before the history starts, refreshed on ~3 % of days with that
    day's follower count (audiences grow or shrink a few % to 35 % a year)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 99, 4])))
    f0 = frame.data["followers"]
    growth = rng.uniform(-0.05, 0.35, frame.n)
    rows, days = touch_days(rng, np.zeros(frame.n, np.int64), np.full(frame.n, n_days), FOLLOWER_REFRESH_P)
    rows = np.concatenate([np.arange(frame.n), rows])
    days = np.concatenate([np.full(frame.n, -1), days])
    followers = np.round(f0[rows] * np.exp(growth[rows] * (days + 1) / 365.0)).astype(np.int64)
    # one refresh per (creator, day)
    keep = np.unique(np.stack([rows, days]), axis=1, return_index=True)[1]
    return Deliveries(frame, rows[keep], days[keep], {"followers": followers[keep]})
