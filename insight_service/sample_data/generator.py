"""Deterministic, realistic sample data for the raw schema (../shared/contracts/raw_sources.md).

    data = generate(seed=42, scale=1.0)          # plans + true curves, computed eagerly
    for table, columns, rows in data.iter_chunks():  # rows streamed store by store
        ...
    data.manifest                                 # parameters, row counts, dirty rows

`generate()` builds the small marketing plan of every store (budgets, campaigns, posts,
articles, influencer programme, cost ledger) and the true response curves eagerly. The large
tables (orders, sessions, identities, platform metrics) are simulated one store at a time
inside `iter_chunks()`, so memory stays bounded at any scale; each store has its own
sub-seeds, so the output is byte-identical for the same (seed, scale, end_date, months,
loaded_at). The manifest's counts and dirty rows are collected while iterating; reading
`manifest` before that simulates the stores once without rendering rows.

Every row's `_loaded_at` is explicit: dimension-like rows land at the base instant
(`loaded_at`, default end_date + 1 day 06:00 UTC, after the end of every store's local day);
daily/event rows land the morning after their local day (base - days before end_date); a
superseded duplicate landed 1-36 hours before its replacement.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .clock import DAY, epoch_day
from .curves import ResponseCurve
from .dirty import KINDS, DirtyLog, inject_global, inject_store
from .journeys import simulate_store
from .plan import BURN_IN_DAYS, StorePlan, build_influencer_pool, build_plan, cents
from .stores import PAID_CHANNELS, STORES
from .tabular import SCHEMAS, Frame, str_ids

GENERATOR_VERSION = "1.0"
CHUNK_ROWS = 200_000
CHANNEL_NAMES = {"seo": "Blog & SEO", "influencer": "Creator partnerships", "social": "Organic & boosted social",
                 "ads": "Paid search & social ads", "email": "Email marketing"}


def _ts(x: dt.datetime) -> int:
    return int(x.timestamp())


@dataclass
class _StoreSummary:
    counts: dict
    dirty: list
    stats: dict


class SampleData:
    """Generated sample data: true curves, manifest and a stream of row chunks."""

    def __init__(self, seed: int, scale: float, start: dt.date, end: dt.date, months: int, loaded_base: int,
                 plans: list[StorePlan], pool: dict):
        self.seed = seed
        self.scale = scale
        self.start_date = start
        self.end_date = end
        self.months = months
        self.loaded_base = loaded_base
        self.loaded_at = dt.datetime.fromtimestamp(loaded_base, dt.timezone.utc)
        self.plans = plans
        self.pool = pool
        self.truth: dict[str, dict[str, ResponseCurve]] = {p.spec.store_id: dict(p.curves) for p in plans}
        self.store_ids = [p.spec.store_id for p in plans]
        self._global_frames, self._global_dirty = self._build_global()
        self._summaries: dict[int, _StoreSummary] = {}
        self._manifest: dict | None = None

    # ------------------------------------------------------------------ public
    @property
    def future_base(self) -> int:
        """Future timestamps start after both the end of the data and the load instant."""
        return max(self.loaded_base, (epoch_day(self.end_date) + 1) * DAY)

    def iter_chunks(self) -> Iterator[tuple[str, list[str], Iterable[tuple]]]:
        """(table, columns, rows): rows is a `Frame` (iterable of tuples, and `copy_text()`)."""
        for table, frame in self._global_frames.items():
            yield from self._emit(frame)
            extra = self._global_dirty.frames().get(table)
            if extra is not None:
                yield from self._emit(extra)
        for plan in self.plans:
            frames, log, stats = self._simulate(plan)
            counts = {t: 0 for t in SCHEMAS}
            extras = log.frames()
            for table in SCHEMAS:
                for f in (frames.get(table), extras.get(table)):
                    if f is not None and f.n:
                        counts[table] += f.n
                        yield from self._emit(f)
            self._summaries[plan.index] = _StoreSummary(counts=counts, dirty=log.entries, stats=stats)
            del frames, extras, log

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            for plan in self.plans:
                if plan.index not in self._summaries:
                    frames, log, stats = self._simulate(plan)
                    counts = {t: 0 for t in SCHEMAS}
                    for t, f in list(frames.items()) + list(log.frames().items()):
                        counts[t] += f.n
                    self._summaries[plan.index] = _StoreSummary(counts=counts, dirty=log.entries, stats=stats)
            self._manifest = self._build_manifest()
        return self._manifest

    def frames(self) -> Iterator[Frame]:
        for _, _, rows in self.iter_chunks():
            yield rows

    # ------------------------------------------------------------------ internals
    def _emit(self, frame: Frame):
        if frame.n <= CHUNK_ROWS:
            yield frame.table, frame.columns, frame
        else:
            for part in frame.slices(CHUNK_ROWS):
                yield frame.table, frame.columns, part

    def _simulate(self, plan: StorePlan):
        sim = simulate_store(plan, self.seed)
        frames = sim["frames"]
        frames.update(_plan_frames(plan))
        log = inject_store(plan, frames, self.seed, self.future_base)
        return frames, log, sim["stats"]

    def _build_global(self):
        base = self.loaded_base
        stores = Frame("stores", dict(
            store_id=np.array([p.spec.store_id for p in self.plans], dtype=object),
            name=np.array([p.spec.name for p in self.plans], dtype=object),
            industry=np.array([p.spec.industry for p in self.plans], dtype=object),
            currency=np.array([p.spec.currency for p in self.plans], dtype=object),
            timezone=np.array([p.spec.timezone for p in self.plans], dtype=object),
            status="active",
            created_at=np.array([_ts(p.spec.created_at) for p in self.plans], dtype=np.int64),
            _loaded_at=base))
        pool = self.pool
        influencers = Frame("influencers", dict(
            influencer_id=pool["influencer_id"], platform=pool["platform"], handle=pool["handle"],
            followers=pool["followers"], niche=pool["niche"], _loaded_at=base))
        rows = []
        for p in self.plans:
            for c in PAID_CHANNELS:
                unit = 5000 if p.spec.decimals == 0 else 50
                budget = max(round(p.budgets[c] / unit) * unit, unit)
                rows.append((f"ch-{p.spec.code}-{c}", p.spec.store_id, c, CHANNEL_NAMES[c], cents(budget, 2).item(),
                             "paused" if p.spec.paused_channel == c else "active",
                             _ts(p.spec.created_at) + 86400 * (3 + PAID_CHANNELS.index(c) * 11)))
        channels = Frame("marketing_channels", dict(
            channel_id=np.array([r[0] for r in rows], dtype=object), store_id=np.array([r[1] for r in rows], dtype=object),
            type=np.array([r[2] for r in rows], dtype=object), name=np.array([r[3] for r in rows], dtype=object),
            monthly_budget=np.array([r[4] for r in rows], dtype=np.int64),
            status=np.array([r[5] for r in rows], dtype=object),
            created_at=np.array([r[6] for r in rows], dtype=np.int64), _loaded_at=base))
        frames = {"stores": stores, "influencers": influencers, "marketing_channels": channels}
        return frames, inject_global(frames, self.seed)

    def _build_manifest(self) -> dict:
        counts = {t: 0 for t in SCHEMAS}
        for t, f in self._global_frames.items():
            counts[t] += f.n
        for t, f in self._global_dirty.frames().items():
            counts[t] += f.n
        dirty = list(self._global_dirty.entries)
        stores = {}
        for p in self.plans:
            s = self._summaries[p.index]
            for t, n in s.counts.items():
                counts[t] += n
            dirty += s.dirty
            stores[p.spec.store_id] = {
                "name": p.spec.name, "currency": p.spec.currency, "timezone": p.spec.timezone,
                "industry": p.spec.industry, "rows": s.counts, "stats": s.stats, "channels": p.totals,
                "monthly_budgets": {c: round(p.budgets[c], 2) for c in PAID_CHANNELS},
            }
        by_kind: dict = {}
        for e in dirty:
            by_kind.setdefault(e["table"], {}).setdefault(e["kind"], 0)
            by_kind[e["table"]][e["kind"]] += 1
        return {
            "generator": "insight_service.sample_data.generator",
            "version": GENERATOR_VERSION,
            "parameters": {
                "seed": self.seed, "scale": self.scale, "months": self.months,
                "start_date": self.start_date.isoformat(), "end_date": self.end_date.isoformat(),
                "loaded_at": self.loaded_at.isoformat(),
                "future_timestamps_after": dt.datetime.fromtimestamp(self.future_base, dt.timezone.utc).isoformat(),
                "truth_burn_in_days": BURN_IN_DAYS,
            },
            "stores": stores,
            "row_counts": counts,
            "total_rows": int(sum(counts.values())),
            "dirty_kinds": list(KINDS),
            "dirty_counts": by_kind,
            "dirty_rows": dirty,
            "notes": {
                "truth": "orders driven by channel c on local day d ~ Poisson(curve.daily_revenue(driver)[d] / "
                         "(AOV * net factor)); driver = the channel's cost exactly as the warehouse books it "
                         "(platform spend + positive ledger rows on their spend_date), after a 90-day burn-in "
                         "at the opening level (see sample_data/plan.py)",
                "dirty_rows": "every dirty row is an extra row; for kind 'duplicate' the listed row is the "
                              "superseded (earlier _loaded_at) delivery of a key whose later delivery is clean",
            },
        }


def _plan_frames(plan: StorePlan) -> dict[str, Frame]:
    spec = plan.spec
    base = plan.loaded_base
    t = plan.tables
    out = {}
    b = t["blog_articles"]
    status = b["status"]
    out["blog_articles"] = Frame("blog_articles", dict(
        article_id=b["article_id"], store_id=spec.store_id, title=b["title"], slug=b["slug"],
        target_keyword=b["target_keyword"], status=status, scheduled_for=b["scheduled_for"],
        published_at=b["published_at"], created_at=b["created_at"], _loaded_at=base),
        masks={"scheduled_for": status != "scheduled", "published_at": ~np.isin(status, ["published", "archived"])})
    c = t["influencer_campaigns"]
    out["influencer_campaigns"] = Frame("influencer_campaigns", dict(
        campaign_id=c["campaign_id"], store_id=spec.store_id, name=c["name"], status=c["status"],
        budget_allocated=c["budget"], start_date=plan.day_epoch(c["start_day"]), end_date=plan.day_epoch(c["end_day"]),
        created_at=c["created_at"], _loaded_at=base))
    o = t["influencer_outreach"]

    def ts_col(values):
        arr = np.array([v if v is not None else 0 for v in values], dtype=np.int64)
        return arr, np.array([v is None for v in values], dtype=bool)
    sent, m_sent = ts_col(o["sent_at"])
    opened, m_opened = ts_col(o["opened_at"])
    replied, m_replied = ts_col(o["replied_at"])
    out["influencer_outreach"] = Frame("influencer_outreach", dict(
        outreach_id=o["outreach_id"], campaign_id=o["campaign_id"], influencer_id=o["influencer_id"],
        status=o["status"], sent_at=sent, opened_at=opened, replied_at=replied, _loaded_at=base),
        masks={"sent_at": m_sent, "opened_at": m_opened, "replied_at": m_replied})
    k = t["influencer_contracts"]
    out["influencer_contracts"] = Frame("influencer_contracts", dict(
        contract_id=k["contract_id"], store_id=spec.store_id, campaign_id=k["campaign_id"],
        influencer_id=k["influencer_id"], fee=k["fee"], start_date=plan.day_epoch(k["start_day"]),
        end_date=plan.day_epoch(k["end_day"]), status=k["status"], _loaded_at=base))
    lg = plan.ledger
    n = len(lg["day"])
    out["marketing_spend"] = Frame("marketing_spend", dict(
        spend_id=str_ids(f"sp-{spec.code}-", np.arange(n) + 50001), store_id=spec.store_id, channel=lg["channel"],
        source_type=lg["source_type"], source_id=lg["source_id"], spend_date=plan.day_epoch(lg["day"]),
        amount=lg["amount"], description=lg["description"], _loaded_at=plan.loaded_for_day(lg["day"])))
    return out


def generate(seed: int = 42, scale: float = 1.0, end_date: dt.date | None = None, months: int = 19,
             loaded_at: dt.datetime | None = None) -> SampleData:
    """Plan the sample data (eagerly) and return a `SampleData` that streams the rows.

    seed: any int; same (seed, scale, end_date, months, loaded_at) -> byte-identical rows.
    scale: volume multiplier (orders, sessions, spend); 1.0 ~ 27k orders / 170k sessions.
    end_date: last local day of data (default: yesterday, UTC).
    months: calendar months of history; the first day is the 1st of the month `months - 1`
        months before end_date's month.
    loaded_at: base `_loaded_at` instant (default end_date + 1 day 06:00 UTC); pass now() to
        make freshness checks pass.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if months < 1:
        raise ValueError("months must be >= 1")
    if end_date is None:
        end_date = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    if isinstance(end_date, dt.datetime):
        end_date = end_date.date()
    y, m = end_date.year, end_date.month - (months - 1)
    while m < 1:
        y, m = y - 1, m + 12
    start = dt.date(y, m, 1)
    if loaded_at is None:
        loaded_base = (epoch_day(end_date) + 1) * DAY + 6 * 3600
    else:
        if loaded_at.tzinfo is None:
            loaded_at = loaded_at.replace(tzinfo=dt.timezone.utc)
        loaded_base = int(loaded_at.timestamp())
    pool_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 99, 1])))
    pool = build_influencer_pool(pool_rng)
    plans = [build_plan(spec, i, seed, scale, start, end_date, loaded_base, pool) for i, spec in enumerate(STORES)]
    return SampleData(seed, scale, start, end_date, months, loaded_base, plans, pool)


__all__ = ["generate", "SampleData", "DirtyLog"]
