"""Budget response curves fitted in the refresh (issue 18, part 4): ``GET /budget/optimize`` only allocates.

For each store whose marts changed, the ``budget_curves`` step (and ``insights budget-curves``)
reads the default lookback (90 days ending at the store's last data date) of daily cost and
attributed revenue per channel, fits every channel (optimizer.fit_channels: the curves, the
constant-ROAS fallbacks and their reasons, the holdout scores) and draws the bootstrap refits
(bootstrap.bootstrap_draws, 200 samples, seed 0), then replaces the store's rows in
``app.budget_curve_sets`` / ``app.budget_curves`` (migration 006) in one transaction. Each set
carries the marts build id it was fitted on; the request uses it only for that build, the same
lookback and the same window end, and fits at request time otherwise.

Stores whose marts did not change keep their fit: sets stamped with the build before the refresh
or the last successful refresh's build are re-stamped with the new build id (their marts rows are
the same since that success, so is their fit). Anything older is left stale (the request falls
back to fitting, which gives the same answer, only slower).

Float8 columns and float8[] arrays hold every number exactly (PostgreSQL prints the shortest text
that reads back to the same double), so a plan on stored curves equals a plan on fresh ones.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from insight_service.core.warehouse import last_data_date_query
from insight_service.optimizer import ChannelHistory, FittedChannels, FittedCurve, fit_channels
from insight_service.pipeline.per_store import fit_processes, run_per_store

DEFAULT_LOOKBACK_DAYS = 90
HOLDOUT_DAYS = 14
BOOTSTRAP_SAMPLES = 200
BOOTSTRAP_SEED = 0
NOT_CHANNELS = ("overall", "unattributed")
HILL_PARAMS = ("beta", "half_saturation", "shape", "carryover")

Fetch = Callable[[sql.Composable, Any], list[dict[str, Any]]]


# ---- the history (also read by the request-time fit) ----------------------------------------

def history_query(marts: sql.Identifier) -> sql.Composed:
    return sql.SQL(
        "select period_start as date, channel, sum(cost) as cost, sum(revenue) as revenue "
        "from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and channel <> all(%(not_channels)s) and period_start between %(start)s and %(end)s "
        "group by period_start, channel order by channel, period_start"
    ).format(m=marts)


def histories_from_rows(rows: Sequence[Mapping[str, Any]], end: dt.date,
                        lookback_days: int) -> list[ChannelHistory]:
    """One ChannelHistory per channel present in ``rows``; missing days are 0.

    The history runs from the first date of any row (at most ``lookback_days`` before ``end``)
    to ``end``, so a store with a shorter past is not padded with fictitious zero days.
    """
    if not rows:
        return []
    start = max(min(r["date"] for r in rows), end - dt.timedelta(days=lookback_days - 1))
    n = (end - start).days + 1
    dates = np.datetime64(start.isoformat(), "D") + np.arange(n)
    cost: dict[str, np.ndarray] = {}
    revenue: dict[str, np.ndarray] = {}
    for r in rows:
        i = (r["date"] - start).days
        if not 0 <= i < n:
            continue
        c = r["channel"]
        if c not in cost:
            cost[c], revenue[c] = np.zeros(n), np.zeros(n)
        cost[c][i] += float(r["cost"] or 0)
        revenue[c][i] += float(r["revenue"] or 0)
    return [ChannelHistory(c, dates, cost[c], revenue[c]) for c in sorted(cost)]


def read_histories(fetch: Fetch, marts: sql.Identifier, store_id: str, end: dt.date,
                   lookback_days: int) -> list[ChannelHistory]:
    start = end - dt.timedelta(days=lookback_days - 1)
    rows = fetch(history_query(marts), {"store": store_id, "start": start, "end": end,
                                        "not_channels": list(NOT_CHANNELS)})
    return histories_from_rows(rows, end, lookback_days)


def read_last_date(fetch: Fetch, marts: sql.Identifier, store_id: str) -> dt.date | None:
    rows = fetch(last_data_date_query(marts), {"store": store_id})
    return rows[0]["last_date"] if rows else None


# ---- stored fits -----------------------------------------------------------------------------

def stored_curves_query(app: sql.Identifier) -> sql.Composed:
    """The stored fit of store %(store)s for %(lookback)s days: one row per plan channel (the set's
    columns repeated), or none."""
    return sql.SQL(
        "select s.lookback_days, s.build_id, s.window_start, s.window_end, s.holdout_days, s.bootstrap_samples, "
        "s.bootstrap_seed, s.excluded, s.channel_order, s.fitted_at, c.channel, c.kind, c.beta, "
        "c.half_saturation, c.shape, c.carryover, c.roas, c.r2, c.holdout_error, c.fallback_used, "
        "c.fallback_reason, c.n_days, c.n_spend_days, c.granularity, c.current_spend, c.avg_roas, "
        "c.draw_width, c.draws "
        "from {a}.budget_curve_sets s join {a}.budget_curves c using (store_id, lookback_days) "
        "where s.store_id = %(store)s and s.lookback_days = %(lookback)s order by c.position"
    ).format(a=app)


def fitted_from_rows(rows: Sequence[Mapping[str, Any]]) -> FittedChannels | None:
    """The FittedChannels of a stored set (rows of :func:`stored_curves_query`); None without rows."""
    if not rows:
        return None
    head = rows[0]
    fits, draws = [], {}
    for r in rows:
        hill = r["kind"] == "hill_adstock"
        params = {k: float(r[k]) for k in HILL_PARAMS} if hill else {"roas": float(r["roas"])}
        fit = FittedCurve(r["channel"], r["kind"], params, _float(r["r2"]), _float(r["holdout_error"]),
                          bool(r["fallback_used"]), r["fallback_reason"], int(r["n_days"]),
                          int(r["n_spend_days"]), r["granularity"])
        fits.append(fit)
        values = r["draws"]
        if values is None:
            draws[fit.channel] = None
        else:
            array = np.array(values, dtype=float)
            draws[fit.channel] = array.reshape(-1, 4) if r["draw_width"] == 4 else array
    return FittedChannels(
        names=[f.channel for f in fits], fits=fits,
        current=np.array([float(r["current_spend"]) for r in rows]),
        avg_roas=np.array([float(r["avg_roas"]) for r in rows]),
        excluded=[dict(e) for e in head["excluded"]], order=list(head["channel_order"]),
        lookback_days=int(head["lookback_days"]),
        holdout_days=int(head["holdout_days"]), draws=draws,
        draws_samples=int(head["bootstrap_samples"]), draws_seed=int(head["bootstrap_seed"]))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _channel_row(position: int, fit: FittedCurve, current: float, avg_roas: float,
                 draws: np.ndarray | None) -> dict[str, Any]:
    hill = fit.kind == "hill_adstock"
    return {
        "position": position, "channel": fit.channel, "kind": fit.kind,
        **{k: float(fit.params[k]) if hill else None for k in HILL_PARAMS},
        "roas": None if hill else float(fit.params["roas"]),
        "r2": _float(fit.r2), "holdout_error": _float(fit.holdout_error), "fallback_used": bool(fit.fallback_used),
        "fallback_reason": fit.fallback_reason, "n_days": int(fit.n_days), "n_spend_days": int(fit.n_spend_days),
        "granularity": fit.granularity, "current_spend": float(current), "avg_roas": float(avg_roas),
        "draw_width": None if draws is None else (4 if draws.ndim == 2 else 1),
        "draws": None if draws is None else [float(v) for v in np.ravel(draws)],
    }


CHANNEL_COLUMNS = ("position", "channel", "kind", *HILL_PARAMS, "roas", "r2", "holdout_error", "fallback_used",
                   "fallback_reason", "n_days", "n_spend_days", "granularity", "current_spend", "avg_roas",
                   "draw_width", "draws")


def write_fit(conn: psycopg.Connection, store_id: str, fitted: FittedChannels, *, build_id: str,
              window: tuple[dt.date, dt.date], fit_seconds: float) -> None:
    """Replace the store's set for fitted.lookback_days in one transaction (readers see the old
    set or the new one, never a mix)."""
    key = {"store": store_id, "lookback": fitted.lookback_days}
    with conn.transaction():
        conn.execute("delete from app.budget_curve_sets where store_id = %(store)s and lookback_days = %(lookback)s",
                     key)
        conn.execute(
            "insert into app.budget_curve_sets (store_id, lookback_days, build_id, window_start, window_end, "
            "holdout_days, bootstrap_samples, bootstrap_seed, excluded, channel_order, fit_seconds) values "
            "(%(store)s, %(lookback)s, %(build)s, %(start)s, %(end)s, %(holdout)s, %(samples)s, %(seed)s, "
            "%(excluded)s::jsonb, %(order)s, %(seconds)s)",
            {**key, "build": build_id, "start": window[0], "end": window[1], "holdout": fitted.holdout_days,
             "samples": fitted.draws_samples, "seed": fitted.draws_seed, "excluded": json.dumps(fitted.excluded),
             "order": list(fitted.order), "seconds": round(fit_seconds, 3)})
        insert = sql.SQL("insert into app.budget_curves (store_id, lookback_days, {cols}) values "
                         "(%(store)s, %(lookback)s, {vals})").format(
            cols=sql.SQL(", ").join(map(sql.Identifier, CHANNEL_COLUMNS)),
            vals=sql.SQL(", ").join(sql.Placeholder(c) for c in CHANNEL_COLUMNS))
        draws = fitted.draws or {}
        rows = [{**key, **_channel_row(i, fit, cur, roas, draws.get(fit.channel))}
                for i, (fit, cur, roas) in enumerate(zip(fitted.fits, fitted.current, fitted.avg_roas))]
        with conn.cursor() as cur:
            cur.executemany(insert, rows)


def delete_fit(conn: psycopg.Connection, store_id: str, lookback_days: int) -> None:
    conn.execute("delete from app.budget_curve_sets where store_id = %s and lookback_days = %s",
                 (store_id, lookback_days))


def restamp(conn: psycopg.Connection, keep: Iterable[str], valid_builds: Iterable[str | None],
            after: str | None) -> int:
    """Sets of stores whose marts did not change (all but ``keep``) that were current on one of
    ``valid_builds`` (the build before the run, the last successful run's) now belong to build
    ``after``; returns how many."""
    builds = sorted({b for b in valid_builds if b is not None and b != after})
    if after is None or not builds:
        return 0
    cur = conn.execute("update app.budget_curve_sets set build_id = %s where build_id = any(%s) "
                       "and store_id <> all(%s)", (after, builds, list(keep)))
    return cur.rowcount


# ---- the step ----------------------------------------------------------------------------------

def conn_fetch(conn: psycopg.Connection) -> Fetch:
    def fetch(query: sql.Composable, params: Any = None) -> list[dict[str, Any]]:
        with conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(query, params).fetchall()
    return fetch


def fit_store(conn: psycopg.Connection, store_id: str, build_id: str, marts_schema: str = "marts",
              lookback_days: int = DEFAULT_LOOKBACK_DAYS) -> dict[str, Any]:
    """Fit and store one store's curves; the result says what was done (``stored`` or ``no_plan``
    when the store has nothing to plan on: its stale set is removed, the request explains why)."""
    started = time.perf_counter()
    fetch, marts = conn_fetch(conn), sql.Identifier(marts_schema)
    last = read_last_date(fetch, marts, store_id)
    histories = read_histories(fetch, marts, store_id, last, lookback_days) if last else []
    try:
        fitted = fit_channels(histories, lookback_days, HOLDOUT_DAYS).with_draws(BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED)
    except ValueError as exc:  # no history or no spend: nothing to fit
        delete_fit(conn, store_id, lookback_days)
        return {"store_id": store_id, "result": "no_plan", "reason": str(exc)[:200]}
    seconds = time.perf_counter() - started
    start = histories[0].dates[0].astype(dt.date)
    write_fit(conn, store_id, fitted, build_id=build_id, window=(start, last), fit_seconds=seconds)
    return {"store_id": store_id, "result": "stored", "channels": len(fitted.names),
            "fallbacks": sum(f.fallback_used for f in fitted.fits), "duration_s": round(seconds, 2)}


def fit_stores(conn: psycopg.Connection, stores: Iterable[str], build_id: str, marts_schema: str = "marts", *,
               is_cancelled: Callable[[], bool] = lambda: False,
               say: Callable[[str], None] | None = None, processes: int = 1) -> list[dict[str, Any]]:
    """:func:`fit_store` for each store, ``processes`` at a time; a store's failure is recorded in its
    result, never stops the others."""
    say = say or (lambda _m: None)

    def report(item: dict[str, Any]) -> None:
        if item["result"] == "cancelled":
            return
        say(f"  budget curves: {item['store_id']}: {item['result']}"
            + (f" ({item['channels']} channels in {item['duration_s']}s)" if item["result"] == "stored" else "")
            + (f": {item.get('reason') or item.get('error')}" if item["result"] in ("no_plan", "failed") else ""))

    job = functools.partial(fit_store, build_id=build_id, marts_schema=marts_schema)
    return run_per_store(stores, job, conn, processes=processes, is_cancelled=is_cancelled, on_result=report)


def all_stores(conn: psycopg.Connection, marts_schema: str = "marts") -> list[str]:
    """Every store with daily data in the marts (for `insights budget-curves` without --store)."""
    rows = conn.execute(sql.SQL("select store_id from {} order by store_id").format(
        sql.Identifier(marts_schema, "fct_store_data_dates"))).fetchall()
    return [r[0] for r in rows]


def run_budget_curves(stores: Sequence[str] | None = None, *,
                      say: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """`insights budget-curves`: fit the given stores (all by default) on the current build, under
    the refresh lock (a refresh rewriting the marts meanwhile would mix two builds). Raises
    BusyError when a refresh runs, LookupError when the marts have no build."""
    from insight_service.pipeline.lock import AdvisoryLock
    from insight_service.pipeline.refresh import _build_id, connect, marts_schema
    from insight_service.warehouse.migrations import migrate

    conn = connect()
    try:
        migrate(conn)
        lock = AdvisoryLock(conn)
        if not lock.try_acquire():
            raise BusyError("a refresh is running (it fits the changed stores itself); try again later")
        try:
            schema = marts_schema()
            build_id = _build_id(conn, schema)
            if build_id is None:
                raise LookupError(f"{schema}.mart_build_info has no build: run `insights refresh` first")
            return fit_stores(conn, list(stores) if stores else all_stores(conn, schema), build_id, schema, say=say,
                              processes=fit_processes())
        finally:
            lock.release()
    finally:
        conn.close()


class BusyError(RuntimeError):
    """Another refresh holds the pipeline lock."""
