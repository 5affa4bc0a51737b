"""Benchmark: full build vs an incremental `insights refresh` of appended days, on a growing history.

Usage (PG* variables name the server; the database is created, or reused with --skip-load):

    PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/python bench/refresh_benchmark.py --scale 40
    PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/python bench/refresh_benchmark.py --scale 10 --scale 40
    ... --latency        # also: rows loaded at t, seen on /dashboard at t + ? with `insights schedule`

For each scale: load the sample (history ending --days-back days ago, so that days can be
appended), `insights build --full-refresh`, a first `insights refresh` (the baseline run), a
refresh with no new data, then --append-days days appended one at a time
(`insights load-sample --append-days 1`: a new day of every table, late sessions, refunds and
re-delivered rows), each followed by a refresh; then a no-new-data refresh again. Prints wall
and dbt node seconds of every step, the steps of each refresh (app.pipeline_runs), its slowest
nodes, and the targets of issue 14: full build < 5 min, a one-day refresh < 60 s and < 5 % of
the full build, one-day refreshes at two scales within 25 %, latency < 5 min.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
INSIGHTS = str(Path(sys.executable).parent / "insights")


def run(args: list[str], env: dict[str, str], quiet: bool = True) -> float:
    """Run an `insights` command, return its wall seconds; exit with its output on failure."""
    started = time.monotonic()
    proc = subprocess.run([INSIGHTS, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"insights {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    if not quiet:
        print(proc.stdout[-2000:])
    return time.monotonic() - started


def node_seconds(target: Path) -> tuple[float, list[tuple[float, str]]]:
    """Sum of dbt node times of the last run in `target`, and its 5 slowest nodes."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    slowest = sorted(((r["execution_time"], r["unique_id"].split(".")[-1]) for r in results), reverse=True)[:5]
    return sum(r["execution_time"] for r in results), slowest


def ensure_database(name: str, fresh: bool) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def last_run(env: dict[str, str]) -> dict:
    with psycopg.connect(dbname=env["PGDATABASE"]) as conn:
        row = conn.execute("""select run_id, status, no_new_data, rows_written, steps,
                                     extract(epoch from finished_at - started_at)
                              from app.pipeline_runs order by run_id desc limit 1""").fetchone()
    return {"run_id": row[0], "status": row[1], "no_new_data": row[2], "rows_written": row[3],
            "steps": {s["name"]: s.get("duration_s") for s in row[4]}, "seconds": float(row[5])}


def refresh(env: dict[str, str], label: str, target: Path) -> dict:
    wall = run(["refresh"], env)
    info = last_run(env)
    info["wall"] = wall
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in info["steps"].items() if v is not None)
    line = f"  {label:<34} {wall:7.1f} s wall"
    if not info["no_new_data"]:
        nodes, slowest = node_seconds(target)
        info["nodes"] = nodes
        line += f", {nodes:7.1f} s dbt node time, {info['rows_written']:,} rows written"
        line += "\n" + " " * 38 + "slowest: " + ", ".join(f"{n} {s:.1f}s" for s, n in slowest)
    else:
        line += " (no new data)"
    print(line + f"\n{' ' * 38}steps: {steps}", flush=True)
    return info


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_end(port: int, key: str) -> str | None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/marketing/analytics/dashboard",
                                     headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())["data"]["date_range"]["end_date"]
    except Exception:
        return None


