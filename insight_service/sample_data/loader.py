"""Load generated sample data into the raw schema with COPY (never row-by-row INSERT).

Consecutive chunks of one table share a single `COPY ... FROM STDIN` (text format), opened
when the table changes. Chunks that can render themselves (`rows.copy_text()`, as the
generator's frames do) are written as text blocks through psycopg's queued writer: a worker
thread feeds the server while the main thread simulates and renders the next block, so
generation and server-side parsing overlap. Any other iterable of tuples goes through
`copy.write_row`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from insight_service.warehouse.raw_schema import (RAW_TABLES, create_raw_indexes, create_raw_schema, drop_raw_indexes,
                                                   truncate_raw_tables)

from .curves import write_truth


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


def load_sample(conn, data, schema: str = "raw", replace: bool = True,
                progress: Callable[[str, int, float], None] | None = None) -> dict:
    """Create the raw schema if needed, optionally truncate it, COPY every chunk, commit, ANALYZE.

    Returns {"rows": {table: n}, "seconds": s, "rows_per_second": r} plus a breakdown
    ("generate_seconds": producing and rendering rows in this process, "copy_seconds": waiting
    for the server, "index_seconds": the raw indexes of the incremental staging, "analyze_seconds").
    """
    t0 = time.perf_counter()
    create_raw_schema(conn, schema)
    if replace:
        # an empty table takes a bulk COPY faster without indexes; they are rebuilt after it
        drop_raw_indexes(conn, schema)
        truncate_raw_tables(conn, schema)
    rows_by_table: dict[str, int] = {t: 0 for t in RAW_TABLES}
    chunks = _Timed(data.iter_chunks())
    try:
        _copy_all(conn, schema, chunks, rows_by_table, progress, t0)
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
    """Write folder/true_curves.json (curves.write_truth) and folder/sample_manifest.json."""
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
    (folder / "sample_manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
