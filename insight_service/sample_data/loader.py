"""Load generated sample data into the raw schema with COPY (never row-by-row INSERT).

Consecutive chunks of one table share a single `COPY ... FROM STDIN` (text format), opened
when the table changes. Chunks that can render themselves (`rows.copy_text()`, as the
generator's frames do) are written as text blocks through psycopg's queued writer: a worker
thread feeds the server while the main thread simulates and renders the next block, so
generation and server-side parsing overlap. Any other iterable of tuples goes through
`copy.write_row`.

Every load of a generated sample records its parameters in `<schema>._sample_loads` (one row
per load or append: seed, scale, months, start, the end date the world was generated around,
its reserve, the last day of data, the load instant, the generator version), in the same
transaction as its rows. `append_sample` COPYs an append (append.py) next to the rows already
there: nothing is truncated or dropped. The dbt project ignores the extra table.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from insight_service.warehouse.raw_schema import (
    RAW_TABLES,
    create_raw_indexes,
    create_raw_schema,
    drop_raw_indexes,
    truncate_raw_tables,
)

from .curves import write_truth
from .order_truth import FILE_NAME as ORDER_TRUTH_FILE
from .order_truth import write_order_truth


class _Timed:
    """Wrap an iterator, accumulating the time spent producing its items."""

    def __init__(self, it):
        self.it = iter(it)
        self.seconds = 0.0
        self.render_seconds = 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t = time.perf_counter()
        try:
            return next(self.it)
        finally:
            self.seconds += time.perf_counter() - t


SAMPLE_LOADS = "_sample_loads"
_LOADS_COLUMNS = ("kind", "seed", "scale", "months", "start_date", "base_end_date", "reserve_days", "end_date",
                  "loaded_at", "generator_version")


def _create_loads_table(conn, schema: str) -> None:
    conn.execute(sql.SQL("""
        create table if not exists {} (
            load_id bigserial primary key,
            kind text not null,                 -- 'load' (replaces the sample) or 'append'
            seed bigint not null,
            scale double precision not null,
            months integer not null,
            start_date date not null,
            base_end_date date not null,        -- the end date the world was generated around
            reserve_days integer not null,      -- the world runs this many days past base_end_date
            end_date date not null,             -- last day of data once this load is in
            loaded_at timestamptz not null,     -- base instant of a load; the instant of an append
            generator_version text not null,
            total_rows bigint,
            created_at timestamptz not null default now())""").format(sql.Identifier(schema, SAMPLE_LOADS)))


def _record_load(cur, schema: str, record: dict, total_rows: int) -> None:
    cur.execute(sql.SQL("insert into {} ({}, total_rows) values ({}, %s)").format(
        sql.Identifier(schema, SAMPLE_LOADS), sql.SQL(", ").join(map(sql.Identifier, _LOADS_COLUMNS)),
        sql.SQL(", ").join(sql.Placeholder() * len(_LOADS_COLUMNS))),
        [record[c] for c in _LOADS_COLUMNS] + [total_rows])


def read_sample_loads(conn, schema: str = "raw", lock: bool = False) -> list[dict]:
    """The latest generated load in `schema` and the appends after it, oldest first ([] if none).

    lock: hold a lock on the table until the transaction ends, so that a concurrent append (or
    load) waits and then sees this one's row instead of appending the same days again."""
    exists = conn.execute("select to_regclass(%s)", (f"{schema}.{SAMPLE_LOADS}",)).fetchone()[0]
    if exists is None:
        return []
    if lock:
        conn.execute(sql.SQL("lock table {} in share row exclusive mode").format(sql.Identifier(schema, SAMPLE_LOADS)))
    cur = conn.execute(sql.SQL("select {} from {} where load_id >= coalesce((select max(load_id) from {} "
                               "where kind = 'load'), 0) order by load_id").format(
        sql.SQL(", ").join(map(sql.Identifier, _LOADS_COLUMNS)), sql.Identifier(schema, SAMPLE_LOADS),
        sql.Identifier(schema, SAMPLE_LOADS)))
    rows = [dict(zip(_LOADS_COLUMNS, r)) for r in cur.fetchall()]
    return rows if rows and rows[0]["kind"] == "load" else []


def load_sample(conn, data, schema: str = "raw", replace: bool = True,
                progress: Callable[[str, int, float], None] | None = None) -> dict:
    """Create the raw schema if needed, optionally truncate it, COPY every chunk, commit, ANALYZE.

    A generated sample (`data.load_record()`) loaded with replace=True is recorded in
    `<schema>._sample_loads`, so that `append.append_days` can continue it; any other load
    leaves the schema without an appendable sample.

    Returns {"rows": {table: n}, "seconds": s, "rows_per_second": r} plus a breakdown
    ("generate_seconds": producing and rendering rows in this process, "copy_seconds": waiting
    for the server, "index_seconds": the raw indexes of the incremental staging, "analyze_seconds").
    """
    t0 = time.perf_counter()
    create_raw_schema(conn, schema)
    _create_loads_table(conn, schema)
    conn.execute(sql.SQL("delete from {}").format(sql.Identifier(schema, SAMPLE_LOADS)))
    conn.commit()
    if replace:
        # an empty table takes a bulk COPY faster without indexes; they are rebuilt after it
        drop_raw_indexes(conn, schema)
        truncate_raw_tables(conn, schema)
    rows_by_table: dict[str, int] = {t: 0 for t in RAW_TABLES}
    chunks = _Timed(data.iter_chunks())
    record = data.load_record() if replace and hasattr(data, "load_record") else None
    try:
        _copy_all(conn, schema, chunks, rows_by_table, progress, t0)
        if record is not None:
            with conn.cursor() as cur:
                _record_load(cur, schema, record, sum(rows_by_table.values()))
    except BaseException:
        conn.rollback()
        raise
    total = sum(rows_by_table.values())
    render_s = chunks.render_seconds
    conn.commit()
    t_copied = time.perf_counter()
    create_raw_indexes(conn, schema)
    t_loaded = time.perf_counter()
    with conn.cursor() as cur:
        for table in RAW_TABLES:
            cur.execute(sql.SQL("analyze {}").format(sql.Identifier(schema, table)))
    conn.commit()
    t_end = time.perf_counter()
    seconds = t_end - t0
    generate_s = chunks.seconds + render_s
    if progress:
        progress("analyze", total, seconds)
    return {
        "rows": rows_by_table,
        "total_rows": total,
        "seconds": round(seconds, 3),
        "rows_per_second": round(total / seconds, 1) if seconds > 0 else None,
        "generate_seconds": round(generate_s, 3),
        "copy_seconds": round(t_copied - t0 - generate_s, 3),
        "index_seconds": round(t_loaded - t_copied, 3),
        "analyze_seconds": round(t_end - t_loaded, 3),
    }


