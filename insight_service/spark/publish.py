"""`insights publish`: the marts of a Spark build copied into PostgreSQL's marts schema, where the
service and the dashboard read them (README "Spark": serving stays on PostgreSQL).

One transaction per table: a reader sees the old rows or the new ones, never a mix. A table the
warehouse already has keeps its definition (types, indexes, dependent functions); a missing one is
created with the column types its model's YAML declares (`data_type`: jsonb for the signals'
evidence, which is JSON text on Spark), else the Spark schema's.

By changed partitions: the incremental models are partitioned by store on Spark
(macros/spark_incremental.sql), and an incremental build rewrites the partitions of the stores new
deliveries reach, with new data files. publish keeps, per published table and store, a signature
of the partition's data files (`<schema>_publish.partitions` on PostgreSQL) and replaces only the
stores whose files changed (DELETE of the store's rows, COPY of its new ones), deleting the stores
that left. Tables without partitions, a first publish, a table without recorded signatures, and
`--full` replace the table whole (TRUNCATE, then COPY).
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from psycopg import sql

from insight_service.paths import project_dir

_PG_TYPES = {"string": "text", "timestamp": "timestamptz", "timestamp_ntz": "timestamp", "date": "date",
             "bigint": "bigint", "int": "integer", "smallint": "smallint", "boolean": "boolean",
             "double": "double precision", "float": "real"}


def pg_type(spark_type: str) -> str:
    """The PostgreSQL column type of a Spark column type (simpleString)."""
    if spark_type.startswith("decimal"):
        return "numeric" + spark_type[len("decimal"):]
    if spark_type in _PG_TYPES:
        return _PG_TYPES[spark_type]
    raise ValueError(f"no PostgreSQL type for the Spark type {spark_type!r}")


def declared_types(table: str, models: Path | None = None) -> dict[str, str]:
    """{column: data_type} of the model `table` as its YAML declares them ({} for a model without one)."""
    for path in sorted((models or project_dir() / "models").rglob(f"{table}.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if model.get("name") == table:
                return {c["name"]: c["data_type"] for c in model.get("columns", []) if c.get("data_type")}
    return {}


def _instant(value):
    # pyspark returns naive datetimes in this process's local time; PostgreSQL wants the instant
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo is None else value


STORE = "store_id"  # the partition column of the incremental models on Spark


def _state_table(schema: str) -> sql.Composed:
    return sql.Identifier(f"{schema}_publish", "partitions")


def _create_state(conn, schema: str) -> None:
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(f"{schema}_publish")))
    conn.execute(sql.SQL("""create table if not exists {} (
        table_name text not null,
        store_id text,                -- null: the partition of the rows without a store
        signature text not null,      -- the partition's data files (their names change on every rewrite)
        published_at timestamptz not null default now())""").format(_state_table(schema)))


def partition_signatures(frame) -> dict[str | None, str]:
    """{store: signature of its data files} of a Spark table partitioned by store. Reads the Parquet
    footers only (no data column is selected)."""
    from pyspark.sql import functions as F

    files = frame.select(F.col(STORE), F.input_file_name().alias("file")).groupBy(STORE).agg(
        F.sha2(F.concat_ws(",", F.array_sort(F.collect_set("file"))), 256).alias("signature"))
    return {row[STORE]: row["signature"] for row in files.collect()}


def _partitioned_by_store(spark, schema: str, table: str) -> bool:
    return any(c.name == STORE and c.isPartition for c in spark.catalog.listColumns(table, schema))


def _copy_rows(conn, target, fields, frame) -> int:
    rows = 0
    columns = sql.SQL(", ").join(sql.Identifier(name) for name, _ in fields)
    with conn.cursor().copy(sql.SQL("copy {} ({}) from stdin").format(target, columns)) as copy:
        for row in frame.toLocalIterator():
            copy.write_row([_instant(v) for v in row])
            rows += 1
    return rows


def _store_filter(stores: list[str | None]) -> sql.Composed:
    named = [s for s in stores if s is not None]
    parts = [sql.SQL("{} = any(%s)").format(sql.Identifier(STORE))] if named else []
    if None in stores:
        parts.append(sql.SQL("{} is null").format(sql.Identifier(STORE)))
    return sql.SQL(" or ").join(parts)


def publish_table(spark, conn, schema: str, table: str, full: bool = False) -> tuple[int, str]:
    """Bring `schema.table` on PostgreSQL up to the Spark table of that name: whole, or only the
    stores whose partitions changed (module docstring). Commits. Returns (rows copied, what was done)."""
    from pyspark.sql import functions as F

    frame = spark.table(f"{schema}.{table}")
    fields = [(f.name, f.dataType.simpleString()) for f in frame.schema.fields]
    frame = frame.select(*[name for name, _ in fields])
    exists = conn.execute("select to_regclass(%s)", (f'"{schema}"."{table}"',)).fetchone()[0]
    target = sql.Identifier(schema, table)
    partitioned = _partitioned_by_store(spark, schema, table)
    signatures = partition_signatures(frame) if partitioned else {}
    _create_state(conn, schema)
    state = _state_table(schema)
    published = {store: signature for store, signature in conn.execute(
        sql.SQL("select store_id, signature from {} where table_name = %s").format(state), (table,)).fetchall()}
    if exists is None:
        declared = declared_types(table)
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("create table {} ({})").format(target, sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(declared.get(name) or pg_type(kind)))
            for name, kind in fields)))
    if exists is None or full or not partitioned or not published:
        if exists is not None:
            conn.execute(sql.SQL("truncate {}").format(target))
        rows, done = _copy_rows(conn, target, fields, frame), "whole"
        changed = list(signatures)
        conn.execute(sql.SQL("delete from {} where table_name = %s").format(state), (table,))
    else:
        changed = [store for store, signature in signatures.items() if published.get(store, "") != signature]
        left = [store for store in published if store not in signatures]
        if changed or left:
            stores = changed + left
            params = [[s for s in stores if s is not None]] if any(s is not None for s in stores) else []
            conn.execute(sql.SQL("delete from {} where {}").format(target, _store_filter(stores)), params)
            conn.execute(sql.SQL("delete from {} where table_name = %s and ({})").format(state, _store_filter(stores)),
                         [table, *params])
        named = [s for s in changed if s is not None]
        condition = F.col(STORE).isin(named) if named else F.lit(False)
        if None in changed:
            condition = condition | F.col(STORE).isNull()
        rows = _copy_rows(conn, target, fields, frame.where(condition)) if changed else 0
        done = f"{len(changed)} of {len(signatures)} store partitions" + (f", {len(left)} gone" if left else "")
    with conn.cursor() as cur:
        cur.executemany(sql.SQL("insert into {} (table_name, store_id, signature) values (%s, %s, %s)").format(state),
                        [(table, store, signatures[store]) for store in changed])
    conn.commit()
    return rows, done


def publish(spark, conn, schema: str = "marts", tables: list[str] | None = None, full: bool = False,
            progress: Callable[[str, int, str, float], None] | None = None) -> dict[str, int]:
    """Publish every table of the Spark database `schema` (or `tables`); {table: rows copied}.
    mart_build_info, the service's cache key, goes last: responses cached before stay valid until
    the new marts are in."""
    available = {t.name for t in spark.catalog.listTables(schema) if t.tableType != "VIEW"}
    wanted = sorted(available if tables is None else tables, key=lambda t: (t == "mart_build_info", t))
    missing = sorted(set(wanted) - available)
    if missing:
        raise ValueError(f"not in the Spark database {schema!r}: {', '.join(missing)} (build them first)")
    started = time.monotonic()
    counts = {}
    for table in wanted:
        counts[table], done = publish_table(spark, conn, schema, table, full=full)
        if progress:
            progress(table, counts[table], done, time.monotonic() - started)
    return counts