def latency(env: dict[str, str], store: str, limit_s: float) -> float | None:
    """Start the API and `insights schedule` (defaults), append a day at t, return when /dashboard
    shows the new day (None past limit_s)."""
    key = subprocess.run([INSIGHTS, "keys", "create", "--store", store], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([INSIGHTS, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    scheduler = subprocess.Popen([INSIGHTS, "schedule"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(120):
            before = dashboard_end(port, key)
            if before:
                break
            time.sleep(1)
        time.sleep(40)  # let the scheduler's first run (at start) finish before the day lands
        before = dashboard_end(port, key)
        loaded = time.monotonic()
        run(["load-sample", "--append-days", "1"], env)
        print(f"  appended a day at t (dashboard ends {before}); polling /dashboard ...", flush=True)
        while time.monotonic() - loaded < limit_s:
            now = dashboard_end(port, key)
            if now and before and now > before:
                return time.monotonic() - loaded
            time.sleep(1)
        return None
    finally:
        for proc in (scheduler, server):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in (scheduler, server):
            proc.wait(timeout=120)


def bench_scale(scale: float, args: argparse.Namespace) -> dict:
    database = f"{args.database_prefix}_{str(scale).replace('.', '_')}" + (f"_m{args.months}" if args.months else "")
    target = Path(tempfile.mkdtemp(prefix="refresh_bench_"))
    env = {**os.environ, "PGDATABASE": database, "INSIGHTS_REFRESH_TARGET_PATH": str(target / "refresh"),
           "DBT_TARGET_PATH": str(target / "build"), "INSIGHTS_WAREHOUSE_DIR": str(target / "warehouse")}
    history = f"{args.months} months" if args.months else "19 months"
    print(f"\n== scale {scale:g}, {history} of history: database {database} ==", flush=True)
    out: dict = {"scale": scale, "history": history}
    if not args.skip_load:
        ensure_database(database, fresh=True)
        end = dt.date.today() - dt.timedelta(days=args.days_back)
        months = ["--months", str(args.months)] if args.months else []
        out["load"] = run(["load-sample", "--scale", str(scale), *months, "--end-date", end.isoformat()], env)
        print(f"  load-sample --scale {scale:g} {' '.join(months)} --end-date {end}   {out['load']:7.1f} s", flush=True)
    out["full"] = run(["build", "--full-refresh"], env)
    out["full_nodes"], slowest = node_seconds(target / "build")
    print(f"  full build (dbt build --full-refresh)  {out['full']:7.1f} s wall, {out['full_nodes']:7.1f} s node time"
          f"\n{' ' * 38}slowest: " + ", ".join(f"{n} {s:.1f}s" for s, n in slowest), flush=True)
    refresh(env, "first refresh (baseline run)", target / "refresh")
    out["noop"] = refresh(env, "refresh, no new data", target / "refresh")["wall"]
    out["days"] = []
    for day in range(args.append_days):
        appended = run(["load-sample", "--append-days", "1"], env)
        print(f"  append day {day + 1} (load-sample --append-days 1)  {appended:7.1f} s", flush=True)
        out["days"].append(refresh(env, f"refresh of appended day {day + 1}", target / "refresh"))
    out["noop_after"] = refresh(env, "refresh, no new data", target / "refresh")["wall"]
    if args.latency:
        with psycopg.connect(dbname=database) as conn:
            store = conn.execute("select store_id from marts.dim_stores order by store_id limit 1").fetchone()[0]
        out["latency"] = latency(env, store, args.latency_limit)
        shown = f"{out['latency']:.0f} s" if out["latency"] is not None else f"> {args.latency_limit:.0f} s"
        print(f"  latency (schedule defaults): a day appended at t is on /dashboard at t + {shown}", flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, action="append", help="repeatable (default 40)")
    ap.add_argument("--append-days", type=int, default=3, help="days appended and refreshed one by one")
    ap.add_argument("--days-back", type=int, default=30, help="the loaded history ends this many days ago")
    ap.add_argument("--months", type=int, help="months of history (default: the generator's 19); a shorter "
                    "history at the same scale appends days of the same size onto less history")
    ap.add_argument("--database-prefix", default="refresh_bench")
    ap.add_argument("--skip-load", action="store_true", help="reuse the database (already loaded)")
    ap.add_argument("--latency", action="store_true", help="also measure load-to-dashboard latency")
    ap.add_argument("--latency-limit", type=float, default=600)
    args = ap.parse_args(argv)
    scales = args.scale or [40.0]
    results = [bench_scale(scale, args) for scale in scales]

    print("\n== targets ==")
    for r in results:
        # the median appended day: the first one after a full build also warms the cache
        day = sorted(r["days"], key=lambda d: d["wall"])[len(r["days"]) // 2] if r["days"] else None
        verdict = "<" if r["full"] < 300 else ">="
        print(f"scale {r['scale']:g} ({r['history']}): full build {r['full']:.0f} s ({verdict} 300 s)")
        if day:
            share = day["wall"] / r["full"] * 100
            print(f"  one-day refresh (median) {day['wall']:.1f} s wall ({'<' if day['wall'] < 60 else '>='} 60 s), "
                  f"{share:.1f} % of the full build ({'<' if share < 5 else '>='} 5 %); "
                  f"dbt node time {day.get('nodes', 0):.1f} s = {day.get('nodes', 0) / r['full_nodes'] * 100:.1f} % "
                  f"of the full build's {r['full_nodes']:.0f} s")
            print("  every appended day: " + ", ".join(f"{d['wall']:.1f} s" for d in r["days"]))
        print(f"  no new data: {r['noop']:.1f} s and {r['noop_after']:.1f} s")
        if "latency" in r:
            shown = "not seen" if r["latency"] is None else f"{r['latency']:.0f} s"
            print(f"  latency: {shown} (target < 300 s)")
    if len(results) >= 2 and all(r["days"] for r in results):
        small, large = results[0], results[-1]
        a = sorted(d["wall"] for d in small["days"])[len(small["days"]) // 2]
        b = sorted(d["wall"] for d in large["days"])[len(large["days"]) // 2]
        print(f"median one-day refresh: scale {small['scale']:g} {a:.1f} s vs scale {large['scale']:g} {b:.1f} s: "
              f"{abs(b - a) / min(a, b) * 100:.0f} % apart (target < 25 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
