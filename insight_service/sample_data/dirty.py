"""Dirty rows, injected at small known rates and recorded for the manifest.

Every dirty row is an *extra* row: clean rows are never altered, so nothing clean depends
on a bad row (a bad session is a copy of some visit under a new id, a superseded duplicate
is an earlier delivery of a key whose clean, later delivery is also present, ...).

`inject_store` dirties a load (the world as of its cutoff); `inject_day` dirties one appended
day of one store, at the same rates, from its own seed (so appending 1 day twice gives the
rows of appending 2 days once), and also re-delivers a few keys with a bad NEWEST copy (an
order with an unknown status, a session with a negative page count, an ad row with negative
clicks): staging must then quarantine the key, which until then was clean.

Kinds (manifest "dirty_rows"[i]["kind"]):
    duplicate         the same natural key delivered earlier with other values; the listed row
                      is the superseded (earlier _loaded_at) copy
    null_key          a key column is null
    unknown_enum      a status / type / channel value outside the contract's list
    negative_value    a negative count or amount where none is allowed
    future_timestamp  started_at / created_at well after the end of the data and the load time
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .clock import DAY
from .stores import STORES
from .tabular import Frame, str_ids

KINDS = ("duplicate", "null_key", "unknown_enum", "negative_value", "future_timestamp")


class DirtyLog:
    def __init__(self):
        self.entries: list[dict] = []
        self.extras: dict[str, list[Frame]] = {}

    def add(self, frame: Frame, kind: str, column: str | None = None, columns=None) -> None:
        if frame is None or frame.n == 0:
            return
        self.extras.setdefault(frame.table, []).append(frame)
        keys = frame.key_strings()
        cols = columns if columns is not None else [column] * frame.n
        utc = dt.UTC
        loaded = [dt.datetime.fromtimestamp(x, utc).isoformat() for x in frame.data["_loaded_at"].tolist()]
        for k, c, la in zip(keys, cols, loaded):
            e = {"table": frame.table, "row_key": k, "kind": kind}
            if c:
                e["column"] = c  # the offending column (negative_value, unknown_enum, future_timestamp, null_key)
            e["loaded_at"] = la  # _loaded_at of this very row (for duplicates: the superseded copy)
            self.entries.append(e)

    def frames(self) -> dict[str, Frame]:
        return {t: Frame.concat(fs) for t, fs in self.extras.items()}


def _count(n: int, rate: float, minimum: int = 1) -> int:
    return int(min(n, max(minimum, round(n * rate)))) if n else 0


def _earlier(rng, loaded: np.ndarray) -> np.ndarray:
    return loaded - rng.integers(3600, 36 * 3600, len(loaded))


def _pick(rng, n: int, k: int, pool=None) -> np.ndarray:
    pool = np.arange(n) if pool is None else np.asarray(pool)
    k = min(k, len(pool))
    return np.sort(rng.choice(pool, size=k, replace=False)) if k else np.zeros(0, dtype=np.int64)


def _negate(rng, frame: Frame, column: str, rows=None) -> None:
    rows = np.arange(frame.n) if rows is None else np.asarray(rows)
    v = frame.data[column][rows]
    bump = rng.integers(1, 50, len(rows)) * (100 if frame.kinds[column].startswith("dec") else 1)
    frame.set_value(column, -(np.abs(v) + bump), rows)


def _duplicate(rng, log: DirtyLog, frame: Frame, k: int, mutate=None, pool=None) -> None:
    idx = _pick(rng, frame.n, k, pool)
    if not len(idx):
        return
    ex = frame.take(idx)
    if mutate:
        mutate(ex)
    ex.data["_loaded_at"] = _earlier(rng, ex.data["_loaded_at"])
    log.add(ex, "duplicate")


def _null_key(rng, log: DirtyLog, frame: Frame, key: str, k: int) -> None:
    """k copies of random rows with their key set to null."""
    ex = frame.take(_pick(rng, frame.n, k))
    ex.set_null(key)
    log.add(ex, "null_key", key)


def _negate_in_turn(rng, log: DirtyLog, ex: Frame | None, columns: tuple[str, ...]) -> None:
    """Negate one of `columns` per row of ex, taking them in turn, and log the rows."""
    if ex is None:
        return
    cols = [columns[j % len(columns)] for j in range(ex.n)]
    for j, c in enumerate(cols):
        _negate(rng, ex, c, [j])
    log.add(ex, "negative_value", columns=cols)


def _scale_int(rng, frame, column, lo=0.5, hi=0.95):
    v = frame.data[column]
    frame.data[column] = np.floor(v * rng.uniform(lo, hi, len(v))).astype(np.int64)


def _future(rng, future_base: int, n: int) -> np.ndarray:
    """Timestamps after the data and the load: half a few days/weeks ahead (clock skew, test
    events), half years ahead (broken device clocks), so some stay in the future for any run date."""
    near = future_base + rng.integers(6 * DAY, 60 * DAY, n)
    far = future_base + rng.integers(10 * 365 * DAY, 30 * 365 * DAY, n)
    return np.where(np.arange(n) % 2 == 0, near, far)


def _shifted_keys(rng, frame: Frame, id_col: str, k: int, date_col: str = "date"):
    """k template rows of distinct sources, re-dated before each source's first date (a free key)."""
    ids = frame.data[id_col]
    dates = frame.data[date_col]
    order = np.lexsort((dates, ids.astype(str)))
    first_rows = order[np.r_[True, ids[order][1:] != ids[order][:-1]]] if frame.n else order
    if not len(first_rows):
        return None
    pick = rng.permutation(first_rows)
    rows = np.array([pick[j % len(pick)] for j in range(k)], dtype=np.int64)
    offset = np.array([1 + j // len(pick) for j in range(k)], dtype=np.int64)
    ex = frame.take(rows)
    ex.data[date_col] = ex.data[date_col] - offset
    ex.data["_loaded_at"] = ex.data["_loaded_at"] - offset * DAY
    return ex


@dataclass
class _StoreDirt:
    """What dirtying one store's tables shares: its random stream, the log, and how new keys and
    future instants are made."""
    rng: np.random.Generator
    log: DirtyLog
    code: str
    world_rows: dict[str, int]  # rows of each table over the world: new ids are numbered after them
    future_base: int
    loaded_base: int

    def copies(self, frame: Frame, k: int) -> Frame:
        """k rows of `frame`, copied to be spoiled."""
        return frame.take(_pick(self.rng, frame.n, k))

    def future(self, ex: Frame, column: str, kind: str = "future_timestamp") -> None:
        """Move `column` well into the future; the row lands at the base instant."""
        ex.data[column] = _future(self.rng, self.future_base, ex.n)
        ex.data["_loaded_at"] = np.full(ex.n, self.loaded_base, dtype=np.int64)
        self.log.add(ex, kind, column)


def _new_ids(frame: Frame, prefix: str, col: str, counter: list) -> None:
    """Number the rows' keys from counter[0] on (and advance it)."""
    frame.data[col] = str_ids(prefix, np.arange(counter[0], counter[0] + frame.n))
    counter[0] += frame.n


def _dirty_sessions(d: _StoreDirt, s: Frame) -> None:
    rng, log, n = d.rng, d.log, s.n
    next_id = [d.world_rows["web_sessions"] + 10_000_001]

    def dup_session(ex):
        ex.data["duration_s"] = np.floor(ex.data["duration_s"] * 0.4).astype(np.int64)
        ex.data["pageviews"] = np.maximum(ex.data["pageviews"] - 1, 1)
    _duplicate(rng, log, s, _count(n, 0.003, 2), dup_session)
    _null_key(rng, log, s, "session_id", _count(n, 0.001))
    ex = d.copies(s, _count(n, 0.001))
    _new_ids(ex, f"ses-{d.code}-", "session_id", next_id)
    _negate_in_turn(rng, log, ex, ("duration_s", "pageviews"))
    ex = d.copies(s, _count(n, 0.001))
    _new_ids(ex, f"ses-{d.code}-", "session_id", next_id)
    d.future(ex, "started_at")


def _dirty_orders(d: _StoreDirt, o: Frame) -> None:
    rng, log, n = d.rng, d.log, o.n
    next_oid = [d.world_rows["orders"] + 100001]

    def dup_order(ex):
        st = ex.data["status"]
        ex.data["status"] = np.where(np.isin(st, ["refunded", "partially_refunded"]), "paid", "pending").astype(object)
        ex.data["refunded_amount"] = np.zeros(ex.n, dtype=np.int64)
    _duplicate(rng, log, o, _count(n, 0.004, 2), dup_order)
    _null_key(rng, log, o, "order_id", _count(n, 0.001))
    ex = d.copies(o, _count(n, 0.0015))
    _new_ids(ex, f"ord-{d.code}-", "order_id", next_oid)
    ex.data["status"] = rng.choice(np.array(["shipped_maybe", "on_hold", "Fulfilled?"], dtype=object), ex.n)
    log.add(ex, "unknown_enum", "status")
    ex = d.copies(o, _count(n, 0.001))
    _new_ids(ex, f"ord-{d.code}-", "order_id", next_oid)
    _negate(rng, ex, "subtotal")
    log.add(ex, "negative_value", "subtotal")
    ex = d.copies(o, _count(n, 0.001))
    _new_ids(ex, f"ord-{d.code}-", "order_id", next_oid)
    d.future(ex, "created_at")


def _dirty_identities(d: _StoreDirt, ci: Frame) -> None:
    _duplicate(d.rng, d.log, ci, _count(ci.n, 0.003))
    _null_key(d.rng, d.log, ci, "visitor_id", _count(ci.n, 0.001))


def _dirty_ads(d: _StoreDirt, a: Frame) -> None:
    """Restated recent days (and a few older ones), a null id, negative metrics."""
    rng, log = d.rng, d.log
    recent = np.flatnonzero(a.data["date"] >= a.data["date"].max() - 2)

    def restate(ex):
        ex.data["spend"] = np.floor(ex.data["spend"] * rng.uniform(0.8, 0.97, ex.n)).astype(np.int64)
        _scale_int(rng, ex, "clicks")
        _scale_int(rng, ex, "impressions")
        ex.data["platform_conversions"] = np.floor(ex.data["platform_conversions"] * 0.7).astype(np.int64)
    _duplicate(rng, log, a, min(len(recent), _count(a.n, 0.003, 2)), restate, pool=recent)
    older = np.setdiff1d(np.arange(a.n), recent)
    _duplicate(rng, log, a, _count(a.n, 0.002, 1), restate, pool=older if len(older) else None)
    _null_key(rng, log, a, "campaign_id", _count(a.n, 0.002))
    _negate_in_turn(rng, log, _shifted_keys(rng, a, "campaign_id", _count(a.n, 0.002)),
                    ("clicks", "spend", "impressions"))


def _dirty_article_stats(d: _StoreDirt, st: Frame) -> None:
    rng, log = d.rng, d.log

    def dup_stats(ex):
        _scale_int(rng, ex, "impressions")
        _scale_int(rng, ex, "organic_clicks")
    _duplicate(rng, log, st, _count(st.n, 0.003, 2), dup_stats)
    _null_key(rng, log, st, "article_id", _count(st.n, 0.001))
    _negate_in_turn(rng, log, _shifted_keys(rng, st, "article_id", _count(st.n, 0.001)),
                    ("pageviews", "impressions"))


def _dirty_social(d: _StoreDirt, sp: Frame) -> None:
    rng, log = d.rng, d.log

    def dup_social(ex):
        _scale_int(rng, ex, "impressions")
        _scale_int(rng, ex, "engagements")
    _duplicate(rng, log, sp, _count(sp.n, 0.004, 1), dup_social)
    _null_key(rng, log, sp, "post_id", _count(sp.n, 0.001))
    _negate_in_turn(rng, log, _shifted_keys(rng, sp, "post_id", _count(sp.n, 0.002)), ("engagements", "spend"))


def _dirty_spend(d: _StoreDirt, ms: Frame) -> None:
    """A draft invoice delivered before the final one, a TV spot (unknown channel), a null id."""
    rng, log = d.rng, d.log
    next_sp = [d.world_rows["marketing_spend"] + 50001]

    def dup_spend(ex):
        ex.data["amount"] = np.round(ex.data["amount"] * rng.uniform(0.8, 1.2, ex.n)).astype(np.int64)
        ex.data["description"] = ex.data["description"] + " (draft invoice)"
    _duplicate(rng, log, ms, 2, dup_spend)
    ex = d.copies(ms, 1)
    _new_ids(ex, f"sp-{d.code}-", "spend_id", next_sp)
    ex.data["channel"] = np.array(["tv"], dtype=object)
    ex.data["source_type"] = np.array(["other"], dtype=object)
    ex.data["source_id"] = np.array([None], dtype=object)
    ex.data["description"] = np.array(["Regional TV spot (agency invoice)"], dtype=object)
    log.add(ex, "unknown_enum", "channel")
    _null_key(rng, log, ms, "spend_id", 1)


def _dirty_articles(d: _StoreDirt, ba: Frame) -> None:
    """A published article first delivered as a draft, and a 'deleted' one (unknown status)."""
    rng, log = d.rng, d.log
    published = np.flatnonzero(ba.data["status"] == "published")

    def dup_article(ex):
        ex.data["status"] = np.full(ex.n, "draft", dtype=object)
        ex.set_null("published_at")
    _duplicate(rng, log, ba, 1, dup_article, pool=published)
    ex = ba.take(_pick(rng, ba.n, 1, pool=published))
    ex.data["article_id"] = np.array([f"art-{d.code}-{1001 + d.world_rows['blog_articles'] + j}"
                                      for j in range(ex.n)], dtype=object)
    ex.data["slug"] = ex.data["slug"] + "-old"
    ex.data["status"] = np.full(ex.n, "deleted", dtype=object)
    log.add(ex, "unknown_enum", "status")


def _dirty_influencer_programme(d: _StoreDirt, ic: Frame, io: Frame, ct: Frame) -> None:
    """Earlier statuses delivered first (campaign draft, outreach sent, contract pending) and a
    'ghosted' outreach (unknown status)."""
    rng, log = d.rng, d.log

    def dup_campaign(ex):
        ex.data["status"] = np.full(ex.n, "draft", dtype=object)
    _duplicate(rng, log, ic, 1, dup_campaign, pool=np.flatnonzero(np.isin(ic.data["status"], ["active", "completed"])))

    def dup_outreach(ex):
        ex.data["status"] = np.full(ex.n, "sent", dtype=object)
        ex.set_null("replied_at")
    _duplicate(rng, log, io, 1, dup_outreach,
               pool=np.flatnonzero(np.isin(io.data["status"], ["replied", "declined", "accepted"])))
    ex = io.take(_pick(rng, io.n, 1, pool=np.flatnonzero(io.data["status"] == "sent")))
    ex.data["outreach_id"] = np.array([f"out-{d.code}-{4001 + d.world_rows['influencer_outreach'] + j}"
                                       for j in range(ex.n)], dtype=object)
    ex.data["status"] = np.full(ex.n, "ghosted", dtype=object)
    log.add(ex, "unknown_enum", "status")

    def dup_contract(ex):
        ex.data["status"] = np.full(ex.n, "pending", dtype=object)
    _duplicate(rng, log, ct, 1, dup_contract, pool=np.flatnonzero(np.isin(ct.data["status"], ["signed", "completed"])))


def _dirty_deliveries(d: _StoreDirt, dv: Frame) -> None:
    """A verified post first reported as posted (lower metrics), a 'removed' one, negative clicks."""
    rng, log = d.rng, d.log
    verified = np.flatnonzero(dv.data["status"] == "verified")

    def dup_delivery(ex):
        ex.data["status"] = np.full(ex.n, "posted", dtype=object)
        for c in ("reach", "impressions", "engagements", "clicks"):
            _scale_int(rng, ex, c, 0.3, 0.7)
    _duplicate(rng, log, dv, 1, dup_delivery, pool=verified)
    next_dv = [3001 + d.world_rows["influencer_deliveries"]]
    ex = dv.take(_pick(rng, dv.n, 1, pool=verified))
    _new_ids(ex, f"dlv-{d.code}-", "delivery_id", next_dv)
    ex.data["status"] = np.full(ex.n, "removed", dtype=object)
    log.add(ex, "unknown_enum", "status")
    ex = dv.take(_pick(rng, dv.n, 1, pool=verified))
    _new_ids(ex, f"dlv-{d.code}-", "delivery_id", next_dv)
    _negate(rng, ex, "clicks")
    log.add(ex, "negative_value", "clicks")


def inject_store(plan, frames: dict[str, Frame], seed: int, future_base: int, loaded_base: int,
                 world_rows: dict[str, int]) -> DirtyLog:
    """Dirty rows for one store's tables (frames are the clean tables, left untouched).

    New ids (a bad row under a key of its own) are numbered after the world's rows
    (`world_rows`), so that they never collide with a key a later append delivers. The tables
    are dirtied in a fixed order: they share one random stream."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 3])))
    d = _StoreDirt(rng, DirtyLog(), plan.spec.code, world_rows, future_base, loaded_base)
    _dirty_sessions(d, frames["web_sessions"])
    _dirty_orders(d, frames["orders"])
    _dirty_identities(d, frames["customer_identities"])
    _dirty_ads(d, frames["ad_campaign_daily"])
    _dirty_article_stats(d, frames["article_daily_stats"])
    _dirty_social(d, frames["social_posts_daily"])
    _dirty_spend(d, frames["marketing_spend"])
    _dirty_articles(d, frames["blog_articles"])
    _dirty_influencer_programme(d, frames["influencer_campaigns"], frames["influencer_outreach"],
                                frames["influencer_contracts"])
    _dirty_deliveries(d, frames["influencer_deliveries"])
    return d.log


def inject_global(frames: dict[str, Frame], seed: int) -> DirtyLog:
    """Dirty rows of the store-independent tables (stores, influencers, marketing_channels)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 99, 3])))
    log = DirtyLog()
    st = frames["stores"]

    def dup_store(ex):
        ex.data["name"] = np.array([x.split(" ")[0] for x in ex.data["name"]], dtype=object)
    _duplicate(rng, log, st, 1, dup_store, pool=[0])

    inf = frames["influencers"]

    def dup_inf(ex):
        ex.data["followers"] = np.floor(ex.data["followers"] * 0.9).astype(np.int64)
    _duplicate(rng, log, inf, 2, dup_inf)

    mc = frames["marketing_channels"]

    def dup_channel(ex):
        ex.data["monthly_budget"] = np.round(ex.data["monthly_budget"] * 0.8 / 100).astype(np.int64) * 100
    _duplicate(rng, log, mc, 5, dup_channel)
    rows = _pick(rng, mc.n, 2, pool=np.flatnonzero(mc.data["type"] == "ads"))
    ex = mc.take(rows)
    ex.data["channel_id"] = ex.data["channel_id"] + "-radio"
    ex.data["type"] = np.full(ex.n, "radio", dtype=object)
    ex.data["name"] = np.full(ex.n, "Local radio sponsorship", dtype=object)
    log.add(ex, "unknown_enum", "type")
    return log



