"""Append the next days of the simulated world to a loaded sample (`insights load-sample --append-days N`).

    from insight_service.sample_data.append import append_days
    report = append_days(conn, days=1, schema="raw", loaded_at=None)

Every load writes its parameters to `<schema>._sample_loads` (loader.py). An append reads them,
regenerates the same world (generator.py: the world runs `reserve_days` past the end date)
and COPYs what its sources delivered in the next N days (deliveries.py), without touching the
rows already there:

* the new days of every table, sessions that arrive 2-4 days late (also for days already
  loaded), identity links;
* status changes of earlier rows: orders paid, fulfilled, refunded, cancelled; articles
  scheduled, published, archived; campaigns, contracts, outreach and influencer deliveries
  moving on, delivery metrics re-reported as they grow; creators' follower counts;
* unchanged re-deliveries: the ads and social connectors re-syncing the two previous days,
  the shop re-syncing stores and channels every morning, records touched upstream;
* dirty rows at the load's rates (dirty.inject_day), including keys whose newest delivery is
  bad, so that staging must quarantine a key it used to keep.

`_loaded_at` of the appended rows follows the simulated delivery times, squeezed (when the
append comes sooner than the days it covers) into (max `_loaded_at` already in raw, append
instant], in microseconds: strictly later than everything loaded before, and in delivery
order, so that a key delivered twice keeps "latest wins".

Refusals (`AppendRefused`, one line naming the problem): no generated sample in the schema,
N < 1, the days beyond the world's reserve, days that have not ended yet (the last appended
day must be before today, UTC), an append instant not after the rows already loaded.

The report (a dict, merged into `.warehouse/sample_manifest.json` by the CLI) has the rows per
table, the date range, counts per table of `new_rows`, `status_changes` (a key delivered again
with other values: a status, reported metrics, a follower count) and `redeliveries` (again,
unchanged), `late_sessions`, every dirty row like the manifest's `dirty_rows`, and
`quarantine`: the rows `marts.data_quality_issues` gains (`added`: [table, row_key, reason])
and the ones that change reason (`removed`: a key whose bad newest delivery is superseded), so
that the expected quarantine after a load and its appends is

    Counter(manifest dirty_rows (table, row_key, kind)) + sum(added) - sum(removed).
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .clock import DAY
from .deliveries import CHANGED, CLEAN_SLOT, FIRST, REDELIVERED, SYNC_HOUR, Deliveries
from .dirty import DirtyRows, inject_day
from .generator import GENERATOR_VERSION, SampleData, generate, sync_instant
from .loader import append_sample, read_sample_loads
from .tabular import SCHEMAS, Frame

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)  # the latest _loaded_at of empty raw tables
LAST_SLOT_S = 30 * 60  # the latest simulated delivery of a sync lands within 30 minutes of its start


class AppendRefused(ValueError):
    """The append cannot be done; the message names the problem in one line."""


@dataclass(frozen=True)
class AppendClock:
    """Maps the simulated delivery instants of the appended days onto real `_loaded_at` (µs).

    A simulated second after the sync of the last loaded day maps to one real second after the
    latest `_loaded_at` already loaded, unless the append instant comes sooner: then the days
    are squeezed proportionally so that the last delivery lands at the append instant."""
    sim_from: int  # epoch seconds: the sync of the last day already loaded
    sim_span: int  # seconds from it to the last delivery of the appended days
    previous_us: int  # max(_loaded_at) already in raw, epoch microseconds
    instant_us: int  # the append instant, epoch microseconds

    @classmethod
    def for_days(cls, after: dt.date, days: int, previous: dt.datetime, instant: dt.datetime) -> AppendClock:
        return cls(sync_instant(after), days * DAY + LAST_SLOT_S, _us(previous), _us(instant))

    @property
    def scale(self) -> int:
        """Real microseconds per simulated second, times sim_span (an integer ratio)."""
        return min(self.instant_us - self.previous_us, self.sim_span * 1_000_000)

    def __call__(self, sim_seconds) -> np.ndarray:
        sim = np.asarray(sim_seconds, dtype=np.int64) - self.sim_from
        return self.previous_us + (sim * self.scale) // self.sim_span


def _us(t: dt.datetime) -> int:
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    delta = t - dt.datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _iso_us(us: int) -> str:
    return (dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=int(us))).isoformat()


# ------------------------------------------------------------------------------ the batch

class AppendBatch:
    """The rows an append delivers (`iter_chunks()`, like SampleData) and, once iterated, `report`.

    data: the world as of the last day already loaded (generate(..., cutoff=that day));
    first_cutoff: the end date of the load the appends follow (its dirty rows are not redone)."""

    def __init__(self, data: SampleData, days: int, first_cutoff: dt.date, clock: AppendClock):
        if days < 1:
            raise AppendRefused(f"--append-days must be at least 1 (got {days})")
        self.data = data
        self.days = days
        self.after_idx = data.cutoff_idx
        self.last_idx = data.cutoff_idx + days
        self.first_idx = (first_cutoff - data.start_date).days
        self.clock = clock
        self.report = self._empty_report()

    def iter_chunks(self):
        for table, d in self.data.global_world().items():
            idx = d.window(self.after_idx, self.last_idx)
            yield from self._emit_table(None, table, d, idx, self._clean_frame(d, idx), [], {})
        for plan in self.data.plans:
            deliveries = self.data.store_world(plan)["deliveries"]
            windows = {t: d.window(self.after_idx, self.last_idx) for t, d in deliveries.items()}
            clean = {t: self._clean_frame(d, windows[t]) for t, d in deliveries.items()}
            dirty = self._inject(plan, deliveries, windows, clean, self.after_idx, self.last_idx)
            prior_bad = self._prior_bad(plan, deliveries) if self.first_idx < self.after_idx else {}
            for table in SCHEMAS:
                if table in deliveries:
                    yield from self._emit_table(plan, table, deliveries[table], windows[table], clean[table],
                                                [r for r in dirty if r.frame.table == table], prior_bad.get(table, {}))
            del deliveries, windows, clean, dirty
        self._finish_report()

    # ---- simulated delivery instants ----
    def _sync(self, plan_start_day: int, day) -> np.ndarray:
        return (plan_start_day + np.asarray(day, dtype=np.int64) + 1) * DAY + SYNC_HOUR * 3600

    def _clean_frame(self, d: Deliveries, idx: np.ndarray) -> Frame:
        start_day = self.data.plans[0].start_day  # every store shares the history's first day
        return d.take(idx, self._sync(start_day, d.day[idx]) + CLEAN_SLOT * 60)

    def _inject(self, plan, deliveries, windows, clean, after_idx, last_idx) -> list[DirtyRows]:
        """Dirty rows of the days (after_idx, last_idx], day by day (windows: sorted by day)."""
        per_day = {day: {} for day in range(after_idx + 1, last_idx + 1)}
        for t, d in deliveries.items():
            days = d.day[windows[t]]
            for day in per_day:
                lo, hi = np.searchsorted(days, [day, day + 1])
                per_day[day][t] = (clean[t].take(np.arange(lo, hi)), d.row[windows[t][lo:hi]])
        out = []
        for day, delivered in per_day.items():
            out += inject_day(plan, day, delivered, self.data.seed)
        return out

    def _prior_bad(self, plan, deliveries) -> dict[str, dict[int, str]]:
        """Keys whose latest delivery before this append is a bad newest copy of an earlier append."""
        windows = {t: d.window(self.first_idx, self.after_idx) for t, d in deliveries.items()}
        clean = {t: self._clean_frame(d, windows[t]) for t, d in deliveries.items()}
        bad: dict[str, dict[int, tuple[int, str]]] = {}
        for rec in self._inject(plan, deliveries, windows, clean, self.first_idx, self.after_idx):
            if not rec.newest:
                continue
            day = (rec.frame.data["_loaded_at"] // DAY - 1) - plan.start_day  # the sync's day
            for r, b in zip(rec.world_rows.tolist(), day.tolist()):
                bad.setdefault(rec.frame.table, {})[r] = (b, rec.kind)
        out: dict[str, dict[int, str]] = {}
        for table, rows in bad.items():
            r = np.array(list(rows), dtype=np.int64)
            b = np.array([rows[x][0] for x in rows], dtype=np.int64)
            superseded = deliveries[table].delivered_between(r, b, self.after_idx)
            out[table] = {int(x): rows[x][1] for x, gone in zip(r.tolist(), superseded.tolist()) if not gone}
        return out

    # ---- one table of one store (or a global table) ----
    def _emit_table(self, plan, table: str, d: Deliveries, idx: np.ndarray, clean: Frame, dirty: list[DirtyRows],
                    prior_bad: dict[int, str]):
        self._count(table, d, idx, plan)
        self._quarantine(table, d, idx, clean, dirty, prior_bad)
        frames = [clean] + [r.frame for r in dirty]
        frames = [f for f in frames if f.n]
        if not frames:
            return
        rows = Frame.concat(frames)
        loaded = self.clock(rows.data["_loaded_at"])
        self._dirty_entries(dirty)
        self._span(loaded)
        self.report["rows"][table] += rows.n
        rows = rows.with_loaded_at_us(loaded)
        for part in (rows.slices(200_000) if rows.n > 200_000 else [rows]):
            yield table, rows.columns, part

    def _count(self, table: str, d: Deliveries, idx: np.ndarray, plan) -> None:
        why = d.why(idx)
        rep = self.report
        rep["new_rows"][table] += int((why == FIRST).sum())
        rep["status_changes"][table] += int((why == CHANGED).sum())
        rep["redeliveries"][table] += int((why == REDELIVERED).sum())
        if table == "web_sessions" and len(idx):
            started_day = plan.clock.day_index(d.frame.data["started_at"][d.row[idx]])
            rep["late_sessions"] += int((d.day[idx] > started_day).sum())

    def _quarantine(self, table, d: Deliveries, idx, clean: Frame, dirty: list[DirtyRows], prior_bad) -> None:
        """What the append adds to (and changes in) the quarantine, for this table.

        Per key, every delivery but the latest is a `duplicate`; the latest is quarantined with
        its own reason if it is bad. A key that existed before the append supersedes its previous
        latest row (now a `duplicate`; if that row was a bad newest copy, its old reason goes)."""
        added, removed = self.report["quarantine"]["added"], self.report["quarantine"]["removed"]
        own = [r for r in dirty if (r.world_rows < 0).all()]
        for r in own:  # null keys and bad rows under a key of their own: quarantined as they are
            added += [[table, k, r.kind] for k in r.frame.key_strings()]
        keyed = [r for r in dirty if (r.world_rows >= 0).any()]
        # events on world keys: (row, simulated instant, bad reason or "")
        rows = [d.row[idx]] + [r.world_rows for r in keyed]
        at = [clean.data["_loaded_at"]] + [r.frame.data["_loaded_at"] for r in keyed]
        bad = [np.full(len(idx), "", dtype=object)] + [
            np.full(r.frame.n, r.kind if r.newest else "", dtype=object) for r in keyed]
        row, at, bad = np.concatenate(rows), np.concatenate(at), np.concatenate(bad)
        if not len(row):
            return
        existed = d.first_day()[row] <= self.after_idx
        counts = np.bincount(row, minlength=d.frame.n)
        interesting = (counts[row] > 1) | existed
        row, at, bad, existed = row[interesting], at[interesting], bad[interesting], existed[interesting]
        order = np.lexsort((at, row))
        row, bad, existed = row[order], bad[order], existed[order]
        last = np.ones(len(row), dtype=bool)
        last[:-1] = row[1:] != row[:-1]
        first = np.ones(len(row), dtype=bool)
        first[1:] = row[1:] != row[:-1]
        keys = d.frame.take(row).key_strings() if len(row) else []
        for i in range(len(row)):
            if first[i] and existed[i]:  # the row the warehouse held before this append
                added.append([table, keys[i], "duplicate"])
                old = prior_bad.get(int(row[i]))
                if old:
                    removed.append([table, keys[i], old])
            if not last[i]:
                added.append([table, keys[i], "duplicate"])
            elif bad[i]:
                added.append([table, keys[i], bad[i]])

    def _dirty_entries(self, dirty: list[DirtyRows]) -> None:
        for r in dirty:
            loaded = self.clock(r.frame.data["_loaded_at"])
            for k, c, la in zip(r.frame.key_strings(), r.columns, loaded.tolist()):
                e = {"table": r.frame.table, "row_key": k, "kind": r.kind}
                if c:
                    e["column"] = c
                if r.newest:
                    e["newest"] = True  # a bad re-delivery of a clean key: the key is quarantined
                e["loaded_at"] = _iso_us(la)
                self.report["dirty_rows"].append(e)

    def _span(self, loaded: np.ndarray) -> None:
        lo, hi = self.report["_loaded_us"]
        self.report["_loaded_us"] = [min(lo, int(loaded.min())), max(hi, int(loaded.max()))]

    # ---- report ----
    def _empty_report(self) -> dict:
        start = self.data.start_date
        tables = {t: 0 for t in SCHEMAS}
        return {
            "from_date": (start + dt.timedelta(days=self.after_idx + 1)).isoformat(),
            "end_date": (start + dt.timedelta(days=self.last_idx)).isoformat(),
            "previous_end_date": (start + dt.timedelta(days=self.after_idx)).isoformat(),
            "days": self.days,
            "rows": dict(tables), "new_rows": dict(tables), "status_changes": dict(tables),
            "redeliveries": dict(tables), "late_sessions": 0,
            "dirty_rows": [], "quarantine": {"added": [], "removed": []},
            "_loaded_us": [np.iinfo(np.int64).max, np.iinfo(np.int64).min],
        }

    def _finish_report(self) -> None:
        rep = self.report
        lo, hi = rep.pop("_loaded_us")
        rep["total_rows"] = int(sum(rep["rows"].values()))
        rep["loaded_at"] = {"first": _iso_us(lo), "last": _iso_us(hi)} if rep["total_rows"] else None
        by_kind: dict = {}
        for e in rep["dirty_rows"]:
            by_kind.setdefault(e["table"], Counter())[e["kind"]] += 1
        rep["dirty_counts"] = {t: dict(c) for t, c in by_kind.items()}
        rep["newest_bad_keys"] = sum(1 for e in rep["dirty_rows"] if e.get("newest"))
        rep["status_changes_total"] = int(sum(rep["status_changes"].values()))
        rep["redeliveries_total"] = int(sum(rep["redeliveries"].values()))


@dataclass
class AppendPlan:
    """What one append delivers, decided from the sample's loads: `batch` yields the rows,
    `record` is its row of the loads bookkeeping table."""
    base: dict
    instant: dt.datetime
    previous: dt.datetime
    batch: AppendBatch
    record: dict


def plan_append(loads: list[dict], days: int, schema: str, loaded_at: dt.datetime | None,
                previous: dt.datetime) -> AppendPlan:
    """The append of the next `days` days after the sample whose loads (oldest first, the load
    then its appends) are `loads`; `previous`: the latest `_loaded_at` already in the raw tables.
    The same on every warehouse (PostgreSQL here, Spark in spark/raw_loader.py). Raises
    AppendRefused with a one-line reason."""
    if days < 1:
        raise AppendRefused(f"--append-days must be at least 1 (got {days})")
    if not loads:
        raise AppendRefused(f"schema {schema!r} holds no generated sample to append to; "
                            f"load one first with `insights load-sample --schema {schema}`")
    base = loads[0]
    after = max(r["end_date"] for r in loads)
    instant = loaded_at or dt.datetime.now(UTC)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    _check_appendable(base, after, days, instant, schema)
    clock = AppendClock.for_days(after, days, previous, instant)
    if clock.scale < clock.sim_span:
        raise AppendRefused(f"the append instant {instant.isoformat()} is not after the rows already in "
                            f"{schema!r} (latest _loaded_at {previous.isoformat()}); append later or pass a "
                            f"later loaded_at")
    data = generate(seed=base["seed"], scale=base["scale"], end_date=base["base_end_date"], months=base["months"],
                    reserve_days=base["reserve_days"], cutoff=after)
    if data.start_date != base["start_date"]:  # the world must be the one that was loaded
        raise AppendRefused(f"the sample in {schema!r} starts on {base['start_date']} but its parameters now "
                            f"give {data.start_date}; reload it with `insights load-sample`")
    record = {"kind": "append", "seed": base["seed"], "scale": base["scale"], "months": base["months"],
              "start_date": base["start_date"], "base_end_date": base["base_end_date"],
              "reserve_days": base["reserve_days"], "end_date": after + dt.timedelta(days=days),
              "loaded_at": instant, "generator_version": GENERATOR_VERSION}
    return AppendPlan(base, instant, previous, AppendBatch(data, days, base["end_date"], clock), record)


def append_report(plan: AppendPlan, schema: str, started: float, timing: dict) -> dict:
    """The append's report (module docstring) once its rows are written; `timing`: the writer's."""
    base = plan.base
    report = plan.batch.report
    report.update(schema=schema, seed=base["seed"], scale=base["scale"], start_date=base["start_date"].isoformat(),
                  base_end_date=base["base_end_date"].isoformat(), reserve_days=base["reserve_days"],
                  world_end_date=(base["base_end_date"] + dt.timedelta(days=base["reserve_days"])).isoformat(),
                  append_instant=plan.instant.isoformat(), previous_loaded_at=plan.previous.isoformat(),
                  seconds=round(time.perf_counter() - started, 3), **timing)
    return report


# ------------------------------------------------------------------------------ with a database

def append_days(conn, days: int, schema: str = "raw", loaded_at: dt.datetime | None = None,
                progress=None) -> dict:
    """Append the next `days` days of the sample in `schema` (see the module docstring).

    loaded_at: the append instant (default now): the last appended row lands at it at the
    latest. Returns the report: rows per table, dates, counts, dirty rows and the quarantine
    changes, plus timings. Raises AppendRefused with a one-line reason."""
    t0 = time.perf_counter()
    try:
        # the lock on the bookkeeping table makes a concurrent append wait and continue this one
        loads = read_sample_loads(conn, schema, lock=True)
        plan = plan_append(loads, days, schema, loaded_at, _max_loaded_at(conn, schema) if loads else EPOCH)
    except AppendRefused:
        conn.rollback()  # releases the lock on the bookkeeping table
        raise
    timing = append_sample(conn, plan.batch, schema, plan.record, progress=progress)
    return append_report(plan, schema, t0, timing)


def append_days_spark(spark, days: int, schema: str = "raw", loaded_at: dt.datetime | None = None,
                      progress=None) -> dict:
    """append_days on the Spark target's raw tables (`load-sample --target spark --append-days N`): the
    same rows, report and refusals. One process at a time opens the local metastore: no lock needed."""
    from insight_service.spark.raw_loader import max_loaded_at, read_sample_loads, record_load, write_rows

    t0 = time.perf_counter()
    loads = read_sample_loads(spark, schema)
    plan = plan_append(loads, days, schema, loaded_at, (max_loaded_at(spark, schema) or EPOCH) if loads else EPOCH)
    counts = write_rows(spark, plan.batch.iter_chunks(), schema, "append", progress, t0)
    record_load(spark, schema, plan.record, sum(counts.values()), replace=False)
    return append_report(plan, schema, t0, {"write_seconds": round(time.perf_counter() - t0, 3)})


def _check_appendable(base: dict, after: dt.date, days: int, instant: dt.datetime, schema: str) -> None:
    if base["generator_version"] != GENERATOR_VERSION:
        raise AppendRefused(f"the sample in {schema!r} was generated by generator version "
                            f"{base['generator_version']} (this is {GENERATOR_VERSION}): its world cannot be "
                            f"continued; reload it with `insights load-sample`")
    last = after + dt.timedelta(days=days)
    world_end = base["base_end_date"] + dt.timedelta(days=base["reserve_days"])
    if last > world_end:
        room = (world_end - after).days
        raise AppendRefused(
            f"appending {days} day(s) after {after} would reach {last}, beyond the sample's world, which ends on "
            f"{world_end} ({base['reserve_days']} reserve days after {base['base_end_date']}; {room} day(s) left): "
            f"reload with a larger reserve: `insights load-sample --seed {base['seed']} --scale {base['scale']:g} "
            f"--months {base['months']} --end-date {base['base_end_date']} "
            f"--reserve-days {base['reserve_days'] + days - room}`")
    today = instant.astimezone(UTC).date()
    if last >= today:
        raise AppendRefused(
            f"appending {days} day(s) after {after} would reach {last}, but data cannot come from the future: the "
            f"last appended day must be before today ({today}, UTC). Load the sample with an earlier --end-date "
            f"(e.g. `insights load-sample --end-date {today - dt.timedelta(days=days + 1)}`) to leave room to append")


def _max_loaded_at(conn, schema: str) -> dt.datetime:
    from psycopg import sql

    from insight_service.warehouse.raw_schema import RAW_TABLES

    parts = sql.SQL(" union all ").join(
        sql.SQL("select max(_loaded_at) as m from {}").format(sql.Identifier(schema, t)) for t in RAW_TABLES)
    latest = conn.execute(sql.SQL("select max(m) from ({}) x").format(parts)).fetchone()[0]
    return latest or EPOCH


def expected_quarantine(manifest: dict, reports: list[dict]) -> Counter:
    """(table, row_key, reason) -> rows that marts.data_quality_issues holds after the load of
    `manifest` and the appends of `reports`, in order."""
    out = Counter((e["table"], e["row_key"], e["kind"]) for e in manifest["dirty_rows"])
    for rep in reports:
        out.update(tuple(x) for x in rep["quarantine"]["added"])
        out.subtract(tuple(x) for x in rep["quarantine"]["removed"])
    return +out
