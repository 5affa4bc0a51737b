"""Benchmark: generate sample data and COPY it into PostgreSQL; print per-table rows and throughput.

Usage (the database comes from the standard PG* variables; it is created if missing):

    PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=gen_bench .venv/bin/python bench/load_benchmark.py --scale 40

Options: --scale (default 40), --seed (42), --months (19), --end-date (default yesterday),
--reserve-days (the generator's default), --schema (raw), --drop (drop the database
afterwards), --artifacts DIR (write the truth and manifest there), --quiet (no progress lines),
--append-days N (then time `load-sample --append-days N` on the loaded sample; needs an
--end-date at least N + 1 days ago).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time

import psycopg
from psycopg import sql

from insight_service.sample_data.append import AppendRefused, append_days
from insight_service.sample_data.generator import DEFAULT_RESERVE_DAYS, generate
from insight_service.sample_data.loader import load_sample, write_artifacts


def _maintenance_conn():
    return psycopg.connect(dbname=os.environ.get("PGMAINTDB", "postgres"), autocommit=True)


def ensure_database(name: str) -> bool:
    with _maintenance_conn() as c:
        exists = c.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if not exists:
            c.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
            return True
    return False


def drop_database(name: str) -> None:
    with _maintenance_conn() as c:
        c.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _proc_cpu(pid: int) -> float | None:
    """user+sys CPU seconds of a local process (the server backend), None if not visible."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=40.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--months", type=int, default=19)
    ap.add_argument("--end-date", type=dt.date.fromisoformat, default=None)
    ap.add_argument("--reserve-days", type=int, default=DEFAULT_RESERVE_DAYS)
    ap.add_argument("--append-days", type=int, default=None, help="then append N days and time it")
    ap.add_argument("--schema", default="raw")
    ap.add_argument("--drop", action="store_true", help="drop the database when done")
    ap.add_argument("--artifacts", default=None, help="folder for true_curves.json and sample_manifest.json")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    db = os.environ.get("PGDATABASE")
    if not db:
        print("set PGDATABASE (and PGHOST/PGUSER...) to the benchmark database, e.g. gen_bench", file=sys.stderr)
        return 2
    created = ensure_database(db)
    print(f"database {db} on {os.environ.get('PGHOST', 'local socket')} ({'created' if created else 'existing'})")

    t0 = time.perf_counter()
    data = generate(seed=args.seed, scale=args.scale, end_date=args.end_date, months=args.months,
                    reserve_days=args.reserve_days)
    plan_s = time.perf_counter() - t0
    print(f"plan: {plan_s:.2f}s  ({data.start_date} .. {data.end_date}, scale {args.scale}, seed {args.seed})")

    last = [0.0]

    def progress(table, n, elapsed):
        if not args.quiet and (elapsed - last[0] >= 5 or table == "analyze"):
            last[0] = elapsed
            print(f"  {elapsed:7.1f}s  {table:<22} {n:>12,} rows", flush=True)

    with psycopg.connect("") as conn:
        backend_pid = conn.info.backend_pid
        pg_cpu0 = _proc_cpu(backend_pid)
        res = load_sample(conn, data, schema=args.schema, replace=True, progress=progress)
        pg_cpu = _proc_cpu(backend_pid) - pg_cpu0 if pg_cpu0 is not None else None
        counts = {}
        for table in res["rows"]:
            counts[table] = conn.execute(
                sql.SQL("select count(*) from {}").format(sql.Identifier(args.schema, table))).fetchone()[0]
    total_s = plan_s + res["seconds"]
    manifest = data.manifest
    print()
    print(f"{'table':<24}{'rows':>14}{'manifest':>14}")
    for table, n in res["rows"].items():
        flag = "" if counts[table] == manifest["row_counts"][table] == n else "  MISMATCH"
        print(f"{table:<24}{n:>14,}{manifest['row_counts'][table]:>14,}{flag}")
    total = res["total_rows"]
    print(f"{'total':<24}{total:>14,}")
    print()
    print(f"generate (plan + simulate + render rows): {plan_s + res['generate_seconds']:8.1f} s")
    print(f"load (waiting on COPY)                  : {res['copy_seconds']:8.1f} s")
    print(f"analyze                                 : {res['analyze_seconds']:8.1f} s")
    print(f"total                                   : {total_s:8.1f} s")
    print(f"throughput                              : {total / total_s:12,.0f} rows/s end to end")
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(f"CPU of this process (user+sys)          : {ru.ru_utime + ru.ru_stime:8.1f} s")
    if pg_cpu is not None:
        print(f"CPU of the PostgreSQL backend           : {pg_cpu:8.1f} s")
    print(f"peak memory (this process)              : {ru.ru_maxrss / 1024:8.0f} MB")
    print(f"load average (1 min) at the end         : {os.getloadavg()[0]:8.2f}  ({os.cpu_count()} CPUs)")
    print(f"dirty rows                              : {len(manifest['dirty_rows']):,}")
    appended_ok = True
    if args.append_days is not None:
        appended_ok = _append(args)
    if args.artifacts:
        write_artifacts(data, args.artifacts)
        print(f"artifacts written to {args.artifacts}")
    if args.drop:
        drop_database(db)
        print(f"dropped database {db}")
    return 0 if appended_ok and all(counts[t] == manifest["row_counts"][t] for t in counts) else 1


def _append(args) -> bool:
    """Append args.append_days days to the sample just loaded and print where the time goes."""
    print()
    with psycopg.connect("") as conn:
        try:
            rep = append_days(conn, args.append_days, schema=args.schema)
        except AppendRefused as exc:
            print(f"append refused: {exc}")
            return False
    print(f"append {rep['from_date']} .. {rep['end_date']}: {rep['total_rows']:,} rows "
          f"({rep['late_sessions']:,} late sessions, {rep['status_changes_total']:,} status changes, "
          f"{rep['redeliveries_total']:,} re-deliveries, {len(rep['dirty_rows']):,} dirty rows)")
    print(f"  regenerate the world + render          : {rep['generate_seconds']:8.1f} s")
    print(f"  COPY                                   : {rep['copy_seconds']:8.1f} s")
    print(f"  indexes + analyze                      : {rep['index_seconds'] + rep['analyze_seconds']:8.1f} s")
    print(f"  total                                  : {rep['seconds']:8.1f} s")
    return True


if __name__ == "__main__":
    sys.exit(main())