# ----------------------------------------------------------------------------- appended days

@dataclass
class DirtyRows:
    """Extra rows of one kind injected into an appended day (their `_loaded_at` in simulated time)."""
    frame: Frame
    kind: str
    columns: list  # the offending column of each row (None for a duplicate)
    world_rows: np.ndarray  # the key's row in the world table; -1 for a null key or a key of its own
    newest: bool = False  # re-delivered after the clean copy: the key's latest delivery is bad


# per delivered row of the day: the rates of inject_store
DAY_RATES = {
    "web_sessions": {"duplicate": 0.003, "null_key": 0.001, "negative_value": 0.001, "future_timestamp": 0.001,
                     "newest": 0.001},
    "orders": {"duplicate": 0.004, "null_key": 0.001, "unknown_enum": 0.0015, "negative_value": 0.001,
               "future_timestamp": 0.001, "newest": 0.001},
    "customer_identities": {"duplicate": 0.003, "null_key": 0.001},
    "ad_campaign_daily": {"duplicate": 0.005, "null_key": 0.002, "newest": 0.002},
    "article_daily_stats": {"duplicate": 0.003, "null_key": 0.001},
    "social_posts_daily": {"duplicate": 0.004, "null_key": 0.001},
    "marketing_spend": {"duplicate": 0.02, "null_key": 0.01, "unknown_enum": 0.01},
    "blog_articles": {"duplicate": 0.02},
    "influencer_campaigns": {"duplicate": 0.02},
    "influencer_outreach": {"duplicate": 0.02},
    "influencer_contracts": {"duplicate": 0.02},
    "influencer_deliveries": {"duplicate": 0.02},
}
# at small scales a day has too few rows for these rates: every other store-day is guaranteed one
# row of one of these (table, kind), in turn, so that five appended days (5 stores) show them all
GUARANTEED = [("web_sessions", "newest"), ("orders", "newest"), ("web_sessions", "duplicate"),
              ("orders", "duplicate"), ("web_sessions", "null_key"), ("orders", "null_key"),
              ("web_sessions", "negative_value"), ("orders", "unknown_enum"), ("web_sessions", "future_timestamp"),
              ("orders", "future_timestamp"), ("ad_campaign_daily", "newest"), ("orders", "negative_value")]
