"""Backtest of the forecasts (issue 18): rolling origins on a sample warehouse, and the forward check.

Rolling origins: for each store and each (metric, channel) series of the marts, the forecaster
(insight_service.forecast.models, exactly what the refresh stores) is fitted on the days before each of
``--origins`` origins (``--horizon`` days apart, the last one ``--horizon`` days before the last data
day) and scored on the next ``--horizon`` days.

Forward check (``--forward``): the stored forecasts are refitted now, then ``insights load-sample
--append-days N`` delivers the next N days of the same sample world and ``insights refresh`` builds
them (and refits); the forecasts made before are scored against the appended actuals. It changes the
database (N more days): run it on a database made for it.

Printed per metric x channel (summed over the stores): MASE vs seasonal naive (the forecast's mean
absolute error / that of the last week repeated, from the same origin, on the same days: < 1 beats
it), sMAPE (%), the empirical coverage of the 80 % and 95 % intervals, the days scored and the
models chosen. Targets: MASE < 0.9 on revenue and sessions; coverage within 5 points of nominal.

Several sample worlds (``--seed`` given more than once, each built into ``<PGDATABASE>_<seed>``): a line
of misses per world, then the tables pooled over the worlds (4x the days per row for 4 worlds: a row's
coverage is then a far less noisy estimate than one world's 140 forward days). ``--end-date`` fixes the
samples' last day (default: ``--append-days`` + 12 days ago), so a run can be repeated on another day.

Usage (database from --dsn, or PG* with a sample built into PGDATABASE by this script):

    .venv/bin/python bench/forecast_backtest.py --dsn postgresql://postgres@127.0.0.1/forecast_dev
    PGDATABASE=forecast_bt .venv/bin/python bench/forecast_backtest.py --scale 1 --forward
    PGDATABASE=forecast_bt .venv/bin/python bench/forecast_backtest.py --seed 42 --seed 7 --seed 99 \
        --end-date 2026-10-27 --forward
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

from insight_service.forecast import METRICS
from insight_service.forecast.backtest import Score, origins_for, rolling_origin
from insight_service.forecast.fit import SERIES_CHANNELS, load_store, read_series, store_ids
from insight_service.forecast.models import SeriesForecast, seasonal_naive

MASE_TARGET = 0.9
COVERAGE_TOLERANCE = 5.0
MASE_METRICS = ("revenue", "sessions")
ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, env: dict[str, str]) -> None:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "insight_service.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"insights {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    print(f"insights {' '.join(args)}: {time.perf_counter() - started:.0f}s", flush=True)


def pg_env(dsn: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if dsn:
        names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "dbname": "PGDATABASE", "password": "PGPASSWORD"}
        for key, value in psycopg.conninfo.conninfo_to_dict(dsn).items():
            if key in names and value is not None:
                env[names[key]] = str(value)
    return env


def build_sample(env: dict[str, str], scale: float, seed: int, months: int, end: dt.date, fresh: bool) -> None:
    """A sample ending on ``end`` (some days ago, so --forward can append them), built by a refresh; ``fresh``:
    in a new database (the per-seed databases are the script's own, dropped first)."""
    with psycopg.connect(dbname=env.get("PGMAINTDB", "postgres"), host=env.get("PGHOST"), port=env.get("PGPORT"),
                         user=env.get("PGUSER"), autocommit=True) as conn:
        name = env.get("PGDATABASE")
        if not name:
            raise SystemExit("give --dsn or PGDATABASE (the database to build the sample in)")
        if fresh:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    cli("load-sample", "--scale", str(scale), "--seed", str(seed), "--months", str(months),
        "--end-date", end.isoformat(), env=env)
    cli("refresh", env=env)


def _bold(name: str, text: str, flags: list[str]) -> str:
    return f"**{text}**" if name in flags else text


def merge_scores(into: dict[tuple[str, str], Score], scores: dict[tuple[str, str], Score]) -> None:
    for key, score in scores.items():
        into.setdefault(key, Score()).merge(score)


def print_table(title: str, scores: dict[tuple[str, str], Score]) -> list[str]:
    """The table; returns the targets missed."""
    print(f"\n{title}\n")
    print("| metric | channel | MASE vs seasonal naive | sMAPE % | coverage 80 % | coverage 95 % | days | models |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = []
    for metric in METRICS:
        for channel in SERIES_CHANNELS:
            s = scores.get((metric, channel))
            if s is None or not s.days:
                continue
            models = ", ".join(f"{m} {n}" for m, n in sorted(s.models.items(), key=lambda kv: -kv[1]))
            if s.mase is None:  # the baseline is exact (an unused channel): nothing to beat
                print(f"| {metric} | {channel} | – | {s.smape:.1f} | {s.coverage_80:.1f} | {s.coverage_95:.1f} | "
                      f"{s.days} | {models} |")
                continue
            flags = []
            if metric in MASE_METRICS and s.mase >= MASE_TARGET:
                flags.append("MASE")
            if abs(s.coverage_80 - 80) > COVERAGE_TOLERANCE:
                flags.append("cov80")
            if abs(s.coverage_95 - 95) > COVERAGE_TOLERANCE:
                flags.append("cov95")
            missed += [f"{metric}/{channel} {f}" for f in flags]
            cov80, cov95 = _bold("cov80", f"{s.coverage_80:.1f}", flags), _bold("cov95", f"{s.coverage_95:.1f}", flags)
            print(f"| {metric} | {channel} | {_bold('MASE', f'{s.mase:.2f}', flags)} | {s.smape:.1f} | {cov80} | "
                  f"{cov95} | {s.days} | {models} |")
    total = Score()
    for s in scores.values():
        total.merge(s)
    print(f"\nall series: MASE {total.mase:.2f}, coverage 80 % {total.coverage_80:.1f}, "
          f"95 % {total.coverage_95:.1f} over {total.days:,} series-days")
    print(f"targets missed (bold): {', '.join(missed) if missed else 'none'}")
    return missed


def rolling(conn: psycopg.Connection, stores: list[str], origins: int, horizon: int) -> dict[tuple[str, str], Score]:
    scores: dict[tuple[str, str], Score] = {}
    for store_id in stores:
        started = time.perf_counter()
        data = load_store(conn, store_id)
        for key, y in data.values.items():
            scores.setdefault(key, Score()).merge(rolling_origin(y, origins_for(len(y), origins, horizon), horizon,
                                                                 data.regressor(*key), data.first_day))
        print(f"{store_id}: {data.days} days, {len(data.values)} series x {origins} origins "
              f"({time.perf_counter() - started:.1f}s)", flush=True)
    return scores


def stored_forecast(conn: psycopg.Connection, store_id: str, metric: str, channel: str, days: int) -> SeriesForecast:
    from insight_service.forecast import store

    got = store.read(conn, store_id, metric, channel, days)
    cols = {k: np.array([d[k] for d in got["days"]]) for k in ("value", "lower_80", "upper_80", "lower_95",
                                                                 "upper_95")}
    return SeriesForecast(got["model"], **cols)


def forward(conn: psycopg.Connection, env: dict[str, str], stores: list[str],
            days: int) -> dict[tuple[str, str], Score]:
    from insight_service.pipeline.forecasts import fit_stores

    fit_stores(conn, stores, "marts", say=print)
    before = {s: load_store(conn, s) for s in stores}
    made = {(s, m, c): stored_forecast(conn, s, m, c, days) for s in stores for m in METRICS for c in SERIES_CHANNELS}
    cli("load-sample", "--append-days", str(days), env=env)
    cli("refresh", env=env)
    scores: dict[tuple[str, str], Score] = {}
    for store_id in stores:
        last = before[store_id].last_day
        actual = read_series(conn, store_id, last + dt.timedelta(days=1), last + dt.timedelta(days=days))
        refit = conn.execute("select last_data_date from app.forecast_stores where store_id = %s",
                             (store_id,)).fetchone()[0]
        print(f"{store_id}: forecast made on data to {last}, scored on {last + dt.timedelta(days=1)}.."
              f"{last + dt.timedelta(days=days)}; the refresh refitted it on data to {refit}")
        for (metric, channel), values in actual.items():
            forecast = made[(store_id, metric, channel)]
            history = before[store_id].values[(metric, channel)]
            scores.setdefault((metric, channel), Score()).add(values, forecast, seasonal_naive(history, days))
    return scores


def run_world(args: argparse.Namespace, env: dict[str, str], conninfo: str,
              quiet: bool) -> dict[str, tuple[dict[tuple[str, str], Score], list[str]]]:
    """The rolling backtest (and the forward check) of one database: per kind, its scores and misses."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("PG")})
    report = functools.partial(quietly, print_table) if quiet else print_table
    out = {}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        stores = args.stores.split(",") if args.stores else store_ids(conn)
        started = time.perf_counter()
        scores = rolling(conn, stores, args.origins, args.horizon)
        title = (f"Rolling origins: {args.origins} origins x {args.horizon} days, {len(stores)} stores "
                 f"({time.perf_counter() - started:.0f}s)")
        out["rolling"] = (scores, report(title, scores))
        if args.forward:
            scores = forward(conn, env, stores, args.append_days)
            title = f"Forward: forecasts scored on the {args.append_days} appended days"
            out["forward"] = (scores, report(title, scores))
    return out


def quietly(table, title: str, scores: dict[tuple[str, str], Score]) -> list[str]:
    with contextlib.redirect_stdout(io.StringIO()):
        return table(title, scores)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", help="a database holding a built sample (default: build one in PGDATABASE)")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, action="append",
                    help="the sample's seed (default 42); several: one database and world each, tables pooled")
    ap.add_argument("--end-date", type=dt.date.fromisoformat,
                    help="the samples' last day (default: --append-days + 12 days ago)")
    ap.add_argument("--months", type=int, default=19)
    ap.add_argument("--origins", type=int, default=4)
    ap.add_argument("--horizon", type=int, default=30)
    ap.add_argument("--stores", help="comma-separated store ids (default: every store)")
    ap.add_argument("--forward", action="store_true", help="also the forward check (appends days to the sample)")
    ap.add_argument("--append-days", type=int, default=28)
    args = ap.parse_args(argv)

    seeds = args.seed or [42]
    if args.dsn and len(seeds) > 1:
        raise SystemExit("several --seed values build their own databases: give PGDATABASE, not --dsn")
    end = args.end_date or dt.datetime.now(dt.UTC).date() - dt.timedelta(days=args.append_days + 12)
    pooled: dict[str, dict[tuple[str, str], Score]] = {"rolling": {}, "forward": {}}
    worlds = []
    base_name = os.environ.get("PGDATABASE") or "forecast_bt"  # read once: run_world exports each world's
    for seed in seeds:
        env = pg_env(args.dsn)
        if len(seeds) > 1:
            env["PGDATABASE"] = f"{base_name}_{seed}"
        if not args.dsn:
            build_sample(env, args.scale, seed, args.months, end, fresh=len(seeds) > 1)
        world = run_world(args, env, args.dsn or "", quiet=len(seeds) > 1)
        worlds.append(f"seed {seed}: rolling {len(world['rolling'][1])} misses"
                      + (f", forward {len(world['forward'][1])}" if "forward" in world else ""))
        for kind, (scores, _missed) in world.items():
            merge_scores(pooled[kind], scores)
    if len(seeds) == 1:
        return 1 if world["rolling"][1] else 0
    print("\n" + "\n".join(worlds))
    missed = print_table(f"Rolling origins pooled over {len(seeds)} worlds (seeds {', '.join(map(str, seeds))})",
                         pooled["rolling"])
    if args.forward:
        print_table(f"Forward pooled over {len(seeds)} worlds", pooled["forward"])
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
