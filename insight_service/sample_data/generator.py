"""Deterministic, realistic sample data for the raw schema (../shared/contracts/raw_sources.md).

    data = generate(seed=42, scale=1.0)          # plans + true curves, computed eagerly
    for table, columns, rows in data.iter_chunks():  # rows streamed store by store
        ...
    data.manifest                                 # parameters, row counts, dirty rows
    data.order_truth()                            # what drove each order (order_truth.py)

**A world with a reserve.** `generate()` plans every store from the first day of history to
`reserve_days` (default 92) after `end_date`, and simulates that whole *world*: budgets,
seasonality, campaigns, customers, orders and sessions run on past the end date. A load shows
the world **as of a cutoff day** (`end_date` for a normal load): per natural key, its latest
delivery up to the sync of that day (deliveries.py). Nothing that happens later is emitted:
sessions and orders of later days, an order's later refund, an article's publication next
week. `insights load-sample --append-days N` (append.py) regenerates the same world and
delivers what became available in the next N days; that is why the world never depends on
the cutoff, and why appending stops at the end of the reserve.

`generate()` builds the small marketing plan of every store (budgets, campaigns, posts,
articles, influencer programme, cost ledger) and the true response curves eagerly. The large
tables (orders, sessions, identities, platform metrics) are simulated one store at a time
inside `iter_chunks()`, so memory stays bounded at any scale; each store has its own
sub-seeds, so the output is byte-identical for the same (seed, scale, end_date, months,
loaded_at, reserve_days). The manifest's counts and dirty rows are collected while iterating;
reading `manifest` before that simulates the stores once without rendering rows.

Every row's `_loaded_at` is explicit, as of the load's base instant (`loaded_at`, default the
morning after the cutoff, 06:00 UTC, after the end of every store's local day): a load is the
initial sync, so the small tables (stores, channels, articles, the influencer system) land at
the base instant; daily and event rows land the morning of their latest delivery (base - days
before the cutoff: a session the morning after its day, an order the morning after its latest
status change); a superseded duplicate landed 1-36 hours before its replacement.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from insight_service.optimizer.response import ResponseCurve

from .channels.influencer import build_influencer_pool
from .clock import DAY, epoch_day
from .deliveries import SYNC_HOUR, Deliveries
from .dirty import KINDS, DirtyLog, inject_global, inject_store
from .journeys import simulate_store, stats_until
from .order_truth import StoreOrderTruth, from_facts
from .plan import BURN_IN_DAYS, StorePlan, build_plan
from .planning import cents
from .stores import PAID_CHANNELS, STORES
from .tabular import SCHEMAS, Frame
from .timelines import daily_resync, influencer_profiles, plan_deliveries

GENERATOR_VERSION = "2.0"
DEFAULT_RESERVE_DAYS = 92  # a quarter: room for a 28-day (or 90-day) forecast to be scored
CHUNK_ROWS = 200_000
CHANNEL_NAMES = {"seo": "Blog & SEO", "influencer": "Creator partnerships", "social": "Organic & boosted social",
                 "ads": "Paid search & social ads", "email": "Email marketing"}
# tables a load delivers as an initial full sync (all at the base instant)
SNAPSHOT_TABLES = frozenset({"stores", "marketing_channels", "influencers", "blog_articles", "influencer_campaigns",
                             "influencer_outreach", "influencer_contracts", "influencer_deliveries"})


def _ts(x: dt.datetime) -> int:
    return int(x.timestamp())


def sync_instant(day: dt.date) -> int:
    """Epoch seconds of the sync that delivers local day `day`: the next morning, 06:00 UTC."""
    return (epoch_day(day) + 1) * DAY + SYNC_HOUR * 3600


@dataclass
class _StoreSummary:
    counts: dict
    dirty: list
    stats: dict
    orders: StoreOrderTruth


class SampleData:
    """Generated sample data: true curves, manifest and a stream of row chunks (as of `end_date`)."""

    def __init__(self, seed: int, scale: float, start: dt.date, base_end: dt.date, reserve_days: int,
                 cutoff: dt.date, months: int, loaded_base: int, plans: list[StorePlan], pool: dict):
        self.seed = seed
        self.scale = scale
        self.start_date = start
        self.end_date = cutoff  # the last day of data this load holds
        self.base_end_date = base_end  # the end date the world was generated around
        self.reserve_days = reserve_days
        self.world_end_date = base_end + dt.timedelta(days=reserve_days)
        self.cutoff_idx = (cutoff - start).days
        self.world_days = (self.world_end_date - start).days + 1
        self.months = months
        self.loaded_base = loaded_base
        self.loaded_at = dt.datetime.fromtimestamp(loaded_base, dt.UTC)
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
            frames, log, stats, orders = self._simulate(plan)
            counts = {t: 0 for t in SCHEMAS}
            extras = log.frames()
            for table in SCHEMAS:
                for f in (frames.get(table), extras.get(table)):
                    if f is not None and f.n:
                        counts[table] += f.n
                        yield from self._emit(f)
            self._summaries[plan.index] = _StoreSummary(counts=counts, dirty=log.entries, stats=stats, orders=orders)
            del frames, extras, log

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            for plan in self.plans:
                if plan.index not in self._summaries:
                    frames, log, stats, orders = self._simulate(plan)
                    counts = {t: 0 for t in SCHEMAS}
                    for t, f in list(frames.items()) + list(log.frames().items()):
                        counts[t] += f.n
                    self._summaries[plan.index] = _StoreSummary(counts=counts, dirty=log.entries, stats=stats,
                                                                orders=orders)
            self._manifest = self._build_manifest()
        return self._manifest

    def order_truth(self) -> list[StoreOrderTruth]:
        """What drove each order of the world, per store (order_truth.py). Recorded while the rows
        are streamed; a store not streamed yet is simulated once, as for the manifest."""
        self.manifest  # noqa: B018 - simulates the stores iter_chunks has not
        return [self._summaries[p.index].orders for p in self.plans]

    def frames(self) -> Iterator[Frame]:
        for _, _, rows in self.iter_chunks():
            yield rows

    def load_record(self) -> dict:
        """This load's row of `<schema>._sample_loads` (loader.py): what an append needs to continue it."""
        return {"kind": "load", "seed": self.seed, "scale": self.scale, "months": self.months,
                "start_date": self.start_date, "base_end_date": self.base_end_date,
                "reserve_days": self.reserve_days, "end_date": self.end_date, "loaded_at": self.loaded_at,
                "generator_version": GENERATOR_VERSION}

    def store_world(self, plan: StorePlan) -> dict:
        """The store's whole world: {"deliveries": {table: Deliveries}, "facts": ...} (journeys.py)."""
        sim = simulate_store(plan, self.seed)
        deliveries = sim["frames"]
        deliveries.update(plan_deliveries(plan, self.seed))
        return {"deliveries": deliveries, "facts": sim["facts"]}

    def global_world(self) -> dict[str, Deliveries]:
        """Deliveries of the store-independent tables over the world."""
        return self._global_world

    # ------------------------------------------------------------------ internals
    def _emit(self, frame: Frame):
        if frame.n <= CHUNK_ROWS:
            yield frame.table, frame.columns, frame
        else:
            for part in frame.slices(CHUNK_ROWS):
                yield frame.table, frame.columns, part

    def as_of(self, table: str, d: Deliveries) -> Frame:
        """The table as a load at the cutoff holds it: each key's latest delivery, with its base `_loaded_at`."""
        idx = d.latest(self.cutoff_idx)
        if table in SNAPSHOT_TABLES:
            return d.take(idx, self.loaded_base)
        return d.take(idx, self.loaded_base - (self.cutoff_idx - d.day[idx]) * DAY)

    def _simulate(self, plan: StorePlan):
        world = self.store_world(plan)
        facts = world.pop("facts")
        stats = stats_until(facts, self.cutoff_idx)
        orders = from_facts(plan, facts)
        del facts
        deliveries = world.pop("deliveries")
        world_rows = {t: d.frame.n for t, d in deliveries.items()}
        frames = {}
        for table in list(deliveries):  # release each world table once its as-of copy exists
            frames[table] = self.as_of(table, deliveries.pop(table))
        log = inject_store(plan, frames, self.seed, self.future_base, self.loaded_base, world_rows)
        return frames, log, stats, orders

    def _build_global(self):
        stores = Frame("stores", dict(
            store_id=np.array([p.spec.store_id for p in self.plans], dtype=object),
            name=np.array([p.spec.name for p in self.plans], dtype=object),
            industry=np.array([p.spec.industry for p in self.plans], dtype=object),
            currency=np.array([p.spec.currency for p in self.plans], dtype=object),
            timezone=np.array([p.spec.timezone for p in self.plans], dtype=object),
            status="active",
            created_at=np.array([_ts(p.spec.created_at) for p in self.plans], dtype=np.int64),
            _loaded_at=0))
        pool = self.pool
        influencers = Frame("influencers", dict(
            influencer_id=pool["influencer_id"], platform=pool["platform"], handle=pool["handle"],
            followers=pool["followers"], niche=pool["niche"], _loaded_at=0))
        rows = []
        for p in self.plans:
            for c in PAID_CHANNELS:
                unit = 5000 if p.spec.decimals == 0 else 50
                budget = max(round(p.budgets[c] / unit) * unit, unit)
                rows.append((f"ch-{p.spec.code}-{c}", p.spec.store_id, c, CHANNEL_NAMES[c], cents(budget, 2).item(),
                             "paused" if p.spec.paused_channel == c else "active",
                             _ts(p.spec.created_at) + 86400 * (3 + PAID_CHANNELS.index(c) * 11)))
        channels = Frame("marketing_channels", dict(
            channel_id=np.array([r[0] for r in rows], dtype=object),
            store_id=np.array([r[1] for r in rows], dtype=object),
            type=np.array([r[2] for r in rows], dtype=object), name=np.array([r[3] for r in rows], dtype=object),
            monthly_budget=np.array([r[4] for r in rows], dtype=np.int64),
            status=np.array([r[5] for r in rows], dtype=object),
            created_at=np.array([r[6] for r in rows], dtype=np.int64), _loaded_at=0))
        self._global_world = {"stores": daily_resync(stores, self.world_days),
                              "influencers": influencer_profiles(influencers, self.world_days, self.seed),
                              "marketing_channels": daily_resync(channels, self.world_days)}
        frames = {t: self.as_of(t, d) for t, d in self._global_world.items()}
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
                "industry": p.spec.industry, "rows": s.counts, "stats": s.stats,
                "channels": p.totals_until(self.cutoff_idx),
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
                "base_end_date": self.base_end_date.isoformat(), "reserve_days": self.reserve_days,
                "world_end_date": self.world_end_date.isoformat(),
                "loaded_at": self.loaded_at.isoformat(),
                "future_timestamps_after": dt.datetime.fromtimestamp(self.future_base, dt.UTC).isoformat(),
                "truth_burn_in_days": BURN_IN_DAYS,
            },
            "stores": stores,
            "row_counts": counts,
            "total_rows": int(sum(counts.values())),
            "dirty_kinds": list(KINDS),
            "dirty_counts": by_kind,
            "dirty_rows": dirty,
            "appends": [],
            "notes": {
                "truth": "orders driven by channel c on local day d ~ Poisson(curve.daily_revenue(driver)[d] / "
                         "(AOV * net factor)); driver = the channel's cost exactly as the warehouse books it "
                         "(platform spend + positive ledger rows on their spend_date), after a 90-day burn-in "
                         "at the opening level (see sample_data/plan.py)",
                "dirty_rows": "every dirty row is an extra row; for kind 'duplicate' the listed row is the "
                              "superseded (earlier _loaded_at) delivery of a key whose later delivery is clean",
                "world": "the simulated world runs reserve_days past base_end_date; this load shows it as of "
                         "end_date, and `insights load-sample --append-days N` delivers the next days "
                         "(each append's report is added to `appends`)",
            },
        }