DUPLICATE_MINUTES = (1, 10)  # a superseded copy lands 1-9 minutes before the clean row (same sync)
NEWEST_MINUTES = 10  # a bad newest copy lands 10 minutes after the clean row
FAR_FUTURE = (10 * 365 * DAY, 30 * 365 * DAY)  # broken device clocks: in the future for any real run date


def _guaranteed(plan, day: int) -> set:
    turn = len(STORES) * (plan.start_day + day) + plan.index  # consecutive over stores and days
    return set() if turn % 2 else {GUARANTEED[(turn // 2) % len(GUARANTEED)]}


def inject_day(plan, day: int, delivered: dict, seed: int) -> list[DirtyRows]:
    """Dirty rows for one appended `day` (index) of one store.

    delivered: {table: (frame, world_rows)}, the clean rows this day's sync delivers (with their
    simulated `_loaded_at`) and each one's row in the world table. New keys are numbered from
    the day, in ranges no world row or load uses."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, plan.index, 5, plan.start_day + day])))
    code = plan.spec.code
    sure = _guaranteed(plan, day)
    out: list[DirtyRows] = []

    def count(table, kind, n):
        k = int(rng.binomial(n, DAY_RATES[table][kind])) if n else 0
        return max(k, 1) if n and (table, kind) in sure else k

    def copies(table, kind):
        frame, rows = delivered[table]
        idx = _pick(rng, frame.n, count(table, kind, frame.n))
        return frame.take(idx), rows[idx]

    def fresh_ids(ex, column, prefix, base):
        ex.data[column] = str_ids(prefix, base + day * 100_000 + np.arange(ex.n))

    def superseded(table, mutate=None):
        ex, rows = copies(table, "duplicate")
        if ex.n:
            if mutate:
                mutate(ex)
            ex.data["_loaded_at"] = ex.data["_loaded_at"] - 60 * rng.integers(*DUPLICATE_MINUTES, ex.n)
            out.append(DirtyRows(ex, "duplicate", [None] * ex.n, rows))

    def null_key(table, column):
        ex, _ = copies(table, "null_key")
        ex.set_null(column)
        out.append(DirtyRows(ex, "null_key", [column] * ex.n, np.full(ex.n, -1)))

    def newest(table, kind, column, spoil):
        ex, rows = copies(table, "newest")
        if ex.n:
            spoil(ex)
            ex.data["_loaded_at"] = ex.data["_loaded_at"] + 60 * NEWEST_MINUTES
            out.append(DirtyRows(ex, kind, [column] * ex.n, rows, newest=True))

    def own_key(table, kind, column, spoil, id_column, prefix, base):
        ex, _ = copies(table, kind)
        fresh_ids(ex, id_column, prefix, base)
        spoil(ex)
        out.append(DirtyRows(ex, kind, [column] * ex.n, np.full(ex.n, -1)))

    def far_future(ex, column):
        ex.data[column] = ex.data["_loaded_at"] + rng.integers(*FAR_FUTURE, ex.n)

    def negative(column):
        return lambda ex: _negate(rng, ex, column)

    # ---- web_sessions ----
    def shorter(ex):
        ex.data["duration_s"] = np.floor(ex.data["duration_s"] * 0.4).astype(np.int64)
        ex.data["pageviews"] = np.maximum(ex.data["pageviews"] - 1, 1)
    superseded("web_sessions", shorter)
    null_key("web_sessions", "session_id")
    own_key("web_sessions", "negative_value", "duration_s", negative("duration_s"), "session_id",
            f"ses-{code}-", 90_000_000_000)
    own_key("web_sessions", "future_timestamp", "started_at", lambda ex: far_future(ex, "started_at"), "session_id",
            f"ses-{code}-", 95_000_000_000)
    newest("web_sessions", "negative_value", "pageviews", negative("pageviews"))

    # ---- orders ----
    def unpaid(ex):
        st = ex.data["status"]
        ex.data["status"] = np.where(np.isin(st, ["refunded", "partially_refunded"]), "paid", "pending").astype(object)
        ex.data["refunded_amount"] = np.zeros(ex.n, dtype=np.int64)

    def unknown_status(ex):
        ex.data["status"] = rng.choice(np.array(["shipped_maybe", "on_hold", "Fulfilled?"], dtype=object), ex.n)
    superseded("orders", unpaid)
    null_key("orders", "order_id")
    own_key("orders", "unknown_enum", "status", unknown_status, "order_id", f"ord-{code}-", 9_000_000_000)
    own_key("orders", "negative_value", "subtotal", negative("subtotal"), "order_id", f"ord-{code}-", 9_300_000_000)
    own_key("orders", "future_timestamp", "created_at", lambda ex: far_future(ex, "created_at"), "order_id",
            f"ord-{code}-", 9_600_000_000)
    newest("orders", "unknown_enum", "status", unknown_status)

    # ---- the other fact tables ----
    superseded("customer_identities")
    null_key("customer_identities", "visitor_id")

    def restate(ex):
        ex.data["spend"] = np.floor(ex.data["spend"] * rng.uniform(0.8, 0.97, ex.n)).astype(np.int64)
        _scale_int(rng, ex, "clicks")
    superseded("ad_campaign_daily", restate)
    null_key("ad_campaign_daily", "campaign_id")
    newest("ad_campaign_daily", "negative_value", "clicks", negative("clicks"))
    superseded("article_daily_stats", lambda ex: _scale_int(rng, ex, "impressions"))
    null_key("article_daily_stats", "article_id")
    superseded("social_posts_daily", lambda ex: _scale_int(rng, ex, "engagements"))
    null_key("social_posts_daily", "post_id")

    def draft_invoice(ex):
        ex.data["amount"] = np.round(ex.data["amount"] * rng.uniform(0.8, 1.2, ex.n)).astype(np.int64)
        ex.data["description"] = ex.data["description"] + " (draft invoice)"

    def tv(ex):
        ex.data["channel"] = np.full(ex.n, "tv", dtype=object)
        ex.data["source_type"] = np.full(ex.n, "other", dtype=object)
        ex.data["source_id"] = np.full(ex.n, None, dtype=object)
        ex.data["description"] = np.full(ex.n, "Regional TV spot (agency invoice)", dtype=object)
    superseded("marketing_spend", draft_invoice)
    null_key("marketing_spend", "spend_id")
    own_key("marketing_spend", "unknown_enum", "channel", tv, "spend_id", f"sp-{code}-", 900_000_000)

    # ---- records of the plan: an earlier copy in another status ----
    for table, status in (("blog_articles", "draft"), ("influencer_campaigns", "draft"),
                          ("influencer_outreach", "queued"), ("influencer_contracts", "pending"),
                          ("influencer_deliveries", "planned")):
        superseded(table, lambda ex, s=status: ex.data.__setitem__("status", np.full(ex.n, s, dtype=object)))
    return [d for d in out if d.frame.n]
