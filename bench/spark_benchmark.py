"""Benchmark: the same sample built on PostgreSQL and on a local Spark session (README "Spark").

Usage (PG* variables name the server; a database spark_bench_<scale> is created for each scale):

    PGHOST=127.0.0.1 PGUSER=postgres .venv/bin/python bench/spark_benchmark.py --scale 0.05 --scale 1
    ... --compare      # also compare every relation row by row (python -m insight_service.spark.compare)
    ... --models-only  # models and seeds, no data tests (Spark runs its tests four times slower)

For each scale: the generated sample (seed 7, --months of history, one fixed load instant) loaded into
PostgreSQL (`load-sample`) and into a fresh local Spark warehouse (`load-sample --target spark`), then
`insights build` (every model, seed and test) on each engine; then one more day appended on both
(`load-sample --append-days 1`, one fixed instant) and the incremental build of it (PostgreSQL: the
keys the day reaches; Spark: the store partitions it reaches). Prints wall seconds of each step and
dbt's node seconds (models, tests) from run_results.json; --compare compares after the incremental build.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
LOADED_AT = "2025-07-01T05:00:00+00:00"
APPENDED_AT = "2025-07-02T06:00:00+00:00"
END_DATE = "2025-06-30"


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "insight_service.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"insights {' '.join(args)} failed:\n" + "\n".join((proc.stdout + proc.stderr).splitlines()[-30:]))
    return time.monotonic() - started


def node_seconds(target: Path) -> tuple[float, float]:
    """(model seconds, test seconds) of the last dbt run written to `target`."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    models = sum(r["execution_time"] for r in results if r["unique_id"].startswith(("model.", "seed.")))
    tests = sum(r["execution_time"] for r in results if r["unique_id"].startswith(("test.", "unit_test.")))
    return models, tests


def bench_scale(scale: float, args: argparse.Namespace, work: Path) -> dict:
    database = f"spark_bench_{str(scale).replace('.', '_')}"
    with psycopg.connect(dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(database)))
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(database)))
    sample = ["--seed", "7", "--scale", str(scale), "--months", str(args.months), "--end-date", END_DATE,
              "--loaded-at", LOADED_AT]
    base = {k: v for k, v in os.environ.items() if k not in ("DBT_TARGET", "INSIGHTS_SPARK_DIR")}
    pg_env = {**base, "PGDATABASE": database, "DBT_TARGET_PATH": str(work / f"pg_{scale}")}
    spark_dir = work / f"spark_{scale}"
    spark_env = {**base, "DBT_TARGET": "spark", "INSIGHTS_SPARK_DIR": str(spark_dir),
                 "DBT_TARGET_PATH": str(work / f"spark_{scale}_target"), "DBT_THREADS": str(args.spark_threads)}
    out = {"scale": scale}
    print(f"\n== scale {scale:g}, {args.months} months: database {database}, Spark folder {spark_dir} ==", flush=True)
    out["pg_load"] = run(["load-sample", *sample], pg_env)
    print(f"  PostgreSQL load-sample                 {out['pg_load']:7.1f} s", flush=True)
    out["spark_load"] = run(["load-sample", "--target", "spark", *sample], spark_env)
    print(f"  Spark load-sample (JVM start included) {out['spark_load']:7.1f} s", flush=True)
    build = ["build", "--exclude-resource-type", "test", "unit_test"] if args.models_only else ["build"]
    for step, label in (("build", "build"), ("day", "incremental build of one appended day")):
        if step == "day":
            out["pg_append"] = run(["load-sample", "--append-days", "1", "--loaded-at", APPENDED_AT], pg_env)
            out["spark_append"] = run(["load-sample", "--target", "spark", "--append-days", "1",
                                       "--loaded-at", APPENDED_AT], spark_env)
            print(f"  append one day: PostgreSQL {out['pg_append']:.1f} s, Spark {out['spark_append']:.1f} s",
                  flush=True)
        out[f"pg_{step}"] = run(build, pg_env)
        nodes = node_seconds(work / f"pg_{scale}")
        print(f"  PostgreSQL {label:<40} {out[f'pg_{step}']:6.1f} s (models {nodes[0]:.1f} s, "
              f"tests {nodes[1]:.1f} s)", flush=True)
        out[f"spark_{step}"] = run(build, spark_env)
        nodes = node_seconds(work / f"spark_{scale}_target")
        print(f"  Spark {label:<45} {out[f'spark_{step}']:6.1f} s (models {nodes[0]:.1f} s, "
              f"tests {nodes[1]:.1f} s)", flush=True)
    if args.compare:
        started = time.monotonic()
        dsn = psycopg.conninfo.make_conninfo(dbname=database)
        proc = subprocess.run([sys.executable, "-m", "insight_service.spark.compare", "--spark-dir", str(spark_dir),
                               "--dsn", dsn], cwd=ROOT, capture_output=True, text=True)
        lines = proc.stdout.splitlines()
        out["compare"] = (sum(line.startswith("OK") for line in lines), sum(line.startswith("DIFF") for line in lines))
        print(f"  compare: {out['compare'][0]} relations equal, {out['compare'][1]} differ "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        for line in lines:
            if not line.startswith("OK"):
                print(f"    {line}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, action="append", help="repeatable (default 0.05 and 1)")
    ap.add_argument("--months", type=int, default=6)
    ap.add_argument("--spark-threads", type=int, default=4, help="dbt threads on Spark (one shared session)")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--models-only", action="store_true", help="models and seeds only, no data tests")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="spark_bench_") as tmp:
        results = [bench_scale(scale, args, Path(tmp)) for scale in (args.scale or [0.05, 1.0])]
    print("\nscale | PG load | Spark load | PG build | Spark build | PG one day | Spark one day")
    for r in results:
        print(f"{r['scale']:g} | {r['pg_load']:.1f} s | {r['spark_load']:.1f} s | {r['pg_build']:.1f} s | "
              f"{r['spark_build']:.1f} s | {r['pg_day']:.1f} s | {r['spark_day']:.1f} s")


if __name__ == "__main__":
    main()