def append_sample(conn, batch, schema: str, record: dict,
                  progress: Callable[[str, int, float], None] | None = None) -> dict:
    """COPY an append's chunks (append.AppendBatch) into the existing raw tables, record it, commit;
    then the raw indexes (if missing) and ANALYZE of the tables it appended to. Timings in seconds."""
    t0 = time.perf_counter()
    rows_by_table: dict[str, int] = {t: 0 for t in RAW_TABLES}
    chunks = _Timed(batch.iter_chunks())
    try:
        _copy_all(conn, schema, chunks, rows_by_table, progress, t0)
        with conn.cursor() as cur:
            _record_load(cur, schema, record, sum(rows_by_table.values()))
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    t_copied = time.perf_counter()
    create_raw_indexes(conn, schema)
    t_indexed = time.perf_counter()
    with conn.cursor() as cur:
        for table, n in rows_by_table.items():
            if n:
                cur.execute(sql.SQL("analyze {}").format(sql.Identifier(schema, table)))
    conn.commit()
    generate_s = chunks.seconds + chunks.render_seconds
    return {"generate_seconds": round(generate_s, 3), "copy_seconds": round(t_copied - t0 - generate_s, 3),
            "index_seconds": round(t_indexed - t_copied, 3),
            "analyze_seconds": round(time.perf_counter() - t_indexed, 3)}


def _copy_all(conn, schema, chunks, rows_by_table, progress, t0) -> None:
    with conn.cursor() as cur, ExitStack() as stack:
        # this transaction only: no need to wait for the WAL flush at commit (bulk load)
        cur.execute("set local synchronous_commit = off")
        current = None
        cp = None
        for table, columns, rows in chunks:
            key = (table, tuple(columns))
            if key != current:
                # consecutive chunks of one table share one COPY, left open while the next is produced
                if cp is not None:
                    stack.close()
                stmt = sql.SQL("copy {} ({}) from stdin").format(
                    sql.Identifier(schema, table), sql.SQL(", ").join(map(sql.Identifier, columns)))
                cp = stack.enter_context(cur.copy(stmt, writer=QueuedLibpqWriter(cur)))
                current = key
            if hasattr(rows, "copy_text"):
                t = time.perf_counter()
                block = rows.copy_text().encode("utf-8")
                n = len(rows)
                chunks.render_seconds += time.perf_counter() - t
                cp.write(block)
            else:
                n = 0
                for row in rows:
                    cp.write_row(row)
                    n += 1
            rows_by_table[table] = rows_by_table.get(table, 0) + n
            if progress:
                progress(table, rows_by_table[table], time.perf_counter() - t0)
        stack.close()


def write_artifacts(data, folder: Path) -> None:
    """Write folder/true_curves.json (curves.write_truth), folder/true_order_drivers.csv (what drove
    each order of the world: order_truth.py) and folder/sample_manifest.json."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = data.manifest
    meta = {
        "seed": manifest["parameters"]["seed"], "scale": manifest["parameters"]["scale"],
        "start_date": manifest["parameters"]["start_date"], "end_date": manifest["parameters"]["end_date"],
        "months": manifest["parameters"]["months"],
        "currency": {s: v["currency"] for s, v in manifest["stores"].items()},
        "monthly_budgets": {s: v["monthly_budgets"] for s, v in manifest["stores"].items()},
        "note": "revenue per day = ResponseCurve.daily_revenue(daily spend) per store and channel "
                "(store currency); see sample_manifest.json notes",
    }
    write_truth(folder / "true_curves.json", data.truth, meta)
    write_order_truth(folder / ORDER_TRUTH_FILE, data.order_truth())
    (folder / "sample_manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def merge_append_report(folder: Path, report: dict) -> Path:
    """Add an append's report to folder/sample_manifest.json (its `appends`, row counts and end date)
    when the manifest describes the same sample; otherwise write folder/sample_append_<end>.json.
    Returns the file written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sample_manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else None
    same = manifest is not None and all(
        manifest["parameters"].get(k) == report[k] for k in ("seed", "scale", "start_date", "base_end_date"))
    if not same:
        other = folder / f"sample_append_{report['end_date']}.json"
        other.write_text(json.dumps(report, indent=1, sort_keys=True))
        return other
    manifest.setdefault("appends", []).append(report)
    for table, n in report["rows"].items():
        manifest["row_counts"][table] = manifest["row_counts"].get(table, 0) + n
    manifest["total_rows"] = int(sum(manifest["row_counts"].values()))
    manifest["parameters"]["current_end_date"] = report["end_date"]
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return path