def generate(seed: int = 42, scale: float = 1.0, end_date: dt.date | None = None, months: int = 19,
             loaded_at: dt.datetime | None = None, reserve_days: int = DEFAULT_RESERVE_DAYS, *,
             cutoff: dt.date | None = None) -> SampleData:
    """Plan the sample data (eagerly) and return a `SampleData` that streams the rows.

    seed: any int; same (seed, scale, end_date, months, loaded_at, reserve_days) -> byte-identical rows.
    scale: volume multiplier (orders, sessions, spend); 1.0 ~ 27k orders / 170k sessions.
    end_date: last local day of data (default: yesterday, UTC).
    months: calendar months of history; the first day is the 1st of the month `months - 1`
        months before end_date's month.
    loaded_at: base `_loaded_at` instant (default the cutoff + 1 day 06:00 UTC); pass now() to
        make freshness checks pass.
    reserve_days: days the world is simulated past end_date, that appends can deliver later.
    cutoff: (internal) show the same world as of a later day, end_date <= cutoff <=
        end_date + reserve_days: what `load(end_date)` plus appends up to `cutoff` hold.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if months < 1:
        raise ValueError("months must be >= 1")
    if reserve_days < 0:
        raise ValueError("reserve_days must be >= 0")
    if end_date is None:
        end_date = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    if isinstance(end_date, dt.datetime):
        end_date = end_date.date()
    world_end = end_date + dt.timedelta(days=reserve_days)
    cutoff = end_date if cutoff is None else cutoff
    if not end_date <= cutoff <= world_end:
        raise ValueError(f"cutoff {cutoff} is outside the world {end_date} .. {world_end}")
    y, m = end_date.year, end_date.month - (months - 1)
    while m < 1:
        y, m = y - 1, m + 12
    start = dt.date(y, m, 1)
    if loaded_at is None:
        loaded_base = sync_instant(cutoff)
    else:
        if loaded_at.tzinfo is None:
            loaded_at = loaded_at.replace(tzinfo=dt.UTC)
        loaded_base = int(loaded_at.timestamp())
    pool_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 99, 1])))
    pool = build_influencer_pool(pool_rng)
    plans = [build_plan(spec, i, seed, scale, start, end_date, world_end, pool) for i, spec in enumerate(STORES)]
    return SampleData(seed, scale, start, end_date, reserve_days, cutoff, months, loaded_base, plans, pool)


__all__ = ["generate", "SampleData", "DirtyLog", "DEFAULT_RESERVE_DAYS", "GENERATOR_VERSION", "sync_instant"]
